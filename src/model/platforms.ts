// What baf-action knows about each platform of Bevel's network.yaml (and the private geth
// network it adds): accepted consensus, the versions its charts are tested with, the namespace
// suffix Bevel uses, and which gateways the platform can be deployed behind.

export const PLATFORMS = ['besu', 'quorum', 'fabric', 'geth', 'corda', 'corda-enterprise', 'indy', 'substrate'] as const
export type Platform = (typeof PLATFORMS)[number]

export type ProxyKind = 'haproxy' | 'ambassador' | 'nginx' | 'none'
export const PROXY_KINDS: readonly ProxyKind[] = ['haproxy', 'ambassador', 'nginx', 'none']

export interface PlatformInfo {
  /** Bevel's namespace suffix: `<org>-bes`, `<org>-quo`, `<org>-net` */
  namespaceSuffix: string
  consensus: readonly string[]
  /** versions the charts are tested with; others get a warning, not an error */
  testedVersions: readonly string[]
  /** whether baf-action can deploy it today, or only validate and plan it */
  deployable: boolean
  /** consensus algorithms that need 3f+1 validators to tolerate a fault */
  bftConsensus: readonly string[]
}

export const PLATFORM_INFO: Record<Platform, PlatformInfo> = {
  besu: {
    namespaceSuffix: 'bes',
    consensus: ['qbft', 'ibft', 'ibft2', 'clique', 'ethash'],
    testedVersions: ['21.1.0', '21.1.1', '21.10.6', '22.10.2', '23.10.2'],
    deployable: true,
    bftConsensus: ['qbft', 'ibft', 'ibft2']
  },
  quorum: {
    namespaceSuffix: 'quo',
    consensus: ['raft', 'ibft', 'qbft', 'clique'],
    testedVersions: ['21.4.2', '23.4.0'],
    deployable: false,
    bftConsensus: ['ibft', 'qbft']
  },
  fabric: {
    namespaceSuffix: 'net',
    consensus: ['raft', 'kafka', 'solo', 'bft'],
    testedVersions: ['1.4.8', '2.2.0', '2.2.2', '2.5.3', '2.5.4'],
    deployable: false,
    bftConsensus: ['bft']
  },
  geth: {
    namespaceSuffix: 'eth',
    consensus: ['clique', 'ethash'],
    testedVersions: ['1.13.15'],
    deployable: false,
    bftConsensus: []
  },
  corda: { namespaceSuffix: 'ns', consensus: [], testedVersions: ['4.4', '4.7', '4.9'], deployable: false, bftConsensus: [] },
  'corda-enterprise': {
    namespaceSuffix: 'ent',
    consensus: [],
    testedVersions: ['4.4', '4.7', '4.10'],
    deployable: false,
    bftConsensus: []
  },
  indy: { namespaceSuffix: 'ns', consensus: [], testedVersions: ['1.11.0', '1.12.1', '1.12.6'], deployable: false, bftConsensus: [] },
  substrate: {
    namespaceSuffix: 'subs',
    consensus: [],
    testedVersions: ['latest', 'v4.2.2', 'v4.3.1'],
    deployable: false,
    bftConsensus: []
  }
}

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value)
}
