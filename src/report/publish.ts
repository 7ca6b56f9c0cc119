// Posts the report as the sticky PR comment. Decides which PR (event, triggering run, or the
// artifact's pr.json after checking it against the PR's head), and turns every API failure into
// an outcome the action reports as a warning: a report that cannot be posted never fails the job
// whose network it describes. Knows nothing of @actions/core.

import { GitHubClient } from '../github/client.js'
import { pullRequestOf, triggeringRun } from '../github/event.js'
import { describe, isPermissionError } from '../github/retry.js'
import { StickyComment } from '../github/sticky.js'

import type { Logger } from '../log/logger.js'
import type { GitHubClientOpts } from '../github/client.js'
import type { EventPayload, PrArtifact, PullRequestRef } from '../github/event.js'
import type { ApiErrorLike } from '../github/retry.js'
import type { CommentMode, StickyResult } from '../github/sticky.js'

export const FORK_HINT =
  'A pull request from a fork gets a read-only GITHUB_TOKEN, so the comment cannot be written from its own run. ' +
  'Run this action there with `comment: false` and upload the report directory (output `report-path`) as an artifact, ' +
  'then post it from a `workflow_run` workflow with `from-artifact` and `permissions: pull-requests: write` ' +
  '(docs/report.md, "Pull requests from forks"; examples in docs/examples/).'

export interface PublishOpts {
  body: string
  footer?: string
  token: string
  apiUrl?: string
  eventName: string
  payload: EventPayload
  repository?: { owner: string; repo: string }
  /** GITHUB_WORKFLOW; in a workflow_run the triggering workflow's name is used instead */
  workflow: string
  key: string
  mode: CommentMode
  /** pr.json of a report artifact, when posting one */
  artifact?: PrArtifact
  log: Logger
  /** for tests: retry, timeout, fetch and sleep of the client */
  client?: Omit<GitHubClientOpts, 'token' | 'baseUrl' | 'log'>
}

export type PublishOutcome =
  | { status: 'posted'; pr: number; result: StickyResult }
  | { status: 'skipped'; reason: string }
  | { status: 'warning'; message: string }

function isApiError(e: unknown): e is ApiErrorLike {
  return typeof e === 'object' && e !== null && ('status' in e || (e as Error).name === 'HttpError' || (e as Error).name === 'TimeoutError')
}

/** the PR to comment on, or why there is none */
async function resolvePullRequest(opts: PublishOpts, client: () => Promise<GitHubClient>): Promise<PullRequestRef | string> {
  const fromEvent = pullRequestOf(opts.eventName, opts.payload)
  if (fromEvent) return fromEvent
  const number = opts.artifact?.number
  if (number === undefined) {
    return opts.artifact
      ? `the report artifact names no pull request (its run was a "${opts.artifact.event ?? 'non-PR'}" event)`
      : `event "${opts.eventName || 'unknown'}" has no pull request`
  }
  // the artifact comes from a run of the PR's own code: trust its number only if that PR's head is
  // the commit the triggering run built (GitHub's payload says which; the artifact cannot change it)
  const trusted = opts.eventName === 'workflow_run' ? triggeringRun(opts.payload).headSha : opts.artifact?.headSha
  if (!trusted) return `the report artifact names PR #${number}, but no head commit is known to check it against`
  const { owner, repo } = opts.repository!
  const head = await (await client()).pullHeadSha(owner, repo, number)
  if (head.toLowerCase() !== trusted) return `the report artifact names PR #${number}, whose head ${head.slice(0, 12)} is not the commit ${trusted.slice(0, 12)} that produced it; not commenting`
  return { number, headSha: head, source: 'artifact' }
}

export async function publishComment(opts: PublishOpts): Promise<PublishOutcome> {
  if (!opts.repository) return { status: 'skipped', reason: 'GITHUB_REPOSITORY is not set (not running on an Actions runner)' }
  if (!pullRequestOf(opts.eventName, opts.payload) && opts.artifact?.number === undefined) {
    const why = opts.artifact ? `the report artifact names no pull request (its run was a "${opts.artifact.event ?? 'non-PR'}" event)` : `event "${opts.eventName || 'unknown'}" has no pull request`
    return { status: 'skipped', reason: `${why}: no comment; the job summary has the report` }
  }
  if (!opts.token) return { status: 'warning', message: 'the github-token input is empty, so the report cannot be posted on the pull request; the job summary has it' }
  let made: GitHubClient | undefined
  const client = async (): Promise<GitHubClient> => (made ??= await GitHubClient.create({ ...opts.client, token: opts.token, baseUrl: opts.apiUrl, log: opts.log }))
  try {
    const pr = await resolvePullRequest(opts, client)
    if (typeof pr === 'string') return opts.artifact?.number !== undefined ? { status: 'warning', message: pr } : { status: 'skipped', reason: `${pr}: no comment; the job summary has the report` }
    const workflow = opts.eventName === 'workflow_run' ? (triggeringRun(opts.payload).workflow ?? opts.workflow) : opts.workflow
    const sticky = new StickyComment({ client: await client(), log: opts.log, ...opts.repository, issue: pr.number, workflow, key: opts.key })
    const result = await sticky.apply(opts.mode, opts.body, opts.footer)
    return { status: 'posted', pr: pr.number, result }
  } catch (e) {
    if (!isApiError(e)) throw e
    if (isPermissionError(e)) return { status: 'warning', message: `could not write the PR comment (${describe(e)}). ${FORK_HINT}` }
    return { status: 'warning', message: `could not write the PR comment (${describe(e)}); the job summary and the report artifact have the report` }
  }
}
