// Helm, run as a subprocess with argv arrays. Values go through a 0600 file that is removed
// afterwards, never the command line; Helm's own config and cache live in a private directory.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { Exec } from '../exec/exec.js'

export interface HelmResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** How Helm is invoked; tests may observe or replace it for charts that cannot be fetched here. */
export type HelmRunner = (args: string[], opts: { env: NodeJS.ProcessEnv; timeoutMs: number }) => Promise<HelmResult>

/** Helm through the project's one subprocess wrapper (argv only, timeout killing the process group). */
export const execHelm =
  (binary: string): HelmRunner =>
  async (args, opts) => {
    const r = await Exec.run(binary, args, { env: opts.env, timeoutMs: opts.timeoutMs })
    const timedOut = r.timedOut ? `\nhelm did not finish within ${Math.round(opts.timeoutMs / 1000)}s and was stopped` : ''
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr + timedOut }
  }

export interface InstallOpts {
  release: string
  namespace: string
  chart: string
  kubeconfig: string
  values: Record<string, unknown>
  repo?: string
  version?: string
  timeoutSeconds: number
  /**
   * `helm`: Helm's own --atomic --wait (upstream charts, whose readiness Helm knows);
   * `none`: return once the API server accepted the objects; the caller watches readiness and
   * calls recover() on failure (Helm polls every two seconds, a watch answers at once)
   */
  wait?: 'helm' | 'none'
}

export class HelmError extends Error {
  override name = 'HelmError'
  constructor(
    message: string,
    readonly result: HelmResult
  ) {
    super(message)
  }
}

export class Helm {
  private home?: Promise<string>

  constructor(private readonly runner: HelmRunner) {}

  private async env(): Promise<NodeJS.ProcessEnv> {
    this.home ??= mkdtemp(join(tmpdir(), 'baf-helm-'))
    const home = await this.home
    return {
      PATH: process.env.PATH,
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data')
    }
  }

  /** `helm upgrade --install --atomic --wait`: a failed install is rolled back, never left half-made. */
  async upgradeInstall(o: InstallOpts): Promise<HelmResult> {
    const env = await this.env()
    const dir = await mkdtemp(join(tmpdir(), 'baf-values-'))
    const valuesFile = join(dir, 'values.json')
    try {
      await writeFile(valuesFile, JSON.stringify(o.values), { mode: 0o600 })
      const args = ['upgrade', '--install', o.release, o.chart, '--namespace', o.namespace, '--create-namespace', '--kubeconfig', o.kubeconfig, '--values', valuesFile, '--timeout', `${o.timeoutSeconds}s`]
      if ((o.wait ?? 'helm') === 'helm') args.push('--atomic', '--wait')
      if (o.repo) args.push('--repo', o.repo)
      if (o.version) args.push('--version', o.version)
      const result = await this.runner(args, { env, timeoutMs: (o.timeoutSeconds + 60) * 1000 })
      if (result.exitCode !== 0) throw new HelmError(`helm upgrade --install ${o.release} in ${o.namespace}: ${lastLines(result.stderr || result.stdout)}`, result)
      return result
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  /**
   * `helm pull --untar`: an upstream chart at its pinned version, unpacked as `<dest>/<chart>`, for
   * a chart that reads files of its own (returns that directory)
   */
  async pull(o: { chart: string; repo: string; version: string; dest: string; timeoutSeconds: number }): Promise<string> {
    const result = await this.runner(['pull', o.chart, '--repo', o.repo, '--version', o.version, '--untar', '--untardir', o.dest], { env: await this.env(), timeoutMs: o.timeoutSeconds * 1000 })
    if (result.exitCode !== 0) throw new HelmError(`helm pull ${o.chart} ${o.version} from ${o.repo}: ${lastLines(result.stderr || result.stdout)}`, result)
    return join(o.dest, o.chart)
  }

  /** the client's version (`v3.22.0`), or undefined when Helm does not say */
  async version(): Promise<string | undefined> {
    const r = await this.runner(['version', '--template', '{{.Version}}'], { env: await this.env(), timeoutMs: 30_000 })
    const v = r.stdout.trim()
    return r.exitCode === 0 && /^v?\d+\.\d+\.\d+\S*$/.test(v) ? v : undefined
  }

  async status(release: string, namespace: string, kubeconfig: string): Promise<HelmResult> {
    return this.runner(['status', release, '--namespace', namespace, '--kubeconfig', kubeconfig, '--show-resources'], { env: await this.env(), timeoutMs: 30_000 })
  }

  /**
   * Leaves the release as it was before a failed upgrade: rolled back to its last deployed
   * revision, or uninstalled when it never had one (a failed first install).
   */
  async recover(release: string, namespace: string, kubeconfig: string): Promise<'rolled-back' | 'uninstalled' | 'absent'> {
    const env = await this.env()
    const history = await this.runner(['history', release, '--namespace', namespace, '--kubeconfig', kubeconfig, '--output', 'json', '--max', '20'], { env, timeoutMs: 60_000 })
    if (history.exitCode !== 0) return 'absent'
    const revisions = JSON.parse(history.stdout || '[]') as { revision: number; status: string }[]
    const deployed = revisions.filter(r => r.status === 'deployed' || r.status === 'superseded').map(r => r.revision)
    const last = revisions.reduce((m, r) => Math.max(m, r.revision), 0)
    const good = deployed.filter(r => r !== last).reduce((m, r) => Math.max(m, r), 0)
    if (good > 0) {
      const r = await this.runner(['rollback', release, String(good), '--namespace', namespace, '--kubeconfig', kubeconfig, '--wait', '--timeout', '120s'], { env, timeoutMs: 180_000 })
      if (r.exitCode !== 0) throw new HelmError(`helm rollback ${release} in ${namespace}: ${lastLines(r.stderr)}`, r)
      return 'rolled-back'
    }
    const r = await this.uninstall(release, namespace, kubeconfig)
    if (r.exitCode !== 0) throw new HelmError(`helm uninstall ${release} in ${namespace}: ${lastLines(r.stderr)}`, r)
    return 'uninstalled'
  }

  async uninstall(release: string, namespace: string, kubeconfig: string): Promise<HelmResult> {
    return this.runner(['uninstall', release, '--namespace', namespace, '--kubeconfig', kubeconfig, '--wait', '--timeout', '120s'], { env: await this.env(), timeoutMs: 180_000 })
  }

  async dispose(): Promise<void> {
    if (this.home) await rm(await this.home, { recursive: true, force: true })
  }
}

/** Helm's last error lines carry the cause ("... is invalid: spec.x: ..."), the rest is noise. */
export function lastLines(text: string, n = 3): string {
  return Exec.lastLines(text, n).split('\n').join(' | ')
}

/** Failures worth another try within the retry budget: the API server was briefly unreachable. */
export function isTransient(result: HelmResult): boolean {
  return /connection refused|i\/o timeout|EOF|TLS handshake timeout|the server is currently unable|etcdserver: request timed out|context deadline exceeded|no route to host|connection reset/i.test(result.stderr)
}
