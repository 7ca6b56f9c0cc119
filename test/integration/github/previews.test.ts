// Preview deployments, the pull-request check and the smoke issue, against Prism serving GitHub's
// own OpenAPI description: every request must be one GitHub's contract accepts (Prism answers 422
// with an `sl-violations` header otherwise), and each function must read GitHub's answers right.
// Named examples, chosen per request with Prism's `Prefer: example=...` header, let one server
// play several states (a merged PR, a deployment already inactive).

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { GitHubClient } from '../../../src/github/client.js'
import { destroyPreviewDeployments, previewEnvironment, recordPreviewDeployment } from '../../../src/github/deployments.js'
import { ISSUE_BODY_LIMIT, syncIssue } from '../../../src/github/issues.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import { startPrism, writeSpecSubset } from '../report/prism.js'

import type { Prism, Spec } from '../report/prism.js'

const TOKEN = 'ghs_prismContractToken0123456789abcdef'
const OWNER = 'octocat'
const REPO = 'Hello-World'
const SHA = 'a'.repeat(40)
/** the head commit of the description's pull-request example */
const EXAMPLE_HEAD = '6dcb09b5b57875f334f61aebed695e2e4193db5e'
const MERGED_HEAD = 'b'.repeat(40)
/** the description's issue example, which create and update answer with */
const EXAMPLE_ISSUE = 1347
const EXAMPLE_ISSUE_URL = 'https://github.com/octocat/Hello-World/issues/1347'
/** the description's deployment example */
const EXAMPLE_DEPLOYMENT = 1

const PATHS = [
  '/repos/{owner}/{repo}/pulls/{pull_number}',
  '/repos/{owner}/{repo}/deployments',
  '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
  '/repos/{owner}/{repo}/issues',
  '/repos/{owner}/{repo}/issues/{issue_number}',
  '/repos/{owner}/{repo}/issues/{issue_number}/comments'
]

/** the issue list example after the edit: a PR titled like a smoke cell, and one open smoke issue */
const PR_TITLE = 'nightly: fabric on k8s 1.30'
const OPEN_TITLE = 'nightly: besu on k8s 1.31'
const OPEN_NUMBER = 1348
const OPEN_BODY = '### ❌ 3 of 41 checks failed\nold report'

interface Seen {
  method: string
  path: string
  search: string
  status: number
  violations: string | null
  body?: Record<string, unknown>
}

let prism: Prism
const seen: Seen[] = []
/** `Prefer` headers to send, by "METHOD /path" */
const prefer = new Map<string, string>()

const recordingFetch: typeof fetch = async (input, init) => {
  const url = new URL(String(input))
  const method = init?.method ?? 'GET'
  const headers = new Headers(init?.headers)
  const wanted = prefer.get(`${method} ${url.pathname}`)
  if (wanted) headers.set('prefer', wanted)
  const res = await fetch(input, { ...init, headers })
  seen.push({
    method,
    path: url.pathname,
    search: url.search,
    status: res.status,
    violations: res.headers.get('sl-violations'),
    body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined
  })
  return res
}

type Responses = Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }>
const examplesOf = (spec: Spec, path: string, method: string, status: string): Record<string, unknown> =>
  ((spec.paths[path] as Record<string, { responses: Responses }>)[method].responses[status].content!['application/json'].examples ??= {})

function edit(spec: Spec): void {
  const ex = spec.components.examples
  // two previews of PR 7 and a production deployment the API would not list, to show it is never touched
  const [deployment] = ex['deployment-items'].value as Record<string, unknown>[]
  ex['deployment-items'].value = [
    { ...deployment, id: 11, environment: 'pr-7' },
    { ...deployment, id: 12, environment: 'pr-7' },
    { ...deployment, id: EXAMPLE_DEPLOYMENT, environment: 'production' }
  ]
  const [status] = ex['deployment-status-items'].value as Record<string, unknown>[]
  examplesOf(spec, '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 'get', '200').inactive = { value: [{ ...status, state: 'inactive' }] }

  const pr = ex['pull-request'].value as Record<string, unknown> & { head: Record<string, unknown> }
  examplesOf(spec, '/repos/{owner}/{repo}/pulls/{pull_number}', 'get', '200').merged = {
    value: { ...pr, state: 'closed', merged: true, merged_at: '2011-01-26T19:01:12Z', closed_at: '2011-01-26T19:01:12Z', head: { ...pr.head, sha: MERGED_HEAD } }
  }

  const [item] = ex['issue-items'].value as (Record<string, unknown> & { labels: Record<string, unknown>[] })[]
  const label = { ...item.labels[0], name: 'baf-smoke' }
  const issue: Record<string, unknown> = { ...item, number: OPEN_NUMBER, title: OPEN_TITLE, body: OPEN_BODY, labels: [label], html_url: `https://github.com/octocat/Hello-World/issues/${OPEN_NUMBER}` }
  delete issue.pull_request
  ex['issue-items'].value = [{ ...item, title: PR_TITLE, labels: [label] }, issue]
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baf-prism-github-'))
  const spec = join(dir, 'github-subset.json')
  writeSpecSubset(spec, edit, PATHS)
  prism = await startPrism(spec)
}, 90_000)

afterAll(async () => {
  await prism?.stop()
})

beforeEach(() => {
  seen.length = 0
  prefer.clear()
})

/** violations of our request; Prism also flags the description's own examples (location "response") */
function requestViolations(s: Seen): unknown[] {
  return s.violations ? (JSON.parse(s.violations) as { location: string[] }[]).filter(v => v.location[0] === 'request') : []
}

afterEach(() => {
  // every request reached a route and none broke GitHub's contract
  expect(seen.filter(s => s.status === 422 || requestViolations(s).length > 0)).toEqual([])
})

function client(): Promise<GitHubClient> {
  // Octokit's default Accept (application/vnd.github.v3+json) gets 406 from Prism; GitHub accepts both
  return GitHubClient.create({ token: TOKEN, baseUrl: prism.url, log: new MemoryLogger(), accept: 'application/json', fetch: recordingFetch, retry: { attempts: 1 } })
}

const calls = (): string[] => seen.map(s => `${s.method} ${s.path} ${s.status}`)
const writes = (): Seen[] => seen.filter(s => s.method !== 'GET')
const repoPath = `/repos/${OWNER}/${REPO}`

describe('pull request', () => {
  test('an open PR: state, merged and head commit from the description\'s example', async () => {
    expect(await (await client()).pullRequest(OWNER, REPO, 1347)).toEqual({ number: 1347, state: 'open', merged: false, headSha: EXAMPLE_HEAD })
    expect(calls()).toEqual([`GET ${repoPath}/pulls/1347 200`])
  })

  test('a merged PR reads as closed and merged, with its own head', async () => {
    prefer.set(`GET ${repoPath}/pulls/1347`, 'example=merged')
    expect(await (await client()).pullRequest(OWNER, REPO, 1347)).toEqual({ number: 1347, state: 'closed', merged: true, headSha: MERGED_HEAD })
  })
})

describe('preview deployments', () => {
  test('record: a transient, non-production deployment of pr-<N> at the commit, then a success status', async () => {
    const out = await recordPreviewDeployment(await client(), {
      owner: OWNER,
      repo: REPO,
      pr: 7,
      sha: SHA,
      environmentUrl: 'https://pr-7.preview.example.org',
      logUrl: 'https://github.com/octocat/Hello-World/actions/runs/42',
      description: 'besu, 3 clusters: ' + 'x'.repeat(200)
    })
    expect(out).toEqual({ id: EXAMPLE_DEPLOYMENT, environment: 'pr-7' })
    expect(calls()).toEqual([`POST ${repoPath}/deployments 201`, `POST ${repoPath}/deployments/${EXAMPLE_DEPLOYMENT}/statuses 201`])
    const [deployment, status] = seen
    expect(deployment.body).toEqual({
      ref: SHA,
      environment: 'pr-7',
      description: expect.stringMatching(/^besu, 3 clusters: x+…$/),
      auto_merge: false,
      required_contexts: [],
      transient_environment: true,
      production_environment: false
    })
    expect((deployment.body!.description as string).length).toBe(140)
    expect(status.body).toMatchObject({ state: 'success', environment_url: 'https://pr-7.preview.example.org', log_url: 'https://github.com/octocat/Hello-World/actions/runs/42', auto_inactive: true })
  })

  test('record: GitHub\'s 202 (merged the default branch, created nothing) is a clear error, and no status is posted', async () => {
    prefer.set(`POST ${repoPath}/deployments`, 'code=202')
    await expect(recordPreviewDeployment(await client(), { owner: OWNER, repo: REPO, pr: 7, sha: SHA })).rejects.toThrow(
      `GitHub created no deployment of pr-7 at ${SHA.slice(0, 12)}: "Auto-merged master into topic-branch on deployment."`
    )
    expect(calls()).toEqual([`POST ${repoPath}/deployments 202`])
  })

  test('destroy: lists pr-<N>\'s deployments and marks each inactive; another environment is never touched', async () => {
    const marked = await destroyPreviewDeployments(await client(), { owner: OWNER, repo: REPO, pr: 7, logUrl: 'https://github.com/octocat/Hello-World/actions/runs/43' })
    expect(marked).toBe(2)
    expect(seen[0]).toMatchObject({ method: 'GET', path: `${repoPath}/deployments`, search: `?environment=${previewEnvironment(7)}&per_page=100&page=1` })
    expect(writes().map(s => `${s.method} ${s.path}`)).toEqual([`POST ${repoPath}/deployments/11/statuses`, `POST ${repoPath}/deployments/12/statuses`])
    for (const w of writes()) expect(w.body).toMatchObject({ state: 'inactive', log_url: 'https://github.com/octocat/Hello-World/actions/runs/43' })
    expect(seen.some(s => s.path.includes(`/deployments/${EXAMPLE_DEPLOYMENT}/`))).toBe(false)
  })

  test('destroy: a deployment whose newest status is already inactive gets no second one', async () => {
    prefer.set(`GET ${repoPath}/deployments/12/statuses`, 'example=inactive')
    expect(await destroyPreviewDeployments(await client(), { owner: OWNER, repo: REPO, pr: 7 })).toBe(1)
    expect(writes().map(s => s.path)).toEqual([`${repoPath}/deployments/11/statuses`])
    expect(seen.filter(s => s.path.endsWith('/statuses') && s.method === 'GET').map(s => s.search)).toEqual(['?per_page=1&page=1', '?per_page=1&page=1'])
  })
})

describe('smoke issue', () => {
  const sync = async (title: string, failed: boolean, body = '### ❌ 1 of 41 checks failed') => syncIssue(await client(), { owner: OWNER, repo: REPO, title, body, failed })

  test('failed, none open: opens the issue with the title and the label', async () => {
    expect(await sync('nightly: quorum on k8s 1.29', true)).toEqual({ action: 'opened', number: EXAMPLE_ISSUE, url: EXAMPLE_ISSUE_URL })
    expect(calls()).toEqual([`GET ${repoPath}/issues 200`, `POST ${repoPath}/issues 201`])
    expect(seen[0].search).toBe('?state=open&labels=baf-smoke&sort=created&direction=asc&per_page=100&page=1')
    expect(seen[1].body).toEqual({ title: 'nightly: quorum on k8s 1.29', body: '### ❌ 1 of 41 checks failed', labels: ['baf-smoke'] })
  })

  test('failed, one open with the same title: updates its body in place', async () => {
    expect(await sync(OPEN_TITLE, true)).toMatchObject({ action: 'updated', number: OPEN_NUMBER })
    expect(writes().map(s => `${s.method} ${s.path} ${s.status}`)).toEqual([`PATCH ${repoPath}/issues/${OPEN_NUMBER} 200`])
    expect(writes()[0].body).toEqual({ body: '### ❌ 1 of 41 checks failed' })
  })

  test('failed with the body the issue already has: nothing is written', async () => {
    expect(await sync(OPEN_TITLE, true, OPEN_BODY)).toMatchObject({ action: 'unchanged', number: OPEN_NUMBER })
    expect(writes()).toEqual([])
  })

  test('passed, one open: comments that it passes again, then closes it as completed', async () => {
    expect(await sync(OPEN_TITLE, false, '### ✅ 41/41 checks passed')).toMatchObject({ action: 'closed', number: OPEN_NUMBER })
    expect(writes().map(s => `${s.method} ${s.path} ${s.status}`)).toEqual([`POST ${repoPath}/issues/${OPEN_NUMBER}/comments 201`, `PATCH ${repoPath}/issues/${OPEN_NUMBER} 200`])
    const [comment, close] = writes()
    expect(comment.body!.body).toMatch(/^✅ \*\*Passes again\*\*.*\n\n### ✅ 41\/41 checks passed$/s)
    expect(close.body).toEqual({ state: 'closed', state_reason: 'completed' })
  })

  test('a pull request with the same title is not the issue: failed opens a new one, passed closes nothing', async () => {
    expect(await sync(PR_TITLE, true)).toMatchObject({ action: 'opened' })
    expect(writes().map(s => `${s.method} ${s.path}`)).toEqual([`POST ${repoPath}/issues`])
    seen.length = 0
    expect(await sync(PR_TITLE, false)).toEqual({ action: 'none' })
    expect(writes()).toEqual([])
  })

  test('passed, none open: nothing but the list', async () => {
    expect(await sync('nightly: quorum on k8s 1.29', false)).toEqual({ action: 'none' })
    expect(calls()).toEqual([`GET ${repoPath}/issues 200`])
  })

  test('a body beyond GitHub\'s limit is cut, with a note, and GitHub\'s contract still accepts it', async () => {
    const long = '### ❌ many failures\n' + '<details><summary>f</summary>\n\n' + 'y'.repeat(80_000) + '\n</details>\n'
    expect(await sync(OPEN_TITLE, true, long)).toMatchObject({ action: 'updated' })
    const sent = writes()[0].body!.body as string
    expect(sent.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT)
    expect(sent.startsWith('### ❌ many failures\n')).toBe(true)
    expect(sent).not.toContain('<details>')
    expect(sent).toContain("Cut at GitHub's 65,536-character limit")
  })

  test('a label of our own is used for the search and the new issue', async () => {
    await syncIssue(await client(), { owner: OWNER, repo: REPO, title: 'nightly: x', body: 'b', failed: true, label: 'smoke:aks' })
    expect(new URLSearchParams(seen[0].search).get('labels')).toBe('smoke:aks')
    expect(seen[1].body).toMatchObject({ labels: ['smoke:aks'] })
  })
})

test('negative control: Prism does reject a malformed deployment (so the checks above mean something)', async () => {
  const c = await client()
  await expect(c.octokit.request('POST /repos/{owner}/{repo}/deployments', { owner: OWNER, repo: REPO, ref: SHA, transient_environment: 'yes' as unknown as boolean })).rejects.toMatchObject({ status: 422 })
  const bad = seen.pop()!
  expect(requestViolations(bad)).toEqual([expect.objectContaining({ location: ['request', 'body', 'transient_environment'], code: 'type' })])
})
