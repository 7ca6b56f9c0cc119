// dist/report/index.js and `baf report` run as the runner and users run them: INPUT_*, the event
// file, GITHUB_STEP_SUMMARY and GITHUB_API_URL pointing at a local stand-in for GitHub.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { marker, parseMarker } from '../../../src/github/sticky.js'
import { runAction, runCli } from '../../harness/run-action.js'
import { FakeGitHub } from './fake-github.js'

const BUNDLE = 'dist/report/index.js'
const TOKEN = 'ghs_bundleTestToken0123456789abcdefABCD'
const SHA = 'e'.repeat(40)
const PR = 12

let fake: FakeGitHub
beforeEach(async () => {
  fake = await new FakeGitHub().start()
})
afterEach(async () => {
  await fake.stop()
})

function stateDir(fixture = 'besu-3-probed'): string {
  const dir = mkdtempSync(join(tmpdir(), 'baf-report-state-'))
  copyFileSync(`test/fixtures/states/${fixture}.json`, join(dir, 'state.json'))
  return dir
}

interface Run {
  event: string
  payload: unknown
  inputs?: Record<string, string>
  workflow?: string
}

async function runReport({ event, payload, inputs = {}, workflow = 'CI' }: Run) {
  const dir = mkdtempSync(join(tmpdir(), 'baf-report-run-'))
  const eventPath = join(dir, 'event.json')
  const summary = join(dir, 'summary.md')
  writeFileSync(eventPath, JSON.stringify(payload))
  writeFileSync(summary, '')
  const r = await runAction(
    BUNDLE,
    { 'github-token': TOKEN, key: 'default', mode: 'create-or-update', summary: 'true', comment: 'true', 'report-dir': join(dir, 'report'), ...inputs },
    {
      env: {
        GITHUB_EVENT_NAME: event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_API_URL: fake.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_WORKFLOW: workflow,
        GITHUB_RUN_ID: '4242'
      }
    }
  )
  return { ...r, summary: readFileSync(summary, 'utf8'), dir }
}

const prEvent = { number: PR, pull_request: { number: PR, head: { sha: SHA } } }

test('pull_request: report files, job summary and a sticky comment; the token masked and never printed', async () => {
  const r = await runReport({ event: 'pull_request', payload: prEvent, inputs: { state: stateDir() } })
  expect(r.code).toBe(0)
  expect(r.stdout).toContain(`::add-mask::${TOKEN}`)
  expect(r.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN)
  for (const f of ['report.md', 'report.json', 'report.html', 'pr.json']) expect(existsSync(join(r.outputs['report-path'], f))).toBe(true)
  expect(JSON.parse(readFileSync(join(r.outputs['report-path'], 'pr.json'), 'utf8'))).toEqual({ version: 1, number: PR, headSha: SHA, repository: 'o/r', workflow: 'CI', runId: '4242', event: 'pull_request' })
  expect(r.outputs.verdict).toBe('fail')
  expect(r.summary.startsWith('### ❌ 3 of 41 checks failed')).toBe(true)
  expect(r.summary).toContain('```mermaid\nflowchart LR')
  const [comment] = fake.list(PR)
  expect(comment.body.startsWith('### ❌ 3 of 41 checks failed')).toBe(true)
  expect(comment.body).toContain('[run 4242](https://github.example/o/r/actions/runs/4242)')
  expect(parseMarker(comment.body)).toMatchObject({ workflow: 'CI', key: 'default' })
  expect(r.outputs['comment-id']).toBe(String(comment.id))
  expect(r.outputs['comment-url']).toBe(comment.html_url)
  expect(r.stdout).toMatch(/PR #12: comment created https:\/\/github\.example/)
  expect(fake.requests.every(q => q.authorization === `token ${TOKEN}`)).toBe(true)

  // a second run with the same state leaves the comment alone
  fake.requests.length = 0
  const again = await runReport({ event: 'pull_request', payload: prEvent, inputs: { state: stateDir() } })
  expect(again.stdout).toContain('PR #12: comment unchanged')
  expect(fake.requests.filter(q => q.method !== 'GET')).toEqual([])
  expect(again.outputs['comment-id']).toBe(String(comment.id))
}, 60_000)

test('push: no pull request, so no comment and no request; the summary is written', async () => {
  const r = await runReport({ event: 'push', payload: { ref: 'refs/heads/main' }, inputs: { state: stateDir('besu-3-green') } })
  expect(r.code).toBe(0)
  expect(r.stdout).toContain('event "push" has no pull request: no comment; the job summary has the report')
  expect(r.summary.startsWith('### ✅ 41/41 checks passed')).toBe(true)
  expect(r.outputs['comment-id']).toBeUndefined()
  expect(fake.requests).toEqual([])
})

test('a fork\'s token (403): a warning that explains the workflow_run fix, and the job does not fail', async () => {
  fake.faults.push({ match: 'POST /repos/o/r/issues/12/comments', status: 403, body: { message: 'Resource not accessible by integration' } })
  const r = await runReport({ event: 'pull_request', payload: prEvent, inputs: { state: stateDir() } })
  expect(r.code).toBe(0)
  expect(r.stdout).toMatch(/::warning::could not write the PR comment \(HTTP 403: Resource not accessible by integration\)\. A pull request from a fork gets a read-only GITHUB_TOKEN.*workflow_run/)
  expect(r.stderr).not.toMatch(/Unhandled|UnhandledPromiseRejection/)
  expect(r.summary.length).toBeGreaterThan(0)
})

test('500 then success: the comment is posted after a retry', async () => {
  fake.faults.push({ match: 'POST /repos/o/r/issues/12/comments', status: 500, times: 1 })
  const r = await runReport({ event: 'pull_request', payload: prEvent, inputs: { state: stateDir() } })
  expect(r.code).toBe(0)
  expect(r.stdout).toContain('GitHub API POST /repos/{owner}/{repo}/issues/{issue_number}/comments: HTTP 500; try 2 of 4')
  expect(fake.list(PR)).toHaveLength(1)
}, 60_000)

test('fork-safe flow: the pull_request job writes the artifact only; the workflow_run job posts it', async () => {
  const first = await runReport({ event: 'pull_request', payload: prEvent, inputs: { state: stateDir(), comment: 'false' } })
  expect(first.code).toBe(0)
  expect(fake.requests).toEqual([])
  // the artifact travels: download-artifact puts it in a fresh directory
  const artifact = mkdtempSync(join(tmpdir(), 'baf-artifact-'))
  for (const f of ['report.md', 'report.json', 'report.html', 'pr.json']) copyFileSync(join(first.outputs['report-path'], f), join(artifact, f))
  fake.pullHeads.set(PR, SHA)
  const payload = { workflow_run: { id: 99, name: 'CI', event: 'pull_request', head_sha: SHA, pull_requests: [] } }
  const second = await runReport({ event: 'workflow_run', payload, workflow: 'Post network report', inputs: { 'from-artifact': artifact } })
  expect(second.code).toBe(0)
  expect(second.outputs['report-path']).toBe(artifact)
  expect(second.outputs.verdict).toBe('fail')
  const [comment] = fake.list(PR)
  expect(comment.body.startsWith('### ❌ 3 of 41 checks failed')).toBe(true)
  // the same marker as a direct post from the CI workflow, and the link to the run that made the report
  expect(parseMarker(comment.body)).toMatchObject({ workflow: 'CI', key: 'default' })
  expect(comment.body).toContain('actions/runs/4242')
  expect(second.summary.startsWith('### ❌')).toBe(true)
}, 60_000)

test('mode delete removes the sticky comment', async () => {
  fake.seed(PR, 1, 'github-actions[bot]', () => `old\n${marker({ workflow: 'CI', key: 'default', digest: 'x' })}`)
  const r = await runReport({ event: 'pull_request', payload: prEvent, inputs: { state: stateDir(), mode: 'delete' } })
  expect(r.code).toBe(0)
  expect(fake.list(PR)).toEqual([])
  expect(r.stdout).toContain('comment deleted')
})

test('from-artifact without a report: fails and says what to download', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'baf-empty-artifact-'))
  const r = await runReport({ event: 'workflow_run', payload: { workflow_run: {} }, inputs: { 'from-artifact': empty } })
  expect(r.code).toBe(1)
  expect(r.stdout).toContain('no report in the artifact directory')
})

describe('baf report', () => {
  test('writes report.md, report.json and report.html and prints the verdict', async () => {
    const dir = stateDir()
    const out = join(mkdtempSync(join(tmpdir(), 'baf-cli-report-')), 'out')
    const r = await runCli(['report', '--state-dir', dir, '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('❌ 3 of 41 checks failed · besu 23.10.2 (qbft) on 3 clusters\n')
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toBe(readFileSync('test/unit/report/golden/besu-3-probed.md', 'utf8'))
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toMatchObject({ version: 1, verdict: { status: 'fail' } })
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    // the Mermaid bundle is inlined from dist/assets, so the page draws offline
    expect(html).toContain('__esbuild_esm_mermaid_nm')
    expect(r.stderr).not.toContain('Mermaid bundle was not found')
  })

  test('defaults --out to the state directory; a missing state says which command to run', async () => {
    const dir = stateDir('besu-3-planned')
    expect((await runCli(['report', '--state-dir', dir])).code).toBe(0)
    expect(existsSync(join(dir, 'report.html'))).toBe(true)
    const empty = join(mkdtempSync(join(tmpdir(), 'baf-cli-nostate-')), 'none')
    mkdirSync(empty)
    const r = await runCli(['report', '--state-dir', empty])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('no state file; run "baf up"')
  })
})
