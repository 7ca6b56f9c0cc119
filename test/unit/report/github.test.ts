// The pure parts of the GitHub side: which failures are retried and after how long, which PR an
// event names, the hidden marker, the comment's size cut, and the artifact's PR file checks.

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { pullRequestOf, readPrArtifact, triggeringRun } from '../../../src/github/event.js'
import { decide, DEFAULT_RETRY, isPermissionError } from '../../../src/github/retry.js'
import { composeComment, marker, parseMarker } from '../../../src/github/sticky.js'
import { GITHUB_COMMENT_LIMIT } from '../../../src/report/markdown.js'

import type { ApiErrorLike } from '../../../src/github/retry.js'

const policy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 8000, maxWaitMs: 30_000 }
const resp = (headers: Record<string, string> = {}) => ({ headers })

describe('retry decisions', () => {
  test.each<[string, ApiErrorLike, number, { retry: boolean; delayMs?: number }]>([
    ['500 on the first try', { status: 500, message: 'Server Error', response: resp() }, 1, { retry: true, delayMs: 1000 }],
    ['502 on the third try doubles twice', { status: 502, response: resp() }, 3, { retry: true, delayMs: 4000 }],
    ['503 on the last try gives up', { status: 503, response: resp() }, 4, { retry: false }],
    ['a fetch failure (no response)', { status: 500, message: 'connect ECONNREFUSED' }, 1, { retry: true, delayMs: 1000 }],
    ['a timeout', { status: 500, message: 'request timed out after 30000 ms' }, 2, { retry: true, delayMs: 2000 }],
    ['403 without permission is final', { status: 403, message: 'Resource not accessible by integration', response: resp() }, 1, { retry: false }],
    ['secondary rate limit with retry-after', { status: 403, message: 'You have exceeded a secondary rate limit', response: resp({ 'retry-after': '7' }) }, 1, { retry: true, delayMs: 7000 }],
    ['429 with retry-after 0', { status: 429, message: 'slow down', response: resp({ 'retry-after': '0' }) }, 1, { retry: true, delayMs: 0 }],
    ['secondary rate limit asking for an hour is beyond the budget', { status: 403, message: 'secondary rate limit', response: resp({ 'retry-after': '3600' }) }, 1, { retry: false }],
    ['422 validation is final', { status: 422, message: 'Validation Failed', response: resp() }, 1, { retry: false }],
    ['404 is final', { status: 404, message: 'Not Found', response: resp() }, 1, { retry: false }]
  ])('%s', (_, error, attempt, expected) => {
    expect(decide(error, attempt, 0, policy)).toMatchObject(expected)
  })

  test('primary rate limit: waits until the reset when it is within the budget', () => {
    const now = 1_700_000_000_000
    const e = (resetIn: number): ApiErrorLike => ({ status: 403, message: 'API rate limit exceeded', response: resp({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String((now + resetIn) / 1000) }) })
    expect(decide(e(5000), 1, 0, policy, now)).toEqual({ retry: true, delayMs: 6000, reason: 'rate limit exhausted' })
    expect(decide(e(3_600_000), 1, 0, policy, now).retry).toBe(false)
  })

  test('time already waited counts against the budget', () => {
    expect(decide({ status: 500, response: resp() }, 2, 29_500, policy).retry).toBe(false)
  })

  test('the default policy is bounded', () => {
    expect(DEFAULT_RETRY.attempts).toBeLessThanOrEqual(5)
    expect(DEFAULT_RETRY.maxWaitMs).toBeLessThanOrEqual(120_000)
  })

  test('a fork\'s 403 is a permission error; a rate limit 403 is not', () => {
    expect(isPermissionError({ status: 403, message: 'Resource not accessible by integration', response: resp() })).toBe(true)
    expect(isPermissionError({ status: 403, message: 'secondary rate limit', response: resp() })).toBe(false)
    expect(isPermissionError({ status: 403, message: 'x', response: resp({ 'x-ratelimit-remaining': '0' }) })).toBe(false)
  })
})

describe('the pull request of an event', () => {
  const sha = 'c'.repeat(40)
  test.each<[string, Record<string, unknown>, unknown]>([
    ['pull_request', { number: 5, pull_request: { number: 5, head: { sha } } }, { number: 5, headSha: sha, source: 'event' }],
    ['pull_request_target', { pull_request: { number: 6, head: { sha } } }, { number: 6, headSha: sha, source: 'event' }],
    ['issue_comment', { issue: { number: 9, pull_request: { url: 'x' } } }, { number: 9, source: 'event' }],
    ['issue_comment', { issue: { number: 9 } }, undefined],
    ['workflow_run', { workflow_run: { head_sha: sha, pull_requests: [{ number: 11 }] } }, { number: 11, headSha: sha, source: 'workflow_run' }],
    ['workflow_run', { workflow_run: { head_sha: sha, pull_requests: [] } }, undefined],
    ['push', { ref: 'refs/heads/main' }, undefined],
    ['schedule', {}, undefined],
    ['pull_request', { pull_request: { number: -1 } }, undefined],
    ['pull_request', { pull_request: { number: '7' } }, undefined]
  ])('%s %j', (event, payload, expected) => {
    expect(pullRequestOf(event, payload)).toEqual(expected)
  })

  test('the triggering run of a workflow_run', () => {
    expect(triggeringRun({ workflow_run: { name: 'CI', head_sha: sha.toUpperCase(), event: 'pull_request' } })).toEqual({ workflow: 'CI', headSha: sha, event: 'pull_request' })
  })
})

describe('pr.json from an artifact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baf-prjson-'))
  const file = (name: string, value: unknown): string => {
    const p = join(dir, name)
    writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value))
    return p
  }

  test('keeps only checked fields', async () => {
    const p = file('ok.json', { version: 1, number: 42, headSha: 'D'.repeat(40), event: 'pull_request', runId: '123', extra: 'ignored', workflow: 'x'.repeat(500) })
    expect(await readPrArtifact(p)).toEqual({ version: 1, number: 42, headSha: 'd'.repeat(40), event: 'pull_request', runId: '123', repository: undefined, workflow: undefined })
  })

  test.each([
    ['garbage', 'not json', 'cannot read the PR file'],
    ['wrong version', { version: 2, number: 1 }, 'not a baf-action PR file'],
    ['bad number', { version: 1, number: 1.5 }, '"number" must be a positive integer'],
    ['string number', { version: 1, number: '7' }, '"number" must be a positive integer']
  ])('refuses %s', async (name, value, message) => {
    await expect(readPrArtifact(file(`${name}.json`, value))).rejects.toThrow(message)
  })

  test('a push run\'s file has no number', async () => {
    expect((await readPrArtifact(file('push.json', { version: 1, event: 'push' }))).number).toBeUndefined()
  })
})

describe('marker and comment size', () => {
  test('round trip; a workflow name cannot close the HTML comment', () => {
    const data = { workflow: 'CI --> <script>', key: 'k', digest: 'abc' }
    const m = marker(data)
    expect(m.indexOf('-->')).toBe(m.length - 3)
    expect(parseMarker(`body\n${m}\n`)).toEqual(data)
    expect(parseMarker('<!-- baf-action:report {broken -->')).toBeUndefined()
    expect(parseMarker('no marker')).toBeUndefined()
  })

  test('an oversized body is cut to the limit, outside any open <details>, marker kept', () => {
    const block = '<details><summary>x</summary>\n\n' + 'y'.repeat(1000) + '\n</details>\n'
    const body = '### ❌ verdict\n' + block.repeat(100)
    const out = composeComment(body, '<sub>footer</sub>', { workflow: 'CI', key: 'k', digest: 'd' })
    expect(out.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    expect(out.match(/<details>/g)?.length).toBe(out.match(/<\/details>/g)?.length)
    expect(out).toContain("cut at GitHub's 65,536-character limit")
    expect(parseMarker(out)).toEqual({ workflow: 'CI', key: 'k', digest: 'd' })
    expect(composeComment('short', '', { workflow: 'CI', key: 'k' })).toBe(`short\n${marker({ workflow: 'CI', key: 'k' })}\n`)
  })
})
