// Which pull request a run reports on. From the event payload for pull_request and
// pull_request_target; in a workflow_run, from the triggering run (same-repository PRs) or from
// the pr.json the pull_request job left in its artifact (forks: GitHub lists no PR for them).
// push and schedule have no PR: the report still goes to the job summary.

import { readFile, writeFile } from 'node:fs/promises'

export const PR_FILE = 'pr.json'

export interface PullRequestRef {
  number: number
  headSha?: string
  /** where the number came from; an artifact's is checked against the PR's head before use */
  source: 'event' | 'workflow_run' | 'artifact'
}

/** what the pull_request job writes beside the report for a later workflow_run job */
export interface PrArtifact {
  version: 1
  /** absent on a push or schedule run */
  number?: number
  headSha?: string
  repository?: string
  workflow?: string
  runId?: string
  event?: string
}

export type EventPayload = Record<string, unknown>

export async function readEvent(path: string | undefined): Promise<EventPayload> {
  if (!path) return {}
  try {
    return JSON.parse(await readFile(path, 'utf8')) as EventPayload
  } catch (e) {
    throw new Error(`GITHUB_EVENT_PATH ${path}: cannot read the event payload (${e instanceof Error ? e.message : String(e)})`)
  }
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}

function prNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined
}

function sha(v: unknown): string | undefined {
  return typeof v === 'string' && /^[0-9a-f]{40}$/i.test(v) ? v.toLowerCase() : undefined
}

/** the PR this event is about, when the event itself says */
export function pullRequestOf(eventName: string, payload: EventPayload): PullRequestRef | undefined {
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target':
    case 'pull_request_review':
    case 'pull_request_review_comment': {
      const pr = obj(payload.pull_request)
      const number = prNumber(pr?.number) ?? prNumber(payload.number)
      return number ? { number, headSha: sha(obj(pr?.head)?.sha), source: 'event' } : undefined
    }
    case 'issue_comment': {
      const issue = obj(payload.issue)
      return issue?.pull_request && prNumber(issue.number) ? { number: prNumber(issue.number)!, source: 'event' } : undefined
    }
    case 'workflow_run': {
      const run = obj(payload.workflow_run)
      const prs = Array.isArray(run?.pull_requests) ? run.pull_requests : []
      const first = obj(prs[0])
      const number = prNumber(first?.number)
      return number ? { number, headSha: sha(run?.head_sha), source: 'workflow_run' } : undefined
    }
    default:
      return undefined
  }
}

/** in a workflow_run: the triggering run's workflow name and head commit, which the marker and the artifact check use */
export function triggeringRun(payload: EventPayload): { workflow?: string; headSha?: string; event?: string } {
  const run = obj(payload.workflow_run)
  return { workflow: typeof run?.name === 'string' ? run.name : undefined, headSha: sha(run?.head_sha), event: typeof run?.event === 'string' ? run.event : undefined }
}

export async function writePrArtifact(path: string, data: PrArtifact): Promise<void> {
  await writeFile(path, JSON.stringify(data, null, 2) + '\n')
}

/** pr.json from an artifact: data from a fork's run, so every field is checked and nothing else is kept */
export async function readPrArtifact(path: string): Promise<PrArtifact> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (e) {
    throw new Error(`${path}: cannot read the PR file of the report artifact (${e instanceof Error ? e.message : String(e)}); the pull_request job writes it with the report`)
  }
  const o = obj(raw)
  if (!o || o.version !== 1) throw new Error(`${path}: not a baf-action PR file (version 1 expected)`)
  const str = (v: unknown, max = 200): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined)
  if (o.number !== undefined && prNumber(o.number) === undefined) throw new Error(`${path}: "number" must be a positive integer`)
  return { version: 1, number: prNumber(o.number), headSha: sha(o.headSha), repository: str(o.repository), workflow: str(o.workflow), runId: str(o.runId, 40), event: str(o.event, 60) }
}
