// Corda and Indy organisations as Bevel writes them: Corda's single `notary`, `doorman` and `nms`
// maps and Indy's stewards' `node` / `client` ports are nodes and ports like any other, so names,
// ports, gateway ports and collisions are checked for them too.

import { describe, expect, test } from '@jest/globals'

import { load, show, yaml } from './helpers.js'

/** the services are written from column 5; the organisation's keys sit at column 7 */
const indent = (text: string): string => text.replace(/^(?=.)/gm, '    ')

const errors = async (text: string): Promise<string[]> => show((await load(text)).diagnostics.filter(d => d.severity === 'error'))

/** an Indy network (lines 1-12 fixed), one organisation whose services follow from line 13 */
function indy(services: string, ambassadorPorts = '{portRange: {from: 15010, to: 15052}}'): string {
  return yaml`
    network:
      type: indy
      version: 1.12.1
      env:
        proxy: ambassador
        ambassadorPorts: ${ambassadorPorts}
      organizations:
        - organization:
          name: provider
          external_url_suffix: indy.example.test
          k8s: {context: c1}
          services:
  ` + indent(services)
}

const steward = (name: string, node: number, client: number, nodePort = 9711, clientPort = 9712): string =>
  `      - steward:
        name: ${name}
        type: VALIDATOR
        node: {port: ${nodePort}, targetPort: ${nodePort}, ambassador: ${node}}
        client: {port: ${clientPort}, targetPort: ${clientPort}, ambassador: ${client}}
`

describe('Indy stewards', () => {
  test('node and client gateway ports inside ambassadorPorts: no error', async () => {
    expect(await errors(indy(`    stewards:\n${steward('s1', 15011, 15012)}${steward('s2', 15013, 15014)}`))).toEqual([])
  })

  test("node and client ports outside env.ambassadorPorts are refused, as on the other platforms (Bevel's 9711/9712)", async () => {
    // lines: 13 stewards, 14 - steward, 15 name, 16 type, 17 node, 18 client
    expect(await errors(indy(`    stewards:\n${steward('s1', 9711, 9712)}`))).toEqual([
      expect.stringMatching(/^17:\d+ error gateway port 9711 of "s1\.node" is outside env\.ambassadorPorts \(15010-15052\)/),
      expect.stringMatching(/^18:\d+ error gateway port 9712 of "s1\.client" is outside env\.ambassadorPorts \(15010-15052\)/)
    ])
  })

  test('two stewards on one gateway port collide', async () => {
    // lines: 19-23 the second steward; its node port is on line 22
    const out = await errors(indy(`    stewards:\n${steward('s1', 15011, 15012)}${steward('s2', 15011, 15014)}`))
    expect(out).toEqual([expect.stringMatching(/^22:\d+ error gateway port 15011 of "s2\.node" collides with "s1\.node" of "provider" \(line 17\)/)])
  })

  test("a steward's node and client on the same container port", async () => {
    const out = await errors(indy(`    stewards:\n${steward('s1', 15011, 15012, 9711, 9711)}`))
    expect(out).toEqual([expect.stringMatching(/^18:\d+ error port 9711 of node "s1" is already used by its "node" port/)])
  })

  test('a trustee written as one map is a node, checked like the listed ones', async () => {
    const out = await errors(indy(`    trustee:\n      name: Provider_Trustee\n      server: {port: 8000, ambassador: 16000}\n`))
    expect(out).toEqual([
      expect.stringMatching(/^14:\d+ error node name "Provider_Trustee" must be a DNS-1123 label/),
      expect.stringMatching(/^14:\d+ error public name "Provider_Trustee\.indy\.example\.test" of node "Provider_Trustee" has an invalid label/),
      expect.stringMatching(/^15:\d+ error gateway port 16000 of "Provider_Trustee\.server" is outside env\.ambassadorPorts/)
    ])
  })

  test('a port that is not a number is a schema error at its place', async () => {
    const out = await errors(indy(`    stewards:\n      - steward:\n        name: s1\n        node: {port: nine}\n`))
    expect(out).toEqual([expect.stringMatching(/^16:\d+ error /)])
  })
})

/** a Corda network (lines 1-12 fixed), the network services organisation from line 13 */
function corda(services: string): string {
  return yaml`
    network:
      type: corda
      version: 4.9
      env:
        proxy: ambassador
        ambassadorPorts: 10010,10020
      organizations:
        - organization:
          name: supplychain
          external_url_suffix: corda.example.test
          k8s: {context: c1}
          services:
  ` + indent(services)
}

describe('Corda network services', () => {
  const doorman = '    doorman:\n      name: doorman\n      ports: {servicePort: 8080, targetPort: 8080}\n'
  const nms = '    nms:\n      name: networkmap\n      ports: {servicePort: 8080, targetPort: 8080}\n'
  const notary = (name: string, ambassador: number): string =>
    `    notary:\n      name: ${name}\n      p2p: {port: 10002, targetPort: 10002, ambassador: ${ambassador}}\n      rpc: {port: 10003, targetPort: 10003}\n`

  test('doorman, nms and notary as Bevel writes them: no error', async () => {
    const r = await load(corda(doorman + nms + notary('notary', 10010)))
    expect(show(r.diagnostics)).toEqual([])
    expect(r.network!.organizations[0].nodes.map(n => n.name)).toEqual(['doorman', 'networkmap', 'notary'])
  })

  test("the notary's p2p gateway port must be opened in ambassadorPorts", async () => {
    // lines: 13-15 doorman, 16-18 nms, 19 notary, 20 name, 21 p2p
    expect(await errors(corda(doorman + nms + notary('notary', 10030)))).toEqual([
      expect.stringMatching(/^21:\d+ error gateway port 10030 of "notary\.p2p" is outside env\.ambassadorPorts \(10010, 10020\)/)
    ])
  })

  test('the notary and a network service of one organisation cannot share a name', async () => {
    expect(await errors(corda(doorman + notary('doorman', 10010)))).toEqual([expect.stringMatching(/^17:\d+ error duplicate node "doorman" in organisation "supplychain" \(first defined on line 14\)/)])
  })

  test('a doorman port without servicePort is a schema error', async () => {
    const out = await errors(corda('    doorman:\n      name: doorman\n      ports: {targetPort: 8080}\n'))
    expect(out).toHaveLength(1)
    expect(out[0]).toMatch(/^15:\d+ error .*servicePort/)
  })

  test("CENM's idman with a flat port and networkmap with ports are nodes of corda-enterprise", async () => {
    const text = yaml`
      network:
        type: corda-enterprise
        version: "4.10"
        env: {proxy: ambassador, ambassadorPorts: "15010"}
        organizations:
          - organization:
            name: supplychain
            external_url_suffix: cenm.example.test
            k8s: {context: c1}
            services:
              idman: {name: idman, type: cenm-idman, port: 10000}
              networkmap: {name: networkmap, type: cenm-networkmap, ports: {servicePort: 10000, targetPort: 10000}}
              signer: {name: signer, type: cenm-signer, ports: {servicePort: 8080, targetPort: 8080}}
              notary: {name: notary, type: notary, p2p: {port: 10002, targetPort: 10002, ambassador: 15010}}
    `
    const r = await load(text)
    expect(show(r.diagnostics)).toEqual([])
    expect(r.network!.organizations[0].nodes.map(n => [n.name, n.kind, n.ports.map(p => `${p.name}:${p.port}`).join(',')])).toEqual([
      ['idman', 'ca', 'service:10000'],
      ['networkmap', 'orderer', 'service:10000'],
      ['notary', 'notary', 'p2p:10002']
    ])
  })
})
