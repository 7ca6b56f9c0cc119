// The pipeline that `baf up` and the deploy action run: validate -> plan -> provision -> deploy
// -> probe -> report, with diagnostics and teardown whatever happens. Validation and planning
// always run first, so bad input fails before anything exists.

import { join } from 'node:path'

import { errorMessage, ValidationFailed } from '../errors.js'
import type { Logger } from '../log/logger.js'
import { reportDiagnostics, validateFiles } from '../model/index.js'
import type { ChartSource, Network } from '../model/network.js'
import { applyChartSource } from '../platforms/besu/bevel-rules.js'
import { buildPlan } from '../plan/plan.js'
import type { Plan } from '../plan/types.js'
import { isSimulated } from '../providers/provider.js'
import type { ProviderName } from '../providers/provider.js'
import { providerFor } from '../providers/registry.js'
import { newState, readState, writeState } from '../state/state.js'
import { Helm, execHelm } from '../deploy/helm.js'
import { resolveHelm } from '../deploy/helm-binary.js'
import { DeployFailed, deployNetwork, MANAGED_BY_LABEL } from '../deploy/network.js'
import type { DeployOpts } from '../deploy/network.js'
import { collectVersions } from '../deploy/versions.js'
import { applyCorefile, dnsZones } from '../dns/coredns.js'
import { loadKubeConfig } from '../kube/client.js'
import type { PhaseTiming, State } from '../state/state.js'

export interface ValidatedNetwork {
  network: Network
  plan: Plan
}

export interface ValidateOpts {
  /** the `chart-source` input or `--chart-source`: overrides the file's baf.chart_source */
  chartSource?: ChartSource
}

/** Validate and plan; report every diagnostic; throw ValidationFailed on any error. */
export async function validateAndPlan(networkFile: string, log: Logger, opts: ValidateOpts = {}): Promise<ValidatedNetwork> {
  return log.group('Validate network', async () => {
    const result = await validateFiles([networkFile])
    reportDiagnostics(result.diagnostics, log)
    if (result.errorCount > 0) throw new ValidationFailed(result.errorCount)
    const network = result.networks[0]
    // before any cluster exists
    applyChartSource(network, opts.chartSource)
    const plan = buildPlan(network)
    log.info(
      `${networkFile}: ${network.platform} ${network.version}, ${network.organizations.length} organisation(s) on ${plan.clusters.length} cluster(s), ${plan.releases.length} release(s), ${plan.probes.length} probe(s); ${result.warningCount} warning(s)`
    )
    return { network, plan }
  })
}

/** Runs `fn` as a logged phase and records its timing in the state, whatever its outcome. */
export async function phase<T>(state: State, name: string, log: Logger, fn: () => Promise<T>): Promise<T> {
  const started = Date.now()
  const timing: PhaseTiming = { phase: name, startedAt: new Date(started).toISOString(), seconds: 0, outcome: 'ok' }
  state.timings.push(timing)
  try {
    return await log.group(name, fn)
  } catch (e) {
    timing.outcome = 'failed'
    timing.detail = errorMessage(e).split('\n')[0]
    throw e
  } finally {
    timing.seconds = (Date.now() - started) / 1000
  }
}

export interface UpOpts {
  networkFile: string
  provider: ProviderName
  stateDir: string
  /** leave the clusters running when a later phase fails (debugging; `baf down` removes them) */
  keep: boolean
  log: Logger
  /** seed for keys and genesis; else the network's baf.seed; else random */
  seed?: string
  /** overrides the network's baf.chart_source */
  chartSource?: ChartSource
  /** an interrupt (Ctrl-C): the run stops after the current phase and tears down what it made */
  signal?: AbortSignal
  /** called with the state file's path as soon as it exists (actions publish it as an output) */
  onState?: (path: string, state: State) => void
}

export function diagnosticsDir(stateDir: string): string {
  return join(stateDir, 'diagnostics')
}

export class Interrupted extends Error {
  override name = 'Interrupted'
}

export function stopIfInterrupted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Interrupted('interrupted: stopped after the current phase')
}

export async function up(opts: UpOpts): Promise<State> {
  const { network, plan } = await validateAndPlan(opts.networkFile, opts.log, { chartSource: opts.chartSource })
  const state = newState(opts.networkFile, opts.provider, plan)
  const path = await writeState(opts.stateDir, state)
  opts.onState?.(path, state)
  // an unavailable provider fails here, before anything is created
  const provider = await providerFor(opts.provider)
  const providerOpts = { workDir: opts.stateDir, log: opts.log }
  try {
    state.clusters = await phase(state, `Provision ${plan.clusters.length} cluster(s) (${opts.provider})`, opts.log, () => provider.create(plan.clusters, providerOpts))
    await writeState(opts.stateDir, state)
    for (const c of state.clusters) for (const l of c.limitations) opts.log.info(`${c.name}: ${l}`)
    stopIfInterrupted(opts.signal)
    await deployPhase(state, network, { stateDir: opts.stateDir, seed: opts.seed, log: opts.log })
    stopIfInterrupted(opts.signal)
    await writeState(opts.stateDir, state)
    await probePhase(state, opts.stateDir, opts.log)
    await report(state, opts.stateDir, opts.log)
    opts.log.info(summary(state, opts.stateDir))
    if (state.probes?.verdict === 'fail') {
      throw new ProbesFailed(`${state.probes.summary.requiredFailed} required probe(s) failed; see ${join(opts.stateDir, 'report.md')} and ${join(opts.stateDir, 'probes', 'junit.xml')}`)
    }
    return state
  } catch (e) {
    // what did happen is worth a report too: it shows the failed release and the timings
    await report(state, opts.stateDir, opts.log)
    if (state.clusters.length > 0) {
      await provider.collectDiagnostics(state.clusters, diagnosticsDir(opts.stateDir), providerOpts)
      if (!opts.keep) {
        await phase(state, 'Tear down', opts.log, () => provider.delete(state.clusters, providerOpts)).catch(err => opts.log.warning(`teardown: ${errorMessage(err)}`))
        state.clusters = []
      }
    }
    await writeState(opts.stateDir, state)
    throw e
  }
}

export interface DeployPhaseOpts {
  stateDir: string
  seed?: string
  log: Logger
  /** default: everywhere but on sim clusters, where the controllers would carry no traffic */
  installControllers?: boolean
  /** a preview's namespace labels and shared gateway (src/preview) */
  namespaceLabels?: DeployOpts['namespaceLabels']
  sharedGateway?: DeployOpts['sharedGateway']
}

/**
 * The network phase on clusters the state already records (by `up`, or by the cluster action in
 * an earlier step or job). Records releases, node identities and gateway addresses in the state.
 */
export async function deployPhase(state: State, network: Network, opts: DeployPhaseOpts): Promise<void> {
  const plan = state.plan
  if (!opts.sharedGateway && network.proxy !== 'none' && state.provider === 'existing') await refuseSharedGateway(state, network)
  const helm = new Helm(execHelm(await resolveHelm()))
  try {
    // recorded first, so the report of a failed deploy shows what it was attempted with
    state.versions = { ...state.versions, ...(await collectVersions({ network, plan, clusters: state.clusters, helmVersion: await helm.version().catch(() => undefined) })) }
    const deployed = await phase(state, `Deploy ${plan.network.platform} network (${plan.releases.length} releases)`, opts.log, async () => {
      try {
        return await deployNetwork({
          network,
          plan,
          clusters: state.clusters,
          helm,
          log: opts.log,
          diagnosticsDir: diagnosticsDir(opts.stateDir),
          seed: opts.seed || network.seed,
          installControllers: opts.installControllers ?? !state.clusters.some(isSimulated),
          namespaceLabels: opts.namespaceLabels,
          sharedGateway: opts.sharedGateway
        })
      } catch (e) {
        if (e instanceof DeployFailed) state.releases = e.result.releases
        throw e
      }
    })
    state.releases = deployed.releases
    state.identities = deployed.identities
    for (const c of state.clusters) c.gatewayAddress = deployed.gatewayAddresses[c.name]
    if (network.proxy !== 'none') await phase(state, 'Wire cross-cluster DNS', opts.log, () => wireDns(state, opts.log))
  } finally {
    await helm.dispose()
    await writeState(opts.stateDir, state)
  }
}

export class SharedGatewayInUse extends Error {
  override name = 'SharedGatewayInUse'
}

/**
 * PR previews share a cluster's gateway controller, whose TCP routes are the union of their
 * entries in the gateway registry (src/preview/registry.ts). A plain deploy would install that
 * controller from its own routes alone and cut every preview off, so it stops before any change.
 */
async function refuseSharedGateway(state: State, network: Network): Promise<void> {
  const { GatewayRegistry, REGISTRY_NAME } = await import('../preview/registry.js')
  for (const c of state.clusters) {
    const { entries } = await new GatewayRegistry(loadKubeConfig(c.kubeconfig), network.proxyNamespace).read()
    if (entries.size === 0) continue
    const previews = [...entries.values()].map(e => `PR #${e.pr}${e.repo ? ` of ${e.repo}` : ''}`)
    throw new SharedGatewayInUse(
      `${c.name}: the ${network.proxy} gateway in namespace ${network.proxyNamespace} serves ${previews.length} preview(s) (${previews.join(', ')}; ConfigMap ${network.proxyNamespace}/${REGISTRY_NAME}), and a deploy without a PR number would replace their routes with its own; nothing was deployed. Deploy it as a preview (the pr input, baf up --pr N), give it its own gateway namespace (network.env.proxy_namespace), or use another cluster.`
    )
  }
}

/**
 * Every cluster's CoreDNS answers the names under every cluster's external_url_suffix with that
 * cluster's gateway address, so nodes reach peers in other clusters by the names Bevel gives them.
 */
async function wireDns(state: State, log: Logger): Promise<void> {
  const ip = /^(\d{1,3}\.){3}\d{1,3}$|:/
  const withAddress = state.plan.clusters.map(c => ({ name: c.name, dnsSuffixes: c.dnsSuffixes, gatewayAddress: state.clusters.find(p => p.name === c.name)?.gatewayAddress }))
  for (const c of withAddress) {
    if (c.gatewayAddress && !ip.test(c.gatewayAddress)) {
      log.warning(`${c.name}: the gateway's address ${c.gatewayAddress} is a host name; point a DNS CNAME for *.${c.dnsSuffixes.join(', *.')} at it (CoreDNS is wired with addresses only)`)
      c.gatewayAddress = undefined
    }
  }
  const zones = dnsZones(withAddress.filter(c => c.gatewayAddress))
  await Promise.all(
    state.clusters.map(async c => {
      const { changed } = await applyCorefile(loadKubeConfig(c.kubeconfig), zones)
      log.info(`${c.name}: CoreDNS ${changed ? 'now resolves' : 'already resolves'} ${zones.map(z => `*.${z.zone} -> ${z.address}`).join(', ')}`)
    })
  )
}

export class ProbesFailed extends Error {
  override name = 'ProbesFailed'
}

/**
 * Every planned path, probed from inside each source cluster (names resolve through that
 * cluster's DNS, as the nodes' own lookups do). On sim no container runs: the probes are
 * reported as skipped, never as passed.
 */
export async function probePhase(state: State, stateDir: string, log: Logger): Promise<void> {
  if (state.plan.probes.length === 0) return
  const { probeState } = await import('../probe/run.js')
  // probeState reads the state the deploy wrote: its plan's probes with the validators' addresses
  const probed = await probeState({ stateDir, runner: 'in-cluster', options: {}, log })
  state.probes = probed.run
  state.timings = probed.state.timings
}

/** report.md, report.json and report.html in the state directory; a report problem never fails a run. */
export async function report(state: State, stateDir: string, log: Logger): Promise<void> {
  try {
    const { writeReport } = await import('../report/write.js')
    const written = await writeReport(state, { outDir: stateDir })
    log.info(`${written.report.verdict.status}: ${written.report.verdict.headline} (report: ${written.paths.html})`)
  } catch (e) {
    log.warning(`the report could not be written: ${errorMessage(e)}`)
  }
}

/** The plain end-of-run summary: what runs where, and how to reach it. */
export function summary(state: State, stateDir: string): string {
  const lines = [`${state.plan.network.platform} network up: ${state.releases?.filter(r => r.status === 'deployed').length ?? 0} release(s) on ${state.clusters.length} cluster(s)`]
  for (const c of state.clusters) {
    lines.push(`  ${c.name}: kubeconfig ${c.kubeconfig}${c.gatewayAddress ? `, gateway ${c.gatewayAddress}` : ''}`)
  }
  const rpc = state.plan.endpoints.filter(e => e.name === 'rpc').slice(0, 3)
  for (const e of rpc) lines.push(`  ${e.org}/${e.node} JSON-RPC: http://${e.host}:${e.port}`)
  lines.push(`state: ${join(stateDir, 'state.json')}; tear down with: baf down --state-dir ${stateDir}`)
  return lines.join('\n')
}

/** Deletes the organisations' namespaces of the plan that carry our label, and nothing else. */
async function removeNetworkNamespaces(state: State, clusters: State['clusters'], log: Logger): Promise<void> {
  const { CoreV1Api } = await import('@kubernetes/client-node')
  const { apiErrorCode } = await import('../kube/client.js')
  for (const c of clusters) {
    const planned = state.plan.clusters.find(p => p.name === c.name)
    const core = loadKubeConfig(c.kubeconfig).makeApiClient(CoreV1Api)
    for (const name of (planned?.namespaces ?? []).filter(n => n !== planned?.gateway.namespace)) {
      try {
        const ns = await core.readNamespace({ name })
        if (ns.metadata?.labels?.[MANAGED_BY_LABEL] !== 'baf-action') {
          log.warning(`${c.name}: namespace ${name} is not labelled ${MANAGED_BY_LABEL}=baf-action, so it was not made by baf-action and stays`)
          continue
        }
        await core.deleteNamespace({ name, propagationPolicy: 'Background' })
        log.info(`${c.name}: namespace ${name} deleted`)
      } catch (e) {
        if (apiErrorCode(e) !== 404) throw e
      }
    }
  }
}

/** Diagnostics, then deletion of everything the state records. */
export async function down(stateDir: string, log: Logger): Promise<State> {
  const state = await readState(stateDir)
  if (state.clusters.length === 0) {
    log.info('nothing to tear down: the state records no cluster')
    return state
  }
  const provider = await providerFor(state.provider as ProviderName)
  const providerOpts = { workDir: stateDir, log }
  await provider.collectDiagnostics(state.clusters, diagnosticsDir(stateDir), providerOpts)
  // clusters baf-action did not create outlive it; the network it put into them does not
  const existing = state.clusters.filter(c => c.provider === 'existing')
  if (existing.length > 0 && !state.preview) await phase(state, 'Remove the network from the existing clusters', log, () => removeNetworkNamespaces(state, existing, log))
  await phase(state, `Tear down ${state.clusters.length} cluster(s)`, log, () => provider.delete(state.clusters, providerOpts))
  state.clusters = []
  await writeState(stateDir, state)
  return state
}
