// The report action's issue step when GitHub refuses: a stub fetch answers as GitHub does to a
// token without `issues: write` (403), to a repository the token cannot see (404), with issues
// turned off (410) and with a server error. Each becomes a warning, never a thrown error, and the
// token never reaches the log.

import { ISSUES_PERMISSION_HINT, publishIssue } from '../../../src/github/issues.js'
import { MemoryLogger } from '../../../src/log/logger.js'

import type { PublishIssueOpts } from '../../../src/github/issues.js'

const TOKEN = 'ghs_stubInstallationToken0123456789abcdef'
const API = 'http://127.0.0.1:9'

interface Call {
  method: string
  path: string
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> }

/** answers with `answer(method, path)`, or every request with `status` and GitHub's error body; records what was asked */
function stub(status: number, message: string, headers: Record<string, string> = {}, answer?: (method: string, path: string) => Answer | undefined): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input))
    if (url.origin !== API) throw new Error(`request outside the stub: ${url.origin}`)
    const method = init?.method ?? 'GET'
    calls.push({ method, path: url.pathname })
    const a = answer?.(method, url.pathname) ?? { status, body: { message, documentation_url: 'https://docs.github.com/rest' }, headers }
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'content-type': 'application/json; charset=utf-8', ...a.headers } })
  }
  return { fetch, calls }
}

let log: MemoryLogger

beforeEach(() => {
  log = new MemoryLogger()
})

afterEach(() => {
  expect(log.lines.join('\n')).not.toContain(TOKEN)
})

function opts(fetch: typeof globalThis.fetch, over: Partial<PublishIssueOpts> = {}): PublishIssueOpts {
  return {
    title: 'nightly: besu on k8s 1.31',
    body: '### ❌ 1 of 41 checks failed',
    failed: true,
    token: TOKEN,
    apiUrl: API,
    repository: { owner: 'o', repo: 'r' },
    log,
    client: { fetch, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 100 }, sleep: async () => undefined, timeoutMs: 2_000 },
    ...over
  }
}

test.each([
  [403, 'Resource not accessible by integration'],
  [404, 'Not Found']
])('%i on the first request: a warning that names the issues: write permission, one try', async (status, message) => {
  const { fetch, calls } = stub(status, message)
  const out = await publishIssue(opts(fetch))
  expect(out).toEqual({ status: 'warning', message: expect.stringContaining(`HTTP ${status}: ${message}`) })
  if (out.status === 'warning') expect(out.message).toContain(ISSUES_PERMISSION_HINT)
  expect(ISSUES_PERMISSION_HINT).toContain('issues: write')
  expect(calls).toEqual([{ method: 'GET', path: '/repos/o/r/issues' }])
})

test('a passing run whose comment and close are refused (a token that may read issues only) is a warning too', async () => {
  const open = { number: 5, title: 'nightly: besu on k8s 1.31', body: 'old', state: 'open', html_url: 'https://github.com/o/r/issues/5' }
  const { fetch, calls } = stub(403, 'Resource not accessible by integration', {}, (method, path) => (method === 'GET' && path === '/repos/o/r/issues' ? { status: 200, body: [open] } : undefined))
  const out = await publishIssue(opts(fetch, { failed: false }))
  expect(out).toMatchObject({ status: 'warning', message: expect.stringContaining('issues: write') })
  expect(calls).toEqual([{ method: 'GET', path: '/repos/o/r/issues' }, { method: 'POST', path: '/repos/o/r/issues/5/comments' }])
})

test('issues turned off (410): a warning that says so', async () => {
  const { fetch } = stub(410, 'Issues are disabled for this repo')
  const out = await publishIssue(opts(fetch))
  expect(out).toMatchObject({ status: 'warning', message: expect.stringContaining('issues are turned off in this repository') })
})

test('a server error is retried within the policy, then a warning without the permission hint', async () => {
  const { fetch, calls } = stub(502, 'Bad Gateway')
  const out = await publishIssue(opts(fetch))
  expect(calls).toHaveLength(2)
  expect(out).toMatchObject({ status: 'warning', message: expect.stringContaining('HTTP 502') })
  if (out.status === 'warning') expect(out.message).not.toContain('issues: write')
})

test('a secondary rate limit 403 is not taken for a missing permission', async () => {
  const { fetch, calls } = stub(403, 'You have exceeded a secondary rate limit', { 'retry-after': '0' })
  const out = await publishIssue(opts(fetch))
  expect(calls).toHaveLength(2)
  expect(out).toMatchObject({ status: 'warning' })
  if (out.status === 'warning') expect(out.message).not.toContain('issues: write')
})

test('no token: a warning and no request; no repository: skipped', async () => {
  const { fetch, calls } = stub(500, 'unused')
  expect(await publishIssue(opts(fetch, { token: '' }))).toMatchObject({ status: 'warning', message: expect.stringContaining('github-token input is empty') })
  expect(await publishIssue(opts(fetch, { repository: undefined }))).toMatchObject({ status: 'skipped' })
  expect(calls).toEqual([])
})

test('a mistake of ours is not hidden as a warning', async () => {
  const { fetch } = stub(200, 'unused')
  await expect(publishIssue(opts(fetch, { title: '   ' }))).rejects.toThrow('the issue title is empty')
})
