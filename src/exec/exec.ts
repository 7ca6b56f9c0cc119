// The one way baf-action runs another program: an argv array (never a shell string), a timeout
// that kills the whole process, output streamed line by line to the log with secrets redacted,
// and the result returned as data. Callers decide what a non-zero exit means; `Exec.checked`
// turns it into an error that carries the program's own message.

import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

import type { Logger } from '../log/logger.js'

export interface ExecOpts {
  /** kill the program after this long (SIGTERM, then SIGKILL 5 s later); default 10 minutes */
  timeoutMs?: number
  /** written to the program's stdin, which is then closed */
  input?: string
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** stream each output line to this logger (info for stdout, info for stderr) */
  log?: Logger
  /** prefix of each streamed line, e.g. the cluster name */
  prefix?: string
  /** values never to print or return (tokens, keys); the registry in `Exec.secrets` is always applied */
  secrets?: string[]
}

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
  /** true when the timeout ended the program */
  timedOut: boolean
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000
/** keep at most this much of each stream in memory; the log has the rest */
const MAX_CAPTURE = 4 * 1024 * 1024

/** A program failed; the message holds its own words (the last lines of stderr, else stdout). */
export class ExecError extends Error {
  override name = 'ExecError'
  constructor(
    readonly command: string,
    readonly result: ExecResult,
    what?: string
  ) {
    super(`${what ?? command} ${result.timedOut ? 'timed out' : `failed (exit ${result.exitCode})`}: ${Exec.lastLines(result.stderr || result.stdout) || 'no output'}`)
  }
}

export class Exec {
  /** secrets registered once (kubeconfig keys, tokens) and redacted from every command's output */
  static readonly secrets = new Set<string>()

  static addSecret(value: string): void {
    // very short values would redact ordinary words
    if (value && value.length >= 6) Exec.secrets.add(value)
  }

  static redact(text: string, extra: string[] = []): string {
    let out = text
    for (const s of [...Exec.secrets, ...extra]) if (s && s.length >= 6) out = out.split(s).join('***')
    return out
  }

  /** The command as a person would type it (for logs and dry runs), secrets redacted. */
  static format(command: string, args: string[], secrets: string[] = []): string {
    const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)
    return Exec.redact([command, ...args].map(quote).join(' '), secrets)
  }

  static lastLines(text: string, count = 8): string {
    return text
      .trim()
      .split('\n')
      .map(l => l.trimEnd())
      .filter(Boolean)
      .slice(-count)
      .join('\n')
  }

  /** The executable `command` resolves to on PATH (or as given, if a path), without running anything. */
  static which(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
    const candidates = isAbsolute(command) || command.includes('/') ? [command] : (env.PATH ?? '').split(delimiter).filter(Boolean).map(d => join(d, command))
    for (const c of candidates) {
      try {
        accessSync(c, constants.X_OK)
        return c
      } catch {
        // not here
      }
    }
    return undefined
  }

  /** Throws a plain error naming what to install when `command` is not on PATH. */
  static require(command: string, hint: string, env: NodeJS.ProcessEnv = process.env): void {
    if (!Exec.which(command, env)) throw new Error(`${command} is not on PATH; ${hint}`)
  }

  /** Runs `command` with `args`; resolves with the exit code whatever it is (127 when not found). */
  static run(command: string, args: string[], opts: ExecOpts = {}): Promise<ExecResult> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const secrets = opts.secrets ?? []
    opts.log?.debug(`exec: ${Exec.format(command, args, secrets)}`)
    return new Promise(resolve => {
      let stdout = ''
      let stderr = ''
      let timedOut = false
      let settled = false
      const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' })
      const finish = (exitCode: number, extraErr = ''): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        clearTimeout(killTimer)
        flush()
        resolve({ exitCode, stdout: Exec.redact(stdout, secrets), stderr: Exec.redact(stderr + extraErr, secrets), timedOut })
      }
      // the program and anything it started: a wrapper script must not leave its child running
      const kill = (signal: NodeJS.Signals): void => {
        try {
          if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal)
          else child.kill(signal)
        } catch {
          // already gone
        }
      }
      let killTimer: NodeJS.Timeout | undefined
      const timer = setTimeout(() => {
        timedOut = true
        kill('SIGTERM')
        killTimer = setTimeout(() => kill('SIGKILL'), 5_000)
      }, timeoutMs)

      const pending: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' }
      const emit = (line: string): void => {
        if (opts.log) opts.log.info(`${opts.prefix ? `[${opts.prefix}] ` : ''}${Exec.redact(line, secrets)}`)
      }
      const onData = (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
        const text = chunk.toString('utf8')
        if (stream === 'stdout') stdout = (stdout + text).slice(-MAX_CAPTURE)
        else stderr = (stderr + text).slice(-MAX_CAPTURE)
        if (!opts.log) return
        const lines = (pending[stream] + text).split('\n')
        pending[stream] = lines.pop() ?? ''
        lines.forEach(emit)
      }
      const flush = (): void => {
        for (const s of ['stdout', 'stderr'] as const) if (pending[s]) emit(pending[s])
        pending.stdout = pending.stderr = ''
      }
      child.stdout.on('data', (c: Buffer) => onData('stdout', c))
      child.stderr.on('data', (c: Buffer) => onData('stderr', c))
      child.on('error', (e: NodeJS.ErrnoException) => {
        finish(e.code === 'ENOENT' ? 127 : 126, e.code === 'ENOENT' ? `${command}: command not found on PATH` : `${command}: ${e.message}`)
      })
      child.on('close', (code, signal) => finish(code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : 15) : 1)))
      child.stdin.on('error', () => undefined)
      child.stdin.end(opts.input ?? '')
    })
  }

  /** Like `run`, but a non-zero exit (or a timeout) throws an ExecError with the program's message. */
  static async checked(command: string, args: string[], opts: ExecOpts & { what?: string } = {}): Promise<ExecResult> {
    const result = await Exec.run(command, args, opts)
    if (result.exitCode !== 0 || result.timedOut) throw new ExecError(Exec.format(command, args.slice(0, 3), opts.secrets), result, opts.what)
    return result
  }
}

/** Runs `fn` over `items` with at most `limit` at a time; results keep the input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      try {
        results[i] = { status: 'fulfilled', value: await fn(items[i], i) }
      } catch (reason) {
        results[i] = { status: 'rejected', reason }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}
