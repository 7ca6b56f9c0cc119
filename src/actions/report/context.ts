// The report action's inputs, read once, and the runner's GitHub context (event, repository,
// URLs) from its environment variables.

import { COMMENT_MODES } from '../../github/sticky.js'
import { choiceInput, input, secretInput, stateDirInput } from '../inputs.js'

import type { CommentMode } from '../../github/sticky.js'

export interface ReportInputs {
  network: string
  /** empty when `fromArtifact` is given: the report is read, not rendered */
  stateDir: string
  githubToken: string
  key: string
  mode: CommentMode
  /** a directory holding report.md, report.json, report.html and pr.json from an earlier job */
  fromArtifact: string
  reportDir: string
  summary: boolean
  comment: boolean
  /** title of the issue kept in step with the verdict; empty for none */
  issue: string
}

export interface GitHubContext {
  eventName: string
  eventPath?: string
  repository?: { owner: string; repo: string }
  workflow: string
  runId?: string
  serverUrl: string
  apiUrl?: string
  hasSummary: boolean
}

/** "true"/"false"; empty means action.yml's default, which the runner always passes (harnesses may not) */
function flag(name: string, value: string, whenEmpty: boolean): boolean {
  if (value === '') return whenEmpty
  if (/^(true|yes|on)$/i.test(value)) return true
  if (/^(false|no|off)$/i.test(value)) return false
  throw new Error(`input "${name}" is "${value}"; expected true or false`)
}

function runnerTemp(what: string): string {
  const temp = process.env.RUNNER_TEMP
  if (!temp) throw new Error(`input "${what}" is empty and RUNNER_TEMP is not set; give a directory`)
  return temp
}

export function getInputs(): ReportInputs {
  const fromArtifact = input('from-artifact')
  const reportDir = input('report-dir')
  return {
    network: input('network'),
    stateDir: fromArtifact ? input('state') : stateDirInput('state'),
    githubToken: secretInput('github-token'),
    key: input('key'),
    mode: choiceInput('mode', COMMENT_MODES),
    fromArtifact,
    reportDir: fromArtifact || reportDir || `${runnerTemp('report-dir')}/baf-report`,
    summary: flag('summary', input('summary'), true),
    comment: flag('comment', input('comment'), true),
    issue: input('issue').trim()
  }
}

export function getGitHubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    repository: owner && repo ? { owner, repo } : undefined,
    workflow: env.GITHUB_WORKFLOW ?? '',
    runId: env.GITHUB_RUN_ID || undefined,
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: env.GITHUB_API_URL || undefined,
    hasSummary: Boolean(env.GITHUB_STEP_SUMMARY)
  }
}
