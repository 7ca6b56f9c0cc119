// Property test: random mutations of the valid samples (a key deleted, a scalar's type changed, a
// list item duplicated, a value replaced by junk or by deep nesting, random text inserted, the file
// truncated, lines dropped or re-indented) never make the loader throw or hang, and every
// diagnostic it returns is well formed and points inside the file. Fixed seed, bounded runs.

import { readdirSync } from 'node:fs'

import { describe, expect, test } from '@jest/globals'
import fc from 'fast-check'
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import type { Document, Node as YamlNode, Pair } from 'yaml'

import { hasErrors } from '../../../src/model/diagnostics.js'
import { FIXTURES, fixture, load } from './helpers.js'

const SAMPLES = readdirSync(`${FIXTURES}/valid`)
  .filter(f => f.endsWith('.yaml'))
  .sort()
  .map(f => ({ name: f, text: fixture(`valid/${f}`) }))

/** placeholder credentials of the samples: no message may quote them, whatever the mutation */
const SECRETS = ['vault_root_token', 'git_access_token', 'docker_password', 'aws_secret_key']

type Path = (string | number)[]

/** a fraction of the way through something: the file, its lines, its values */
const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })

const junkText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...':-{}[]&*!|>\'"#%@`,?\t\n '.split('')), maxLength: 8 }),
  fc.constantFrom('\n  - organization:\n', ': ', '\t', '&a ', '*a', '---\n', '"', '{', '- ', '\n    ', '<<: *x\n', '\ufeff', '\r\n')
)

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 4 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxKeys: 3 }),
  fc.constantFrom('Bad_Name', '', 'x'.repeat(80), '__proto__', 'constructor', '0', '-1', '70000', 'https://', 'none', 'istio')
)

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete-key' as const), at }),
  fc.record({ kind: fc.constant('retype' as const), at }),
  fc.record({ kind: fc.constant('duplicate-item' as const), at }),
  fc.record({ kind: fc.constant('replace' as const), at, value: junkValue }),
  fc.record({ kind: fc.constant('nest' as const), at, depth: fc.integer({ min: 2, max: 600 }), map: fc.boolean() }),
  fc.record({ kind: fc.constant('insert-text' as const), at, text: junkText }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('line' as const), at, op: fc.constantFrom('drop', 'duplicate', 'indent', 'dedent') })
)
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never

/** every key and item of the document, as paths for getIn / setIn / deleteIn */
function paths(node: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (isMap(node)) {
    for (const pair of node.items as Pair<YamlNode | null, YamlNode | null>[]) {
      if (!isScalar(pair.key) || (typeof pair.key.value !== 'string' && typeof pair.key.value !== 'number')) continue
      const p = [...path, pair.key.value]
      out.push(p)
      paths(pair.value, p, out)
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      out.push([...path, i])
      paths(item, [...path, i], out)
    })
  }
  return out
}

function nested(depth: number, map: boolean): unknown {
  let value: unknown = 'leaf'
  for (let i = 0; i < depth; i++) value = map ? { k: value } : [value]
  return value
}

function retyped(value: unknown): unknown {
  if (typeof value === 'string') return /^\d+$/.test(value) ? Number(value) : value.length
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return value ? 'yes' : 0
  if (value === null) return {}
  if (Array.isArray(value)) return value.length
  return [value]
}

function pick<T>(list: readonly T[], fraction: number): T | undefined {
  return list.length === 0 ? undefined : list[Math.floor(fraction * list.length)]
}

function onDocument(text: string, change: (doc: Document, target: Path) => void, fraction: number): string {
  let doc: Document
  try {
    doc = parseDocument(text)
  } catch {
    return text // too deeply nested for yaml itself: leave it to the text mutations
  }
  const target = pick(paths(doc.contents), fraction)
  if (!target) return text
  try {
    change(doc, target)
    return doc.toString()
  } catch {
    return text // a change yaml cannot write out: no mutation this time
  }
}

function apply(text: string, m: Mutation): string {
  const offset = Math.floor(m.at * (text.length + 1))
  switch (m.kind) {
    case 'delete-key':
      return onDocument(text, (doc, p) => doc.deleteIn(p), m.at)
    case 'retype':
      return onDocument(text, (doc, p) => doc.setIn(p, retyped(doc.getIn(p))), m.at)
    case 'duplicate-item':
      return onDocument(
        text,
        (doc, p) => {
          // the nearest enclosing list gets a copy of the item the path runs through
          const i = p.map(s => typeof s === 'number').lastIndexOf(true)
          if (i < 0) return
          const list = doc.getIn(p.slice(0, i), true)
          if (isSeq(list)) list.items.splice(p[i] as number, 0, doc.createNode(doc.getIn(p.slice(0, i + 1))))
        },
        m.at
      )
    case 'replace':
      return onDocument(text, (doc, p) => doc.setIn(p, m.value), m.at)
    case 'nest':
      return onDocument(text, (doc, p) => doc.setIn(p, nested(m.depth, m.map)), m.at)
    case 'insert-text':
      return text.slice(0, offset) + m.text + text.slice(offset)
    case 'truncate':
      return text.slice(0, offset)
    case 'line': {
      const lines = text.split('\n')
      const i = Math.min(lines.length - 1, Math.floor(m.at * lines.length))
      if (m.op === 'drop') lines.splice(i, 1)
      else if (m.op === 'duplicate') lines.splice(i, 0, lines[i])
      else if (m.op === 'indent') lines[i] = '  ' + lines[i]
      else lines[i] = lines[i].replace(/^ {1,2}/, '')
      return lines.join('\n')
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

describe('mutated samples (property)', () => {
  test('never throw or hang, and every diagnostic is well formed and inside the file', async () => {
    const kinds = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLES), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (sample, mutations) => {
        const text = mutations.reduce(apply, sample.text)
        for (const m of mutations) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1)

        const started = Date.now()
        const result = await withTimeout(load(text, sample.name), 5000)
        expect(Date.now() - started).toBeLessThan(5000) // a synchronous stall is not interrupted by the timer

        const lines = text.split('\n')
        for (const d of result.diagnostics) {
          expect(d.file).toBe(sample.name)
          expect(['error', 'warning']).toContain(d.severity)
          expect(typeof d.message).toBe('string')
          expect(d.message.trim().length).toBeGreaterThan(0)
          expect(Number.isInteger(d.line) && Number.isInteger(d.col)).toBe(true)
          expect(d.line).toBeGreaterThanOrEqual(1)
          expect(d.col).toBeGreaterThanOrEqual(1)
          expect(d.line).toBeLessThanOrEqual(lines.length + 1)
          expect(d.col).toBeLessThanOrEqual((lines[d.line - 1] ?? '').length + 1)
          for (const secret of SECRETS) expect(d.message).not.toContain(secret)
        }
        // a network comes back exactly when there is no error
        expect(result.network === undefined).toBe(hasErrors(result.diagnostics))
      }),
      { seed: 20240801, numRuns: 300, endOnFailure: true }
    )
    // the generator reached every kind of mutation
    expect([...kinds.keys()].sort()).toEqual(['delete-key', 'duplicate-item', 'insert-text', 'line', 'nest', 'replace', 'retype', 'truncate'])
  })
})
