// Downloads with bounds: an overall deadline per attempt, a stall timeout (no byte for N seconds),
// a size check against Content-Length, and a few retries for what retrying can fix (network
// errors, 5xx, 408, 429, stalls) but never for a 404. tool-cache's downloadTool has no timeout at
// all, so a server that stops answering would hold the step until the job's own timeout.

import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import type { Logger } from '../log/logger.js'

export interface DownloadOpts {
  /** bound of one attempt, default 5 minutes */
  timeoutMs?: number
  /** abort when no byte arrives for this long, default 30 s */
  stallMs?: number
  /** attempts in all, default 3 */
  attempts?: number
  /** pause before attempt n+1 is n times this, default 2 s */
  backoffMs?: number
  /** refuse bodies larger than this */
  maxBytes?: number
  log?: Logger
}

export interface Downloaded {
  path: string
  bytes: number
  sha256: string
}

export class DownloadError extends Error {
  override name = 'DownloadError'
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number
  ) {
    super(message)
  }
}

export class Download {
  /** Streams `url` into `dest`, hashing on the way. Throws DownloadError with the URL and the cause. */
  static async toFile(url: string, dest: string, opts: DownloadOpts = {}): Promise<Downloaded> {
    const attempts = Math.max(1, Math.min(opts.attempts ?? 3, 5))
    let last: DownloadError | undefined
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await Download.attempt(url, dest, opts)
      } catch (e) {
        await rm(dest, { force: true })
        last = e instanceof DownloadError ? e : new DownloadError(`${url}: ${(e as Error).message}`, true)
        if (!last.retryable || attempt === attempts) break
        opts.log?.info(`${last.message}; trying again (${attempt + 1}/${attempts})`)
        await new Promise(r => setTimeout(r, attempt * (opts.backoffMs ?? 2_000)))
      }
    }
    throw last ?? new DownloadError(`${url}: download failed`, false)
  }

  /** A small text file (a checksum file): the body as a string. */
  static async text(url: string, opts: DownloadOpts = {}): Promise<string> {
    const chunks: Buffer[] = []
    await Download.fetchTo(url, new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }), { ...opts, maxBytes: opts.maxBytes ?? 1024 * 1024 })
    return Buffer.concat(chunks).toString('utf8')
  }

  private static async attempt(url: string, dest: string, opts: DownloadOpts): Promise<Downloaded> {
    await mkdir(dirname(dest), { recursive: true })
    const { bytes, sha256 } = await Download.fetchTo(url, createWriteStream(dest, { mode: 0o600 }), opts)
    return { path: dest, bytes, sha256 }
  }

  private static async fetchTo(url: string, sink: Writable, opts: DownloadOpts): Promise<{ bytes: number; sha256: string }> {
    const timeoutMs = opts.timeoutMs ?? 5 * 60_000
    const stallMs = opts.stallMs ?? 30_000
    const controller = new AbortController()
    let why = ''
    const abort = (reason: string): void => {
      why = reason
      controller.abort()
    }
    const deadline = setTimeout(() => abort(`no complete response within ${Math.round(timeoutMs / 1000)}s`), timeoutMs)
    let stall = setTimeout(() => abort(`no data for ${Math.round(stallMs / 1000)}s`), stallMs)
    const alive = (): void => {
      clearTimeout(stall)
      stall = setTimeout(() => abort(`no data for ${Math.round(stallMs / 1000)}s`), stallMs)
    }
    try {
      let response: Response
      try {
        response = await fetch(url, { signal: controller.signal, redirect: 'follow', headers: { 'user-agent': 'baf-action' } })
      } catch (e) {
        throw new DownloadError(`${url}: ${why || causeOf(e)}`, true)
      }
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined)
        const retryable = response.status >= 500 || response.status === 408 || response.status === 429
        throw new DownloadError(`${url}: HTTP ${response.status}${response.status === 404 ? ' (not found: is the version published for this platform?)' : ''}`, retryable, response.status)
      }
      const expected = Number(response.headers.get('content-length') ?? NaN)
      if (opts.maxBytes && expected > opts.maxBytes) throw new DownloadError(`${url}: ${expected} bytes is more than the ${opts.maxBytes} expected`, false)
      const hash = createHash('sha256')
      let bytes = 0
      const body = response.body
      if (!body) throw new DownloadError(`${url}: empty response`, true)
      try {
        await pipeline(
          async function* () {
            for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
              alive()
              bytes += chunk.byteLength
              if (opts.maxBytes && bytes > opts.maxBytes) throw new DownloadError(`${url}: more than the ${opts.maxBytes} bytes expected`, false)
              hash.update(chunk)
              yield chunk
            }
          },
          sink
        )
      } catch (e) {
        if (e instanceof DownloadError) throw e
        throw new DownloadError(`${url}: the transfer broke off after ${bytes} byte(s)${Number.isFinite(expected) ? ` of ${expected}` : ''} (${why || causeOf(e)})`, true)
      }
      if (Number.isFinite(expected) && bytes !== expected) throw new DownloadError(`${url}: received ${bytes} of ${expected} byte(s)`, true)
      return { bytes, sha256: hash.digest('hex') }
    } finally {
      clearTimeout(deadline)
      clearTimeout(stall)
    }
  }
}

function causeOf(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } }
  return [err.message, err.cause?.code ?? err.cause?.message].filter(Boolean).join(': ')
}
