// GitHub Deployments for pull-request previews: a deployment of environment pr-<N> puts the
// preview's URL in the PR timeline ("View deployment"), and marking it inactive when the preview
// is torn down makes GitHub show it as destroyed. The environments are transient and never
// production, so GitHub neither protects them nor counts them as releases.

import type { GitHubClient } from './client.js'

export const previewEnvironment = (pr: number): string => `pr-${pr}`

/** GitHub's limit on a deployment status description */
const DESCRIPTION_LIMIT = 140

export interface PreviewDeploymentOpts {
  owner: string
  repo: string
  pr: number
  /** the commit deployed: the PR's head, not a merge ref that changes under the preview */
  sha: string
  environmentUrl?: string
  logUrl?: string
  description?: string
}

export interface DestroyPreviewOpts {
  owner: string
  repo: string
  pr: number
  logUrl?: string
}

const short = (text: string): string => (text.length <= DESCRIPTION_LIMIT ? text : `${text.slice(0, DESCRIPTION_LIMIT - 1)}…`)

/**
 * Creates a transient, non-production deployment of environment pr-<N> at `sha`, then a
 * `success` status with the preview's URL and the run's log. auto_inactive marks the PR's earlier
 * previews inactive, so only the newest shows as active.
 */
export async function recordPreviewDeployment(client: GitHubClient, o: PreviewDeploymentOpts): Promise<{ id: number; environment: string }> {
  const environment = previewEnvironment(o.pr)
  const created = await client.createDeployment(o.owner, o.repo, {
    ref: o.sha,
    environment,
    description: o.description !== undefined ? short(o.description) : undefined,
    transient: true,
    production: false
  })
  if (!('id' in created)) {
    // 202: GitHub merged the default branch into the ref instead of deploying; auto_merge is off, so this is unexpected
    throw new Error(`GitHub created no deployment of ${environment} at ${o.sha.slice(0, 12)}: "${created.message}"`)
  }
  await client.createDeploymentStatus(o.owner, o.repo, created.id, {
    state: 'success',
    environmentUrl: o.environmentUrl,
    logUrl: o.logUrl,
    description: o.description !== undefined ? short(o.description) : undefined,
    autoInactive: true
  })
  return { id: created.id, environment }
}

/**
 * Marks every deployment of environment pr-<N> inactive, which GitHub shows as "destroyed", and
 * returns how many it marked. Deployments whose newest status is already inactive are left
 * alone, so a teardown that runs twice (close event and sweeper) adds no second status.
 */
export async function destroyPreviewDeployments(client: GitHubClient, o: DestroyPreviewOpts): Promise<number> {
  const environment = previewEnvironment(o.pr)
  const deployments = await client.listDeployments(o.owner, o.repo, environment)
  let marked = 0
  for (const d of deployments) {
    // the API filters by environment already; checked again so no other environment is ever marked
    if (d.environment.toLowerCase() !== environment) continue
    if ((await client.latestDeploymentState(o.owner, o.repo, d.id)) === 'inactive') continue
    await client.createDeploymentStatus(o.owner, o.repo, d.id, { state: 'inactive', logUrl: o.logUrl, description: 'preview torn down' })
    marked++
  }
  return marked
}
