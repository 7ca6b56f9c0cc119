import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { PR_FILE, readEvent, readPrArtifact, writePrArtifact, pullRequestOf } from '../../github/event.js'
import { publishIssue } from '../../github/issues.js'
import { JOB_SUMMARY_LIMIT, renderMarkdown } from '../../report/markdown.js'
import { REPORT_FILES, writeReport } from '../../report/write.js'
import { readState } from '../../state/state.js'
import { run } from '../runner.js'
import { publishReport } from './publish-step.js'
import type { Rendered } from './publish-step.js'
import { getGitHubContext, getInputs } from './context.js'

import type { Logger } from '../../log/logger.js'
import type { GitHubContext, ReportInputs } from './context.js'


/** an artifact's report.md is a fork's output: read at most this much of it */
const MAX_ARTIFACT_MARKDOWN = 2 * JOB_SUMMARY_LIMIT

/** what was rendered, and its verdict ('' when an artifact's report.json does not say) */
type RenderedWithVerdict = Rendered & { verdict: string }

async function render(inputs: ReportInputs, gh: GitHubContext, payload: Record<string, unknown>, log: Logger): Promise<RenderedWithVerdict> {
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
    const status = typeof verdict === 'string' && /^(pass|fail|incomplete)$/.test(verdict) ? verdict : ''
    core.setOutput('report-path', dir)
    core.setOutput('verdict', status)
    log.info(`${dir}: report of ${artifact.number !== undefined ? `PR #${artifact.number}` : 'a run without a pull request'} (${artifact.event ?? 'unknown event'}, run ${artifact.runId ?? 'unknown'})`)
    return { comment: markdown, summary: markdown, artifact, verdict: status }
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
  return { comment: written.markdown.markdown, summary, verdict: written.report.verdict.status }
}

/** the issue's body: the report, then a link to the run that produced it */
function issueBody(rendered: RenderedWithVerdict, gh: GitHubContext): string {
  const runId = rendered.artifact?.runId && /^\d+$/.test(rendered.artifact.runId) ? rendered.artifact.runId : gh.runId
  const link = gh.repository && runId ? `\n<sub>baf-action report · [run ${runId}](${gh.serverUrl}/${gh.repository.owner}/${gh.repository.repo}/actions/runs/${runId}): job summary and report artifact</sub>\n` : ''
  return `${rendered.comment}${link}`
}

/** Opens, updates or closes the issue named by the `issue` input; a failure to do so is a warning, never a failed step. */
async function syncVerdictIssue(rendered: RenderedWithVerdict, inputs: ReportInputs, gh: GitHubContext, log: Logger): Promise<void> {
  const failed = rendered.verdict !== 'pass'
  const outcome = await publishIssue({ title: inputs.issue, body: issueBody(rendered, gh), failed, token: inputs.githubToken, apiUrl: gh.apiUrl, repository: gh.repository, log })
  if (outcome.status === 'skipped') return log.info(outcome.reason)
  if (outcome.status === 'warning') return log.warning(outcome.message)
  const { action, number, url } = outcome.result
  if (action === 'none') return log.info(`"${inputs.issue}": ${rendered.verdict || 'no verdict'}, and no open issue to close`)
  log.info(`"${inputs.issue}": issue #${number} ${action}${url ? ` ${url}` : ''} (verdict ${rendered.verdict || 'unknown'})`)
}

await run(async log => {
  const inputs = getInputs()
  const gh = getGitHubContext()
  const payload = await readEvent(gh.eventPath)
  const rendered = await log.group('Render the report', () => render(inputs, gh, payload, log))
  await publishReport(rendered, inputs, gh, payload, log)
  if (inputs.issue) await log.group('Issue', () => syncVerdictIssue(rendered, inputs, gh, log))
})
