// The sweep action: the scheduled safety net behind every preview teardown (and every cloud
// cluster deletion) that did not run.

import * as core from '@actions/core'

import { applyProviderInputs, kubeconfigInputFile } from '../../providers/managed/settings.js'
import { closedReason, deactivateDeployments } from '../../preview/github.js'
import type { Reclaim } from '../../preview/reclaim.js'
import { sweep, sweepClouds } from '../../preview/reclaim.js'
import { CLOUD_PROVIDERS } from '../../providers/provider.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(async log => {
  const inputs = getInputs()
  const clouds = inputs.cloudProviders.map(p => {
    if (!(CLOUD_PROVIDERS as readonly string[]).includes(p)) throw new Error(`input "cloud-providers" names ${p}; expected some of: ${CLOUD_PROVIDERS.join(', ')}`)
    return p as (typeof CLOUD_PROVIDERS)[number]
  })
  if (!inputs.kubeconfig && clouds.length === 0) throw new Error('nothing to sweep: give the kubeconfig of the preview clusters, cloud-providers, or both')
  const workDir = `${process.env.RUNNER_TEMP || '.'}/baf-sweep`
  const reclaimed: Reclaim[] = []
  if (inputs.kubeconfig) {
    const kubeconfig = (await kubeconfigInputFile(inputs.kubeconfig, workDir, core.setSecret))!
    let github: Pick<Parameters<typeof sweep>[0], 'closedReason' | 'onReclaimed'> = {}
    if (inputs.repository && inputs.githubToken) {
      const { GitHubClient } = await import('../../github/client.js')
      const client = await GitHubClient.create({ token: inputs.githubToken, baseUrl: process.env.GITHUB_API_URL, log, userAgent: 'baf-action-sweep' })
      github = { closedReason: closedReason(client, inputs.repository), onReclaimed: deactivateDeployments(client, inputs.repository, log) }
    } else {
      log.warning('no repository or github-token: previews are judged by their expiry alone')
    }
    reclaimed.push(...(await sweep({ kubeconfig, repo: inputs.repository || undefined, ...github, dryRun: inputs.dryRun, workDir, log })))
  }
  if (clouds.length > 0) {
    // region, project and resource group reach the providers as they do for deploy
    await applyProviderInputs({ kubeconfig: '', kubernetesVersion: '', region: inputs.region, nodeCount: '', machineType: '', project: inputs.project, resourceGroup: inputs.resourceGroup, ttlHours: '' }, workDir, core.setSecret)
    const { cloudProviderFor } = await import('../../providers/registry.js')
    reclaimed.push(...(await sweepClouds(await Promise.all(clouds.map(cloudProviderFor)), { dryRun: inputs.dryRun, log })))
  }
  core.setOutput('reclaimed', JSON.stringify(reclaimed))
  core.setOutput('count', String(reclaimed.length))
})
