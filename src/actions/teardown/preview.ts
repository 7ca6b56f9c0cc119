// The teardown action with `pr` (PR closed): the preview's namespaces and gateway ports go from
// every cluster of the kubeconfig, and its GitHub Deployments are marked inactive ("destroyed").
// It needs no state file: the PR's namespaces are found by their labels.

import * as core from '@actions/core'

import { errorMessage } from '../../errors.js'
import type { Logger } from '../../log/logger.js'
import { checkPr } from '../../preview/preview.js'
import { kubeconfigInputFile } from '../../providers/managed/settings.js'
import { getGitHubContext } from '../report/context.js'
import type { TeardownInputs } from './context.js'

export async function teardownPreview(inputs: TeardownInputs, log: Logger): Promise<void> {
  const pr = checkPr(inputs.pr, 'input "pr"')
  const kubeconfig = await kubeconfigInputFile(inputs.kubeconfig, inputs.stateDir, core.setSecret)
  if (!kubeconfig) throw new Error('input "kubeconfig" is empty: give the kubeconfig of the preview clusters (a path, base64 or YAML)')
  const [{ previewDown }, { splitRepo }] = await Promise.all([import('../../preview/reclaim.js'), import('../../preview/github.js')])
  const removed = await previewDown({ kubeconfig, pr, repo: inputs.repository || undefined, workDir: inputs.stateDir, log })
  log.info(`PR #${pr}: ${removed.length} namespace(s) removed`)
  if (!inputs.githubToken || !inputs.repository) return
  try {
    const gh = getGitHubContext()
    const [{ GitHubClient }, { destroyPreviewDeployments }] = await Promise.all([import('../../github/client.js'), import('../../github/deployments.js')])
    const client = await GitHubClient.create({ token: inputs.githubToken, baseUrl: gh.apiUrl, log, userAgent: 'baf-action-teardown' })
    const { owner, repo } = splitRepo(inputs.repository)
    const runUrl = gh.runId ? `${gh.serverUrl}/${owner}/${repo}/actions/runs/${gh.runId}` : undefined
    const count = await destroyPreviewDeployments(client, { owner, repo, pr, logUrl: runUrl })
    log.info(`PR #${pr}: ${count} GitHub Deployment(s) of environment pr-${pr} marked inactive`)
  } catch (e) {
    log.warning(`PR #${pr}'s preview is gone, but its GitHub Deployments were not marked inactive: ${errorMessage(e)}. The job needs "permissions: deployments: write".`)
  }
}
