// The GitHub REST client the report uses: @octokit/rest (loaded on first use, so a run that only
// writes a job summary never loads it) with a timeout on every request, bounded retries for
// server errors and secondary rate limits, GITHUB_API_URL as the base (GitHub Enterprise Server),
// and a token that is sent and never logged.

import { decide, describe, DEFAULT_RETRY } from './retry.js'

import type { Octokit } from '@octokit/rest'

import type { Logger } from '../log/logger.js'
import type { ApiErrorLike, RetryPolicy } from './retry.js'

export const DEFAULT_API_URL = 'https://api.github.com'

export interface GitHubClientOpts {
  token: string
  /** GITHUB_API_URL; api.github.com when empty */
  baseUrl?: string
  log: Logger
  retry?: Partial<RetryPolicy>
  /** per request, headers and body included */
  timeoutMs?: number
  /** Accept header; Octokit's default when absent. The Prism tests send application/json (see docs/report.md) */
  accept?: string
  fetch?: typeof globalThis.fetch
  sleep?: (ms: number) => Promise<void>
  userAgent?: string
}

export interface IssueComment {
  id: number
  body?: string
  html_url: string
  user?: { login: string; type?: string } | null
  created_at?: string
}

export interface PullRequestInfo {
  number: number
  state: 'open' | 'closed'
  merged: boolean
  headSha: string
}

export interface Deployment {
  id: number
  environment: string
  sha: string
  ref: string
}

export interface CreateDeploymentOpts {
  /** branch, tag or commit */
  ref: string
  environment: string
  description?: string
  transient: boolean
  production: boolean
}

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

export interface DeploymentStatusOpts {
  state: DeploymentState
  environmentUrl?: string
  logUrl?: string
  description?: string
  /** mark the environment's earlier successful deployments inactive */
  autoInactive?: boolean
}

export interface Issue {
  number: number
  title: string
  body?: string | null
  state: string
  html_url: string
  /** present when the "issue" is a pull request: the issues API lists both */
  pull_request?: unknown
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

export class GitHubClient {
  private constructor(
    readonly octokit: Octokit,
    readonly baseUrl: string
  ) {}

  static async create(opts: GitHubClientOpts): Promise<GitHubClient> {
    const { Octokit } = await import('@octokit/rest')
    const baseUrl = (opts.baseUrl || DEFAULT_API_URL).replace(/\/+$/, '')
    const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry }
    const timeoutMs = opts.timeoutMs ?? 30_000
    const baseFetch = opts.fetch ?? globalThis.fetch
    const wait = opts.sleep ?? sleep
    const log = opts.log
    const timedFetch: typeof globalThis.fetch = async (input, init) => {
      const timeout = AbortSignal.timeout(timeoutMs)
      try {
        return await baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout })
      } catch (e) {
        // say what happened: the DOMException a timeout raises reads as "Unknown Error" once Octokit wraps it
        if (timeout.aborted) throw new Error(`request timed out after ${timeoutMs} ms`, { cause: e })
        throw e
      }
    }
    const octokit = new Octokit({
      auth: opts.token,
      baseUrl,
      userAgent: opts.userAgent ?? 'baf-action-report',
      request: { fetch: timedFetch },
      // Octokit only warns about deprecations here; requests are logged by the hook below, without headers
      log: { debug: () => undefined, info: () => undefined, warn: (m: string) => log.debug(`GitHubClient.octokit: ${m}`), error: (m: string) => log.debug(`GitHubClient.octokit: ${m}`) }
    })
    if (opts.accept) {
      const accept = opts.accept
      octokit.hook.before('request', options => {
        options.headers.accept = accept
      })
    }
    octokit.hook.wrap('request', async (request, options) => {
      const what = `${options.method} ${String(options.url)}`
      let waited = 0
      // bounded: decide() stops at policy.attempts and within policy.maxWaitMs
      for (let attempt = 1; ; attempt++) {
        try {
          const response = await request(options)
          log.debug(`GitHubClient.request: ${what} -> ${response.status}`)
          return response
        } catch (e) {
          const err = e as ApiErrorLike
          const decision = decide(err, attempt, waited, policy)
          if (!decision.retry) {
            log.debug(`GitHubClient.request: ${what} -> ${describe(err)} (${decision.reason})`)
            throw e
          }
          log.info(`GitHub API ${what}: ${decision.reason}; try ${attempt + 1} of ${policy.attempts} in ${(decision.delayMs / 1000).toFixed(1)} s`)
          waited += decision.delayMs
          await wait(decision.delayMs)
        }
      }
    })
    return new GitHubClient(octokit, baseUrl)
  }

  /** the login comments by this token carry; GITHUB_TOKEN cannot read /user, and posts as github-actions[bot] */
  async login(): Promise<string> {
    try {
      const { data } = await this.octokit.rest.users.getAuthenticated()
      return data.login
    } catch (e) {
      const status = (e as ApiErrorLike).status
      if (status === 401 || status === 403 || status === 404) return 'github-actions[bot]'
      throw e
    }
  }

  /**
   * Every comment of an issue or PR, 100 a page, at most `maxPages` pages. Pages are counted
   * rather than followed through Link headers, so no request leaves `baseUrl`.
   */
  async listComments(owner: string, repo: string, issue: number, maxPages = 50): Promise<IssueComment[]> {
    const all: IssueComment[] = []
    for (let page = 1; page <= maxPages; page++) {
      const { data } = await this.octokit.rest.issues.listComments({ owner, repo, issue_number: issue, per_page: 100, page })
      all.push(...(data as IssueComment[]))
      if (data.length < 100) break
    }
    return all
  }

  async createComment(owner: string, repo: string, issue: number, body: string): Promise<IssueComment> {
    const { data } = await this.octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body })
    return data as IssueComment
  }

  async updateComment(owner: string, repo: string, id: number, body: string): Promise<IssueComment> {
    const { data } = await this.octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })
    return data as IssueComment
  }

  async deleteComment(owner: string, repo: string, id: number): Promise<void> {
    await this.octokit.rest.issues.deleteComment({ owner, repo, comment_id: id })
  }

  /** the head commit of a pull request, to check that an artifact names the PR it came from */
  async pullHeadSha(owner: string, repo: string, pull: number): Promise<string> {
    const { data } = await this.octokit.rest.pulls.get({ owner, repo, pull_number: pull })
    return data.head.sha
  }

  async pullRequest(owner: string, repo: string, number: number): Promise<PullRequestInfo> {
    const { data } = await this.octokit.rest.pulls.get({ owner, repo, pull_number: number })
    return { number: data.number, state: data.state === 'closed' ? 'closed' : 'open', merged: data.merged === true, headSha: data.head.sha }
  }

  /**
   * The deployment, or GitHub's message when it answered 202 instead (it merged the default
   * branch into `ref` and created nothing). Never auto-merges and never waits for status checks:
   * a preview deploys exactly the commit it was built from.
   */
  async createDeployment(owner: string, repo: string, o: CreateDeploymentOpts): Promise<Deployment | { message: string }> {
    const { status, data } = await this.octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: o.ref,
      environment: o.environment,
      ...(o.description !== undefined ? { description: o.description } : {}),
      auto_merge: false,
      required_contexts: [],
      transient_environment: o.transient,
      production_environment: o.production
    })
    if (status === 201 && 'id' in data && typeof data.id === 'number') return { id: data.id, environment: data.environment, sha: data.sha, ref: data.ref }
    return { message: ('message' in data && typeof data.message === 'string' ? data.message : '') || `HTTP ${status} without a deployment` }
  }

  async createDeploymentStatus(owner: string, repo: string, id: number, o: DeploymentStatusOpts): Promise<{ id: number; state: string }> {
    const { data } = await this.octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state: o.state,
      ...(o.environmentUrl ? { environment_url: o.environmentUrl } : {}),
      ...(o.logUrl ? { log_url: o.logUrl } : {}),
      ...(o.description !== undefined ? { description: o.description } : {}),
      ...(o.autoInactive !== undefined ? { auto_inactive: o.autoInactive } : {})
    })
    return { id: data.id, state: data.state }
  }

  /** the deployments of one environment, newest first, 100 a page, at most `maxPages` pages */
  async listDeployments(owner: string, repo: string, environment: string, maxPages = 10): Promise<Deployment[]> {
    const all: Deployment[] = []
    for (let page = 1; page <= maxPages; page++) {
      const { data } = await this.octokit.rest.repos.listDeployments({ owner, repo, environment, per_page: 100, page })
      all.push(...data.map(d => ({ id: d.id, environment: d.environment, sha: d.sha, ref: d.ref })))
      if (data.length < 100) break
    }
    return all
  }

  /** the state of a deployment's newest status; undefined when it has none */
  async latestDeploymentState(owner: string, repo: string, id: number): Promise<string | undefined> {
    const { data } = await this.octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: id, per_page: 1, page: 1 })
    return data[0]?.state
  }

  /** open issues (pull requests included, as the API returns them) with `label`, oldest first, 100 a page, at most `maxPages` pages */
  async listOpenIssues(owner: string, repo: string, o: { label: string; creator?: string }, maxPages = 10): Promise<Issue[]> {
    const all: Issue[] = []
    for (let page = 1; page <= maxPages; page++) {
      const { data } = await this.octokit.rest.issues.listForRepo({
        owner,
        repo,
        state: 'open',
        labels: o.label,
        ...(o.creator ? { creator: o.creator } : {}),
        sort: 'created',
        direction: 'asc',
        per_page: 100,
        page
      })
      all.push(...(data as Issue[]))
      if (data.length < 100) break
    }
    return all
  }

  async createIssue(owner: string, repo: string, o: { title: string; body: string; labels: string[] }): Promise<Issue> {
    const { data } = await this.octokit.rest.issues.create({ owner, repo, title: o.title, body: o.body, labels: o.labels })
    return data as Issue
  }

  async updateIssue(owner: string, repo: string, number: number, o: { body: string }): Promise<Issue> {
    const { data } = await this.octokit.rest.issues.update({ owner, repo, issue_number: number, body: o.body })
    return data as Issue
  }

  async closeIssue(owner: string, repo: string, number: number): Promise<Issue> {
    const { data } = await this.octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'closed', state_reason: 'completed' })
    return data as Issue
  }
}
