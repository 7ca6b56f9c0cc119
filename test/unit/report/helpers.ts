// Fixture states and golden files for the report tests.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

import type { State } from '../../../src/state/state.js'

export const STATES = 'test/fixtures/states'
export const FIXTURES = ['besu-3-planned', 'besu-3-provisioned-sim', 'besu-3-deployed', 'besu-3-probed', 'besu-3-green'] as const
export type FixtureName = (typeof FIXTURES)[number]

export function loadState(name: FixtureName): State {
  return JSON.parse(readFileSync(join(STATES, `${name}.json`), 'utf8')) as State
}

/** compares with test/unit/report/golden/NAME; UPDATE_GOLDEN=1 rewrites it */
export function golden(name: string, actual: string): string {
  const file = join('test/unit/report/golden', name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
  }
  if (!existsSync(file)) throw new Error(`${file} is missing: run the tests with UPDATE_GOLDEN=1 and review the file`)
  return readFileSync(file, 'utf8')
}
