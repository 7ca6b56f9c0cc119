// Reads the action metadata, workflows and README the way the tests compare them.

import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'

import { parse } from 'yaml'

export const ROOT = process.cwd()

export const ACTION_DIRS: Record<string, string> = {
  root: '.',
  deploy: 'deploy',
  setup: 'actions/setup',
  cluster: 'actions/cluster',
  network: 'actions/network',
  probe: 'actions/probe',
  report: 'actions/report',
  teardown: 'actions/teardown',
  sweep: 'actions/sweep'
}

export interface ActionMetadata {
  name: string
  description: string
  branding?: { icon?: string; color?: string }
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs?: Record<string, { description?: string }>
  runs: { using: string; main: string; post?: string; 'post-if'?: string }
}

export function actionFile(dir: string): string {
  return join(dir, 'action.yml')
}

export function readAction(dir: string): ActionMetadata {
  return parse(readFileSync(join(ROOT, actionFile(dir)), 'utf8')) as ActionMetadata
}

export function workflowFiles(): string[] {
  const dir = join(ROOT, '.github/workflows')
  return existsSync(dir) ? readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).map(f => join('.github/workflows', f)) : []
}

/** The README's input table rows under the heading whose text contains `title`. */
export function readmeTable(title: string, kind: 'input' | 'output'): Map<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const start = readme.split('\n').findIndex(l => l.startsWith('### ') && l.includes(title))
  if (start < 0) return new Map()
  const rows = new Map<string, string>()
  let inTable = false
  for (const line of readme.split('\n').slice(start + 1)) {
    if (line.startsWith('### ') || line.startsWith('## ')) break
    if (line.startsWith(`| ${kind} |`)) {
      inTable = true
      continue
    }
    if (inTable && line.startsWith('|---')) continue
    if (inTable && line.startsWith('| `')) {
      const cells = line.split('|').map(c => c.trim())
      rows.set(cells[1].replace(/`/g, ''), kind === 'input' ? cells[2].replace(/`/g, '') : cells[2])
      continue
    }
    inTable = false
  }
  return rows
}
