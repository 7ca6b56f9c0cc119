// Normalisation details the samples do not reach: cluster naming from odd contexts, the forms of
// ambassadorPorts, and version numbers that YAML would otherwise read as floats.

import { describe, expect, test } from '@jest/globals'

import { clusterNameFromContext } from '../../../src/model/names.js'
import { ambassadorPortAllowed, parseAmbassadorPorts } from '../../../src/model/normalise.js'
import { load, yaml } from './helpers.js'

const network = (contexts: string[], baf = ''): string =>
  yaml`
    network:
      type: besu
      version: 22.10.2
      env: {proxy: haproxy}
      config: {consensus: clique}
      organizations:
  ` +
  contexts
    .map(
      (context, i) =>
        `    - name: org${i}\n      external_url_suffix: org${i}.example.com\n      k8s: {context: ${JSON.stringify(context)}}\n      services:\n        validators:\n          - {name: v${i}, p2p: {port: 30303}}\n`
    )
    .join('') +
  baf

describe('clusters', () => {
  test('one per k8s context, named after the context', async () => {
    const { network: net, diagnostics } = await load(network(['kind-a', 'arn:aws:eks:eu-west-1:1:cluster/prod', 'kind-a']))
    expect(diagnostics).toEqual([])
    expect(net!.clusters.map(c => [c.name, c.organizations])).toEqual([
      ['kind-a', ['org0', 'org2']],
      ['prod', ['org1']]
    ])
  })

  test('two contexts that sanitise to the same name are kept apart', async () => {
    const { network: net } = await load(network(['a_b', 'a-b']))
    expect(net!.clusters.map(c => [c.name, c.context])).toEqual([
      ['a-b', 'a_b'],
      ['a-b-2', 'a-b']
    ])
  })

  test('a context named like an Object.prototype member takes no options from it', async () => {
    const { network: net, diagnostics } = await load(network(['constructor', 'toString'], 'baf:\n  clusters:\n    constructor: {nodes: 3}\n'))
    expect(diagnostics).toEqual([])
    expect(net!.clusters.map(c => [c.name, c.workerNodes])).toEqual([
      ['constructor', 3],
      ['tostring', 1]
    ])
  })

  test('context names become DNS labels', () => {
    expect(clusterNameFromContext('gke_proj_europe-west1-b_Prod_Cluster')).toBe('gke-proj-europe-west1-b-prod-cluster')
    expect(clusterNameFromContext('user@kind-dev')).toBe('kind-dev')
    expect(clusterNameFromContext('___')).toBe('cluster')
    expect(clusterNameFromContext('x'.repeat(80)).length).toBeLessThanOrEqual(40)
  })
})

describe('ambassadorPorts', () => {
  test.each([
    ['a number', 15010, { ports: [15010], ranges: [] }],
    ['a comma string', '15010,15020', { ports: [15010, 15020], ranges: [] }],
    ['a list', { ports: [15010, 15011] }, { ports: [15010, 15011], ranges: [] }],
    ['a string list', { ports: '15010, 15011' }, { ports: [15010, 15011], ranges: [] }],
    ['a range', { portRange: { from: 15010, to: 15020 } }, { ports: [], ranges: [[15010, 15020]] }],
    ['both', { ports: [16000], portRange: { from: 15010, to: 15020 } }, { ports: [16000], ranges: [[15010, 15020]] }]
  ])('%s', (_name, ambassadorPorts, expected) => {
    const parsed = parseAmbassadorPorts({ ambassadorPorts } as never)
    expect(parsed).toEqual(expected)
    expect(ambassadorPortAllowed(parsed!, 15010) || ambassadorPortAllowed(parsed!, 16000)).toBe(true)
    expect(ambassadorPortAllowed(parsed!, 15099)).toBe(false)
  })

  test('absent', () => {
    expect(parseAmbassadorPorts({})).toBeUndefined()
  })
})

describe('versions', () => {
  test.each([
    ['23.10', '23.10'],
    ['22.10.2', '22.10.2'],
    ['"2.5"', '2.5'],
    ['24', '24']
  ])('version: %s is the text %s', async (written, expected) => {
    const { network: net } = await load(network(['c1']).replace('version: 22.10.2', `version: ${written}`))
    expect(net!.version).toBe(expected)
  })
})
