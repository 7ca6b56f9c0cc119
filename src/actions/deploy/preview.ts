// The deploy action with `pr`: PR N's preview on the existing clusters of the kubeconfig, refused
// when the PR is no longer open, recorded as a GitHub Deployment of environment pr-<N>. The
// preview outlives the job: the post step leaves it, the teardown action or the sweeper removes it.

import * as core from '@actions/core'

import { errorMessage } from '../../errors.js'
import type { GitHubClient } from '../../github/client.js'
import type { Logger } from '../../log/logger.js'
import { checkPr, parseDuration } from '../../preview/preview.js'
import { writeState } from '../../state/state.js'
import type { State } from '../../state/state.js'
import { publishState } from '../common.js'
import type { GitHubContext } from '../report/context.js'
import type { DeployInputs } from './context.js'

/** The RPC URL of the preview's first node, else the run: what "View deployment" opens. */
function environmentUrl(state: State, runUrl: string | undefined): string | undefined {
  const rpc = state.plan.endpoints.find(e => e.name === 'rpc')
  return rpc ? `http://${rpc.host}:${rpc.port}` : runUrl
}

export async function deployPreview(inputs: DeployInputs, gh: GitHubContext, log: Logger): Promise<void> {
  if (inputs.provider !== 'existing') throw new Error(`input "pr" deploys a preview onto long-lived clusters: use provider "existing" with the kubeconfig input (got provider "${inputs.provider}")`)
  const pr = checkPr(inputs.pr, 'input "pr"')
  const ttlSeconds = parseDuration(`${inputs.providerInputs.ttlHours || '6'}h`, 'input "ttl-hours"')
  const repository = gh.repository ? `${gh.repository.owner}/${gh.repository.repo}` : undefined
  const [{ readEvent, pullRequestOf }, { previewUp }, { requireOpen }] = await Promise.all([import('../../github/event.js'), import('../../preview/up.js'), import('../../preview/github.js')])
  // the PR's head commit, not GITHUB_SHA: on pull_request that is a merge commit nobody pushed
  const event = pullRequestOf(gh.eventName, await readEvent(gh.eventPath))
  const sha = event?.number === pr ? event.headSha : process.env.GITHUB_SHA
  let client: GitHubClient | undefined
  if (inputs.githubToken && repository) {
    const { GitHubClient } = await import('../../github/client.js')
    client = await GitHubClient.create({ token: inputs.githubToken, baseUrl: gh.apiUrl, log, userAgent: 'baf-action-deploy' })
  } else {
    log.warning(`PR #${pr}'s state is not checked before the deploy (no github-token or repository): a PR closed meanwhile would leave a preview for the sweeper`)
  }
  const state = await previewUp({
    networkFile: inputs.network,
    stateDir: inputs.stateDir,
    target: { pr, repo: repository, sha, ttlSeconds },
    kubeconfig: process.env.BAF_KUBECONFIG,
    seed: inputs.seed,
    chartSource: inputs.chartSource,
    log,
    checkOpen: client && repository ? requireOpen(client, repository, pr) : undefined,
    onState: publishState
  })
  if (!inputs.githubDeployment || !client || !gh.repository || !sha) return
  const runUrl = gh.runId ? `${gh.serverUrl}/${gh.repository.owner}/${gh.repository.repo}/actions/runs/${gh.runId}` : undefined
  try {
    const { recordPreviewDeployment } = await import('../../github/deployments.js')
    const deployment = await recordPreviewDeployment(client, { owner: gh.repository.owner, repo: gh.repository.repo, pr, sha, environmentUrl: environmentUrl(state, runUrl), logUrl: runUrl, description: `baf-action preview of PR #${pr}` })
    state.preview!.deploymentId = deployment.id
    await writeState(inputs.stateDir, state)
    core.setOutput('deployment-id', String(deployment.id))
    log.info(`GitHub Deployment ${deployment.id} of environment ${deployment.environment} recorded`)
  } catch (e) {
    log.warning(`the preview is up, but its GitHub Deployment was not recorded: ${errorMessage(e)}. The job needs "permissions: deployments: write".`)
  }
}
