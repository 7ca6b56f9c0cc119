// The GitHub client's requests, checked by Prism against GitHub's own OpenAPI description: every
// request the sticky comment makes must be one GitHub's contract accepts (a 422 with an
// `sl-violations` header would mean we sent something malformed).

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { GitHubClient } from '../../../src/github/client.js'
import { digest, marker, StickyComment } from '../../../src/github/sticky.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import { publishComment } from '../../../src/report/publish.js'
import { startPrism, writeSpecSubset } from './prism.js'

import type { Prism } from './prism.js'

const TOKEN = 'ghs_prismContractToken0123456789abcdef'
const SAME_BODY = '### ✅ 41/41 checks passed · besu 23.10.2 (qbft) on 3 clusters'
/** the head commit of the description's pull-request example */
const EXAMPLE_HEAD = '6dcb09b5b57875f334f61aebed695e2e4193db5e'

interface Seen {
  method: string
  url: string
  status: number
  violations: string | null
}

let prism: Prism
const seen: Seen[] = []
const recordingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init)
  seen.push({ method: init?.method ?? 'GET', url: String(input), status: res.status, violations: res.headers.get('sl-violations') })
  return res
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baf-prism-'))
  const spec = join(dir, 'github-subset.json')
  // the list example's one comment (by octocat, the /user example's login) carries our marker for
  // key "update-me", so the same server plays both "absent" (other keys) and "present"
  writeSpecSubset(spec, s => {
    const items = s.components.examples['issue-comment-items'].value as { body: string }[]
    items[0].body = `${SAME_BODY}\n${marker({ workflow: 'CI', key: 'update-me', digest: digest(SAME_BODY) })}`
  })
  prism = await startPrism(spec)
}, 90_000)

afterAll(async () => {
  await prism?.stop()
})

beforeEach(() => {
  seen.length = 0
})

/** violations of our request; Prism also flags the description's own examples (location "response") */
function requestViolations(s: Seen): unknown[] {
  return s.violations ? (JSON.parse(s.violations) as { location: string[] }[]).filter(v => v.location[0] === 'request') : []
}

afterEach(() => {
  // every request reached a route and none broke GitHub's contract
  expect(seen.filter(s => s.status === 422 || requestViolations(s).length > 0)).toEqual([])
  expect(seen.every(s => s.url.startsWith(prism.url))).toBe(true)
})

function client(log = new MemoryLogger()): Promise<GitHubClient> {
  // Octokit's default Accept (application/vnd.github.v3+json) gets 406 from Prism; GitHub accepts both
  return GitHubClient.create({ token: TOKEN, baseUrl: prism.url, log, accept: 'application/json', fetch: recordingFetch, retry: { attempts: 1 } })
}

function sticky(c: GitHubClient, key: string): StickyComment {
  return new StickyComment({ client: c, log: new MemoryLogger(), owner: 'octocat', repo: 'Hello-World', issue: 1347, workflow: 'CI', key })
}

const calls = (): string[] => seen.map(s => `${s.method} ${new URL(s.url).pathname} ${s.status}`)

test('create when absent: list, then POST a valid comment (201)', async () => {
  const result = await sticky(await client(), 'fresh').apply('create-or-update', '### ❌ 1 of 41 checks failed')
  expect(result).toMatchObject({ action: 'created', id: 1 })
  expect(calls()).toEqual(['GET /user 200', 'GET /repos/octocat/Hello-World/issues/1347/comments 200', 'POST /repos/octocat/Hello-World/issues/1347/comments 201'])
})

test('update when present: PATCH the comment that carries our marker (200)', async () => {
  const result = await sticky(await client(), 'update-me').apply('create-or-update', '### ❌ something changed')
  expect(result).toMatchObject({ action: 'updated', id: 1 })
  expect(calls()).toContain('PATCH /repos/octocat/Hello-World/issues/comments/1 200')
})

test('unchanged: the marker\'s digest matches, nothing is written', async () => {
  const result = await sticky(await client(), 'update-me').apply('create-or-update', SAME_BODY)
  expect(result).toMatchObject({ action: 'unchanged', id: 1 })
  expect(seen.map(s => s.method)).toEqual(['GET', 'GET'])
})

test('delete and recreate modes: DELETE (204), then POST', async () => {
  expect(await sticky(await client(), 'update-me').apply('delete', 'x')).toMatchObject({ action: 'deleted', deleted: 1 })
  expect(calls()).toContain('DELETE /repos/octocat/Hello-World/issues/comments/1 204')
  seen.length = 0
  expect(await sticky(await client(), 'update-me').apply('recreate', 'new')).toMatchObject({ action: 'recreated', deleted: 1 })
  expect(calls().slice(-2)).toEqual(['DELETE /repos/octocat/Hello-World/issues/comments/1 204', 'POST /repos/octocat/Hello-World/issues/1347/comments 201'])
})

test('pagination parameters are valid (per_page=100, page=N)', async () => {
  const c = await client()
  const all = await c.listComments('octocat', 'Hello-World', 1347)
  expect(all).toHaveLength(1)
  const { status } = await c.octokit.rest.issues.listComments({ owner: 'octocat', repo: 'Hello-World', issue_number: 1347, per_page: 100, page: 3 })
  expect(status).toBe(200)
  expect(seen.map(s => new URL(s.url).search)).toEqual(['?per_page=100&page=1', '?per_page=100&page=3'])
})

test('a workflow_run posts a fork\'s artifact after checking the PR head (GET pulls)', async () => {
  const out = await publishComment({
    body: '### ✅ from the artifact',
    token: TOKEN,
    apiUrl: prism.url,
    eventName: 'workflow_run',
    payload: { workflow_run: { name: 'CI', head_sha: EXAMPLE_HEAD, pull_requests: [] } },
    repository: { owner: 'octocat', repo: 'Hello-World' },
    workflow: 'Post report',
    key: 'fork',
    mode: 'create-or-update',
    artifact: { version: 1, number: 1347, headSha: EXAMPLE_HEAD },
    log: new MemoryLogger(),
    client: { accept: 'application/json', fetch: recordingFetch, retry: { attempts: 1 } }
  })
  expect(out).toMatchObject({ status: 'posted', pr: 1347, result: { action: 'created' } })
  expect(calls()).toContain('GET /repos/octocat/Hello-World/pulls/1347 200')
})

test('a fork\'s pull_request: GitHub answers the comment POST with 403, which becomes a warning explaining the workflow_run fix, not a failure', async () => {
  // Prism plays GitHub's documented 403 for this operation when asked for it
  const forbiddenPost: typeof fetch = (input, init) =>
    (init?.method ?? 'GET') === 'POST' && new URL(String(input)).pathname.endsWith('/comments') ? recordingFetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), prefer: 'code=403' } }) : recordingFetch(input, init)
  const log = new MemoryLogger()
  const out = await publishComment({
    body: '### ❌ from a fork',
    token: TOKEN,
    apiUrl: prism.url,
    eventName: 'pull_request',
    payload: { pull_request: { number: 1347, head: { sha: EXAMPLE_HEAD, repo: { fork: true } } } },
    repository: { owner: 'octocat', repo: 'Hello-World' },
    workflow: 'CI',
    key: 'fork-403',
    mode: 'create-or-update',
    log,
    client: { accept: 'application/json', fetch: forbiddenPost, retry: { attempts: 1 } }
  })
  expect(calls()).toContain('POST /repos/octocat/Hello-World/issues/1347/comments 403')
  expect(out.status).toBe('warning')
  expect((out as { message: string }).message).toMatch(/^could not write the PR comment \(.*403.*\)\. .*workflow_run/)
})

test('negative control: Prism does reject a malformed comment (so the checks above mean something)', async () => {
  const c = await client()
  await expect(c.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'o', repo: 'r', issue_number: 1, body: 42 as unknown as string })).rejects.toMatchObject({ status: 422 })
  const bad = seen.pop()!
  expect(requestViolations(bad)).toEqual([expect.objectContaining({ location: ['request', 'body', 'body'], code: 'type' })])
})
