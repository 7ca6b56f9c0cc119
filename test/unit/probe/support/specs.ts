// ProbeSpecs and layer contexts for the tests, with short timeouts so failures cost little.

import type { LayerContext } from '../../../../src/probe/layers/layer.js'
import { probeOptions } from '../../../../src/probe/options.js'
import type { ProbeOptions } from '../../../../src/probe/options.js'
import type { ProbeSpec } from '../../../../src/probe/types.js'

export const FAST: Partial<ProbeOptions> = { connectTimeoutMs: 400, requestTimeoutMs: 800, retries: 0, backoffMs: 50, blockWaitMs: 1500, deadlineMs: 30_000 }

export function spec(host: string, port: number, over: Omit<Partial<ProbeSpec>, 'target'> & { target?: Partial<ProbeSpec['target']> } = {}): ProbeSpec {
  const { target, ...rest } = over
  return {
    id: `test->${host}:${port}${target?.sni ? `#${target.sni}` : ''}`,
    from: 'test',
    protocol: 'tcp',
    layers: ['tcp'],
    expect: 'allow',
    required: true,
    reason: 'unit test',
    ...rest,
    target: { host, port, ...target }
  }
}

export function ctx(s: ProbeSpec, opts: Partial<ProbeOptions> = {}, address = s.target.expectAddress ?? s.target.host, signal = new AbortController().signal): LayerContext {
  return { spec: s, opts: probeOptions({ ...FAST, ...opts }), signal, address, handOn: false }
}
