// The pure parts of previews: durations, labels, port blocks, and the preview's plan.

import { readFileSync } from 'node:fs'

import { loadNetworkText } from '../../../src/model/load.js'
import { buildPlan } from '../../../src/plan/plan.js'
import { checkPr, parseDuration, previewLabels, previewPlan, repoLabel, tcpPortsByCluster } from '../../../src/preview/preview.js'
import { allocateOffset, MAX_PREVIEW_SLOTS } from '../../../src/preview/registry.js'

test('durations: minutes, hours, days, seconds; a bare number is hours; nonsense is refused', () => {
  expect(parseDuration('90m')).toBe(5400)
  expect(parseDuration('6h')).toBe(21_600)
  expect(parseDuration('7d')).toBe(604_800)
  expect(parseDuration('3600s')).toBe(3600)
  expect(parseDuration('72')).toBe(259_200)
  for (const bad of ['', 'soon', '5s', '400d', '-1h', '1.5h']) expect(() => parseDuration(bad)).toThrow(/ttl must be a duration between 1m and 366d/)
})

test('PR numbers and repositories are checked; labels carry them without a slash', () => {
  expect(checkPr(' 42 ')).toBe(42)
  for (const bad of ['0', '-3', '4.2', 'seven', '']) expect(() => checkPr(bad)).toThrow(/pr must be a pull request number/)
  expect(repoLabel('octo-org/ledger.js')).toBe('octo-org.ledger.js')
  expect(repoLabel(undefined)).toBe('local')
  expect(() => repoLabel('octo-org')).toThrow('repository must be OWNER/REPO (got "octo-org")')
  expect(previewLabels({ pr: 7, repo: 'octo-org/ledger', sha: 'abcdef0123456789', ttlSeconds: 3600 }, 1_700_000_000_000)).toEqual({
    'baf-action/pr': '7',
    'baf-action/repo': 'octo-org.ledger',
    'baf-action/sha': 'abcdef012345',
    'baf-action/expires-at': '1700003600',
    'app.kubernetes.io/managed-by': 'baf-action'
  })
})

describe('port blocks on a shared gateway', () => {
  const base = [15010, 15011, 15012, 15013]

  test('a PR starts at its own slot, blocks are the span rounded up to tens, slot 0 is never used', () => {
    expect(allocateOffset(base, 1, [])).toBe(10)
    expect(allocateOffset(base, 7, [])).toBe(70)
    expect(allocateOffset(base, 100, [])).toBe(1000)
    expect(allocateOffset(base, 101, [])).toBe(10)
    expect(allocateOffset([15010, 15025], 1, [])).toBe(20)
  })

  test('a taken block moves the PR to the next free one; its own block is kept when it still fits', () => {
    expect(allocateOffset(base, 7, [15080, 15081])).toBe(80)
    expect(allocateOffset(base, 7, [15090], 30)).toBe(30)
    expect(allocateOffset(base, 7, [15040], 30)).toBe(70)
    expect(allocateOffset([], 7, [1, 2, 3])).toBe(0)
  })

  test('when every block is taken it says what to do', () => {
    const everything = Array.from({ length: MAX_PREVIEW_SLOTS }, (_, i) => 15010 + (i + 1) * 10)
    expect(() => allocateOffset(base, 7, everything)).toThrow(/no free block of 4 gateway port\(s\) for PR 7: .*run the sweeper/)
    // a block may not run past the last port
    expect(() => allocateOffset([65_520, 65_530], 1, [])).toThrow('no free block of 2 gateway port(s) for PR 1: the network\'s TCP ports 65520-65530 leave no room for another block below 65535; give the gateway lower ports (ambassador:)')
  })
})

test('the preview plan: namespaces, hosts and TCP ports move; the DNS zones stay', async () => {
  const file = 'examples/besu-2-clusters.yaml'
  const { network } = await loadNetworkText(file, readFileSync(file, 'utf8'))
  const base = buildPlan(network!)
  const offsets = Object.fromEntries(base.clusters.map((c, i) => [c.name, (i + 1) * 100]))
  const { plan } = previewPlan(network!, base, 12, offsets)
  expect(plan.clusters.map(c => c.dnsSuffixes)).toEqual(base.clusters.map(c => c.dnsSuffixes))
  for (const [i, c] of plan.clusters.entries()) {
    const before = base.clusters[i]
    expect(c.namespaces.filter(n => n !== c.gateway.namespace)).toEqual(before.namespaces.filter(n => n !== before.gateway.namespace).map(n => `${n}-pr12`))
    expect(tcpPortsByCluster(plan).get(c.name)).toEqual(tcpPortsByCluster(base).get(c.name)!.map(p => p + offsets[c.name]))
  }
  const hosts = plan.endpoints.map(e => e.host)
  expect(hosts.every(h => /\.pr12\./.test(h))).toBe(true)
  expect(plan.endpoints.map(e => e.host.replace('.pr12.', '.'))).toEqual(base.endpoints.map(e => e.host))
})
