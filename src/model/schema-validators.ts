// Compiled structure validators, one per platform. From source (tests) they are compiled on first
// use; the bundles replace this module with ajv "standalone" code generated at build time
// (scripts/build.mjs), so `baf validate` starts without compiling a schema.

import type { ValidateFunction } from 'ajv'

import type { Platform } from './platforms.js'
import { networkSchema } from './schema.js'

/** Options shared with the build-time generator (scripts/build.mjs). */
export const AJV_OPTIONS = { allErrors: true, strict: false, messages: false } as const

const compiled = new Map<Platform, ValidateFunction>()

export async function validatorFor(platform: Platform): Promise<ValidateFunction> {
  const known = compiled.get(platform)
  if (known) return known
  const ajvModule = await import('ajv')
  // ajv is CommonJS: its class is the default export under Node, `default.default` under some bundlers
  const Ajv = ((ajvModule.default as unknown as { default?: unknown }).default ?? ajvModule.default) as unknown as typeof ajvModule.Ajv
  const validate = new Ajv(AJV_OPTIONS).compile(networkSchema(platform))
  compiled.set(platform, validate)
  return validate
}
