// Shared helpers for the network-model tests: inline YAML without its source indentation, and
// loading a text the way `baf validate` does.

import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Diagnostic } from '../../../src/model/diagnostics.js'
import { loadNetworkText } from '../../../src/model/load.js'
import type { LoadResult } from '../../../src/model/load.js'

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures')

export function fixture(relative: string): string {
  return readFileSync(join(FIXTURES, relative), 'utf8')
}

/**
 * A YAML text written inline: the first line break and the common indentation are removed, so
 * line 1 of the document is the first line after the opening backtick.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '')
  const lines = raw.replace(/^\n/, '').replace(/\n[ ]*$/, '\n').split('\n')
  const indent = Math.min(...lines.filter(l => l.trim() !== '').map(l => /^ */.exec(l)![0].length))
  return lines.map(l => l.slice(indent)).join('\n')
}

export async function load(text: string, file = 'network.yaml'): Promise<LoadResult> {
  return loadNetworkText(file, text)
}

/** `3:5 error message` lines, for readable failure output */
export function show(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(d => `${d.line}:${d.col} ${d.severity} ${d.message}`)
}
