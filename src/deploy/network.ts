// The network phase: compute keys and genesis once, then install every release of the plan across
// all clusters as soon as its dependencies are ready (gateways, genesis, bootnodes, then the other
// nodes), with Helm's --atomic so a failure leaves no half-installed release.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve, sep } from 'node:path'

import { CoreV1Api } from '@kubernetes/client-node'
import type { KubeConfig, KubernetesObject, V1Job, V1Service } from '@kubernetes/client-node'

import type { ControllerRelease } from '../gateways/gateway.js'
import { gatewayFor } from '../gateways/registry.js'
import { apiErrorMessage, applyObjects, loadKubeConfig, waitForWatch } from '../kube/client.js'
import type { Logger } from '../log/logger.js'
import type { Network } from '../model/network.js'
import { packageRoot } from '../paths.js'
import type { Plan, PlanCluster, PlanRelease } from '../plan/types.js'
import type { ChartFilesFrom, NodeIdentity, ReleaseSpec } from '../platforms/platform.js'
import { deployerFor } from '../platforms/registry.js'
import type { ProvisionedCluster } from '../providers/provider.js'
import { isSimulated } from '../providers/provider.js'
import type { ReleaseStatus } from '../state/state.js'
import { collectReleaseDiagnostics } from './diagnostics.js'
import type { Helm, InstallOpts } from './helm.js'
import { HelmError, isTransient } from './helm.js'
import { waitForRelease } from './readiness.js'
import { runDag } from './scheduler.js'

export interface DeployOpts {
  network: Network
  plan: Plan
  clusters: ProvisionedCluster[]
  helm: Helm
  log: Logger
  diagnosticsDir: string
  seed?: string
  /** install the upstream gateway controllers; false on sim, where they would carry no traffic */
  installControllers: boolean
  /** per release, seconds Helm may wait for readiness */
  timeoutSeconds?: number
  concurrency?: number
  /** how readiness is awaited: a watch (default), or Helm's own --atomic --wait polling */
  readiness?: 'watch' | 'helm'
  /** labels of the organisations' namespaces (a preview's PR, repository, expiry) */
  namespaceLabels?: Record<string, string>
  /**
   * A gateway controller shared with other deployments (PR previews): it installs or updates the
   * controller (or sim's stand-in Service) itself, from everything sharing it, instead of from this plan alone.
   */
  sharedGateway?: (kc: KubeConfig, cluster: ProvisionedCluster, planCluster: PlanCluster) => Promise<void>
}

export interface DeployResult {
  releases: ReleaseStatus[]
  identities: NodeIdentity[]
  /** cluster name -> the address its gateway Service received */
  gatewayAddresses: Record<string, string>
}

export class DeployFailed extends Error {
  override name = 'DeployFailed'
  constructor(
    message: string,
    readonly result: DeployResult
  ) {
    super(message)
  }
}

/** The Service that stands for the gateway on a cluster without the upstream controller. */
export const SIM_GATEWAY_SERVICE = 'baf-gateway'

/** on every namespace the network phase creates for an organisation */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'

export async function deployNetwork(o: DeployOpts): Promise<DeployResult> {
  const prepared = deployerFor(o.network.platform).prepare(o.network, o.plan, {
    seed: o.seed,
    chartsDir: join(packageRoot(), 'charts'),
    clusterProviders: Object.fromEntries(o.clusters.map(c => [c.name, isSimulated(c) ? 'sim' : c.provider]))
  })
  if (o.network.chartSource === 'bevel') o.log.info("Bevel's charts generate the node keys in the clusters: node identities are recorded without enode or address")
  const gateway = gatewayFor(o.network.proxy)
  const clients = new Map(o.clusters.map(c => [c.name, { kc: loadKubeConfig(c.kubeconfig), cluster: c }]))
  const client = (name: string): { kc: KubeConfig; cluster: ProvisionedCluster } => {
    const found = clients.get(name)
    if (!found) throw new Error(`the plan names cluster ${name}, which was not provisioned`)
    return found
  }
  const retries = Math.min(Math.max(o.network.spec.network.env.retry_count ?? 3, 0), 5)
  const timeoutSeconds = o.timeoutSeconds ?? 300

  const install = async (r: PlanRelease): Promise<void> => {
    const { kc, cluster } = client(r.cluster)
    const planCluster = o.plan.clusters.find(c => c.name === r.cluster)!
    const started = Date.now()
    if (r.kind === 'gateway') {
      await installGateway(o, kc, cluster, planCluster, timeoutSeconds)
    } else {
      const spec = prepared.release(r)
      // the label says the namespace is ours: teardown on an existing cluster deletes only such namespaces
      const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.namespace, labels: { [MANAGED_BY_LABEL]: 'baf-action', ...o.namespaceLabels } } } as KubernetesObject
      await applyObjects(kc, [namespace, ...spec.secrets])
      const listeners = planCluster.gateway.listeners.filter(l => r.node !== undefined && l.target.node === r.node && l.target.namespace === r.namespace)
      // an upstream chart (Bevel's) renders its own routes; ours take the gateway's
      const upstream = spec.repo !== undefined
      const values = r.kind === 'node' && !upstream ? { ...spec.values, routes: gateway.routes(listeners) } : spec.values
      for (let attempt = 0; ; attempt++) {
        try {
          if (upstream) {
            // upstream charts: Helm's own wait (their readiness includes hook Jobs), then the plain Jobs dependants need
            await withChartFiles(o.helm, spec, f => client(f.cluster).kc, timeoutSeconds, chart =>
              o.helm.upgradeInstall({ release: r.name, namespace: r.namespace, kubeconfig: cluster.kubeconfig, values, timeoutSeconds, wait: 'helm', ...chart })
            )
            if (spec.awaitJobs?.length) await waitForJobs(kc, r.namespace, spec.awaitJobs, timeoutSeconds * 1000)
          } else if (o.readiness === 'helm') {
            // our charts: Helm applies, a watch waits; on failure the release is put back as it was
            await o.helm.upgradeInstall({ release: r.name, namespace: r.namespace, chart: spec.chart, kubeconfig: cluster.kubeconfig, values, timeoutSeconds, wait: 'helm' })
          } else {
            await o.helm.upgradeInstall({ release: r.name, namespace: r.namespace, chart: spec.chart, kubeconfig: cluster.kubeconfig, values, timeoutSeconds, wait: 'none' })
            await waitForRelease(kc, r.namespace, r.name, timeoutSeconds * 1000)
          }
          break
        } catch (e) {
          const recovered = await o.helm.recover(r.name, r.namespace, cluster.kubeconfig).catch(err => `not recovered: ${(err as Error).message}`)
          if (typeof recovered === 'string' && recovered.startsWith('not recovered')) o.log.warning(`${r.id}: ${recovered}`)
          if (!(e instanceof HelmError) || !isTransient(e.result) || attempt >= retries) throw e
          o.log.warning(`${r.id}: ${e.message}; retrying (${attempt + 1} of ${retries})`)
          await new Promise(res => setTimeout(res, Math.min(1000 * 2 ** attempt, 15_000)))
        }
      }
    }
    o.log.info(`${r.cluster}: ${r.namespace}/${r.name} ready in ${((Date.now() - started) / 1000).toFixed(1)}s`)
  }

  const outcomes = await runDag(o.plan.releases, install, o.concurrency ?? 8)
  const releases: ReleaseStatus[] = o.plan.releases.map(r => {
    const out = outcomes.get(r.id)
    if (!out) return { id: r.id, status: 'pending', chart: r.chart }
    if (out.status === 'ok') return { id: r.id, status: 'deployed', seconds: out.seconds, chart: r.chart }
    if (out.status === 'skipped') return { id: r.id, status: 'skipped', chart: r.chart, detail: out.reason }
    return { id: r.id, status: 'failed', seconds: out.seconds, chart: r.chart, detail: out.error.message }
  })
  const result: DeployResult = { releases, identities: prepared.identities, gatewayAddresses: {} }
  const failed = o.plan.releases.filter(r => outcomes.get(r.id)?.status === 'failed')
  if (failed.length > 0) {
    const reasons: string[] = []
    for (const r of failed) {
      const { kc, cluster } = client(r.cluster)
      const why = await collectReleaseDiagnostics(kc, o.helm, cluster.kubeconfig, r.cluster, r.namespace, r.name, o.diagnosticsDir).catch(() => '')
      const out = outcomes.get(r.id) as { error: Error }
      reasons.push(`${r.id}: ${out.error.message}${why ? ` (${why})` : ''}`)
    }
    const skipped = releases.filter(r => r.status === 'skipped').length
    throw new DeployFailed(`${failed.length} release(s) failed${skipped ? ` and ${skipped} were not started` : ''}; diagnostics in ${o.diagnosticsDir}\n${reasons.join('\n')}`, result)
  }
  if (o.network.proxy !== 'none') {
    const addresses = await Promise.all(o.plan.clusters.map(async c => [c.name, await gatewayAddress(client(c.name).kc, c, o.installControllers, timeoutSeconds)] as const))
    result.gatewayAddresses = Object.fromEntries(addresses)
  }
  return result
}

/** The controller (or, on sim, the Service standing for it), then the cluster-wide route objects. */
async function installGateway(o: DeployOpts, kc: KubeConfig, cluster: ProvisionedCluster, planCluster: PlanCluster, timeoutSeconds: number): Promise<void> {
  const gateway = gatewayFor(o.network.proxy)
  const controller = gateway.controller(planCluster)
  if (!controller) return
  await applyObjects(kc, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: controller.namespace } } as KubernetesObject])
  if (!o.installControllers) {
    o.log.info(`${cluster.name}: the ${controller.chart} ${controller.version} controller is not installed on sim (it would carry no traffic); routes are checked by the API server`)
    await applyObjects(kc, gateway.routeCrds())
    await waitForCrds(kc, gateway.routeCrds(), timeoutSeconds)
  }
  if (o.sharedGateway) {
    await o.sharedGateway(kc, cluster, planCluster)
  } else if (o.installControllers) {
    if (controller.crdsManifest) o.log.info(`${cluster.name}: ${controller.name} needs the CRDs of ${controller.crdsManifest}`)
    await o.helm.upgradeInstall(controllerInstall(controller, cluster.kubeconfig, timeoutSeconds))
  } else {
    await applyObjects(kc, [simGatewayService(planCluster)])
  }
  await applyObjects(kc, gateway.clusterObjects(planCluster))
}

/** The upstream controller's install: pinned chart from its repository, Helm's own readiness wait. */
export function controllerInstall(controller: ControllerRelease, kubeconfig: string, timeoutSeconds: number): InstallOpts {
  return { release: controller.name, namespace: controller.namespace, chart: controller.chart, repo: controller.repo, version: controller.version, kubeconfig, values: controller.values, timeoutSeconds, wait: 'helm' }
}

/** A LoadBalancer Service publishing the gateway's ports, like the controller's own Service. */
export function simGatewayService(c: PlanCluster): KubernetesObject {
  const ports = [80, 443, ...new Set(c.gateway.listeners.filter(l => l.protocol === 'tcp').map(l => l.port))]
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: SIM_GATEWAY_SERVICE, namespace: c.gateway.namespace, labels: { 'app.kubernetes.io/managed-by': 'baf-action' } },
    spec: { type: 'LoadBalancer', selector: { 'baf-action/gateway': c.name }, ports: ports.map(p => ({ name: `p${p}`, port: p, targetPort: p, protocol: 'TCP' })) }
  } as KubernetesObject
}

/**
 * Runs `install` with the chart to install: the upstream reference as it is, or, when the chart
 * reads files taken from ConfigMaps, a pulled copy with those files written in (removed after).
 */
async function withChartFiles(
  helm: Helm,
  spec: ReleaseSpec,
  kcOf: (from: ChartFilesFrom) => KubeConfig,
  timeoutSeconds: number,
  install: (chart: { chart: string; repo?: string; version?: string }) => Promise<unknown>
): Promise<void> {
  const from = spec.chartFiles
  if (!from) {
    await install({ chart: spec.chart, repo: spec.repo, version: spec.version })
    return
  }
  // read first: a missing ConfigMap names itself before anything is downloaded
  const core = kcOf(from).makeApiClient(CoreV1Api)
  const contents = await Promise.all(
    from.files.map(async f => {
      const cm = await core.readNamespacedConfigMap({ name: f.configMap, namespace: from.namespace }).catch((e: unknown) => {
        throw new Error(`reading ConfigMap ${from.namespace}/${f.configMap} in ${from.cluster} for ${spec.chart}'s ${f.path}: ${apiErrorMessage(e)}`, { cause: e })
      })
      const data = cm.data?.[f.key]
      if (data === undefined) throw new Error(`ConfigMap ${from.namespace}/${f.configMap} in ${from.cluster} has no key ${f.key} for ${spec.chart}'s ${f.path}`)
      return { path: f.path, data }
    })
  )
  const dir = await mkdtemp(join(tmpdir(), 'baf-chart-'))
  try {
    const root = await helm.pull({ chart: spec.chart, repo: spec.repo!, version: spec.version!, dest: dir, timeoutSeconds })
    for (const f of contents) {
      const file = resolve(root, f.path)
      if (!file.startsWith(root + sep)) throw new Error(`${spec.chart}: file ${f.path} lies outside the chart`)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, f.data, { mode: 0o600 })
    }
    await install({ chart: root })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Jobs that must succeed (watch, bounded); a failed one fails with its reason. */
async function waitForJobs(kc: KubeConfig, namespace: string, names: string[], timeoutMs: number): Promise<void> {
  const failed = (j: V1Job | undefined) => j?.status?.conditions?.find(c => c.type === 'Failed' && c.status === 'True')
  const seen = await waitForWatch<V1Job>(kc, {
    path: `/apis/batch/v1/namespaces/${namespace}/jobs`,
    what: `Job ${names.join(', ')} in ${namespace} to complete`,
    timeoutMs,
    done: m => names.every(n => {
      const j = m.get(`${namespace}/${n}`)
      return (j?.status?.succeeded ?? 0) > 0 || failed(j) !== undefined
    })
  })
  for (const n of names) {
    const why = failed(seen.get(`${namespace}/${n}`))
    if (why) throw new Error(`Job ${namespace}/${n} failed: ${why.reason ?? ''}${why.message ? ` (${why.message})` : ''}`)
  }
}

async function waitForCrds(kc: KubeConfig, crds: KubernetesObject[], timeoutSeconds: number): Promise<void> {
  if (crds.length === 0) return
  const names = crds.map(c => c.metadata!.name!)
  await waitForWatch<KubernetesObject & { status?: { conditions?: { type: string; status: string }[] } }>(kc, {
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    what: `CRDs ${names.join(', ')} established`,
    timeoutMs: timeoutSeconds * 1000,
    done: m => names.every(n => m.get(`/${n}`)?.status?.conditions?.some(c => c.type === 'Established' && c.status === 'True'))
  })
}

/** The address the gateway's LoadBalancer Service received (watch, bounded). */
async function gatewayAddress(kc: KubeConfig, c: PlanCluster, controllerInstalled: boolean, timeoutSeconds: number): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api)
  const services = await core.listNamespacedService({ namespace: c.gateway.namespace })
  const lb = services.items.find(s => s.spec?.type === 'LoadBalancer' && (controllerInstalled || s.metadata?.name === SIM_GATEWAY_SERVICE))
  if (!lb?.metadata?.name) throw new Error(`${c.name}: no LoadBalancer Service in ${c.gateway.namespace} for the ${c.gateway.kind} gateway`)
  const name = lb.metadata.name
  const seen = await waitForWatch<V1Service>(kc, {
    path: `/api/v1/namespaces/${c.gateway.namespace}/services`,
    what: `an address for ${c.gateway.namespace}/${name} on ${c.name}`,
    timeoutMs: timeoutSeconds * 1000,
    done: m => (m.get(`${c.gateway.namespace}/${name}`)?.status?.loadBalancer?.ingress?.length ?? 0) > 0
  })
  const ingress = seen.get(`${c.gateway.namespace}/${name}`)!.status!.loadBalancer!.ingress![0]
  return ingress.ip ?? ingress.hostname ?? ''
}

