// The sticky comment against a local stand-in for GitHub on 127.0.0.1: create, update, unchanged,
// pagination past 100 comments, recreate, delete, and the faults Prism cannot play (403 from a
// fork's token, 5xx, secondary rate limits, a request that never answers), all bounded.

import { MemoryLogger } from '../../../src/log/logger.js'
import { digest, marker, parseMarker, StickyComment } from '../../../src/github/sticky.js'
import { GitHubClient } from '../../../src/github/client.js'
import { FORK_HINT, publishComment } from '../../../src/report/publish.js'
import { FakeGitHub } from './fake-github.js'

import type { PublishOpts } from '../../../src/report/publish.js'

const TOKEN = 'ghs_fakeInstallationToken0123456789abcdef'
const REPO = { owner: 'o', repo: 'r' }
const PR = 7
const SHA = 'a'.repeat(40)
const BOT = 'github-actions[bot]'

let fake: FakeGitHub
let log: MemoryLogger
const sleeps: number[] = []
const unhandled: unknown[] = []
const onUnhandled = (e: unknown): void => void unhandled.push(e)

beforeAll(() => process.on('unhandledRejection', onUnhandled))
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})

beforeEach(async () => {
  fake = await new FakeGitHub().start()
  log = new MemoryLogger()
  sleeps.length = 0
})

afterEach(async () => {
  await fake.stop()
  // the token is sent, never logged
  expect(log.lines.join('\n')).not.toContain(TOKEN)
  expect(unhandled).toEqual([])
})

function opts(over: Partial<PublishOpts> = {}): PublishOpts {
  return {
    body: '### ✅ all good\n\nreport body',
    footer: '<sub>run 1</sub>',
    token: TOKEN,
    apiUrl: fake.url,
    eventName: 'pull_request',
    payload: { pull_request: { number: PR, head: { sha: SHA } } },
    repository: REPO,
    workflow: 'CI',
    key: 'default',
    mode: 'create-or-update',
    log,
    client: {
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxWaitMs: 5_000 },
      timeoutMs: 2_000,
      sleep: async ms => void sleeps.push(ms)
    },
    ...over
  }
}

const writes = (): string[] => fake.requests.filter(r => r.method !== 'GET').map(r => `${r.method} ${r.path.replace(/\?.*/, '')}`)

describe('sticky comment flows', () => {
  test('created when absent, with the marker, the footer and the token in the Authorization header', async () => {
    const out = await publishComment(opts())
    expect(out).toMatchObject({ status: 'posted', pr: PR, result: { action: 'created' } })
    const [c] = fake.list(PR)
    expect(c.body.startsWith('### ✅ all good')).toBe(true)
    expect(c.body).toContain('<sub>run 1</sub>')
    expect(parseMarker(c.body)).toEqual({ workflow: 'CI', key: 'default', digest: digest('### ✅ all good\n\nreport body') })
    expect(fake.requests.every(r => r.authorization === `token ${TOKEN}`)).toBe(true)
    if (out.status === 'posted') expect(out.result).toMatchObject({ id: c.id, url: c.html_url })
  })

  test('updated in place when the report changed; left alone when it did not (the footer does not count)', async () => {
    await publishComment(opts())
    const id = fake.list(PR)[0].id
    const changed = await publishComment(opts({ body: '### ❌ broken now' }))
    expect(changed).toMatchObject({ status: 'posted', result: { action: 'updated', id } })
    expect(fake.list(PR)).toHaveLength(1)
    expect(fake.list(PR)[0].body).toContain('broken now')
    fake.requests.length = 0
    const same = await publishComment(opts({ body: '### ❌ broken now', footer: '<sub>run 2</sub>' }))
    expect(same).toMatchObject({ status: 'posted', result: { action: 'unchanged', id } })
    expect(writes()).toEqual([])
  })

  test('another key or workflow gets its own comment', async () => {
    await publishComment(opts())
    await publishComment(opts({ key: 'nightly' }))
    await publishComment(opts({ workflow: 'Preview' }))
    expect(fake.list(PR).map(c => parseMarker(c.body))).toEqual([
      expect.objectContaining({ workflow: 'CI', key: 'default' }),
      expect.objectContaining({ workflow: 'CI', key: 'nightly' }),
      expect.objectContaining({ workflow: 'Preview', key: 'default' })
    ])
  })

  test('found on page 3 of 250 comments; a copy of the marker by another user is ignored', async () => {
    fake.seed(PR, 120, 'alice')
    fake.seed(PR, 1, 'mallory', () => `fake ${marker({ workflow: 'CI', key: 'default' })}`)
    fake.seed(PR, 109, 'bob')
    const [ours] = fake.seed(PR, 1, BOT, () => `old report\n${marker({ workflow: 'CI', key: 'default', digest: 'old' })}`)
    fake.seed(PR, 19, 'carol')
    expect(fake.list(PR)).toHaveLength(250)
    const out = await publishComment(opts())
    expect(out).toMatchObject({ status: 'posted', result: { action: 'updated', id: ours.id } })
    const pages = fake.requests.filter(r => r.method === 'GET' && r.path.includes('/issues/7/comments')).map(r => new URL(r.path, fake.url).searchParams)
    expect(pages.map(p => [p.get('per_page'), p.get('page')])).toEqual([
      ['100', '1'],
      ['100', '2'],
      ['100', '3']
    ])
    expect(fake.list(PR).find(c => c.user.login === 'mallory')!.body).toMatch(/^fake/)
  })

  test('recreate deletes every earlier copy and posts a new one; delete removes them', async () => {
    fake.seed(PR, 2, BOT, i => `copy ${i}\n${marker({ workflow: 'CI', key: 'default', digest: String(i) })}`)
    const out = await publishComment(opts({ mode: 'recreate' }))
    expect(out).toMatchObject({ status: 'posted', result: { action: 'recreated', deleted: 2 } })
    expect(fake.list(PR)).toHaveLength(1)
    const gone = await publishComment(opts({ mode: 'delete' }))
    expect(gone).toMatchObject({ status: 'posted', result: { action: 'deleted', deleted: 1 } })
    expect(fake.list(PR)).toEqual([])
    expect(await publishComment(opts({ mode: 'delete' }))).toMatchObject({ status: 'posted', result: { action: 'absent', deleted: 0 } })
  })

  test('a personal token finds its comments by its own login', async () => {
    fake.login = 'octo-dev'
    fake.seed(PR, 1, 'octo-dev', () => `old\n${marker({ workflow: 'CI', key: 'default', digest: 'x' })}`)
    fake.seed(PR, 1, BOT, () => `bot's\n${marker({ workflow: 'CI', key: 'default', digest: 'y' })}`)
    const out = await publishComment(opts())
    expect(out).toMatchObject({ result: { action: 'updated', id: fake.list(PR)[0].id } })
  })

  test('GITHUB_API_URL with a path (GitHub Enterprise Server) is the base of every request', async () => {
    await publishComment(opts({ apiUrl: `${fake.url}/api/v3/` }))
    expect(fake.requests.length).toBeGreaterThan(0)
    expect(fake.requests.every(r => r.path.startsWith('/api/v3/repos/') || r.path === '/api/v3/user')).toBe(true)
  })
})

describe('which pull request', () => {
  test('push and schedule: no comment, no request', async () => {
    for (const eventName of ['push', 'schedule', 'workflow_dispatch']) {
      const out = await publishComment(opts({ eventName, payload: { ref: 'refs/heads/main' } }))
      expect(out).toEqual({ status: 'skipped', reason: `event "${eventName}" has no pull request: no comment; the job summary has the report` })
    }
    expect(fake.requests).toEqual([])
  })

  test('workflow_run from a fork: the artifact names the PR, checked against the head the triggering run built', async () => {
    fake.pullHeads.set(PR, SHA)
    const payload = { workflow_run: { name: 'CI', head_sha: SHA, event: 'pull_request', pull_requests: [] } }
    const artifact = { version: 1 as const, number: PR, headSha: SHA, event: 'pull_request' }
    const out = await publishComment(opts({ eventName: 'workflow_run', payload, workflow: 'Post report', artifact }))
    expect(out).toMatchObject({ status: 'posted', pr: PR, result: { action: 'created' } })
    // the marker names the workflow that made the report, so both flows share one comment
    expect(parseMarker(fake.list(PR)[0].body)?.workflow).toBe('CI')
  })

  test('workflow_run: an artifact naming another PR (whose head differs) is refused', async () => {
    fake.pullHeads.set(8, 'b'.repeat(40))
    const payload = { workflow_run: { name: 'CI', head_sha: SHA, pull_requests: [] } }
    const out = await publishComment(opts({ eventName: 'workflow_run', payload, artifact: { version: 1, number: 8, headSha: SHA } }))
    expect(out.status).toBe('warning')
    if (out.status === 'warning') expect(out.message).toContain('is not the commit')
    expect(writes()).toEqual([])
  })
})

describe('faults', () => {
  test('403 from a fork\'s token: one try, a warning that explains the workflow_run fix', async () => {
    fake.faults.push({ match: 'POST /repos/o/r/issues/7/comments', status: 403, body: { message: 'Resource not accessible by integration' } })
    const out = await publishComment(opts())
    expect(out).toEqual({ status: 'warning', message: expect.stringContaining(FORK_HINT) })
    if (out.status === 'warning') expect(out.message).toContain('HTTP 403: Resource not accessible by integration')
    expect(fake.requests.filter(r => r.method === 'POST')).toHaveLength(1)
  })

  test('500 twice, then success: retried with growing backoff', async () => {
    fake.faults.push({ match: 'POST /repos/o/r/issues/7/comments', status: 502, times: 1 }, { match: 'POST /repos/o/r/issues/7/comments', status: 500, times: 1 })
    const out = await publishComment(opts())
    expect(out).toMatchObject({ status: 'posted', result: { action: 'created' } })
    expect(fake.requests.filter(r => r.method === 'POST').map(r => r.status)).toEqual([502, 500, 201])
    expect(sleeps).toEqual([5, 10])
    expect(log.lines.some(l => /HTTP 502; try 2 of 3/.test(l))).toBe(true)
  })

  test('500 for ever: gives up after the policy\'s tries, as a warning', async () => {
    fake.faults.push({ match: 'GET /repos/o/r/issues/7/comments', status: 503, times: 100 })
    const out = await publishComment(opts())
    expect(out).toEqual({ status: 'warning', message: expect.stringMatching(/could not write the PR comment \(HTTP 503/) })
    expect(fake.requests.filter(r => r.path.includes('/comments'))).toHaveLength(3)
  })

  test('secondary rate limit: waits what retry-after says, then succeeds', async () => {
    fake.faults.push({ match: 'POST', status: 403, headers: { 'retry-after': '2' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } })
    const out = await publishComment(opts())
    expect(out).toMatchObject({ status: 'posted', result: { action: 'created' } })
    expect(sleeps).toEqual([2000])
  })

  test('a rate limit that asks for longer than the budget is not waited for', async () => {
    fake.faults.push({ match: 'POST', status: 429, headers: { 'retry-after': '3600' }, body: { message: 'secondary rate limit' } })
    const out = await publishComment(opts())
    expect(out.status).toBe('warning')
    expect(sleeps).toEqual([])
  })

  test('a request that never answers times out, is retried, and the call ends within its bounds', async () => {
    fake.faults.push({ match: 'GET /repos/o/r/issues/7/comments', hang: true, times: 10 })
    const started = Date.now()
    const out = await publishComment(opts({ client: { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5, maxWaitMs: 1000 }, timeoutMs: 300, sleep: async ms => void sleeps.push(ms) } }))
    expect(out).toEqual({ status: 'warning', message: expect.stringContaining('timed out') })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(fake.requests.filter(r => r.status === -1)).toHaveLength(2)
  })

  test('no token: a warning, no request', async () => {
    expect(await publishComment(opts({ token: '' }))).toMatchObject({ status: 'warning' })
    expect(fake.requests).toEqual([])
  })
})

test('StickyComment.find keeps only our marker for this workflow and key', async () => {
  fake.seed(PR, 1, BOT, () => `a\n${marker({ workflow: 'CI', key: 'other' })}`)
  fake.seed(PR, 1, BOT, () => 'no marker at all')
  fake.seed(PR, 1, BOT, () => `b\n${marker({ workflow: 'CI', key: 'default', digest: 'd' })}`)
  const client = await GitHubClient.create({ token: TOKEN, baseUrl: fake.url, log })
  const found = await new StickyComment({ client, log, ...REPO, issue: PR, workflow: 'CI', key: 'default' }).find()
  expect(found.map(c => c.body)).toEqual([expect.stringMatching(/^b\n/)])
})
