// JUnit XML for CI test reporters: one testsuite per source cluster, one testcase per probe.
// Failures name the failing layer and carry its hint; inconclusive probes are errors (the path
// was not proven either way); skipped probes say why.

import type { ProbeResult, ProbeRun } from './types.js'

function xml(text: string): string {
  // XML 1.0 forbids most control characters even when escaped
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3)

export function testcaseName(r: ProbeResult): string {
  const t = r.spec.target
  const sni = t.sni && t.sni !== t.host ? ` sni=${t.sni}` : ''
  return `${t.host}:${t.port}${sni}${t.endpoint ? ` ${t.endpoint}` : ''} (${r.spec.expect}${r.spec.required ? '' : ', optional'})`
}

function layerTable(r: ProbeResult): string {
  return r.layers.map(l => `${l.layer}: ${l.status} ${l.ms} ms${l.detail ? ` - ${l.detail}` : ''}${l.hint ? `\n  hint: ${l.hint}` : ''}`).join('\n')
}

function testcase(r: ProbeResult): string {
  const open = `    <testcase classname="${xml(r.spec.from)}" name="${xml(testcaseName(r))}" time="${seconds(r.ms)}"`
  const failed = r.layers.find(l => l.layer === r.failedLayer)
  const body = xml(`${r.spec.reason}\n${layerTable(r)}`)
  switch (r.outcome) {
    case 'pass':
      return `${open}/>`
    case 'skipped':
      return `${open}>\n      <skipped message="${xml(r.message ?? 'skipped')}"/>\n    </testcase>`
    case 'inconclusive':
      return `${open}>\n      <error type="inconclusive" message="${xml(`[${r.failedLayer ?? 'probe'}] ${r.message ?? failed?.detail ?? 'inconclusive'}`)}">${body}</error>\n    </testcase>`
    default: {
      const message = `[${r.failedLayer ?? 'probe'}] ${failed?.detail ?? r.message ?? 'failed'}${failed?.hint ? ` (${failed.hint})` : ''}`
      return `${open}>\n      <failure type="${xml(r.failedLayer ?? 'probe')}" message="${xml(message)}">${body}</failure>\n    </testcase>`
    }
  }
}

export function toJUnit(run: ProbeRun): string {
  const bySource = new Map<string, ProbeResult[]>()
  for (const r of run.results) bySource.set(r.spec.from, [...(bySource.get(r.spec.from) ?? []), r])
  const count = (rs: ProbeResult[]): { tests: number; failures: number; errors: number; skipped: number; time: number } => ({
    tests: rs.length,
    failures: rs.filter(r => r.outcome === 'fail').length,
    errors: rs.filter(r => r.outcome === 'inconclusive').length,
    skipped: rs.filter(r => r.outcome === 'skipped').length,
    time: rs.reduce((max, r) => Math.max(max, r.ms), 0)
  })
  const attrs = (c: ReturnType<typeof count>): string => `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(c.time)}"`
  const wall = Date.parse(run.finishedAt) - Date.parse(run.startedAt)
  const suites = [...bySource].map(([from, rs]) => [`  <testsuite name="${xml(`from ${from}`)}" ${attrs(count(rs))} timestamp="${xml(run.startedAt)}">`, ...rs.map(testcase), '  </testsuite>'].join('\n'))
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="baf-action probes" ${attrs({ ...count(run.results), time: Number.isFinite(wall) ? wall : 0 })}>`, ...suites, '</testsuites>', ''].join('\n')
}
