// How a diagnostic is printed, independently of the CLI: `FILE:LINE:COL: severity: MESSAGE`, the
// form editors, terminals and GitHub problem matchers understand.

import { describe, expect, test } from '@jest/globals'

import type { Diagnostic } from '../../../src/model/diagnostics.js'
import { formatDiagnostic, fromPointer, hasErrors, sortDiagnostics, toPointer } from '../../../src/model/diagnostics.js'
import { load, yaml } from './helpers.js'

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  file: 'network.yaml',
  line: 1,
  col: 1,
  severity: 'error',
  message: 'something is wrong',
  path: '',
  ...over
})

describe('formatDiagnostic', () => {
  test('errors and warnings as FILE:LINE:COL: severity: MESSAGE', () => {
    expect(formatDiagnostic(d({ file: 'net/network.yaml', line: 12, col: 7, message: 'duplicate node "v1"' }))).toBe(
      'net/network.yaml:12:7: error: duplicate node "v1"'
    )
    expect(formatDiagnostic(d({ severity: 'warning', line: 3, col: 12, message: 'besu 24.1.0 is outside the tested versions' }))).toBe(
      'network.yaml:3:12: warning: besu 24.1.0 is outside the tested versions'
    )
  })

  test('a loaded file prints one line per problem, in file order', async () => {
    const text = yaml`
      network:
        type: besu
        version: 24.1.0
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - name: Org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `
    const { diagnostics } = await load(text, 'examples/network.yaml')
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'examples/network.yaml:3:12: warning: besu 24.1.0 is outside the tested versions (21.1.0, 21.1.1, 21.10.6, 22.10.2, 23.10.2); it will be deployed as written, but check the release notes for removed flags',
      'examples/network.yaml:9:13: error: organisation name "Org1" must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit'
    ])
    expect(hasErrors(diagnostics)).toBe(true)
    expect(hasErrors(diagnostics.filter(x => x.severity === 'warning'))).toBe(false)
  })

  test('a YAML syntax error prints the same way, without yaml\'s own excerpt', async () => {
    const { diagnostics } = await load('network:\n  type: "besu\n', 'n.yaml')
    expect(diagnostics.map(formatDiagnostic)).toEqual(['n.yaml:2:9: error: YAML: the " quote opened here is never closed; add the closing "'])
  })

  test('sorting is by file, line, column, then message', () => {
    const sorted = sortDiagnostics([
      d({ file: 'b.yaml', line: 1 }),
      d({ line: 9, col: 2 }),
      d({ line: 9, col: 1, message: 'b' }),
      d({ line: 9, col: 1, message: 'a' }),
      d({ line: 2 })
    ])
    expect(sorted.map(x => `${x.file}:${x.line}:${x.col}:${x.message}`)).toEqual([
      'b.yaml:1:1:something is wrong',
      'network.yaml:2:1:something is wrong',
      'network.yaml:9:1:a',
      'network.yaml:9:1:b',
      'network.yaml:9:2:something is wrong'
    ])
  })

  test('JSON Pointers round-trip keys holding "/" and "~"', () => {
    const path = ['baf', 'clusters', 'arn:aws:eks:eu-west-1:1:cluster/a~b', 'name']
    expect(toPointer(path)).toBe('/baf/clusters/arn:aws:eks:eu-west-1:1:cluster~1a~0b/name')
    expect(fromPointer(toPointer(path))).toEqual(path)
    expect(fromPointer('')).toEqual([])
  })
})
