// Besu: node keys, one genesis for all clusters, and per organisation the peers its nodes dial:
// nodes of the same cluster by Service name, nodes of other clusters by their public name and
// gateway port, as Bevel's charts write enodes.

import { join } from 'node:path'

import type { KubernetesObject } from '@kubernetes/client-node'

import type { Network, NetworkNode, Organization } from '../../model/network.js'
import { bootnodesOf } from '../../plan/plan.js'
import type { Plan, PlanRelease } from '../../plan/types.js'
import { enodeUrl, nodeKey } from '../ethereum/keys.js'
import type { NodeKey } from '../ethereum/keys.js'
import type { NodeIdentity, PlatformDeployer, PreparedNetwork, PrepareOpts, ReleaseSpec } from '../platform.js'
import { prepareBevelCharts } from './bevel-charts.js'
import { besuGenesis } from './genesis.js'

const DEFAULTS = { chainId: 1337, blockPeriodSeconds: 5, gasLimit: '0x1fffffffffffff' }
const CONSENSUS_API: Record<string, string> = { qbft: 'QBFT', ibft: 'IBFT', ibft2: 'IBFT', clique: 'CLIQUE', ethash: 'MINER' }

interface Member {
  org: Organization
  node: NetworkNode
  key: NodeKey
}

export const besuDeployer: PlatformDeployer = {
  prepare(net: Network, plan: Plan, opts: PrepareOpts): PreparedNetwork {
    // Bevel's charts generate keys and genesis in the cluster: nothing below applies to them
    if (net.chartSource === 'bevel') return prepareBevelCharts(net, plan, opts.clusterProviders)
    const members: Member[] = net.organizations.flatMap(org => org.nodes.map(node => ({ org, node, key: nodeKey(`${org.name}/${node.name}`, opts.seed) })))
    const config = net.spec.network.config ?? {}
    const consensus = net.consensus ?? 'qbft'
    const genesis = besuGenesis({
      consensus,
      chainId: config.chain_id ?? DEFAULTS.chainId,
      blockPeriodSeconds: config.block_period ?? DEFAULTS.blockPeriodSeconds,
      gasLimit: config.gas_limit ?? DEFAULTS.gasLimit,
      accounts: (config.accounts ?? []).map(a => (String(a).startsWith('0x') ? String(a) : `0x${String(a)}`)),
      validators: members.filter(m => m.node.kind === 'validator').map(m => m.key.address)
    })
    const genesisJson = JSON.stringify(genesis)
    const bootnodeNames = new Set(bootnodesOf(net).map(n => n.name))

    /** how `from`'s cluster dials `to`: Service name in-cluster, public name and gateway port across */
    const enodeFrom = (from: Organization, to: Member): string => {
      if (to.org.cluster === from.cluster || net.proxy === 'none') {
        const p2p = to.node.ports.find(p => p.name === 'p2p')?.port ?? 30303
        return enodeUrl(to.key, `${to.node.name}.${to.org.namespace}.svc.cluster.local`, p2p)
      }
      const endpoint = plan.endpoints.find(e => e.node === to.node.name && e.org === to.org.name && e.name === 'p2p')
      if (!endpoint) throw new Error(`no p2p endpoint planned for ${to.org.name}/${to.node.name}`)
      return enodeUrl(to.key, endpoint.host, endpoint.port)
    }

    const identities: NodeIdentity[] = members.map(m => ({ node: m.node.name, org: m.org.name, address: m.key.address, enode: enodeFrom(m.org, m) }))
    const member = (r: PlanRelease): Member => {
      const m = members.find(x => x.org.name === r.org && x.node.name === r.node)
      if (!m) throw new Error(`release ${r.id} names no node of the network`)
      return m
    }

    return {
      identities,
      release(r: PlanRelease): ReleaseSpec {
        const org = net.organizations.find(o => o.name === r.org)
        if (!org) throw new Error(`release ${r.id} names no organisation`)
        if (r.kind === 'genesis') {
          // every node, this organisation's included: a node skips its own enode
          const peers = members
          return {
            chart: join(opts.chartsDir, 'besu-genesis'),
            values: {
              genesis: genesisJson,
              staticNodes: peers.map(p => enodeFrom(org, p)),
              bootnodes: members.filter(m => bootnodeNames.has(m.node.name)).map(p => enodeFrom(org, p))
            },
            secrets: []
          }
        }
        const m = member(r)
        const p2p = plan.endpoints.find(e => e.node === m.node.name && e.org === org.name && e.name === 'p2p')
        const keySecret: KubernetesObject = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `${m.node.name}-keys`, namespace: org.namespace, labels: { 'app.kubernetes.io/managed-by': 'baf-action', 'baf-action/node': m.node.name } },
          type: 'Opaque',
          stringData: { key: `0x${m.key.privateKey}`, 'key.pub': `0x${m.key.publicKey}`, address: m.key.address }
        } as KubernetesObject
        const ports = Object.fromEntries(m.node.ports.filter(p => ['rpc', 'ws', 'p2p', 'metrics'].includes(p.name)).map(p => [p.name, p.port]))
        return {
          chart: join(opts.chartsDir, 'besu-node'),
          values: {
            image: { tag: net.version },
            node: {
              role: m.node.kind === 'validator' ? 'validator' : 'member',
              keySecret: `${m.node.name}-keys`,
              p2pHost: net.proxy === 'none' || !p2p ? '' : p2p.host,
              rpcApis: ['ETH', 'NET', 'WEB3', 'TXPOOL', 'ADMIN', CONSENSUS_API[consensus] ?? 'QBFT']
            },
            ports: { rpc: 8545, ws: 8546, p2p: 30303, metrics: 9545, ...ports },
            ...(net.spec.baf?.resources ? { resources: net.spec.baf.resources } : {})
          },
          secrets: [keySecret]
        }
      }
    }
  }
}
