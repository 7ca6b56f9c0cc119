// dist/probe-runner.js as the probe pod runs it: copied alone as probe-runner.mjs next to its
// config (no package.json, no node_modules, as in the ConfigMap mount), results written to the
// termination log and the log line, read back by the same parser the in-cluster runner uses.

import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { resultsFrom } from '../../../src/probe/in-cluster/job-runner.js'
import { decodeResults, LOG_MARKER, TERMINATION_LIMIT } from '../../../src/probe/in-cluster/termination.js'
import type { ProvisionedCluster } from '../../../src/providers/provider.js'
import { closedPort, tcpListener } from '../../unit/probe/support/servers.js'
import type { Running } from '../../unit/probe/support/servers.js'
import { spec } from '../../unit/probe/support/specs.js'

const IP = '127.0.79.1'
const run = promisify(execFile)
const cluster: ProvisionedCluster = { name: 'kind-a', provider: 'kind', kubeconfig: '/dev/null', context: 'kind-a', limitations: [] }
let listener: Running

beforeAll(async () => {
  listener = await tcpListener(IP)
})
afterAll(() => listener.close())

function mount(config: unknown): { dir: string; termination: string } {
  const dir = mkdtempSync(join(tmpdir(), 'baf-probe-mount-'))
  copyFileSync('dist/probe-runner.js', join(dir, 'probe-runner.mjs'))
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config))
  return { dir, termination: join(dir, 'termination-log') }
}

test('the single-file runner probes, and leaves results the reader turns back into ProbeResults', async () => {
  const specs = [spec(IP, listener.port, { from: 'kind-a' }), spec(IP, await closedPort(IP), { from: 'kind-a' }), spec('baf-gateway.x.test', await closedPort(IP), { from: 'kind-a', expect: 'deny', target: { expectAddress: IP } })]
  const { dir, termination } = mount({ specs, options: { connectTimeoutMs: 500, retries: 0 } })
  const { stdout, stderr } = await run(process.execPath, [join(dir, 'probe-runner.mjs'), join(dir, 'config.json')], { cwd: dir, env: { PATH: process.env.PATH, BAF_TERMINATION_LOG: termination }, timeout: 30_000 })
  expect(stderr).toContain(`kind-a -> ${IP}:${specs[1].target.port} [tcp] connection to ${IP}:${specs[1].target.port} refused`)
  expect(stderr).toContain('3 probe(s): 2 passed, 1 failed, 0 inconclusive, 0 skipped; 1 required failed; verdict fail')
  expect(stdout.startsWith(LOG_MARKER)).toBe(true)
  const message = readFileSync(termination, 'utf8')
  expect(message.length).toBeLessThanOrEqual(TERMINATION_LIMIT)
  const results = resultsFrom(specs, decodeResults(message), cluster, { exitCode: 0 })
  expect(results.map(r => [r.id, r.outcome])).toEqual([
    [specs[0].id, 'pass'],
    [specs[1].id, 'fail'],
    [specs[2].id, 'pass']
  ])
  expect(results[2].message).toBe('denied as expected (refused)')
  // the log line alone carries the same results
  expect(resultsFrom(specs, decodeResults(undefined, stdout), cluster, { exitCode: 0 }).map(r => r.outcome)).toEqual(['pass', 'fail', 'pass'])
})

test('a broken config exits 1 and says why in the termination message', async () => {
  const { dir, termination } = mount({})
  writeFileSync(join(dir, 'config.json'), '{ not json')
  const r = await run(process.execPath, [join(dir, 'probe-runner.mjs'), join(dir, 'config.json')], { cwd: dir, env: { PATH: process.env.PATH, BAF_TERMINATION_LOG: termination } }).then(
    () => 0,
    (e: { code?: number }) => e.code
  )
  expect(r).toBe(1)
  const decoded = decodeResults(readFileSync(termination, 'utf8'))
  expect(decoded.kind).toBe('error')
  expect(resultsFrom([spec(IP, 1)], decoded, cluster, { exitCode: 1 })[0].message).toMatch(/^the probe runner on kind-a failed: .*JSON/)
})
