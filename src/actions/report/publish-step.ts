// The job summary and the sticky pull-request comment of a rendered report: the report action
// publishes what it renders, the deploy action what its run wrote.

import * as core from '@actions/core'

import type { PrArtifact } from '../../github/event.js'
import { publishComment } from '../../report/publish.js'
import type { Logger } from '../../log/logger.js'
import type { GitHubContext, ReportInputs } from './context.js'

export interface Rendered {
  /** what the comment posts: report.md, sized for a comment */
  comment: string
  /** what the job summary gets: more detail when there is more than a comment holds */
  summary: string
  artifact?: PrArtifact
}

function footer(gh: GitHubContext, key: string, artifact?: PrArtifact): string {
  const runId = artifact?.runId && /^\d+$/.test(artifact.runId) ? artifact.runId : gh.runId
  const repo = gh.repository ? `${gh.repository.owner}/${gh.repository.repo}` : undefined
  const link = repo && runId ? `[run ${runId}](${gh.serverUrl}/${repo}/actions/runs/${runId})` : ''
  return `<sub>baf-action report${key ? ` · key ${key.replace(/[^\w.-]/g, '')}` : ''}${link ? ` · ${link}: job summary and report artifact` : ''}</sub>`
}

/** Job summary and sticky comment: shared by this action and the deploy action. */
export async function publishReport(
  rendered: Rendered,
  inputs: Pick<ReportInputs, 'summary' | 'comment' | 'githubToken' | 'key' | 'mode'>,
  gh: GitHubContext,
  payload: Record<string, unknown>,
  log: Logger
): Promise<void> {
  if (inputs.summary) {
    await log.group('Job summary', async () => {
      if (!gh.hasSummary) return log.info('GITHUB_STEP_SUMMARY is not set (not on an Actions runner): no job summary; the report directory has the report')
      try {
        await core.summary.addRaw(rendered.summary, true).write()
        log.info(`job summary written (${rendered.summary.length} characters)`)
      } catch (e) {
        log.warning(`could not write the job summary: ${e instanceof Error ? e.message : String(e)}`)
      }
    })
  }

  if (inputs.comment) {
    await log.group('Pull request comment', async () => {
      const outcome = await publishComment({
        body: rendered.comment,
        footer: footer(gh, inputs.key, rendered.artifact),
        token: inputs.githubToken,
        apiUrl: gh.apiUrl,
        eventName: gh.eventName,
        payload,
        repository: gh.repository,
        workflow: gh.workflow,
        key: inputs.key,
        mode: inputs.mode,
        artifact: rendered.artifact,
        log
      })
      if (outcome.status === 'skipped') return log.info(outcome.reason)
      if (outcome.status === 'warning') return log.warning(outcome.message)
      const { result, pr } = outcome
      if (result.id !== undefined) core.setOutput('comment-id', String(result.id))
      if (result.url) core.setOutput('comment-url', result.url)
      log.info(`PR #${pr}: comment ${result.action}${result.url ? ` ${result.url}` : ''}${result.deleted > 0 ? ` (${result.deleted} deleted)` : ''}`)
    })
  }
}
