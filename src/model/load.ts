import { readFile } from 'node:fs/promises'

import type { Diagnostic } from './diagnostics.js'
import { hasErrors, sortDiagnostics } from './diagnostics.js'
import type { Network } from './network.js'
import { normalise } from './normalise.js'
import { parseYaml } from './parse.js'
import { isPlatform, PLATFORMS } from './platforms.js'
import { checkSchema } from './schema-check.js'
import { checkSemantics } from './semantic.js'
import type { NetworkFile } from './types.js'

export interface LoadResult {
  /** present only when there is no error */
  network?: Network
  diagnostics: Diagnostic[]
}

/** Parse, check structure, normalise and check semantics; never throws for bad input. */
export async function loadNetworkText(file: string, text: string): Promise<LoadResult> {
  const parsed = parseYaml(file, text)
  const diagnostics = [...parsed.diagnostics]
  const done = (network?: Network): LoadResult => ({ network, diagnostics: sortDiagnostics(diagnostics) })
  if (hasErrors(diagnostics)) return done()

  const at = (pointer: string, message: string): void => {
    const pos = parsed.map.valueAt(pointer)
    diagnostics.push({ file, line: pos.line, col: pos.col, severity: 'error', message, path: pointer })
  }
  const data = parsed.data as { network?: { type?: unknown } } | null
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    at('', 'the document must be a mapping with a top-level "network" key (Bevel\'s network.yaml format)')
    return done()
  }
  if (data.network === undefined) {
    const near = Object.keys(data).find(k => k.toLowerCase().replace(/[^a-z]/g, '') !== 'baf')
    const hint = near ? ` (found "${near}" instead)` : ''
    at('', `missing the top-level "network" mapping${hint}; Bevel's network.yaml starts with network: and holds network.type, network.version, network.env and network.organizations`)
    return done()
  }
  if (!data.network || typeof data.network !== 'object' || Array.isArray(data.network)) {
    const got = data.network === null ? 'nothing' : Array.isArray(data.network) ? 'a list' : `a ${typeof data.network}`
    at('/network', `"network" must be a mapping holding type, version, env and organizations (got ${got})`)
    return done()
  }
  const type = data.network.type
  if (type === undefined) {
    at('/network', `"network" is missing the required key "type" (one of: ${PLATFORMS.join(', ')})`)
    return done()
  }
  if (!isPlatform(type)) {
    at('/network/type', `unsupported platform ${JSON.stringify(type)}; expected one of: ${PLATFORMS.join(', ')}`)
    return done()
  }

  diagnostics.push(...(await checkSchema(parsed, type)))
  if (hasErrors(diagnostics)) return done()

  const network = normalise(file, data as unknown as NetworkFile)
  diagnostics.push(...checkSemantics(network, parsed.map))
  return done(hasErrors(diagnostics) ? undefined : network)
}

export async function loadNetworkFile(file: string): Promise<LoadResult> {
  return loadNetworkText(file, await readFile(file, 'utf8'))
}
