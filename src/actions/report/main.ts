import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { PR_FILE, readEvent, readPrArtifact, writePrArtifact, pullRequestOf } from '../../github/event.js'
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




await run(async log => {
  const inputs = getInputs()
  const gh = getGitHubContext()
  const payload = await readEvent(gh.eventPath)
  const rendered = await log.group('Render the report', () => render(inputs, gh, payload, log))
  await publishReport(rendered, inputs, gh, payload, log)
})
