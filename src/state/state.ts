// The one JSON file through which the phases and the actions hand work to each other:
// the plan, what was created, probe results and timings. Written atomically, 0600 (it names
// kubeconfig paths), and read back by later steps, jobs (as an artifact) and `baf` commands.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import type { Plan } from '../plan/types.js'
import type { ProbeRun } from '../probe/types.js'
import type { ProvisionedCluster } from '../providers/provider.js'
import type { NodeIdentity } from '../platforms/platform.js'

export const STATE_VERSION = 1
export const STATE_FILE = 'state.json'

export interface PhaseTiming {
  phase: string
  startedAt: string
  seconds: number
  outcome: 'ok' | 'failed' | 'skipped'
  detail?: string
}

export interface ReleaseStatus {
  /** the plan's release id, `<cluster>/<namespace>/<name>` */
  id: string
  status: 'deployed' | 'failed' | 'pending' | 'skipped'
  seconds?: number
  chart?: string
  detail?: string
}

export interface PreviewRecord {
  pr: number
  repo?: string
  sha?: string
  /** unix seconds */
  expiresAt: number
  /** per cluster, what the preview's TCP gateway ports were moved by */
  offsets: Record<string, number>
  /** the GitHub Deployment recorded for it, if any */
  deploymentId?: number
}

export interface State {
  version: typeof STATE_VERSION
  createdAt: string
  networkFile: string
  provider: string
  plan: Plan
  /** filled by the provisioning phase */
  clusters: ProvisionedCluster[]
  /** filled by the network phase */
  releases?: ReleaseStatus[]
  /** node addresses and enode URLs (never keys), for probes and the report */
  identities?: NodeIdentity[]
  /** filled by the probe phase */
  probes?: ProbeRun
  /** set when the run deployed a PR preview (src/preview): it outlives the run */
  preview?: PreviewRecord
  /** tool, chart and image versions used, for the report */
  versions?: Record<string, string>
  timings: PhaseTiming[]
}

/** The state of a run that has planned and created nothing yet. */
export function newState(networkFile: string, provider: string, plan: Plan): State {
  return { version: STATE_VERSION, createdAt: new Date().toISOString(), networkFile, provider, plan, clusters: [], timings: [] }
}

export function statePath(stateDir: string): string {
  return join(stateDir, STATE_FILE)
}

export async function writeState(stateDir: string, state: State): Promise<string> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 })
  const path = statePath(stateDir)
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 })
  await rename(tmp, path)
  return path
}

export async function readState(stateDir: string): Promise<State> {
  const path = statePath(stateDir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new Error(`${path}: no state file; run "baf up" (or the deploy action) first, or pass the state directory it used`)
  }
  const state = JSON.parse(text) as State
  if (state.version !== STATE_VERSION) throw new Error(`${path}: state version ${String(state.version)} is not ${STATE_VERSION}; it was written by another baf-action version`)
  return state
}
