// The probe phase as the action and `baf probe` run it: the plan's probes from the state file,
// from the runner or from inside each source cluster; results JSON and JUnit next to the state;
// the ProbeRun recorded in the state.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import type { Logger } from '../log/logger.js'
import { packageRoot } from '../paths.js'
import { expectValidators } from '../plan/probes.js'
import type { Plan } from '../plan/types.js'
import { readState, writeState } from '../state/state.js'
import type { State } from '../state/state.js'
import { PROBE_IMAGE } from './in-cluster/manifests.js'
import { toJUnit } from './junit.js'
import { probeOptions } from './options.js'
import type { ProbeOptions } from './options.js'
import { notRun, runProbes, settingsOf } from './suite.js'
import { buildRun, failureLines, summaryLine } from './summary.js'
import type { ProbeResult, ProbeRun, ProbeSpec } from './types.js'

export const RUNNERS = ['runner', 'in-cluster'] as const
export type RunnerKind = (typeof RUNNERS)[number]

export interface ProbeStateOpts {
  stateDir: string
  runner: RunnerKind
  options: Partial<ProbeOptions>
  /** PEM file of the CA(s) certificates must chain to */
  caFile?: string
  /** in-cluster: the container image (default: the pinned Node image) */
  image?: string
  /** in-cluster: an existing namespace to run in (default: one of its own per run) */
  namespace?: string
  /** the probes to run, as given (default: the state's plan's, with the validator addresses the deploy recorded) */
  specs?: ProbeSpec[]
  log: Logger
}

export interface ProbeStateResult {
  run: ProbeRun
  resultsPath: string
  junitPath: string
  state: State
}

export function probesDir(stateDir: string): string {
  return join(stateDir, 'probes')
}

async function fromClusters(state: State, specs: ProbeSpec[], options: ProbeOptions, opts: ProbeStateOpts): Promise<ProbeRun> {
  const startedAt = new Date().toISOString()
  // the Kubernetes client loads only when probes run in clusters
  const { runInCluster } = await import('./in-cluster/job-runner.js')
  const script = await readFile(join(packageRoot(), 'dist', 'probe-runner.js'), 'utf8').catch(() => {
    throw new Error(`dist/probe-runner.js is missing under ${packageRoot()}: run "npm run build" (the in-cluster runner ships that bundle in a ConfigMap)`)
  })
  const sources = [...new Set(specs.map(s => s.from))]
  const bySource = await Promise.all(
    sources.map(async (from): Promise<ProbeResult[]> => {
      const mine = specs.filter(s => s.from === from)
      const cluster = state.clusters.find(c => c.name === from)
      if (cluster) return runInCluster({ cluster, specs: mine, options, script, image: opts.image || PROBE_IMAGE, namespace: opts.namespace || undefined, log: opts.log })
      if (from === 'runner') return (await runProbes(mine, options)).results
      return mine.map(s => notRun(s, 'inconclusive', `source cluster ${from} is not in the state (not provisioned, or already torn down)`))
    })
  )
  const byId = new Map(bySource.flat().map(r => [r.id, r]))
  // pods resolve through their cluster's DNS, never the runner's resolver
  return buildRun(
    specs.map(s => byId.get(s.id)!),
    'in-cluster',
    startedAt,
    settingsOf({ ...options, resolver: undefined })
  )
}

/** the network phase records each cluster's gateway address: names must resolve to it */
export function withGatewayAddresses(specs: ProbeSpec[], clusters: State['clusters']): ProbeSpec[] {
  return specs.map(s => {
    const address = clusters.find(c => c.name === s.target.cluster)?.gatewayAddress
    return address && !s.target.expectAddress ? { ...s, target: { ...s.target, expectAddress: address } } : s
  })
}

/** the clusters of a plan that the state does not record (never provisioned, or torn down) */
export function clustersNotInState(plan: Pick<Plan, 'clusters'>, clusters: State['clusters']): string[] {
  const known = new Set(clusters.map(c => c.name))
  return plan.clusters.map(c => c.name).filter(name => !known.has(name))
}

export async function probeState(opts: ProbeStateOpts): Promise<ProbeStateResult> {
  const state = await readState(opts.stateDir)
  const specs = withGatewayAddresses(opts.specs ?? expectValidators(state.plan.probes, state.identities), state.clusters)
  const ca = opts.caFile ? await readFile(opts.caFile, 'utf8').catch(e => Promise.reject(new Error(`${opts.caFile}: cannot read the CA file (${(e as Error).message})`))) : undefined
  const options = probeOptions({ ...opts.options, ca })
  const started = Date.now()
  const title = opts.runner === 'runner' ? `Probe ${specs.length} path(s) from the runner` : `Probe ${specs.length} path(s) from inside ${new Set(specs.map(s => s.from)).size} source cluster(s)`
  const run = await opts.log.group(title, async () => {
    const r = opts.runner === 'runner' ? await runProbes(specs, options) : await fromClusters(state, specs, options, opts)
    opts.log.info(summaryLine(r))
    return r
  })
  for (const line of failureLines(run)) opts.log.info(line)
  const dir = probesDir(opts.stateDir)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const resultsPath = join(dir, 'results.json')
  const junitPath = join(dir, 'junit.xml')
  await writeFile(resultsPath, JSON.stringify(run, null, 2) + '\n', { mode: 0o600 })
  await writeFile(junitPath, toJUnit(run), { mode: 0o600 })
  state.probes = run
  state.timings.push({ phase: 'Probe', startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, outcome: run.verdict === 'fail' ? 'failed' : run.verdict === 'skipped' ? 'skipped' : 'ok', detail: summaryLine(run) })
  await writeState(opts.stateDir, state)
  return { run, resultsPath, junitPath, state }
}
