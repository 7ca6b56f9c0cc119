// What previews ask of GitHub: is the PR still open (before a deploy; for the sweeper), and the
// GitHub Deployment of environment pr-<N> that links the preview from the PR page.

import type { GitHubClient } from '../github/client.js'
import { PreviewRefused } from './up.js'

export function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split('/')
  if (!owner || !name) throw new Error(`repository must be OWNER/REPO (got "${repo}")`)
  return { owner, repo: name }
}

/** Why the PR is closed (merged or not), or undefined while it is open. */
export function closedReason(client: GitHubClient, repository: string): (pr: number) => Promise<string | undefined> {
  const { owner, repo } = splitRepo(repository)
  return async pr => {
    const p = await client.pullRequest(owner, repo, pr)
    return p.state === 'closed' ? `PR #${pr} is ${p.merged ? 'merged' : 'closed'}` : undefined
  }
}

/** The guard before a preview deploy: a PR merged or closed meanwhile gets no preview (and leaves no orphans). */
export function requireOpen(client: GitHubClient, repository: string, pr: number): () => Promise<void> {
  const reason = closedReason(client, repository)
  return async () => {
    const closed = await reason(pr)
    if (closed) throw new PreviewRefused(`${closed} in ${repository}: no preview is deployed for it; nothing was created`)
  }
}

/** For the sweeper: a reclaimed preview's pr-<N> deployments become inactive, as on a teardown. */
export function deactivateDeployments(client: GitHubClient, repository: string, log: { info(m: string): void }): (pr: number) => Promise<void> {
  const { owner, repo } = splitRepo(repository)
  return async pr => {
    const { destroyPreviewDeployments } = await import('../github/deployments.js')
    const count = await destroyPreviewDeployments(client, { owner, repo, pr })
    if (count > 0) log.info(`PR #${pr}: ${count} GitHub Deployment(s) of environment pr-${pr} marked inactive`)
  }
}
