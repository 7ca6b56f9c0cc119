import type { ErrorObject, ValidateFunction } from 'ajv'

import type { Diagnostic } from './diagnostics.js'
import type { Platform } from './platforms.js'
import { networkSchema } from './schema.js'
import { isSecretPath } from './secrets.js'
import type { ParsedFile } from './parse.js'

const compiled = new Map<Platform, ValidateFunction>()

async function validatorFor(platform: Platform): Promise<ValidateFunction> {
  let validate: ValidateFunction | undefined = compiled.get(platform)
  if (!validate) {
    // ajv is loaded only when a file is validated, so bundles that never validate start faster
    const ajvModule = await import('ajv')
    // ajv is CommonJS: its class is the default export under Node, `default.default` under some bundlers
    const Ajv = ((ajvModule.default as unknown as { default?: unknown }).default ?? ajvModule.default) as unknown as typeof ajvModule.Ajv
    // verbose: errors carry the offending value (`got ...`) and the parent schema (`expected one of ...`)
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true })
    validate = ajv.compile(networkSchema(platform))
    compiled.set(platform, validate)
  }
  return validate as ValidateFunction
}

export async function checkSchema(parsed: ParsedFile, platform: Platform): Promise<Diagnostic[]> {
  const validate = await validatorFor(platform)
  if (validate(parsed.data)) return []
  return toDiagnostics(parsed, validate.errors ?? [])
}

function toDiagnostics(parsed: ParsedFile, errors: ErrorObject[]): Diagnostic[] {
  // anyOf reports every branch; the branch errors are noise next to the one summary line
  const anyOfPaths = new Set(errors.filter(e => e.keyword === 'anyOf').map(e => e.instancePath))
  const out: Diagnostic[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.has(e.instancePath)) continue
    if (e.keyword !== 'anyOf' && [...anyOfPaths].some(p => e.instancePath.startsWith(p + '/'))) continue
    const { pointer, message, atKey } = describe(e)
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
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value)
  return ` (got ${text.length > 60 ? text.slice(0, 57) + '...' : text})`
}

function describe(e: ErrorObject): { pointer: string; message: string; atKey: boolean } {
  const pointer = e.instancePath
  const what = label(pointer)
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty
      return { pointer, message: `${what === 'document' ? 'the document' : `"${what}"`} is missing the required key "${missing}"`, atKey: false }
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty
      const allowed = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object)
      const hint = allowed.length ? `; expected one of: ${allowed.join(', ')}` : ''
      return { pointer: `${pointer}/${extra}`, message: `unknown key "${extra}" in "${what}"${hint}`, atKey: true }
    }
    case 'type': {
      const expected = String((e.params as { type: string | string[] }).type).replace(/,/g, ' or ')
      return { pointer, message: `"${what}" must be ${article(expected)}${show(e.data, pointer)}`, atKey: false }
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.join(', ')
      return { pointer, message: `"${what}" must be one of: ${allowed}${show(e.data, pointer)}`, atKey: false }
    }
    case 'minimum':
    case 'maximum': {
      const range = lastKey(pointer).match(/port|from|to|^\d+$/) ? ' (a port is 1-65535)' : ''
      return { pointer, message: `"${what}" ${e.message}${range}${show(e.data, pointer)}`, atKey: false }
    }
    case 'minItems':
      return { pointer, message: `"${what}" must list at least ${(e.params as { limit: number }).limit} item(s)`, atKey: false }
    case 'minLength':
      return { pointer, message: `"${what}" must not be empty`, atKey: false }
    case 'anyOf':
      return { pointer, message: `"${what}" has an unexpected form${show(e.data, pointer)}; see docs/network-yaml.md`, atKey: false }
    default:
      return { pointer, message: `"${what}" ${e.message ?? 'is invalid'}`, atKey: false }
  }
}

function article(type: string): string {
  const first = type.split(' or ')[0]
  const an = /^[aeiou]/.test(first) ? 'an' : 'a'
  return first === 'null' ? type : `${an} ${type}`
}
