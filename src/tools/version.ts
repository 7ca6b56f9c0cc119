// What an installed tool says its version is, parsed from its own output by pure functions.

import { Exec } from '../exec/exec.js'

export class ToolVersion {
  /** `kind v0.31.0 go1.25.5 linux/amd64` */
  static parseKind(stdout: string): string | undefined {
    return stdout.match(/^kind (v\d+\.\d+\.\d+\S*)/m)?.[1]
  }

  /** `kubectl version --client --output=json`: `{"clientVersion": {"gitVersion": "v1.35.0", ...}}` */
  static parseKubectl(stdout: string): string | undefined {
    try {
      return (JSON.parse(stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion
    } catch {
      return stdout.match(/Client Version: (v\d+\.\d+\.\d+\S*)/)?.[1]
    }
  }

  /** `helm version --short`: `v3.22.0+g1a2b3c4` */
  static parseHelm(stdout: string): string | undefined {
    return stdout.match(/^(v\d+\.\d+\.\d+(?:-[\w.]+)?)/m)?.[1]
  }

  /** `Kubernetes v1.35.4`, `etcd Version: 3.6.5`, `kwok version v0.8.0 go1.26.8 (linux/amd64)` */
  static parseGeneric(stdout: string): string | undefined {
    const v = stdout.match(/(?:Kubernetes|[Vv]ersion:?) v?(\d+\.\d+\.\d+(?:-[\w.]+)?)/)?.[1]
    return v ? `v${v}` : undefined
  }

  static parse(tool: string, stdout: string): string | undefined {
    switch (tool) {
      case 'kind':
        return ToolVersion.parseKind(stdout)
      case 'kubectl':
        return ToolVersion.parseKubectl(stdout)
      case 'helm':
        return ToolVersion.parseHelm(stdout)
      default:
        return ToolVersion.parseGeneric(stdout)
    }
  }

  static async read(tool: string, path: string, args: string[]): Promise<string | undefined> {
    const r = await Exec.run(path, args, { timeoutMs: 20_000 })
    if (r.exitCode !== 0) return undefined
    return ToolVersion.parse(tool, `${r.stdout}\n${r.stderr}`)
  }
}
