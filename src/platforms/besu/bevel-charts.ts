// Besu on Bevel's published charts (`chart-source: bevel`), for users who want what Bevel deploys:
// `besu-genesis` generates the genesis and the validators' keys inside the cluster, `besu-node`
// runs each node. Their values follow Bevel's layout in its development mode without Vault
// (`global.vault.type: kubernetes`: keys in Kubernetes Secrets), so nothing secret is computed or
// held here, and no enode is known before the charts' Jobs have run.
//
// What these charts need, read from their templates (hyperledger/bevel,
// platforms/hyperledger-besu/charts/besu-genesis and besu-node):
// - besu-genesis in generate mode runs quorum-genesis-tool for `blockchain.nodes.count` validators
//   and stores their keys as Secrets `besu-node-validator-<i>-keys`; besu-node's pre-install hook
//   reuses the Secret `besu-node-<release>-keys` when it exists and generates a fresh key otherwise.
//   So the validators must be released as `validator-1` … `validator-N`, the names Bevel's own
//   samples and chart README use, or they would run with keys the genesis does not know.
// - the genesis Job is a plain Job, not a Helm hook: Helm's --wait does not wait for it, and a
//   validator installed before it finished would generate its own key. Dependants wait for it.
// - besu-genesis creates the ServiceAccount `global.serviceAccountName` and the Role its Jobs and
//   besu-node's hooks use to write Secrets and ConfigMaps: every release names the same account.
// - a node reads the ConfigMaps besu-genesis, besu-peers and besu-bootnodes of its own namespace.
//   For a second organisation Bevel copies them out of the first namespace into the besu-genesis
//   chart's `files/` directory and installs that chart again with `settings.secondaryGenesis: true`
//   (its configmap.yaml). The same happens here: the chart is pulled at its pinned version, the
//   first organisation's ConfigMaps are written into its files/, and it is installed from there,
//   once every node of the first organisation has added its enode to them (each besu-node
//   pre-install hook adds its node to besu-peers, a bootnode also to besu-bootnodes). The genesis
//   knows the first organisation's validators only, so the others hold members.

import type { Network, Organization } from '../../model/network.js'
import { bootnodesOf } from '../../plan/plan.js'
import type { Plan, PlanRelease } from '../../plan/types.js'
import type { ProviderName } from '../../providers/provider.js'
import type { ChartFilesFrom, NodeIdentity, PreparedNetwork, ReleaseSpec } from '../platform.js'
import { BEVEL_BESU_CHART_VERSION, BEVEL_CHARTS_REPO, BEVEL_GENESIS_JOB, BEVEL_SERVICE_ACCOUNT, bevelConsensus, checkBevelCharts } from './bevel-rules.js'
import { hexQuantity } from './genesis.js'
import { BESU_IMAGE } from './image.js'

export { BEVEL_BESU_CHART_VERSION, BEVEL_CHARTS_REPO, BEVEL_GENESIS_JOB, BEVEL_SERVICE_ACCOUNT, bevelServiceName, checkBevelCharts } from './bevel-rules.js'

/**
 * kind's local-path-provisioner (also what baf-action's sim clusters provision for); it binds a
 * volume only once the pod has a node, hence WaitForFirstConsumer
 */
const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path'
/** the `global.cluster.provider` values Bevel's charts know (bevel-storageclass picks a provisioner for each) */
const BEVEL_CLOUD_PROVIDERS = ['aws', 'azure', 'gcp', 'minikube']
/** managed clusters: the cloud Bevel's charts then use (its StorageClass provisioner and parameters) */
const CLOUD_OF: Partial<Record<ProviderName, string>> = { eks: 'aws', aks: 'azure', gke: 'gcp' }
/** Bevel's Ansible values for the genesis: blocks every 10 s, rounds time out after 20 s */
const BEVEL_BLOCK_PERIOD = 10
const DEFAULT_CHAIN_ID = 1337
const DEFAULT_GAS_LIMIT = '0x1fffffffffffff'

export type BevelChart = 'besu-genesis' | 'besu-node'

/** One release of the plan as Bevel's chart install: what `helm upgrade --install` is given. */
export interface BevelChartInstall {
  chart: BevelChart
  repo: string
  version: string
  values: Record<string, unknown>
  /** Jobs the releases that depend on this one must see succeed */
  awaitJobs: string[]
  /** a second organisation's genesis: the first one's ConfigMaps, as files of the chart */
  chartFiles?: ChartFilesFrom
}

/**
 * What Bevel copies from the first organisation's namespace into besu-genesis's files/ for the
 * others (genesis-sec: `settings.secondaryGenesis` turns each file back into the same ConfigMap)
 */
export const SECONDARY_GENESIS_FILES = [
  { path: 'files/genesis.json', configMap: 'besu-genesis', key: 'genesis.json' },
  { path: 'files/static-nodes.json', configMap: 'besu-peers', key: 'static-nodes.json' },
  { path: 'files/bootnodes.json', configMap: 'besu-bootnodes', key: 'bootnodes-json' }
]

export interface BevelChartOpts {
  /** where the release's cluster came from (default: unknown, as for an existing cluster) */
  clusterProvider?: ProviderName
}

/** The chart install of one genesis or node release of the plan. */
export function bevelChartInstall(net: Network, plan: Plan, r: PlanRelease, opts: BevelChartOpts = {}): BevelChartInstall {
  checkBevelCharts(net)
  const org = net.organizations.find(o => o.name === r.org)
  if (!org) throw new Error(`release ${r.id} names no organisation`)
  const cloud = cloudOf(net, org, opts.clusterProvider)
  const global = {
    serviceAccountName: BEVEL_SERVICE_ACCOUNT,
    cluster: { provider: cloud ?? 'minikube', cloudNativeServices: false },
    vault: { type: 'kubernetes', network: 'besu' }
  }
  if (r.kind === 'genesis') {
    const first = net.organizations[0]
    if (org !== first) {
      return {
        chart: 'besu-genesis',
        repo: BEVEL_CHARTS_REPO,
        version: BEVEL_BESU_CHART_VERSION,
        values: { global, settings: { secondaryGenesis: true, removeGenesisOnDelete: true } },
        awaitJobs: [],
        chartFiles: { cluster: first.cluster, namespace: first.namespace, files: SECONDARY_GENESIS_FILES }
      }
    }
    return { chart: 'besu-genesis', repo: BEVEL_CHARTS_REPO, version: BEVEL_BESU_CHART_VERSION, values: { global, ...genesisValues(net, org) }, awaitJobs: [BEVEL_GENESIS_JOB] }
  }
  if (r.kind !== 'node') throw new Error(`release ${r.id}: Bevel's Besu charts have no ${r.kind} release`)
  const node = org.nodes.find(n => n.name === r.node)
  if (!node) throw new Error(`release ${r.id} names no node of the network`)
  if (r.name !== node.name) throw new Error(`release ${r.id}: Bevel's charts name a node's release after the node (${node.name})`)
  const p2p = net.proxy === 'none' ? undefined : plan.endpoints.find(e => e.node === node.name && e.org === org.name && e.name === 'p2p')
  const port = (name: string, fallback: number): number => node.ports.find(p => p.name === name)?.port ?? fallback
  const resources = bevelResources(net)
  const bootnode = bootnodesOf(net).some(n => n.name === node.name)
  return {
    chart: 'besu-node',
    repo: BEVEL_CHARTS_REPO,
    version: BEVEL_BESU_CHART_VERSION,
    values: {
      global: {
        ...global,
        // besu-node routes through Ambassador itself (Listener and TCPMapping on p2p, Mapping for
        // `<release>rpc.<suffix>`) and advertises `<release>.<suffix>:<p2p>`; with haproxy or none
        // it advertises its in-cluster name
        proxy: { provider: net.proxy, externalUrlSuffix: org.externalUrlSuffix, ...(p2p ? { p2p: p2p.port } : {}) }
      },
      ...(cloud ? {} : { storage: { provisioner: LOCAL_PATH_PROVISIONER, volumeBindingMode: 'WaitForFirstConsumer' } }),
      // as with baf's charts, no transaction manager: Tessera needs Bevel's TLS and key charts too
      tessera: { enabled: false },
      tls: { enabled: false },
      image: { besu: { repository: BESU_IMAGE, tag: net.version } },
      node: {
        isBootnode: bootnode,
        // the others find the bootnodes through the besu-bootnodes ConfigMap their hooks fill
        usesBootnodes: !bootnode,
        besu: {
          identity: node.name,
          p2p: { port: port('p2p', 30303) },
          rpc: { port: port('rpc', 8545) },
          ws: { port: port('ws', 8546) },
          metrics: { port: port('metrics', 9545) },
          ...(resources ? { resources } : {})
        }
      }
    },
    awaitJobs: []
  }
}

/** The network deployed with Bevel's charts: releases as chart installs, identities without keys. */
export function prepareBevelCharts(net: Network, plan: Plan, clusterProviders: Record<string, ProviderName> = {}): PreparedNetwork {
  checkBevelCharts(net)
  const identities: NodeIdentity[] = net.organizations.flatMap(org => org.nodes.map(node => ({ node: node.name, org: org.name })))
  return {
    identities,
    release(r: PlanRelease): ReleaseSpec {
      const install = bevelChartInstall(net, plan, r, { clusterProvider: clusterProviders[r.cluster] })
      // Bevel's charts generate every key in the cluster: no Secret of ours
      return {
        chart: install.chart,
        repo: install.repo,
        version: install.version,
        values: install.values,
        secrets: [],
        ...(install.awaitJobs.length > 0 ? { awaitJobs: install.awaitJobs } : {}),
        ...(install.chartFiles ? { chartFiles: install.chartFiles } : {})
      }
    }
  }
}

/** `rawGenesisConfig` and `settings` of besu-genesis in generate mode (the first organisation). */
function genesisValues(net: Network, org: Organization): Record<string, unknown> {
  const config = net.spec.network.config ?? {}
  const period = config.block_period ?? BEVEL_BLOCK_PERIOD
  return {
    settings: { secondaryGenesis: false, removeGenesisOnDelete: true },
    rawGenesisConfig: {
      genesis: {
        config: {
          chainId: config.chain_id ?? DEFAULT_CHAIN_ID,
          algorithm: { consensus: bevelConsensus(net.consensus ?? 'qbft'), blockperiodseconds: period, epochlength: 30000, requesttimeoutseconds: Math.max(20, period * 2) }
        },
        gasLimit: hexQuantity(config.gas_limit ?? DEFAULT_GAS_LIMIT),
        additionalAccounts: (config.accounts ?? []).map(a => (String(a).startsWith('0x') ? String(a) : `0x${String(a)}`))
      },
      blockchain: { nodes: { generate: true, count: org.nodes.filter(n => n.kind === 'validator').length } }
    }
  }
}

/**
 * The cloud for `global.cluster.provider`, which picks the StorageClass provisioner of every node:
 * the cloud of an EKS, AKS or GKE cluster; on kind and sim none (they have no cloud disks, whatever
 * a Bevel sample's `cloud_provider: aws` says); on an existing cluster the organisation's
 * `cloud_provider` when Bevel knows it, as Bevel's Ansible passes it. Without a cloud the caller
 * sets `minikube`: its only effects in these charts are that provisioner, which the node values
 * replace by kind's local-path one, and an init container handing the data volume to the besu
 * user, which a host-path volume needs. (`aws`, the default of Bevel's own values, would ask for
 * the in-tree EBS provisioner.)
 */
function cloudOf(net: Network, org: Organization, provider: ProviderName | undefined): string | undefined {
  if (provider === 'kind' || provider === 'sim') return undefined
  if (provider && CLOUD_OF[provider]) return CLOUD_OF[provider]
  const declared = net.spec.network.organizations[org.index]?.cloud_provider
  return declared !== undefined && BEVEL_CLOUD_PROVIDERS.includes(declared) ? declared : undefined
}

/** `baf.resources` in besu-node's layout (`node.besu.resources`) */
function bevelResources(net: Network): Record<string, string | number> | undefined {
  const r = net.spec.baf?.resources
  if (!r) return undefined
  const out: Record<string, string | number> = {}
  if (r.requests?.cpu !== undefined) out.cpuRequest = r.requests.cpu
  if (r.requests?.memory !== undefined) out.memRequest = r.requests.memory
  if (r.limits?.cpu !== undefined) out.cpuLimit = r.limits.cpu
  if (r.limits?.memory !== undefined) out.memLimit = r.limits.memory
  return Object.keys(out).length > 0 ? out : undefined
}
