import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq } from 'yaml'
import type { Document, Node as YamlNode, Pair } from 'yaml'

import type { Diagnostic, PathSegment } from './diagnostics.js'
import { toPointer } from './diagnostics.js'
import { SourceMap } from './source-map.js'

/**
 * Bevel writes list items as `- organization:` followed by sibling keys at the same indentation,
 * which YAML reads as a map with a null `organization` key next to the real ones. Those marker
 * keys are dropped; a marker key holding a nested map (`- organization: {name: ...}`) is unwrapped.
 */
const LIST_ITEM_MARKERS = new Set(['organization', 'validator', 'peer', 'orderer', 'channel', 'notary', 'node', 'user'])

/** An alias bomb must end in a located error, not an out-of-memory crash. */
const MAX_NODES = 200_000

export interface ParsedFile {
  file: string
  data: unknown
  map: SourceMap
  diagnostics: Diagnostic[]
}

export function parseYaml(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter()
  const diagnostics: Diagnostic[] = []
  const map = new SourceMap()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true })

  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 }
    diagnostics.push({
      file,
      line: pos.line,
      col: pos.col,
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
      message: `YAML: ${yamlMessage(e.message)}`,
      path: ''
    })
  }
  if (doc.errors.length > 0) return { file, data: undefined, map, diagnostics }

  const walker = new Walker(file, doc, lineCounter, map, diagnostics)
  const data = doc.contents ? walker.toValue(doc.contents, []) : null
  return { file, data, map, diagnostics }
}

function yamlMessage(message: string): string {
  // yaml appends " at line L, column C:" plus a code excerpt; the location is ours to print.
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim()
}

class Walker {
  private nodes = 0

  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly map: SourceMap,
    private readonly diagnostics: Diagnostic[]
  ) {}

  toValue(node: YamlNode | null, path: PathSegment[], keyOffset?: number, depth = 0, listItem = false): unknown {
    if (++this.nodes > MAX_NODES || depth > 200) {
      if (this.nodes === MAX_NODES + 1 || depth === 201) this.error(node, path, 'document is too large or too deeply nested (aliases expanding without bound?)')
      return null
    }
    const valuePos = this.pos(node?.range?.[0] ?? keyOffset ?? 0)
    this.map.set(path, { key: keyOffset === undefined ? undefined : this.pos(keyOffset), value: valuePos })
    if (node === null) return null
    if (isAlias(node)) {
      const target = node.resolve(this.doc)
      return target ? this.toValue(target as YamlNode, path, keyOffset, depth + 1, listItem) : null
    }
    if (isScalar(node)) return node.value
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const childPath = [...path, i]
        const unwrapped = this.unwrapMarker(item as YamlNode | null)
        return this.toValue(unwrapped, childPath, undefined, depth + 1, true)
      })
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {}
      for (const pair of node.items as Pair<YamlNode | null, YamlNode | null>[]) {
        if (pair.key !== null && !isScalar(pair.key)) {
          this.error(pair.key, path, 'a mapping key must be a plain string')
          continue
        }
        const key = String(pair.key?.value ?? '')
        if (listItem && isMarker(node, pair, key)) continue
        if (key === '__proto__') {
          this.error(pair.key, path, 'the key "__proto__" is not allowed')
          continue
        }
        out[key] = this.toValue(pair.value, [...path, key], pair.key?.range?.[0], depth + 1)
      }
      return out
    }
    return null
  }

  /** `- organization:\n    name: x` (marker holding a nested map and nothing else) becomes the nested map. */
  private unwrapMarker(item: YamlNode | null): YamlNode | null {
    if (item && isMap(item) && item.items.length === 1) {
      const pair = item.items[0] as Pair<YamlNode | null, YamlNode | null>
      if (isScalar(pair.key) && LIST_ITEM_MARKERS.has(String(pair.key.value)) && pair.value && isMap(pair.value)) {
        return pair.value
      }
    }
    return item
  }

  private error(node: YamlNode | null, path: PathSegment[], message: string): void {
    const p = this.pos(node?.range?.[0] ?? 0)
    this.diagnostics.push({ file: this.file, line: p.line, col: p.col, severity: 'error', message, path: toPointer(path) })
  }

  private pos(offset: number): { line: number; col: number } {
    return this.lines.linePos(offset)
  }
}

/** A null marker key that sits beside other keys in a list item (Bevel's `- organization:` style). */
function isMarker(map: { items: unknown[] }, pair: Pair<YamlNode | null, YamlNode | null>, key: string): boolean {
  if (!LIST_ITEM_MARKERS.has(key) || map.items.length < 2) return false
  const v = pair.value
  return v === null || (isScalar(v) && (v.value === null || v.value === ''))
}
