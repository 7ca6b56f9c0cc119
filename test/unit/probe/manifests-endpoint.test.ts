// The in-cluster Job as generated, the single-endpoint URL forms, and the action's defaults
// agreeing with the engine's.

import { readFileSync } from 'node:fs'

import { parse } from 'yaml'

import { endpointReport, endpointSpec } from '../../../src/probe/endpoint.js'
import { CONFIG_KEY, PROBE_IMAGE, probeJobObjects, probeNamespace, SCRIPT_KEY } from '../../../src/probe/in-cluster/manifests.js'
import { DEFAULT_PROBE_OPTIONS, parseResolver, probeOptions } from '../../../src/probe/options.js'

describe('probe Job manifests', () => {
  const objects = probeJobObjects({ name: 'baf-probe-abc123', namespace: 'baf-probe-abc123', runId: 'abc123', source: 'org1', image: PROBE_IMAGE, script: 'console.log(1)', config: '{"specs":[]}', activeDeadlineSeconds: 420 })
  const [sa, cm, job] = objects as unknown as [Record<string, any>, Record<string, any>, Record<string, any>]

  test('a ServiceAccount with no token and no permissions: no Role or RoleBinding is made', () => {
    expect(objects.map(o => o.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Job'])
    expect(sa).toMatchObject({ apiVersion: 'v1', automountServiceAccountToken: false, metadata: { name: 'baf-probe-abc123', namespace: 'baf-probe-abc123' } })
  })

  test('the ConfigMap carries the script and the probe list the container runs', () => {
    expect(Object.keys(cm.data).sort()).toEqual([CONFIG_KEY, SCRIPT_KEY].sort())
    expect(job.spec.template.spec.containers[0].command).toEqual(['node', `/baf-probe/${SCRIPT_KEY}`, `/baf-probe/${CONFIG_KEY}`])
    expect(job.spec.template.spec.volumes).toEqual([{ name: 'probe', configMap: { name: 'baf-probe-abc123' } }])
  })

  test('one attempt, a deadline, a pinned image, restricted security, results in the termination message', () => {
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 420, ttlSecondsAfterFinished: 3600 })
    const pod = job.spec.template.spec
    expect(pod).toMatchObject({ restartPolicy: 'Never', serviceAccountName: 'baf-probe-abc123', automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } })
    const c = pod.containers[0]
    expect(c.image).toMatch(/^node:22\.\d+\.\d+-alpine3\.\d+$/)
    expect(c).toMatchObject({ terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError', securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } })
    expect(job.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'baf-action', 'baf-action/probe-run': 'abc123', 'baf-action/source': 'org1' })
  })

  test('its own namespace enforces the restricted Pod Security profile', () => {
    expect(probeNamespace('baf-probe-abc123', { runId: 'abc123', source: 'org1' }).metadata?.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' })
  })
})

describe('baf probe --endpoint URL', () => {
  test.each([
    ['tcp://validator-1.operator.baf.test:15010', 'tcp', ['dns', 'tcp'], 15010],
    ['tls://peer0.org1.baf.test', 'tls', ['dns', 'tcp', 'tls'], 443],
    ['https://ops.org1.baf.test:9443/', 'http', ['dns', 'tcp', 'tls', 'protocol'], 9443],
    ['jsonrpc+http://validator-1rpc.operator.baf.test', 'json-rpc', ['dns', 'tcp', 'protocol'], 80],
    ['grpc+tls://peer0.org1.baf.test:443', 'grpc', ['dns', 'tcp', 'tls', 'protocol'], 443]
  ])('%s', (url, protocol, layers, port) => {
    expect(endpointSpec(url)).toMatchObject({ protocol, layers, target: { port }, expect: 'allow', from: 'runner' })
  })

  test('--address skips DNS and connects by IP with the name as SNI; --platform adds the dlt layer', () => {
    const s = endpointSpec('jsonrpc+https://rpc.org1.baf.test', { address: '127.0.0.1', sni: 'other.baf.test', platform: 'besu', minPeers: 2, expect: 'deny' })
    expect(s).toMatchObject({ layers: ['tcp', 'tls', 'protocol', 'dlt'], target: { host: 'rpc.org1.baf.test', expectAddress: '127.0.0.1', sni: 'other.baf.test' }, dlt: { platform: 'besu', minPeers: 2 }, expect: 'deny' })
  })

  test.each([
    ['not a url', /is not a URL/],
    ['ftp://x.test:21', /scheme "ftp:" is not one of/],
    ['grpc://x.test', /needs a host and a port/]
  ])('%s is refused', (url, message) => {
    expect(() => endpointSpec(url)).toThrow(message)
  })

  test('the --json shape has pass/fail/skip statuses only', () => {
    const s = endpointSpec('tcp://x.test:1')
    const report = endpointReport('tcp://x.test:1', { id: s.id, spec: s, outcome: 'fail', attempts: 4, ms: 9, startedAt: '', failedLayer: 'tcp', layers: [{ layer: 'dns', status: 'pass', ms: 1, detail: 'x.test -> 127.0.0.1' }, { layer: 'tcp', status: 'inconclusive', ms: 8, detail: 'reset', hint: 'h' }] })
    expect(report).toEqual({ endpoint: 'tcp://x.test:1', expect: 'allow', verdict: 'fail', layers: [{ layer: 'dns', status: 'pass', ms: 1, detail: 'x.test -> 127.0.0.1' }, { layer: 'tcp', status: 'fail', ms: 8, detail: 'reset', hint: 'h' }] })
  })
})

describe('options', () => {
  test('the action defaults are the engine defaults', () => {
    const action = parse(readFileSync('actions/probe/action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> }
    expect(Number(action.inputs['timeout-seconds'].default) * 1000).toBe(DEFAULT_PROBE_OPTIONS.deadlineMs)
    expect(Number(action.inputs.concurrency.default)).toBe(DEFAULT_PROBE_OPTIONS.concurrency)
    expect(Number(action.inputs.samples.default)).toBe(DEFAULT_PROBE_OPTIONS.samples)
    expect(action.inputs.runner.default).toBe('runner')
  })

  test('bad values are refused by name', () => {
    expect(() => probeOptions({ concurrency: 0 })).toThrow('probe option concurrency must be a positive number (got 0)')
    expect(() => probeOptions({ retries: 11 })).toThrow(/retries must be an integer from 0 to 10/)
    expect(probeOptions({ samples: undefined }).samples).toBe(1)
  })

  test.each(['127.0.0.53', '127.0.0.53:5353', '[::1]:53'])('resolver %s is accepted', r => expect(parseResolver(r)).toBe(r))
  test.each(['dns.example:53', '127.0.0.1:99999', ''])('resolver %s is refused', r => expect(() => parseResolver(r)).toThrow(/must be IP or IP:PORT/))
})
