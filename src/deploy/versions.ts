// What the report's Versions section lists: the Kubernetes of each cluster, Helm, every chart the
// plan installs at its version, and the node image. Read from what was used, never assumed.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { parse } from 'yaml'

import type { Network } from '../model/network.js'
import { packageRoot } from '../paths.js'
import { BESU_IMAGE } from '../platforms/besu/image.js'
import type { Plan } from '../plan/types.js'
import type { ProvisionedCluster } from '../providers/provider.js'

/** The besu/quorum/geth node image each platform's chart runs (tag: the network's version). */
const NODE_IMAGES: Partial<Record<Network['platform'], string>> = { besu: BESU_IMAGE, quorum: 'quorumengineering/quorum', geth: 'ethereum/client-go' }

export async function collectVersions(o: { network: Network; plan: Plan; clusters: ProvisionedCluster[]; helmVersion?: string }): Promise<Record<string, string>> {
  const versions: Record<string, string> = {}
  for (const c of o.clusters) if (c.kubernetesVersion) versions[`kubernetes ${c.name}`] = c.kubernetesVersion
  if (o.helmVersion) versions.helm = o.helmVersion
  for (const label of new Set(o.plan.releases.map(r => r.chart))) {
    const chart = await chartVersion(label)
    if (chart) versions[`chart ${chart.name}`] = chart.version
  }
  const image = NODE_IMAGES[o.network.platform]
  if (image) versions[`image ${image}`] = o.network.version
  return versions
}

/** `baf/besu-node` (ours: its Chart.yaml), `bevel/besu-node@1.1.0` or `emissary-ingress@8.9.1` (pinned) */
async function chartVersion(label: string): Promise<{ name: string; version: string } | undefined> {
  const pinned = /^(?:[a-z0-9-]+\/)?([a-z0-9-]+)@(\S+)$/.exec(label)
  if (pinned) return { name: label.startsWith('bevel/') ? `bevel/${pinned[1]}` : pinned[1], version: pinned[2] }
  const ours = /^baf\/([a-z0-9-]+)$/.exec(label)
  if (!ours) return undefined
  try {
    const chart = parse(await readFile(join(packageRoot(), 'charts', ours[1], 'Chart.yaml'), 'utf8')) as { version?: unknown }
    return typeof chart.version === 'string' ? { name: ours[1], version: chart.version } : undefined
  } catch {
    // a platform planned but without a chart of ours yet (its deploy fails naming that)
    return undefined
  }
}
