// One issue per failing nightly smoke cell, found again by its exact title among the open issues
// carrying our label: a failed run opens it or refreshes its body, a passing run closes it with a
// comment. Scheduled runs have no pull request to comment on, so the issue is where a broken
// nightly stays visible until it passes again.

import { GitHubClient } from './client.js'
import { describe, isPermissionError } from './retry.js'
import { GITHUB_COMMENT_LIMIT } from '../report/markdown.js'

import type { Logger } from '../log/logger.js'
import type { GitHubClientOpts, Issue } from './client.js'
import type { ApiErrorLike } from './retry.js'

export const DEFAULT_ISSUE_LABEL = 'baf-smoke'

/** GitHub's limit on an issue body, the same as a comment's */
export const ISSUE_BODY_LIMIT = GITHUB_COMMENT_LIMIT

export const ISSUES_PERMISSION_HINT =
  'The token needs `issues: write` to open, update and close the issue: add `permissions: issues: write` to the job ' +
  '(a job that sets `permissions` gets only what it lists), or pass a token that has it as `github-token`.'

export interface SyncIssueOpts {
  owner: string
  repo: string
  title: string
  body: string
  failed: boolean
  /** the label the issue carries and is found by; `baf-smoke` when absent */
  label?: string
}

export type SyncIssueResult = { action: 'opened' | 'updated' | 'closed' | 'unchanged' | 'none'; number?: number; url?: string }

const TRUNCATED = '\n\n> ✂️ Cut at GitHub\'s 65,536-character limit; the job summary and the report artifact of the run have all of it.\n'

/** the body within GitHub's limit, never cut inside a surrogate pair or an open <details> */
export function fitIssueBody(body: string, limit = ISSUE_BODY_LIMIT): string {
  if (body.length <= limit) return body
  let cut = body.slice(0, Math.max(0, limit - TRUNCATED.length))
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  const open = cut.lastIndexOf('<details')
  if (open > cut.lastIndexOf('</details>')) cut = cut.slice(0, open)
  return cut + TRUNCATED
}

/** GitHub stores bodies with \n line ends; compared that way so an unchanged report writes nothing */
const sameBody = (a: string | null | undefined, b: string): boolean => (a ?? '').replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n')

/**
 * Failed: opens the issue with this exact title and label, or updates the body of the open one
 * (nothing when the body is the same). Passed: comments that it passes again and closes every
 * open issue with the title; 'none' when there is none.
 */
export async function syncIssue(client: GitHubClient, o: SyncIssueOpts): Promise<SyncIssueResult> {
  const title = o.title.trim()
  if (!title) throw new Error('the issue title is empty')
  const label = o.label?.trim() || DEFAULT_ISSUE_LABEL
  const listed = await client.listOpenIssues(o.owner, o.repo, { label })
  // the issues API lists pull requests too: a PR with the same title is not our issue
  const open: Issue[] = listed.filter(i => !i.pull_request && i.title.trim() === title)
  const [existing] = open

  if (o.failed) {
    const body = fitIssueBody(o.body)
    if (!existing) {
      const created = await client.createIssue(o.owner, o.repo, { title, body, labels: [label] })
      return { action: 'opened', number: created.number, url: created.html_url }
    }
    if (sameBody(existing.body, body)) return { action: 'unchanged', number: existing.number, url: existing.html_url }
    await client.updateIssue(o.owner, o.repo, existing.number, { body })
    return { action: 'updated', number: existing.number, url: existing.html_url }
  }

  if (!existing) return { action: 'none' }
  const note = fitIssueBody(`✅ **Passes again**, so this issue is closed. It opens again if the check fails.\n\n${o.body}`)
  for (const issue of open) {
    await client.createComment(o.owner, o.repo, issue.number, note)
    await client.closeIssue(o.owner, o.repo, issue.number)
  }
  return { action: 'closed', number: existing.number, url: existing.html_url }
}

export interface PublishIssueOpts {
  title: string
  body: string
  failed: boolean
  label?: string
  token: string
  apiUrl?: string
  repository?: { owner: string; repo: string }
  log: Logger
  /** for tests: retry, timeout, fetch and sleep of the client */
  client?: Omit<GitHubClientOpts, 'token' | 'baseUrl' | 'log'>
}

export type PublishIssueOutcome = { status: 'synced'; result: SyncIssueResult } | { status: 'skipped'; reason: string } | { status: 'warning'; message: string }

function isApiError(e: unknown): e is ApiErrorLike {
  return typeof e === 'object' && e !== null && ('status' in e || (e as Error).name === 'HttpError' || (e as Error).name === 'TimeoutError')
}

/**
 * syncIssue for an action step: every API failure becomes a warning, because the issue only
 * reports on the run, and a step that reports must not turn the run red on its own.
 */
export async function publishIssue(o: PublishIssueOpts): Promise<PublishIssueOutcome> {
  if (!o.repository) return { status: 'skipped', reason: 'GITHUB_REPOSITORY is not set (not running on an Actions runner): no issue' }
  if (!o.token) return { status: 'warning', message: `the github-token input is empty, so the issue "${o.title}" cannot be kept in step with the verdict` }
  try {
    const client = await GitHubClient.create({ ...o.client, token: o.token, baseUrl: o.apiUrl, log: o.log })
    const result = await syncIssue(client, { ...o.repository, title: o.title, body: o.body, failed: o.failed, label: o.label })
    return { status: 'synced', result }
  } catch (e) {
    if (!isApiError(e)) throw e
    if (isPermissionError(e) || e.status === 404) return { status: 'warning', message: `could not update the issue "${o.title}" (${describe(e)}). ${ISSUES_PERMISSION_HINT}` }
    if (e.status === 410) return { status: 'warning', message: `could not update the issue "${o.title}" (${describe(e)}): issues are turned off in this repository` }
    return { status: 'warning', message: `could not update the issue "${o.title}" (${describe(e)}); the job summary has the report` }
  }
}
