import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { PR_FILE, readEvent, readPrArtifact, writePrArtifact, pullRequestOf } from '../../github/event.js'
import { JOB_SUMMARY_LIMIT, renderMarkdown } from '../../report/markdown.js'
import { publishComment } from '../../report/publish.js'
import { REPORT_FILES, writeReport } from '../../report/write.js'
import { readState } from '../../state/state.js'
import { run } from '../runner.js'
import { getGitHubContext, getInputs } from './context.js'

import type { PrArtifact } from '../../github/event.js'
import type { Logger } from '../../log/logger.js'
import type { GitHubContext, ReportInputs } from './context.js'

interface Rendered {
  /** what the comment posts: report.md, sized for a comment */
  comment: string
  /** what the job summary gets: more detail when there is more than a comment holds */
  summary: string
  artifact?: PrArtifact
}

/** an artifact's report.md is a fork's output: read at most this much of it */
const MAX_ARTIFACT_MARKDOWN = 2 * JOB_SUMMARY_LIMIT

async function render(inputs: ReportInputs, gh: GitHubContext, payload: Record<string, unknown>, log: Logger): Promise<Rendered> {
  if (inputs.fromArtifact) {
    const dir = inputs.fromArtifact
    const text = await readFile(join(dir, REPORT_FILES.markdown), 'utf8').catch(() => {
      throw new Error(`${join(dir, REPORT_FILES.markdown)}: no report in the artifact directory; download the artifact the pull_request job uploaded from its report-path`)
    })
    const markdown = text.slice(0, MAX_ARTIFACT_MARKDOWN)
    const artifact = await readPrArtifact(join(dir, PR_FILE))
    const verdict = await readFile(join(dir, REPORT_FILES.json), 'utf8')
      .then(t => (JSON.parse(t) as { verdict?: { status?: unknown } }).verdict?.status)
      .catch(() => undefined)
    core.setOutput('report-path', dir)
    core.setOutput('verdict', typeof verdict === 'string' && /^(pass|fail|incomplete)$/.test(verdict) ? verdict : '')
    log.info(`${dir}: report of ${artifact.number !== undefined ? `PR #${artifact.number}` : 'a run without a pull request'} (${artifact.event ?? 'unknown event'}, run ${artifact.runId ?? 'unknown'})`)
    return { comment: markdown, summary: markdown, artifact }
  }
  // validating again loads the whole model and planner: only when a network file is given
  const state = inputs.network ? await (await import('../common.js')).validateThenReadState(inputs.network, inputs.stateDir, log) : await readState(inputs.stateDir)
  const written = await writeReport(state, { outDir: inputs.reportDir, secrets: inputs.githubToken ? [inputs.githubToken] : [] })
  const pr = pullRequestOf(gh.eventName, payload)
  await writePrArtifact(join(inputs.reportDir, PR_FILE), {
    version: 1,
    number: pr?.number,
    headSha: pr?.headSha,
    repository: gh.repository ? `${gh.repository.owner}/${gh.repository.repo}` : undefined,
    workflow: gh.workflow || undefined,
    runId: gh.runId,
    event: gh.eventName || undefined
  })
  core.setOutput('report-path', inputs.reportDir)
  core.setOutput('verdict', written.report.verdict.status)
  log.info(`${written.report.verdict.status}: ${written.report.verdict.headline}`)
  log.info(`wrote ${Object.values(written.paths).join(', ')} and ${PR_FILE}${written.mermaid ? '' : ' (no Mermaid bundle found: report.html shows the diagram as text)'}`)
  if (written.markdown.cut.length > 0) log.info(`report.md shortened to fit a PR comment: ${written.markdown.cut.join('; ')}`)
  // the summary holds up to 1 MiB: render again with that room, so it has what the comment left out
  const summary = written.markdown.cut.length > 0 ? renderMarkdown(written.report, { limit: JOB_SUMMARY_LIMIT - 4096, measure: 'bytes', fullReport: 'the report artifact (report.html, report.json)' }).markdown : written.markdown.markdown
  return { comment: written.markdown.markdown, summary }
}

function footer(gh: GitHubContext, inputs: ReportInputs, artifact?: PrArtifact): string {
  const runId = artifact?.runId && /^\d+$/.test(artifact.runId) ? artifact.runId : gh.runId
  const repo = gh.repository ? `${gh.repository.owner}/${gh.repository.repo}` : undefined
  const link = repo && runId ? `[run ${runId}](${gh.serverUrl}/${repo}/actions/runs/${runId})` : ''
  return `<sub>baf-action report${inputs.key ? ` · key ${inputs.key.replace(/[^\w.-]/g, '')}` : ''}${link ? ` · ${link}: job summary and report artifact` : ''}</sub>`
}

await run(async log => {
  const inputs = getInputs()
  const gh = getGitHubContext()
  const payload = await readEvent(gh.eventPath)
  const rendered = await log.group('Render the report', () => render(inputs, gh, payload, log))

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
        footer: footer(gh, inputs, rendered.artifact),
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
})
