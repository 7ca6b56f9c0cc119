// Where the sim control-plane binaries come from: a directory named by the caller or by
// BAF_SIM_BIN (the sim-binaries input sets it), else the build cache of scripts/sim-binaries.sh
// (pinned in test/harness/versions.env), else, on a GitHub runner and when the caller allows it,
// the published release binaries through the tools layer (pinned, sha256-checked, tool-cached).

import { access, constants, readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { Exec } from '../../exec/exec.js'
import type { Logger } from '../../log/logger.js'
import { packageRoot } from '../../paths.js'

export const SIM_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const
export type SimBinary = (typeof SIM_BINARIES)[number]

export interface SimVersions {
  kubernetes: string
  etcd: string
  kwok: string
  helm: string
}

export async function simVersions(): Promise<SimVersions> {
  const text = await readFile(join(packageRoot(), 'test/harness/versions.env'), 'utf8')
  const env = Object.fromEntries(
    text
      .split('\n')
      .filter(l => /^[A-Z0-9_]+=/.test(l))
      .map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()])
  )
  return { kubernetes: env.K8S_VERSION, etcd: env.ETCD_VERSION, kwok: env.KWOK_VERSION, helm: env.HELM_VERSION }
}

async function complete(dir: string): Promise<SimBinary | undefined> {
  for (const b of SIM_BINARIES) {
    try {
      await access(join(dir, b), constants.X_OK)
    } catch {
      return b
    }
  }
  return undefined
}

export interface ResolveOpts {
  /**
   * On a GitHub runner (GITHUB_ACTIONS=true) with nothing built or given: install the release
   * binaries as the setup action does (`tools: sim`), logging there. Only the sim provider asks
   * for it: a caller that merely looks for helm must not download a control plane.
   */
  downloadOnRunner?: Logger
}

/** Resolves the bin directory or fails saying how to get the binaries. */
export async function resolveSimBinaries(dir = process.env.BAF_SIM_BIN, opts: ResolveOpts = {}): Promise<string> {
  if (dir) {
    const missing = await complete(dir)
    if (missing) throw new Error(`sim binaries: ${join(dir, missing)} is missing or not executable (from ${process.env.BAF_SIM_BIN === dir ? 'BAF_SIM_BIN, which the sim-binaries input sets' : 'the directory given'})`)
    return dir
  }
  const script = join(packageRoot(), 'scripts', 'sim-binaries.sh')
  const check = await Exec.run('bash', [script, '--check'], { timeoutMs: 10_000 })
  const cached = check.exitCode === 0 ? check.stdout.trim().split('\n').pop() : undefined
  if (cached && !(await complete(cached))) return cached
  if (opts.downloadOnRunner && process.env.GITHUB_ACTIONS === 'true') {
    const { ToolInstaller } = await import('../../tools/install.js')
    const sim = await opts.downloadOnRunner.group('Install the sim binaries (release downloads, sha256-checked)', () => new ToolInstaller({ log: opts.downloadOnRunner! }).installSim())
    process.env.BAF_SIM_BIN = sim.dir
    return sim.dir
  }
  throw new Error(
    'sim binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) are not available: build them once with "bash scripts/sim-binaries.sh" (Go and the module proxy; 10-20 minutes cold on two cores), or point BAF_SIM_BIN (the sim-binaries input) at a directory that holds them; on a GitHub runner the setup action installs them (tools: sim)'
  )
}
