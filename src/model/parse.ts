import { parseDocument, isAlias, isCollection, isMap, isScalar, isSeq, visit } from 'yaml'
import type { Alias, Document, Node as YamlNode, Pair, YAMLError } from 'yaml'

import type { Diagnostic, PathSegment } from './diagnostics.js'
import { toPointer } from './diagnostics.js'
import { isSecretKey, isSecretPath, isSecretSpan } from './secrets.js'
import { SourceMap } from './source-map.js'

/**
 * Bevel writes list items as `- organization:` followed by sibling keys at the same indentation,
 * which YAML reads as a map with a null `organization` key next to the real ones. Those marker
 * keys are dropped; a marker key holding a nested map (`- organization: {name: ...}`) is unwrapped.
 */
const LIST_ITEM_MARKERS = new Set(['organization', 'validator', 'peer', 'orderer', 'channel', 'notary', 'node', 'user', 'steward', 'trustee', 'endorser']) // the last three: Indy's

/** keys whose numeric-looking values are version strings, kept as written */
const VERSION_KEYS = new Set(['version', 'tm_version', 'kubernetes_version'])

/** An alias bomb must end in a located error, not an out-of-memory crash. */
const MAX_NODES = 200_000
/** values reached through aliases; Bevel files use a few small anchors, if any */
const MAX_ALIAS_VALUES = 10_000
/** Bevel's deepest value sits about 8 levels down; anything far deeper is a mistake or an attack. */
const MAX_DEPTH = 200
const TOO_DEEP = `values are nested more than ${MAX_DEPTH} levels deep; a network.yaml needs fewer than 20`
/** after this many distinct YAML errors the rest are consequences of the first */
const MAX_YAML_ERRORS = 10

export interface ParsedFile {
  file: string
  data: unknown
  map: SourceMap
  diagnostics: Diagnostic[]
}

export function parseYaml(file: string, text: string): ParsedFile {
  // yaml's LineCounter misses line breaks inside some multi-line tokens; positions are computed here
  const lines = new Lines(text)
  const diagnostics: Diagnostic[] = []
  const map = new SourceMap()
  // yaml slows down quadratically on thousands of ever deeper block lines; no network.yaml has one
  const deep = /^ {401,}\S/m.exec(text)
  if (deep) {
    const pos = lines.linePos(deep.index)
    const message = `this line is indented by ${deep[0].length - 1} spaces; a network.yaml nests far less (at most ${2 * MAX_DEPTH})`
    diagnostics.push({ file, line: pos.line, col: pos.col, severity: 'error', message, path: '' })
    return { file, data: undefined, map, diagnostics }
  }
  let doc: Document
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true })
  } catch (e) {
    // yaml recurses per nesting level; thousands of levels exhaust the stack
    const message = e instanceof RangeError ? TOO_DEEP : `YAML: the file cannot be parsed (${(e as Error).message})`
    diagnostics.push({ file, line: 1, col: 1, severity: 'error', message, path: '' })
    return { file, data: undefined, map, diagnostics }
  }

  // one YAML mistake often yields a cascade of errors; each distinct one is reported once
  const multiline = new Set(doc.errors.filter(e => e.code === 'MULTILINE_IMPLICIT_KEY').map(e => e.pos[0]))
  const reported = new Set<string>()
  const printed = new Set<string>()
  for (const e of [...doc.errors, ...doc.warnings]) {
    if (e.code === 'BLOCK_AS_IMPLICIT_KEY' && multiline.has(e.pos[0])) continue
    if (reported.has(e.message) || printed.size >= MAX_YAML_ERRORS) continue
    reported.add(e.message)
    let explained: { offset: number; message: string }
    try {
      explained = explainYamlError(e, text, doc)
    } catch {
      explained = { offset: e.pos[0], message: TOO_DEEP } // walking a document nested thousands deep
    }
    const { offset, message } = explained
    const pos = lines.linePos(Math.max(0, Math.min(offset, text.length)))
    if (printed.has(`${pos.line}:${pos.col}:${message}`)) continue
    printed.add(`${pos.line}:${pos.col}:${message}`)
    diagnostics.push({
      file,
      line: pos.line,
      col: pos.col,
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
      message: `YAML: ${message}`,
      path: ''
    })
  }
  if (doc.errors.length > 0) return { file, data: undefined, map, diagnostics }

  const walker = new Walker(file, doc, lines, map, diagnostics)
  const data = doc.contents ? walker.toValue(doc.contents, []) : null
  return { file, data, map, diagnostics }
}

function yamlMessage(message: string): string {
  // yaml appends " at line L, column C:" plus a code excerpt; the location is ours to print.
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim()
  // and quotes whole tokens, which can span many lines: the start of the first line says enough
  return first.replace(/: "(.*)"$/, (_all, quoted: string) => {
    const line = quoted.split('\\n')[0].slice(0, 40)
    return `: "${line}${line.length < quoted.length ? '...' : ''}"`
  })
}

/**
 * Where a YAML syntax error really is, in words a network.yaml author can act on. yaml reports
 * an unclosed quote or bracket where the file ends, and bad indentation at the line above it.
 */
function explainYamlError(e: YAMLError, text: string, doc: Document): { offset: number; message: string } {
  const at = e.pos[0]
  // yaml quotes the offending source in some messages; on a line that sets a secret it must not
  const secret = isSecretSpan(text, at, Math.max(at, e.pos[1]))
  switch (e.code) {
    case 'MULTILINE_IMPLICIT_KEY': {
      // "type: besu\n   version: 1": the over-indented line is read as the rest of "besu"
      const span = text.slice(e.pos[0], e.pos[1])
      const nl = span.lastIndexOf('\n')
      if (nl < 0) break
      // "env\n    proxy: none": the line before is a key without its colon
      const firstLineStart = text.lastIndexOf('\n', Math.max(0, e.pos[0] - 1)) + 1
      if (text.slice(firstLineStart, e.pos[0]).trim().replace(/^-\s*/, '') === '') {
        const first = /^[^\n#]*/.exec(span)![0].trim()
        const word = secret || isSecretKey(first) ? '' : first
        return {
          offset: e.pos[0],
          message: `${word ? `"${word}"` : 'this line'} has no ":" after its key, so the next line continues it; write "key: value" (or "key:" with the values indented below)`
        }
      }
      const lineStart = e.pos[0] + nl + 1
      const indent = /^[ \t]*/.exec(text.slice(lineStart))![0].length
      const key = secret ? '' : /^[^:#\n]*/.exec(text.slice(lineStart + indent))![0].trim()
      return {
        offset: lineStart + indent,
        message: `bad indentation: ${key ? `"${key}"` : 'this line'} is indented deeper than the keys above it, so it reads as the continuation of the value on the line before; align it with its sibling keys`
      }
    }
    case 'MISSING_CHAR':
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN': {
      // only errors about a quote or a flow collection point back to where it was opened
      const open = /quote|flow|must be sufficiently indented and end with/i.test(e.message) ? unclosedBefore(doc, text, at) : undefined
      if (open) return open
      break
    }
    case 'DUPLICATE_KEY': {
      const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(at))![0].trim()
      return { offset: at, message: `duplicate key ${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`}: a key may appear only once in a mapping; remove or rename one` }
    }
    case 'MULTIPLE_DOCS':
      return {
        offset: at,
        message: 'a second YAML document starts here ("---"); a network.yaml holds exactly one document: remove this separator or split the file'
      }
    case 'TAB_AS_INDENT':
      return { offset: at, message: 'a tab is used for indentation; YAML indents with spaces only' }
  }
  if (/call stack/i.test(e.message)) return { offset: at, message: TOO_DEEP }
  if (secret) {
    const general = yamlMessage(e.message).replace(/(:|escape sequence)\s.*$/, '$1').replace(/:$/, '')
    return { offset: at, message: `${general} (the text is not shown: this line holds a secret)` }
  }
  return { offset: at, message: yamlMessage(e.message) }
}

/** The last quoted scalar or flow collection opened before `offset` and never closed. */
function unclosedBefore(doc: Document, text: string, offset: number): { offset: number; message: string } | undefined {
  let found: { start: number; message: string } | undefined
  visit(doc, {
    Node(_key, node) {
      const range = node.range
      if (!range || range[0] > offset || (found && found.start > range[0])) return
      const source = text.slice(range[0], range[1]).trimEnd()
      if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) {
        const q = node.type === 'QUOTE_DOUBLE' ? '"' : "'"
        if (source.length < 2 || !source.endsWith(q) || (q === '"' && /(^|[^\\])(\\\\)*\\"$/.test(source))) {
          found = { start: range[0], message: `the ${q} quote opened here is never closed; add the closing ${q}` }
        }
      } else if (isCollection(node) && node.flow) {
        const [o, c] = isMap(node) ? ['{', '}'] : ['[', ']']
        if (text[range[0]] === o && !source.endsWith(c)) {
          found = { start: range[0], message: `the "${o}" opened here is never closed; add the closing "${c}"` }
        }
      }
    }
  })
  return found && { offset: found.start, message: found.message }
}

class Walker {
  private nodes = 0
  private aliasValues = 0
  private insideAlias = 0
  private tooLarge = false
  private tooDeep = false
  /** each alias and the anchored node it stands for, found in one pass (yaml's resolve() scans the whole document per call) */
  private aliasTargets?: Map<Alias, YamlNode | undefined>
  /** how many values a node expands to once its aliases are followed, capped at MAX_NODES + 1 */
  private readonly sizes = new Map<YamlNode, number>()

  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: Lines,
    private readonly map: SourceMap,
    private readonly diagnostics: Diagnostic[]
  ) {}

  toValue(node: YamlNode | null, path: PathSegment[], keyOffset?: number, depth = 0, listItem = false): unknown {
    if (depth > MAX_DEPTH) {
      if (!this.tooDeep) this.error(node, path, TOO_DEEP)
      this.tooDeep = true
      return null
    }
    if (++this.nodes > MAX_NODES) {
      if (!this.tooLarge) this.error(node, path, `the document holds more than ${MAX_NODES} values; a network.yaml needs far fewer`)
      this.tooLarge = true
      return null
    }
    const valuePos = this.pos(node?.range?.[0] ?? keyOffset ?? 0)
    const entry = { key: keyOffset === undefined ? undefined : this.pos(keyOffset), value: valuePos }
    this.map.set(path, entry)
    if (node === null) return null
    if (isAlias(node)) {
      const target = this.targetOf(node)
      if (!target) {
        const name = isSecretPath(toPointer(path)) ? '' : ` "*${node.source}"`
        this.error(node, path, `alias${name} refers to no anchor defined before it (a value starting with "*" must be quoted)`)
        return null
      }
      if (target.range && node.range && target.range[0] <= node.range[0] && node.range[1] <= target.range[1]) {
        this.error(node, path, `alias "*${node.source}" is used inside the value anchored as "&${node.source}", so it would repeat forever`)
        return null
      }
      // counted where an alias is written, not again for the aliases inside what it stands for
      if (this.insideAlias === 0) this.aliasValues += this.sizeOf(target, 0)
      if (this.aliasValues > MAX_ALIAS_VALUES) {
        if (!this.tooLarge) {
          this.error(node, path, `aliases expand to more than ${MAX_ALIAS_VALUES} values by "*${node.source}" here (an alias bomb?); write the values out instead of nesting aliases`)
        }
        this.tooLarge = true
        return null
      }
      // values inside are located where the anchor wrote them; the value itself where the alias stands
      this.insideAlias++
      const value = this.toValue(target, path, keyOffset, depth + 1, listItem)
      this.insideAlias--
      this.map.set(path, entry)
      return value
    }
    if (isScalar(node)) {
      // `version: 4.10` is the text 4.10, not the number 4.1
      const key = path[path.length - 1]
      if (typeof node.value === 'number' && typeof key === 'string' && VERSION_KEYS.has(key) && node.source) return node.source
      return node.value
    }
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

  private targetOf(alias: Alias): YamlNode | undefined {
    if (!this.aliasTargets) {
      const targets = new Map<Alias, YamlNode | undefined>()
      const anchors = new Map<string, YamlNode>()
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, anchors.get(node.source))
          else if (node.anchor) anchors.set(node.anchor, node as YamlNode)
        }
      })
      this.aliasTargets = targets
    }
    return this.aliasTargets.get(alias)
  }

  private sizeOf(node: YamlNode | null, depth: number): number {
    if (node === null || isScalar(node)) return 1
    const known = this.sizes.get(node)
    if (known !== undefined) return known
    if (depth > MAX_DEPTH) return MAX_NODES + 1
    this.sizes.set(node, MAX_NODES + 1) // an alias inside its own anchor expands forever
    let size = 1
    if (isAlias(node)) {
      const target = this.targetOf(node)
      size = target ? this.sizeOf(target, depth + 1) : 1
    } else if (isSeq(node)) {
      for (const item of node.items) if ((size += this.sizeOf(item as YamlNode | null, depth + 1)) > MAX_NODES) break
    } else if (isMap(node)) {
      for (const pair of node.items as Pair<YamlNode | null, YamlNode | null>[]) {
        if ((size += this.sizeOf(pair.value, depth + 1)) > MAX_NODES) break
      }
    }
    size = Math.min(size, MAX_NODES + 1)
    this.sizes.set(node, size)
    return size
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

/** 1-based line and column of an offset into the text, lines ending at "\n". */
class Lines {
  private readonly starts: number[] = [0]

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1)
  }

  linePos(offset: number): { line: number; col: number } {
    const at = Math.max(0, Math.min(offset, this.text.length))
    let lo = 0
    let hi = this.starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.starts[mid] <= at) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, col: at - this.starts[lo] + 1 }
  }
}

/** A null marker key that sits beside other keys in a list item (Bevel's `- organization:` style). */
function isMarker(map: { items: unknown[] }, pair: Pair<YamlNode | null, YamlNode | null>, key: string): boolean {
  if (!LIST_ITEM_MARKERS.has(key) || map.items.length < 2) return false
  const v = pair.value
  return v === null || (isScalar(v) && (v.value === null || v.value === ''))
}
