// One comment per (workflow, key) on a pull request, found again by a hidden marker among the
// comments written by the same identity, updated in place, created when absent and left alone
// when its content has not changed. The marker carries a digest of the body, so "unchanged"
// ignores the footer (which links the current run) and costs no extra request.

import { createHash } from 'node:crypto'

import { GITHUB_COMMENT_LIMIT } from '../report/markdown.js'

import type { Logger } from '../log/logger.js'
import type { GitHubClient, IssueComment } from './client.js'

export const COMMENT_MODES = ['create-or-update', 'recreate', 'delete'] as const
export type CommentMode = (typeof COMMENT_MODES)[number]

const MARKER_PREFIX = '<!-- baf-action:report '
const MARKER_SUFFIX = ' -->'

export interface MarkerData {
  workflow: string
  key: string
  digest?: string
}

export interface StickyTarget {
  owner: string
  repo: string
  issue: number
  /** the workflow name (GITHUB_WORKFLOW, or the triggering workflow's name in a workflow_run) */
  workflow: string
  key: string
}

export interface StickyOpts extends StickyTarget {
  client: GitHubClient
  log: Logger
  /** the author whose comments are ours; asked of the API when absent */
  author?: string
}

export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged' | 'recreated' | 'deleted' | 'absent'
  id?: number
  url?: string
  /** comments this call deleted */
  deleted: number
}

export function digest(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 20)
}

/** the hidden marker: JSON whose `<`/`>` are escaped, so no workflow name can end the HTML comment */
export function marker(data: MarkerData): string {
  const json = JSON.stringify({ workflow: data.workflow, key: data.key, ...(data.digest ? { digest: data.digest } : {}) })
  return `${MARKER_PREFIX}${json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e')}${MARKER_SUFFIX}`
}

export function parseMarker(body: string | undefined): MarkerData | undefined {
  if (!body) return undefined
  const at = body.lastIndexOf(MARKER_PREFIX)
  if (at < 0) return undefined
  const end = body.indexOf(MARKER_SUFFIX, at + MARKER_PREFIX.length)
  if (end < 0) return undefined
  try {
    const data = JSON.parse(body.slice(at + MARKER_PREFIX.length, end)) as Partial<MarkerData>
    if (typeof data.workflow !== 'string' || typeof data.key !== 'string') return undefined
    return { workflow: data.workflow, key: data.key, digest: typeof data.digest === 'string' ? data.digest : undefined }
  } catch {
    return undefined
  }
}

const TRUNCATED = '\n\n> ✂️ This comment was cut at GitHub\'s 65,536-character limit; the job summary and the report artifact have all of it.\n'

/**
 * The comment text: body, footer, marker, within GitHub's limit. The renderer already fits its
 * Markdown; this cut is the safety net for a body from elsewhere (an artifact).
 */
export function composeComment(body: string, footer: string, data: MarkerData, limit = GITHUB_COMMENT_LIMIT): string {
  const tail = `${footer ? `\n${footer}` : ''}\n${marker(data)}\n`
  if (body.length + tail.length <= limit) return body + tail
  let cut = body.slice(0, Math.max(0, limit - tail.length - TRUNCATED.length))
  // never end inside a surrogate pair or an open <details>
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  const open = cut.lastIndexOf('<details')
  if (open > cut.lastIndexOf('</details>')) cut = cut.slice(0, open)
  return cut + TRUNCATED + tail
}

export class StickyComment {
  constructor(private readonly opts: StickyOpts) {}

  private async author(): Promise<string> {
    return this.opts.author ?? this.opts.client.login()
  }

  /** our comments for this (workflow, key), oldest first */
  async find(): Promise<IssueComment[]> {
    const { client, owner, repo, issue, workflow, key } = this.opts
    const [login, comments] = await Promise.all([this.author(), client.listComments(owner, repo, issue)])
    const mine = comments.filter(c => {
      if (c.user?.login !== login) return false
      const m = parseMarker(c.body)
      return m !== undefined && m.workflow === workflow && m.key === key
    })
    this.opts.log.debug(`StickyComment.find: ${comments.length} comment(s) on #${issue}, ${mine.length} ours (author ${login}, workflow "${workflow}", key "${key}")`)
    return mine
  }

  async apply(mode: CommentMode, body: string, footer = ''): Promise<StickyResult> {
    const { client, owner, repo, issue, workflow, key, log } = this.opts
    const data: MarkerData = { workflow, key, digest: digest(body) }
    const existing = await this.find()
    if (mode === 'delete' || mode === 'recreate') {
      for (const c of existing) await client.deleteComment(owner, repo, c.id)
      if (existing.length > 0) log.info(`deleted ${existing.length} earlier report comment(s) on #${issue}`)
      if (mode === 'delete') return { action: existing.length > 0 ? 'deleted' : 'absent', deleted: existing.length }
      const created = await client.createComment(owner, repo, issue, composeComment(body, footer, data))
      return { action: 'recreated', id: created.id, url: created.html_url, deleted: existing.length }
    }
    const latest = existing.at(-1)
    if (!latest) {
      const created = await client.createComment(owner, repo, issue, composeComment(body, footer, data))
      return { action: 'created', id: created.id, url: created.html_url, deleted: 0 }
    }
    if (parseMarker(latest.body)?.digest === data.digest) return { action: 'unchanged', id: latest.id, url: latest.html_url, deleted: 0 }
    const updated = await client.updateComment(owner, repo, latest.id, composeComment(body, footer, data))
    return { action: 'updated', id: updated.id, url: updated.html_url, deleted: 0 }
  }
}
