// Runs a dist/ bundle the way the Actions runner does: INPUT_* variables (with action.yml's
// defaults for inputs not given), GITHUB_OUTPUT and GITHUB_STATE files, STATE_* variables for the
// post step. Catches bundling faults that tests of the TypeScript source cannot see.

import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { parse } from 'yaml'

export interface ActionRun {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
}

/** Parses the runner's file-command format: `name<<DELIM\nvalue\nDELIM` or `name=value`. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = lines[i].match(/^([^<=]+)<<(.+)$/)
    if (heredoc) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i])
      out[heredoc[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

/**
 * The defaults action.yml declares for the bundle's action, as the runner fills them in. An
 * expression default (`${{ github.token }}`) becomes empty: no test has a token.
 */
export function actionDefaults(bundle: string): Record<string, string> {
  const name = bundle.match(/^dist\/([a-z-]+)\/index\.js$/)?.[1]
  if (!name) return {}
  const file = name === 'deploy' ? 'deploy/action.yml' : `actions/${name}/action.yml`
  if (!existsSync(file)) return {}
  const inputs = (parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, { default?: string }> }).inputs ?? {}
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v.default === 'string' && !v.default.includes('${{') ? v.default : '']))
}

export function runAction(bundle: string, inputs: Record<string, string>, opts: { state?: Record<string, string>; env?: Record<string, string>; cwd?: string } = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'baf-action-run-'))
  const outputFile = join(dir, 'output')
  const stateFile = join(dir, 'state')
  writeFileSync(outputFile, '')
  writeFileSync(stateFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STATE: stateFile,
    GITHUB_ACTIONS: 'true',
    ...opts.env
  }
  // the runner upper-cases input names and keeps their dashes
  for (const [k, v] of Object.entries({ ...actionDefaults(bundle), ...inputs })) env[`INPUT_${k.toUpperCase()}`] = v
  for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v
  return new Promise(resolve => {
    execFile(process.execPath, [bundle], { env, cwd: opts.cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout, stderr, outputs: parseFileCommands(readFileSync(outputFile, 'utf8')), state: parseFileCommands(readFileSync(stateFile, 'utf8')) })
    })
  })
}

export function runCli(args: string[], opts: { cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [join(process.cwd(), 'dist/cli.js'), ...args], { cwd: opts.cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
    })
  })
}
