// Puts recording stand-ins for CLIs on PATH (see fake.mjs) and reads back what they were handed.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

export interface FakeRule {
  tool?: string
  /** argv must start with these */
  args?: string[]
  /** argv must contain these */
  includes?: string[]
  exitCode?: number
  stdout?: string
  stderr?: string
  delayMs?: number
  /** files to write: at the path after `flag`, at $env, or at `path` */
  write?: { flag?: string; env?: string; path?: string; content?: string; copyFrom?: string }[]
}

export interface FakeCall {
  tool: string
  argv: string[]
  stdin: string
  files: Record<string, string>
  kubeconfigEnv?: string
  started: number
  ended: number
  exitCode: number
}

export class FakeCli {
  readonly dir: string
  readonly bin: string
  readonly log: string
  readonly script: string

  constructor(tools: string[]) {
    this.dir = mkdtempSync(join(tmpdir(), 'baf-fake-cli-'))
    this.bin = join(this.dir, 'bin')
    this.log = join(this.dir, 'calls.jsonl')
    this.script = join(this.dir, 'script.json')
    const fake = join(process.cwd(), 'test/harness/fake-cli/fake.mjs')
    mkdirSync(this.bin, { recursive: true })
    for (const tool of tools) {
      const path = join(this.bin, tool)
      writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${fake}" ${tool} "$@"\n`)
      chmodSync(path, 0o755)
    }
    this.rules([])
  }

  rules(rules: FakeRule[]): void {
    writeFileSync(this.script, JSON.stringify({ rules }))
    writeFileSync(this.log, '')
  }

  /** The environment that makes the stand-ins answer: PATH first, then the recording files. */
  env(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return { ...base, PATH: `${this.bin}${delimiter}${base.PATH ?? ''}`, FAKE_CLI_LOG: this.log, FAKE_CLI_SCRIPT: this.script }
  }

  /** Sets env() on this process (for code that spawns with process.env); returns an undo. */
  install(): () => void {
    const saved = { PATH: process.env.PATH, FAKE_CLI_LOG: process.env.FAKE_CLI_LOG, FAKE_CLI_SCRIPT: process.env.FAKE_CLI_SCRIPT }
    Object.assign(process.env, this.env())
    return () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
  }

  calls(tool?: string): FakeCall[] {
    if (!existsSync(this.log)) return []
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(l => JSON.parse(l) as FakeCall)
      .filter(c => !tool || c.tool === tool)
  }
}
