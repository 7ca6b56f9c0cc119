import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import * as core from '@actions/core'

import type { Logger } from '../../log/logger.js'
import { up } from '../../pipeline/pipeline.js'
import { applyProviderInputs } from '../../providers/managed/settings.js'
import { publishState } from '../common.js'
import { getGitHubContext } from '../report/context.js'
import { run } from '../runner.js'
import { saveTeardownState, teardownPost } from '../state-helper.js'
import { getInputs } from './context.js'

/** The report the run wrote, as job summary and sticky PR comment; never fails the step. */
async function publish(stateDir: string, githubToken: string, log: Logger): Promise<void> {
  const markdown = await readFile(join(stateDir, 'report.md'), 'utf8').catch(() => undefined)
  if (!markdown) return
  core.setOutput('report-path', stateDir)
  try {
    const [{ publishReport }, { readEvent }] = await Promise.all([import('../report/publish-step.js'), import('../../github/event.js')])
    const gh = getGitHubContext()
    await publishReport({ comment: markdown, summary: markdown }, { summary: true, comment: Boolean(githubToken), githubToken, key: 'deploy', mode: 'create-or-update' }, gh, await readEvent(gh.eventPath), log)
  } catch (e) {
    log.warning(`the report was written to ${stateDir} but not published: ${e instanceof Error ? e.message : String(e)}`)
  }
}

await run(
  async log => {
    const inputs = getInputs()
    // a preview outlives the job: the post step never removes it
    saveTeardownState(inputs.stateDir, inputs.keep || Boolean(inputs.pr), inputs.ignoreCleanupErrors)
    // provider options (kubeconfig, region, node count, ...) travel to the provider as BAF_* settings
    await applyProviderInputs(inputs.providerInputs, inputs.stateDir, core.setSecret)
    if (inputs.pr) {
      const { deployPreview } = await import('./preview.js')
      try {
        await deployPreview(inputs, getGitHubContext(), log)
      } finally {
        await publish(inputs.stateDir, inputs.githubToken, log)
      }
      return
    }
    try {
      await up({ networkFile: inputs.network, provider: inputs.provider, stateDir: inputs.stateDir, keep: inputs.keep, seed: inputs.seed, chartSource: inputs.chartSource, log, onState: publishState })
    } finally {
      await publish(inputs.stateDir, inputs.githubToken, log)
    }
  },
  teardownPost
)
