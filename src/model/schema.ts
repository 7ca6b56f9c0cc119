// JSON Schema (draft-07) for the structure and types of a network.yaml. One schema per platform
// is assembled on demand so that error messages speak of the platform the user wrote; semantic
// rules that span several values (references, collisions, consensus) live in semantic.ts.

import { CHART_SOURCES } from './network.js'
import type { Platform } from './platforms.js'

type Schema = Record<string, unknown>

const ref = (name: string): Schema => ({ $ref: `#/definitions/${name}` })

const portNumber: Schema = { type: 'integer', minimum: 1, maximum: 65535 }
const stringish: Schema = { type: ['string', 'number'] }
const flag: Schema = { type: ['boolean', 'string'] }

/** `{port: 30303, ambassador: 15010}`: a container port and, optionally, the one the gateway publishes */
const portDef: Schema = {
  type: 'object',
  required: ['port'],
  properties: {
    port: portNumber,
    ambassador: portNumber,
    targetPort: portNumber,
    nodePort: portNumber,
    /** Bevel's Quorum `transaction_manager: {port, ambassador, clientport}` */
    clientport: portNumber,
    enabled: flag
  },
  additionalProperties: false
}

const metricsDef: Schema = {
  type: 'object',
  properties: { enabled: flag, port: portNumber },
  additionalProperties: false
}

const k8sDef: Schema = {
  type: 'object',
  required: ['context'],
  properties: {
    context: { type: 'string', minLength: 1 },
    config_file: { type: 'string' },
    region: { type: 'string' },
    cluster_id: { type: 'string' }
  }
}

const credentials: Schema = { type: ['object', 'null'] }

const env: Schema = {
  type: 'object',
  properties: {
    type: stringish,
    proxy: { type: 'string' },
    proxy_namespace: { type: 'string' },
    namespace: { type: 'string' },
    // `15010`, `"15010,15020"`, `{ports: [...] | "..."}` or `{portRange: {from, to}}`; written as one
    // schema with a type union rather than anyOf, so a mistake inside the mapping is reported as itself
    ambassadorPorts: {
      type: ['string', 'integer', 'object'],
      minimum: 1,
      maximum: 65535,
      properties: {
        ports: { type: ['array', 'string', 'integer'], items: portNumber, minimum: 1, maximum: 65535 },
        portRange: {
          type: 'object',
          required: ['from', 'to'],
          properties: { from: portNumber, to: portNumber },
          additionalProperties: false
        }
      },
      additionalProperties: false
    },
    loadBalancerSourceRanges: { type: ['string', 'array', 'null'] },
    retry_count: { type: 'integer', minimum: 1 },
    external_dns: { type: 'string', enum: ['enabled', 'disabled'] },
    labels: { type: ['object', 'null'] }
  }
}

const ethereumNodeDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    bootnode: flag,
    subject: { type: 'string' },
    geth_passphrase: stringish,
    lock: flag,
    status: { type: 'string' },
    cactus_connector: { type: 'string' },
    p2p: ref('port'),
    rpc: ref('port'),
    ws: ref('port'),
    db: ref('port'),
    raft: ref('port'),
    transaction_manager: ref('port'),
    tm_nodeport: ref('port'),
    tm_clientport: ref('port'),
    metrics: ref('metrics')
  }
}

const fabricCaDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, subject: { type: 'string' }, type: { type: 'string' }, grpc: ref('port') }
}

const fabricOrdererDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    consensus: { type: 'string' },
    grpc: ref('port'),
    metrics: { anyOf: [ref('port'), ref('metrics')] },
    ordererAddress: { type: 'string' }
  }
}

const fabricPeerDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    type: { type: 'string', enum: ['anchor', 'nonanchor'] },
    gossippeeraddress: { type: 'string' },
    peerAddress: { type: 'string' },
    cli: { type: 'string' },
    grpc: ref('port'),
    events: ref('port'),
    couchdb: ref('port'),
    metrics: { anyOf: [ref('port'), ref('metrics')] },
    chaincodes: { type: 'array' },
    chaincode: { type: 'object' }
  }
}

const genericNodeDef: Schema = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }

/** Corda node or notary: Bevel's `corda_service_peer` / `corda_service_notary` (other keys carried along) */
const cordaNodeDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    subject: { type: 'string' },
    type: { type: 'string' },
    p2p: ref('port'),
    rpc: ref('port'),
    rpcadmin: ref('port'),
    p2padmin: ref('port'),
    dbtcp: ref('port'),
    dbweb: ref('port'),
    springboot: ref('port'),
    expressapi: ref('port')
  }
}

/** Corda doorman / nms, CENM idman / networkmap / signer: `ports: {servicePort, targetPort}` or CENM idman's `port:` */
const cordaNetworkServiceDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    subject: { type: 'string' },
    type: { type: 'string' },
    port: portNumber,
    ports: {
      type: 'object',
      required: ['servicePort'],
      properties: { servicePort: portNumber, targetPort: portNumber, nodePort: portNumber },
      additionalProperties: false
    }
  }
}

/** Bevel's `indy_service_trustee` */
const indyTrusteeDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, genesis: flag, server: ref('port') }
}

/** Bevel's `indy_service_steward`: node and client ports, `{port, targetPort, ambassador}` */
const indyStewardDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    genesis: flag,
    publicIp: { type: 'string' },
    node: ref('port'),
    client: ref('port')
  }
}

/** Bevel's `indy_service_endorser`: `server: {httpPort, apiPort, webhookPort}` */
const indyEndorserDef: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    full_name: { type: 'string' },
    avatar: { type: 'string' },
    server: {
      type: 'object',
      required: ['httpPort'],
      properties: { httpPort: portNumber, apiPort: portNumber, webhookPort: portNumber },
      additionalProperties: false
    }
  }
}

const SERVICES: Record<Platform, Schema> = {
  besu: {
    type: 'object',
    properties: { validators: { type: 'array', items: ref('ethereumNode') }, peers: { type: 'array', items: ref('ethereumNode') } }
  },
  quorum: {
    type: 'object',
    properties: { validators: { type: 'array', items: ref('ethereumNode') }, peers: { type: 'array', items: ref('ethereumNode') } }
  },
  geth: {
    type: 'object',
    properties: { validators: { type: 'array', items: ref('ethereumNode') }, peers: { type: 'array', items: ref('ethereumNode') } }
  },
  fabric: {
    type: 'object',
    properties: {
      ca: ref('fabricCa'),
      orderers: { type: 'array', items: ref('fabricOrderer') },
      peers: { type: 'array', items: ref('fabricPeer') },
      consensus: { type: 'object', properties: { name: { type: 'string' } } }
    }
  },
  corda: {
    type: 'object',
    properties: {
      doorman: ref('cordaNetworkService'),
      nms: ref('cordaNetworkService'),
      notary: ref('cordaNode'),
      notaries: { type: 'array', items: ref('cordaNode') },
      peers: { type: 'array', items: ref('cordaNode') }
    }
  },
  'corda-enterprise': {
    type: 'object',
    properties: {
      idman: ref('cordaNetworkService'),
      networkmap: ref('cordaNetworkService'),
      signer: ref('cordaNetworkService'),
      notary: ref('cordaNode'),
      notaries: { type: 'array', items: ref('cordaNode') },
      peers: { type: 'array', items: ref('cordaNode') }
    }
  },
  indy: {
    type: 'object',
    properties: {
      trustee: ref('indyTrustee'),
      trustees: { type: 'array', items: ref('indyTrustee') },
      stewards: { type: 'array', items: ref('indySteward') },
      endorser: ref('indyEndorser'),
      endorsers: { type: 'array', items: ref('indyEndorser') }
    }
  },
  substrate: { type: 'object', properties: { peers: { type: 'array', items: ref('genericNode') } } }
}

function organization(platform: Platform): Schema {
  return {
    type: 'object',
    required: ['name', 'k8s'],
    properties: {
      name: { type: 'string' },
      type: { type: 'string' },
      external_url_suffix: { type: 'string' },
      org_status: { type: 'string', enum: ['new', 'existing', 'delete'] },
      orderer_org: { type: 'string' },
      cloud_provider: { type: 'string' },
      k8s: ref('k8s'),
      vault: credentials,
      gitops: credentials,
      aws: credentials,
      services: SERVICES[platform]
    }
  }
}

const ethereumConfig: Schema = {
  type: 'object',
  properties: {
    consensus: { type: 'string' },
    subject: { type: 'string' },
    transaction_manager: { type: 'string' },
    tm_version: stringish,
    tm_tls: flag,
    tm_trust: { type: 'string' },
    tm_nodes: { type: 'array', items: { type: 'string' } },
    accounts: { type: 'array', items: stringish },
    chain_id: { type: 'integer', minimum: 1 },
    block_period: { type: 'integer', minimum: 1 },
    gas_limit: stringish
  }
}

const fabricNetwork: Schema = {
  consensus: { type: 'object', properties: { name: { type: 'string' } } },
  orderers: {
    type: 'array',
    items: {
      type: 'object',
      required: ['name', 'org_name'],
      properties: { name: { type: 'string' }, type: { type: 'string' }, org_name: { type: 'string' }, uri: { type: 'string' } }
    }
  },
  channels: {
    type: 'array',
    items: {
      type: 'object',
      required: ['channel_name', 'participants'],
      properties: {
        channel_name: { type: 'string' },
        consortium: { type: 'string' },
        orderer: { type: 'object', properties: { name: { type: 'string' } } },
        orderers: { type: 'array', items: { type: 'string' } },
        participants: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, type: { type: 'string' }, peers: { type: 'array', items: ref('genericNode') } }
          }
        },
        endorsers: { type: ['array', 'object'] }
      }
    }
  }
}

/** The optional `baf:` block: what Bevel's format lacks (cluster names, provider options, probes). */
const quantities: Schema = { type: 'object', properties: { cpu: { type: ['string', 'number'] }, memory: { type: 'string' } }, additionalProperties: false }

const baf: Schema = {
  type: 'object',
  properties: {
    seed: { type: 'string' },
    chart_source: { type: 'string', enum: [...CHART_SOURCES] },
    resources: { type: 'object', properties: { requests: quantities, limits: quantities }, additionalProperties: false },
    clusters: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          nodes: { type: 'integer', minimum: 1, maximum: 100 },
          kubernetes_version: { type: 'string' }
        },
        additionalProperties: false
      }
    },
    probes: {
      type: 'object',
      properties: {
        deny_ports: { type: 'array', items: portNumber },
        extra: {
          type: 'array',
          items: {
            type: 'object',
            required: ['from', 'host', 'port'],
            properties: {
              from: { type: 'string' },
              host: { type: 'string' },
              port: portNumber,
              sni: { type: 'string' },
              layers: { type: 'array', items: { type: 'string', enum: ['dns', 'tcp', 'tls', 'protocol', 'dlt'] } },
              expect: { type: 'string', enum: ['allow', 'deny'] }
            },
            additionalProperties: false
          }
        }
      },
      additionalProperties: false
    }
  },
  additionalProperties: false
}

export function networkSchema(platform: Platform): Schema {
  const platformKeys: Schema =
    platform === 'fabric' ? fabricNetwork : platform === 'besu' || platform === 'quorum' || platform === 'geth' ? { config: ethereumConfig } : {}
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `network.yaml (${platform})`,
    definitions: {
      port: portDef,
      metrics: metricsDef,
      k8s: k8sDef,
      ethereumNode: ethereumNodeDef,
      fabricCa: fabricCaDef,
      fabricOrderer: fabricOrdererDef,
      fabricPeer: fabricPeerDef,
      genericNode: genericNodeDef,
      cordaNode: cordaNodeDef,
      cordaNetworkService: cordaNetworkServiceDef,
      indyTrustee: indyTrusteeDef,
      indySteward: indyStewardDef,
      indyEndorser: indyEndorserDef
    },
    type: 'object',
    required: ['network'],
    properties: {
      network: {
        type: 'object',
        required: ['type', 'version', 'env', 'organizations'],
        properties: {
          type: { type: 'string' },
          version: stringish,
          env,
          docker: { type: ['object', 'null'], properties: { url: { type: 'string' } } },
          permissioning: { type: 'object' },
          ...platformKeys,
          organizations: { type: 'array', minItems: 1, items: organization(platform) }
        }
      },
      baf
    }
  }
}
