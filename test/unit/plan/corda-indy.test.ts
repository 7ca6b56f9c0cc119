// Plans of Bevel's Corda and Indy layouts: the network services organisation's doorman, network
// map and notary, and every steward's node and client port, are released and reached from outside.

import { readFileSync } from 'node:fs'

import { loadNetworkText } from '../../../src/model/load.js'
import { buildPlan } from '../../../src/plan/plan.js'
import { renderPlanTree } from '../../../src/plan/render.js'
import type { Plan } from '../../../src/plan/types.js'

async function planOfFixture(name: string): Promise<Plan> {
  const file = `test/fixtures/valid/${name}`
  const r = await loadNetworkText(file, readFileSync(file, 'utf8'))
  const errors = r.diagnostics.filter(d => d.severity === 'error')
  if (!r.network || errors.length > 0) throw new Error(errors.map(e => `${e.line}:${e.col} ${e.message}`).join('\n'))
  return buildPlan(r.network)
}

const endpointsOf = (plan: Plan, org: string): string[] => plan.endpoints.filter(e => e.org === org).map(e => `${e.node} ${e.name} ${e.protocol} ${e.host}:${e.port} -> ${e.service.name}.${e.service.namespace}:${e.service.port}`)

describe("Corda in Bevel's layout (corda-bevel.yaml)", () => {
  let plan: Plan
  beforeAll(async () => {
    plan = await planOfFixture('corda-bevel.yaml')
  })

  test('the doorman, the network map and the notary are released', () => {
    expect(plan.releases.filter(r => r.org === 'supplychain' && r.kind === 'node').map(r => `${r.namespace}/${r.name} ${r.chart}`)).toEqual([
      'supplychain-ns/doorman baf/corda-node',
      'supplychain-ns/networkmap baf/corda-node',
      'supplychain-ns/notary baf/corda-node'
    ])
  })

  test('doorman and network map by host name over HTTP, the notary p2p on its Ambassador port', () => {
    expect(endpointsOf(plan, 'supplychain')).toEqual([
      'doorman service http doorman.test.corda.blockchaincloudpoc.com:80 -> doorman.supplychain-ns:8080',
      'networkmap service http networkmap.test.corda.blockchaincloudpoc.com:80 -> networkmap.supplychain-ns:8080',
      'notary p2p tcp notary.test.corda.blockchaincloudpoc.com:10010 -> notary.supplychain-ns:10002'
    ])
    // the nodes' RPC, admin, database and web-server ports are not published
    expect(endpointsOf(plan, 'carrier')).toEqual(['carrier p2p tcp carrier.test.corda.blockchaincloudpoc.com:10030 -> carrier.carrier-ns:10002'])
  })

  test('the tree names the host every TCP port is reached as', () => {
    const tree = renderPlanTree(plan)
    expect(tree).toContain(':10010/tcp any (as notary.test.corda.blockchaincloudpoc.com) -> notary.supplychain-ns:10002')
    expect(tree).toContain(':80/http Host doorman.test.corda.blockchaincloudpoc.com -> doorman.supplychain-ns:8080')
  })
})

describe("Indy in Bevel's layout (indy-bevel.yaml)", () => {
  let plan: Plan
  beforeAll(async () => {
    plan = await planOfFixture('indy-bevel.yaml')
  })

  test("every steward's node and client port is reached on its Ambassador port", () => {
    expect(endpointsOf(plan, 'university')).toEqual([
      'university-steward-1 node tcp university-steward-1.indy.blockchaincloudpoc.com:15015 -> university-steward-1.university-ns:9711',
      'university-steward-1 client tcp university-steward-1.indy.blockchaincloudpoc.com:15016 -> university-steward-1.university-ns:9712',
      'university-steward-2 node tcp university-steward-2.indy.blockchaincloudpoc.com:15017 -> university-steward-2.university-ns:9711',
      'university-steward-2 client tcp university-steward-2.indy.blockchaincloudpoc.com:15018 -> university-steward-2.university-ns:9712'
    ])
    expect(plan.endpoints.filter(e => e.name === 'node' || e.name === 'client')).toHaveLength(8)
    expect(endpointsOf(plan, 'authority')).toEqual(['authority-trustee server http authority-trustee.indy.blockchaincloudpoc.com:80 -> authority-trustee.authority-ns:8000'])
  })

  test('trustees, stewards and endorsers are released', () => {
    expect(plan.releases.filter(r => r.org === 'provider' && r.kind === 'node').map(r => r.name)).toEqual(['provider-trustee', 'provider-steward-1', 'provider-steward-2', 'provider-endorser'])
  })

  test('the TCP listeners of the one gateway, each with its host', () => {
    const tcp = plan.clusters[0].gateway.listeners.filter(l => l.protocol === 'tcp').map(l => `${l.port} ${l.target.node}:${l.target.port}`)
    expect(tcp).toEqual([
      '15015 university-steward-1:9711',
      '15016 university-steward-1:9712',
      '15017 university-steward-2:9711',
      '15018 university-steward-2:9712',
      '15025 provider-steward-1:9711',
      '15026 provider-steward-1:9712',
      '15027 provider-steward-2:9711',
      '15028 provider-steward-2:9712'
    ])
    expect(renderPlanTree(plan)).toContain(':15026/tcp any (as provider-steward-1.indy.blockchaincloudpoc.com) -> provider-steward-1.provider-ns:9712')
  })
})
