import type { ErrorObject } from 'ajv'

import type { Diagnostic } from './diagnostics.js'
import type { Platform } from './platforms.js'
import { networkSchema } from './schema.js'
import { isSecretPath } from './secrets.js'
import type { ParsedFile } from './parse.js'

export async function checkSchema(parsed: ParsedFile, platform: Platform): Promise<Diagnostic[]> {
  // loaded on first use: bundles that never validate (setup) do not load the validators at all
  const { validatorFor } = await import('./schema-validators.js')
  const validate = await validatorFor(platform)
  if (validate(parsed.data)) return []
  return toDiagnostics(parsed, validate.errors ?? [], platform)
}

/** The value at a JSON Pointer; errors carry only the pointer (ajv's `verbose` would bloat the bundles). */
function valueAt(data: unknown, pointer: string): unknown {
  let node = data
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return node
}

/** The schema object a `#/properties/...` schema path points into. */
function schemaAt(platform: Platform, schemaPath: string): Record<string, unknown> | undefined {
  let node: unknown = networkSchema(platform)
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node as Record<string, unknown> | undefined
}

function toDiagnostics(parsed: ParsedFile, errors: ErrorObject[], platform: Platform): Diagnostic[] {
  // anyOf reports every branch; the branch errors are noise next to the one summary line
  const anyOfPaths = new Set(errors.filter(e => e.keyword === 'anyOf').map(e => e.instancePath))
  const out: Diagnostic[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.has(e.instancePath)) continue
    if (e.keyword !== 'anyOf' && [...anyOfPaths].some(p => e.instancePath.startsWith(p + '/'))) continue
    const { pointer, message, atKey } = describe(e, valueAt(parsed.data, e.instancePath), schemaAt(platform, e.schemaPath))
    const pos = atKey ? parsed.map.keyAt(pointer) : parsed.map.valueAt(pointer)
    const line = `${pos.line}:${pos.col}:${message}`
    if (seen.has(line)) continue
    seen.add(line)
    out.push({ file: parsed.file, line: pos.line, col: pos.col, severity: 'error', message, path: pointer })
  }
  return out
}

function lastKey(pointer: string): string {
  const parts = pointer.split('/')
  return parts[parts.length - 1] ?? ''
}

/** `/network/organizations/0/services/validators/1/p2p/port` -> `organizations[0].services.validators[1].p2p.port` */
export function label(pointer: string): string {
  let out = ''
  for (const part of pointer.split('/').filter(Boolean)) out += /^\d+$/.test(part) ? `[${part}]` : (out ? '.' : '') + part
  return out.replace(/^network\./, '') || 'document'
}

function show(value: unknown, pointer: string): string {
  if (isSecretPath(pointer)) return ''
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : Array.isArray(value)
        ? 'a list'
        : value !== null && typeof value === 'object'
          ? 'a mapping'
          : String(value)
  return ` (got ${text.length > 60 ? text.slice(0, 57) + '...' : text})`
}

function describe(e: ErrorObject, data: unknown, parentSchema: Record<string, unknown> | undefined): { pointer: string; message: string; atKey: boolean } {
  const pointer = e.instancePath
  const what = label(pointer)
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty
      return { pointer, message: `${what === 'document' ? 'the document' : `"${what}"`} is missing the required key "${missing}"`, atKey: false }
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty
      const allowed = Object.keys(((parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object)
      const hint = allowed.length ? `; expected one of: ${allowed.join(', ')}` : ''
      return { pointer: `${pointer}/${extra}`, message: `unknown key "${extra}" in "${what}"${hint}`, atKey: true }
    }
    case 'type': {
      const types = String((e.params as { type: string | string[] }).type).split(',')
      return { pointer, message: `"${what}" must be ${typeNouns(types)}${show(data, pointer)}`, atKey: false }
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.join(', ')
      return { pointer, message: `"${what}" must be one of: ${allowed}${show(data, pointer)}`, atKey: false }
    }
    case 'minimum':
    case 'maximum': {
      const range = /port|ambassador|^from$|^to$|^\d+$/i.test(lastKey(pointer)) ? ' (a port is 1-65535)' : ''
      const { comparison, limit } = e.params as { comparison: string; limit: number }
      return { pointer, message: `"${what}" must be ${comparison} ${limit}${range}${show(data, pointer)}`, atKey: false }
    }
    case 'minItems':
      return { pointer, message: `"${what}" must list at least ${(e.params as { limit: number }).limit} item(s)`, atKey: false }
    case 'minLength':
      return { pointer, message: `"${what}" must not be empty`, atKey: false }
    case 'anyOf':
      return { pointer, message: `"${what}" has an unexpected form${show(data, pointer)}${FORMS[lastKey(pointer)] ?? ''}`, atKey: false }
    default:
      // the bundles' precompiled validators carry no message texts (smaller, faster to load)
      return { pointer, message: `"${what}" does not satisfy the schema rule "${e.keyword}"${show(data, pointer)}`, atKey: false }
  }
}

/** the accepted forms of the values whose schema is an anyOf */
const FORMS: Record<string, string> = {
  metrics: '; write {port: 9443} or {enabled: true, port: 9443}'
}

/** JSON Schema types in the words of a YAML file: a mapping, a list, empty */
const TYPE_NOUNS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty'
}

function typeNouns(types: string[]): string {
  const nouns = types.map(t => TYPE_NOUNS[t] ?? t)
  return nouns.length > 1 ? `${nouns.slice(0, -1).join(', ')} or ${nouns[nouns.length - 1]}` : nouns[0]
}
