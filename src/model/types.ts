// The shape of a network.yaml as users write it (Bevel's keys, snake_case), after the YAML has
// been parsed and Bevel's list-item quirk folded away. Only what baf-action reads is typed;
// Bevel keys that do not affect a CI deployment are accepted and carried along untouched.

import type { ChartSource } from './network.js'

export interface PortSpec {
  port: number
  /** the port the gateway publishes (Bevel calls it `ambassador` whatever the proxy) */
  ambassador?: number
  targetPort?: number
  enabled?: boolean | string
}

export interface MetricsSpec {
  enabled?: boolean | string
  port?: number
}

export interface EthereumNodeSpec {
  name: string
  type?: string
  bootnode?: boolean | string
  subject?: string
  geth_passphrase?: string | number
  lock?: boolean | string
  p2p?: PortSpec
  rpc?: PortSpec
  ws?: PortSpec
  db?: PortSpec
  raft?: PortSpec
  transaction_manager?: PortSpec
  tm_nodeport?: PortSpec
  tm_clientport?: PortSpec
  metrics?: MetricsSpec
}

export interface FabricCaSpec {
  name: string
  subject?: string
  type?: string
  grpc?: PortSpec
}

export interface FabricOrdererSpec {
  name: string
  type?: string
  consensus?: string
  grpc?: PortSpec
  ordererAddress?: string
}

export interface FabricPeerSpec {
  name: string
  type?: 'anchor' | 'nonanchor'
  gossippeeraddress?: string
  peerAddress?: string
  grpc?: PortSpec
  events?: PortSpec
  couchdb?: PortSpec
}

export interface NamedSpec {
  name: string
}

/** Corda node or notary (`corda_service_peer`, `corda_service_notary`); only p2p is published */
export interface CordaNodeSpec {
  name: string
  subject?: string
  type?: string
  p2p?: PortSpec
  rpc?: PortSpec
  rpcadmin?: PortSpec
  p2padmin?: PortSpec
  dbtcp?: PortSpec
  dbweb?: PortSpec
  springboot?: PortSpec
  expressapi?: PortSpec
}

/** Corda doorman / networkmap, CENM idman / networkmap / signer: one HTTP port */
export interface CordaNetworkServiceSpec {
  name: string
  subject?: string
  type?: string
  ports?: { servicePort: number; targetPort?: number; nodePort?: number }
  /** CENM's idman writes its port flat */
  port?: number
}

/** Indy steward (`indy_service_steward`): node and client ports, each `{port, targetPort, ambassador}` */
export interface IndyStewardSpec {
  name: string
  type?: string
  genesis?: boolean | string
  publicIp?: string
  node?: PortSpec
  client?: PortSpec
}

/** Indy trustee (`indy_service_trustee`): the identity sample's web server, if any */
export interface IndyTrusteeSpec {
  name: string
  genesis?: boolean | string
  server?: PortSpec
}

/** Indy endorser (`indy_service_endorser`): its agent's ports, not routed by baf-action */
export interface IndyEndorserSpec {
  name: string
  full_name?: string
  avatar?: string
  server?: { httpPort: number; apiPort?: number; webhookPort?: number }
}

export interface ServicesSpec {
  validators?: EthereumNodeSpec[]
  peers?: (EthereumNodeSpec | FabricPeerSpec | CordaNodeSpec | NamedSpec)[]
  ca?: FabricCaSpec
  orderers?: FabricOrdererSpec[]
  consensus?: { name?: string }
  /** Corda: Bevel writes one `notary`; a list of `notaries` is accepted too */
  notary?: CordaNodeSpec
  notaries?: CordaNodeSpec[]
  /** Corda's network services */
  doorman?: CordaNetworkServiceSpec
  nms?: CordaNetworkServiceSpec
  /** Corda Enterprise's (CENM) network services */
  idman?: CordaNetworkServiceSpec
  networkmap?: CordaNetworkServiceSpec
  signer?: CordaNetworkServiceSpec
  /** Indy: newer samples write one `trustee` / `endorser` per organisation, older ones lists */
  trustee?: IndyTrusteeSpec
  trustees?: IndyTrusteeSpec[]
  stewards?: IndyStewardSpec[]
  endorser?: IndyEndorserSpec
  endorsers?: IndyEndorserSpec[]
}

export interface OrganizationSpec {
  name: string
  type?: string
  external_url_suffix?: string
  org_status?: 'new' | 'existing' | 'delete'
  orderer_org?: string
  cloud_provider?: string
  k8s: { context: string; config_file?: string; region?: string; cluster_id?: string }
  vault?: Record<string, unknown> | null
  gitops?: Record<string, unknown> | null
  aws?: Record<string, unknown> | null
  services?: ServicesSpec
}

export interface AmbassadorPortsSpec {
  ports?: number[] | string | number
  portRange?: { from: number; to: number }
}

export interface EnvSpec {
  type?: string | number
  proxy?: string
  proxy_namespace?: string
  namespace?: string
  ambassadorPorts?: AmbassadorPortsSpec | string | number
  retry_count?: number
  external_dns?: 'enabled' | 'disabled'
}

export interface EthereumConfigSpec {
  consensus?: string
  subject?: string
  transaction_manager?: string
  tm_version?: string | number
  tm_tls?: boolean | string
  tm_trust?: string
  tm_nodes?: string[]
  accounts?: (string | number)[]
  chain_id?: number
  block_period?: number
  gas_limit?: string | number
}

export interface FabricChannelSpec {
  channel_name: string
  consortium?: string
  orderer?: { name?: string }
  orderers?: string[]
  participants: { name: string; type?: string; peers?: NamedSpec[] }[]
  /** newer Bevel: a list of organisations; older Bevel: `{name: [orgs], corepeerAddress: [...]}` */
  endorsers?: { name?: string | string[] }[] | { name?: string | string[] }
}

export interface NetworkSpec {
  type: string
  version: string | number
  env: EnvSpec
  docker?: { url?: string; username?: string; password?: string } | null
  config?: EthereumConfigSpec
  consensus?: { name?: string }
  orderers?: { name: string; type?: string; org_name: string; uri?: string }[]
  channels?: FabricChannelSpec[]
  organizations: OrganizationSpec[]
}

export interface BafProbeSpec {
  from: string
  host: string
  port: number
  sni?: string
  layers?: ('dns' | 'tcp' | 'tls' | 'protocol' | 'dlt')[]
  expect?: 'allow' | 'deny'
}

export interface BafSpec {
  seed?: string
  /** whose charts deploy the network (docs/bevel-charts.md) */
  chart_source?: ChartSource
  /** CPU and memory of every node container (Kubernetes quantities) */
  resources?: { requests?: { cpu?: string | number; memory?: string }; limits?: { cpu?: string | number; memory?: string } }
  clusters?: Record<string, { name?: string; nodes?: number; kubernetes_version?: string }>
  probes?: { deny_ports?: number[]; extra?: BafProbeSpec[] }
}

export interface NetworkFile {
  network: NetworkSpec
  baf?: BafSpec
}
