// What Bevel's published Besu charts (`chart-source: bevel`) are pinned to and what they cannot
// deploy: kept apart from the chart values (bevel-charts.ts) so that validation and planning load
// nothing heavy. The reasons are written out in bevel-charts.ts and docs/bevel-charts.md.

import { MissingCapabilityError } from '../../errors.js'
import type { ChartSource, Network } from '../../model/network.js'

/** Bevel's Helm repository, as the charts' READMEs add it (`helm repo add bevel …`) */
export const BEVEL_CHARTS_REPO = 'https://hyperledger.github.io/bevel'
/**
 * `version: 1.1.0` in hyperledger/bevel platforms/hyperledger-besu/charts/besu-genesis/Chart.yaml
 * and besu-node/Chart.yaml (Bevel v1.1): both charts are pinned together.
 */
export const BEVEL_BESU_CHART_VERSION = '1.1.0'
/** the account Bevel's no-Vault values (charts/values/noproxy-and-novault) name */
export const BEVEL_SERVICE_ACCOUNT = 'bevel-auth'
/** besu-genesis's Job (`<chart name>-init`) that writes the genesis, the keys and the static nodes */
export const BEVEL_GENESIS_JOB = 'besu-genesis-init'

/** Bevel's genesis chart names the consensus as quorum-genesis-tool does */
const BEVEL_CONSENSUS: Record<string, string> = { qbft: 'qbft', ibft: 'ibft2', ibft2: 'ibft2', clique: 'clique' }
export const bevelConsensus = (c: string): string | undefined => (Object.hasOwn(BEVEL_CONSENSUS, c) ? BEVEL_CONSENSUS[c] : undefined)

/** besu-node's `fullname`: the release name when it contains the chart's name, else `besu-node-<release>` */
export function bevelServiceName(release: string): string {
  return (release.includes('besu-node') ? release : `besu-node-${release}`).slice(0, 63).replace(/-+$/, '')
}

/**
 * Throws a MissingCapabilityError naming what Bevel's charts cannot do for this network, so a run
 * fails before any cluster is touched. Callers may use it to check an input early.
 */
export function checkBevelCharts(net: Network): void {
  const refuse = (what: string, why: string): never => {
    throw new MissingCapabilityError(what, why)
  }
  if (net.platform !== 'besu') refuse(`chart-source bevel for ${net.platform} networks`, 'baf-action deploys Bevel\'s besu-genesis and besu-node charts; use chart-source baf')
  if (net.proxy === 'nginx' || net.proxy === 'haproxy') {
    refuse(
      `chart-source bevel behind proxy ${net.proxy}`,
      `Bevel's besu-node chart templates Ambassador routes only (its Fabric charts HAProxy ones), nothing for ${net.proxy === 'nginx' ? 'NGINX' : 'HAProxy'}, so no gateway would reach the nodes; use proxy ambassador or none with Bevel's charts, or chart-source baf`
    )
  }
  // the other organisations get the first one's genesis (secondaryGenesis): their nodes join it,
  // they cannot add validators to it or serve as the bootnodes the first one starts from
  const [first, ...others] = net.organizations
  for (const o of others) {
    const validators = o.nodes.filter(n => n.kind === 'validator').map(n => n.name)
    if (validators.length > 0) {
      refuse(
        `validators in a second organisation with chart-source bevel (${o.name}: ${validators.join(', ')})`,
        `besu-genesis generates the validators of the first organisation (${first.name}) only; the others receive its genesis and join as members. Make them peers, move them to ${first.name}, or use chart-source baf`
      )
    }
    const bootnodes = o.nodes.filter(n => n.bootnode).map(n => n.name)
    if (bootnodes.length > 0) {
      refuse(
        `bootnodes in a second organisation with chart-source bevel (${o.name}: ${bootnodes.join(', ')})`,
        `the other organisations receive the besu-bootnodes list of ${first.name} once its nodes are installed; mark bootnodes in ${first.name} only, or use chart-source baf`
      )
    }
  }
  const consensus = net.consensus ?? 'qbft'
  if (!bevelConsensus(consensus)) refuse(`consensus ${consensus} with chart-source bevel`, 'Bevel\'s besu-genesis chart generates qbft, ibft2 and clique genesis files; use chart-source baf')
  const org = net.organizations[0]
  const validatorNodes = (org?.nodes ?? []).filter(n => n.kind === 'validator')
  const validators = validatorNodes.map(n => n.name)
  if (validators.length === 0) refuse('a network without validators with chart-source bevel', `besu-genesis generates the validators of the first organisation, and ${org?.name ?? 'it'} has none`)
  const expected = validators.map((_, i) => `validator-${i + 1}`)
  const stray = validators.filter(v => !expected.includes(v))
  if (stray.length > 0) {
    refuse(
      `validators named ${stray.join(', ')} with chart-source bevel`,
      `besu-genesis stores the keys of its ${validators.length} validators as Secrets besu-node-validator-<i>-keys, which besu-node uses only for a release named validator-<i>; name the validators ${expected.join(', ')} (as Bevel's samples do), or use chart-source baf`
    )
  }
  const otherPort = validatorNodes.filter(n => (n.ports.find(p => p.name === 'p2p')?.port ?? 30303) !== 30303).map(n => n.name)
  if (otherPort.length > 0) {
    refuse(`a validator p2p port other than 30303 with chart-source bevel (${otherPort.join(', ')})`, 'besu-genesis writes the validators into static-nodes.json at port 30303; use p2p port 30303 (the gateway port may differ), or chart-source baf')
  }
}


/**
 * The chart source an input or flag chose, over the file's `baf.chart_source`, checked against
 * what Bevel's charts deploy (the file's own choice is checked with the file, at its line).
 */
export function applyChartSource(net: Network, chosen: ChartSource | undefined): void {
  if (chosen) net.chartSource = chosen
  if (net.chartSource === 'bevel') checkBevelCharts(net)
}
