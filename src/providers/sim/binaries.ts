// Where the sim control-plane binaries come from: a directory named by the caller or by
// BAF_SIM_BIN, else the build cache of scripts/sim-binaries.sh (pinned in test/harness/versions.env).

import { access, constants, readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { Exec } from '../../exec/exec.js'
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

/** Resolves the bin directory or fails saying how to get the binaries. */
export async function resolveSimBinaries(dir = process.env.BAF_SIM_BIN): Promise<string> {
  if (dir) {
    const missing = await complete(dir)
    if (missing) throw new Error(`sim binaries: ${join(dir, missing)} is missing or not executable (from ${process.env.BAF_SIM_BIN === dir ? 'BAF_SIM_BIN' : 'the sim-binaries input'})`)
    return dir
  }
  const script = join(packageRoot(), 'scripts', 'sim-binaries.sh')
  const check = await Exec.run('bash', [script, '--check'], { timeoutMs: 10_000 })
  const cached = check.exitCode === 0 ? check.stdout.trim().split('\n').pop() : undefined
  if (cached && !(await complete(cached))) return cached
  throw new Error(
    'sim binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) are not available: build them once with "bash scripts/sim-binaries.sh" (Go and the module proxy; 10-20 minutes cold on two cores), or point BAF_SIM_BIN at a directory that holds them'
  )
}
