// Starts Prism serving GitHub's own OpenAPI description (@octokit/openapi) on 127.0.0.1, for
// contract tests: it answers with the description's examples and rejects requests that break it
// (422 with an `sl-violations` header). Only the paths a suite calls are kept (the report's by
// default), with every component, which cuts startup from ~16 s to ~7 s (shared/notes/feasibility-npm.md section 5);
// on a loaded two-core machine it has taken 12-25 s, so readiness is awaited for up to 60 s.

import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

import type { ChildProcess } from 'node:child_process'

export const SPEC = 'node_modules/@octokit/openapi/generated/api.github.com.json'
const PRISM = 'node_modules/@stoplight/prism-cli/dist/index.js'

export const REPORT_PATHS = [
  '/user',
  '/repos/{owner}/{repo}/issues/{issue_number}/comments',
  '/repos/{owner}/{repo}/issues/comments/{comment_id}',
  '/repos/{owner}/{repo}/pulls/{pull_number}'
]

export type Spec = { paths: Record<string, unknown>; components: { examples: Record<string, { value: unknown }> } }

/** the description cut to `paths`, every component kept; `edit` may change examples */
export function writeSpecSubset(file: string, edit: (spec: Spec) => void = () => undefined, paths: readonly string[] = REPORT_PATHS): void {
  const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as Spec
  const missing = paths.filter(p => !(p in spec.paths))
  if (missing.length > 0) throw new Error(`not in GitHub's description: ${missing.join(', ')}`)
  spec.paths = Object.fromEntries(paths.map(p => [p, spec.paths[p]]))
  edit(spec)
  writeFileSync(file, JSON.stringify(spec))
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface Prism {
  url: string
  pid: number
  output: () => string
  stop: () => Promise<void>
}

export async function startPrism(specFile: string, readyWithinMs = 60_000): Promise<Prism> {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, [join(process.cwd(), PRISM), 'mock', '-h', '127.0.0.1', '-p', String(port), specFile], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', d => (out += String(d)))
  child.stderr!.on('data', d => (out += String(d)))
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    process.kill(child.pid!, 'SIGTERM')
    const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  const started = Date.now()
  // bounded: readiness or exit or the deadline, checked every 100 ms
  while (!out.includes('Prism is listening')) {
    if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode}:\n${out.slice(-2000)}`)
    if (Date.now() - started > readyWithinMs) {
      await stop()
      throw new Error(`Prism was not ready within ${readyWithinMs / 1000} s:\n${out.slice(-2000)}`)
    }
    await new Promise(r => setTimeout(r, 100))
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, output: () => out, stop }
}
