// The sweep action: the scheduled safety net behind every preview teardown that did not run.

import * as core from '@actions/core'

import { kubeconfigInputFile } from '../../providers/managed/settings.js'
import { closedReason } from '../../preview/github.js'
import { sweep } from '../../preview/reclaim.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(async log => {
  const inputs = getInputs()
  const workDir = `${process.env.RUNNER_TEMP || '.'}/baf-sweep`
  const kubeconfig = (await kubeconfigInputFile(inputs.kubeconfig, workDir, core.setSecret))!
  let judge: ((pr: number) => Promise<string | undefined>) | undefined
  if (inputs.repository && inputs.githubToken) {
    const { GitHubClient } = await import('../../github/client.js')
    const client = await GitHubClient.create({ token: inputs.githubToken, baseUrl: process.env.GITHUB_API_URL, log, userAgent: 'baf-action-sweep' })
    judge = closedReason(client, inputs.repository)
  } else {
    log.warning('no repository or github-token: previews are judged by their expiry alone')
  }
  const reclaimed = await sweep({ kubeconfig, repo: inputs.repository || undefined, closedReason: judge, dryRun: inputs.dryRun, workDir, log })
  core.setOutput('reclaimed', JSON.stringify(reclaimed))
  core.setOutput('count', String(reclaimed.length))
})
