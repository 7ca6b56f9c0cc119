// The `existing` provider: clusters someone else runs, reached through a kubeconfig with one
// context per organisation (`k8s.context` in network.yaml). Nothing is created or deleted at the
// cluster level; before anything is deployed, every context must answer and be allowed to create
// namespaces, so a wrong kubeconfig fails the step in seconds rather than halfway through.

import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'

import { CoreV1Api } from '@kubernetes/client-node'

import { Exec, mapLimit } from '../../exec/exec.js'
import { loadKubeConfig } from '../../kube/client.js'
import { SIM_LIMITATIONS, SIM_NODE_LABEL } from '../sim/bootstrap.js'
import type { PlanCluster } from '../../plan/types.js'
import { settingsFromEnv } from '../managed/settings.js'
import type { ClusterProvider, ProviderOpts, ProvisionedCluster, ProvisionPreview } from '../provider.js'
import { AccessCheck } from './access.js'
import type { AccessCheckOpts } from './access.js'
import { Kubeconfig } from './kubeconfig.js'
import type { KubeconfigDoc } from './kubeconfig.js'

export const EXISTING_LIMITATIONS = ["an existing cluster is neither created nor deleted by baf-action: teardown deletes the organisations' namespaces it created (labelled app.kubernetes.io/managed-by=baf-action); a gateway controller it installed stays, as it may serve others"]

/** A sim cluster (`baf cluster create`) reached as an existing one: its nodes carry the sim label. */
async function runsOnKwok(kubeconfig: string): Promise<boolean> {
  try {
    const nodes = await loadKubeConfig(kubeconfig).makeApiClient(CoreV1Api).listNode({ labelSelector: `${SIM_NODE_LABEL}=true`, limit: 1 })
    return nodes.items.length > 0
  } catch {
    // listing nodes may be forbidden to a namespace-scoped CI user: then it is no sim cluster of ours
    return false
  }
}

export interface ExistingProviderOpts extends AccessCheckOpts {
  /** kubeconfig path; default BAF_KUBECONFIG, then the first file of KUBECONFIG, then ~/.kube/config */
  kubeconfig?: string
}

export class ExistingProvider implements ClusterProvider {
  readonly name = 'existing' as const

  constructor(private readonly opts: ExistingProviderOpts = {}) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): ExistingProvider {
    return new ExistingProvider({ kubeconfig: settingsFromEnv(env).kubeconfig })
  }

  kubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
    if (this.opts.kubeconfig) return this.opts.kubeconfig
    const first = env.KUBECONFIG?.split(delimiter).find(Boolean)
    return first ?? join(homedir(), '.kube', 'config')
  }

  /** The kubeconfig, read and checked to hold every cluster's context; its secrets registered for redaction. */
  private async kubeconfigWithContexts(clusters: PlanCluster[]): Promise<{ path: string; doc: KubeconfigDoc }> {
    const path = this.kubeconfigPath()
    if (!existsSync(path)) throw new Error(`existing: no kubeconfig at ${path}; give one with the kubeconfig input (a path, base64 or YAML) or BAF_KUBECONFIG`)
    const doc = Kubeconfig.parse(await readFile(path, 'utf8'), path)
    for (const s of Kubeconfig.secrets(doc)) Exec.addSecret(s)
    const available = Kubeconfig.contexts(doc)
    const missing = clusters.filter(c => !available.includes(c.context))
    if (missing.length > 0) {
      throw new Error(
        `existing: ${path} has no context ${missing.map(c => `"${c.context}" (cluster ${c.name})`).join(', ')}; it has ${available.map(a => `"${a}"`).join(', ') || 'none'}. Name each organisation's k8s.context after a context of the kubeconfig.`
      )
    }
    return { path, doc }
  }

  async create(clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionedCluster[]> {
    const { path, doc } = await this.kubeconfigWithContexts(clusters)
    const results = await mapLimit(clusters, 8, async cluster => {
      const dir = join(opts.workDir, 'existing', cluster.name)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const file = join(dir, 'kubeconfig')
      await writeFile(file, Kubeconfig.stringify(Kubeconfig.minify(doc, cluster.context, Kubeconfig.baseDirOf(path))), { mode: 0o600 })
      const report = await AccessCheck.run(file, cluster.context, this.opts)
      if (!report.canCreateNamespaces) {
        throw new Error(
          `context "${cluster.context}"${report.user ? ` (user ${report.user})` : ''} may not create namespaces on ${report.server}; baf-action creates one per organisation: bind the user to a role that allows it (e.g. cluster-admin on a CI cluster)`
        )
      }
      const simulated = await runsOnKwok(file)
      opts.log.info(`existing cluster ${cluster.name}: context ${cluster.context}, ${report.server}, Kubernetes ${report.version}, may create namespaces${simulated ? '; a sim cluster (kwok nodes): gateway controllers are not installed and in-cluster probes are skipped' : ''}`)
      const provisioned: ProvisionedCluster = {
        name: cluster.name,
        provider: 'existing',
        kubeconfig: file,
        context: cluster.context,
        server: report.server,
        kubernetesVersion: report.version,
        dir,
        limitations: simulated ? [...EXISTING_LIMITATIONS, ...SIM_LIMITATIONS] : EXISTING_LIMITATIONS,
        ...(simulated ? { simulated } : {})
      }
      return provisioned
    })
    const failed = results.map((r, i) => ({ r, c: clusters[i] })).filter(x => x.r.status === 'rejected')
    if (failed.length > 0) {
      const why = failed.map(f => `  ${f.c.name}: ${((f.r as PromiseRejectedResult).reason as Error).message}`)
      throw new Error(`existing: ${failed.length} of ${clusters.length} cluster(s) failed the access check; nothing was deployed\n${why.join('\n')}`)
    }
    return results.map(r => (r as PromiseFulfilledResult<ProvisionedCluster>).value)
  }

  async delete(clusters: ProvisionedCluster[], opts: ProviderOpts): Promise<void> {
    for (const c of clusters) opts.log.info(`existing cluster ${c.name}: left running (baf-action did not create it)`)
  }

  /** Reads the kubeconfig (a missing context fails here as in `create`); contacts no server. */
  async describe(action: 'create' | 'delete', clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionPreview> {
    if (action === 'delete') {
      return { provider: 'existing', action, checks: [], shared: [], clusters: clusters.map(c => ({ name: c.name, context: c.context, commands: [], steps: ['left running: baf-action did not create it'] })) }
    }
    const { path } = await this.kubeconfigWithContexts(clusters)
    return {
      provider: 'existing',
      action,
      checks: [`${path} holds context ${clusters.map(c => `"${c.context}"`).join(', ')} (checked: it does)`],
      shared: [],
      clusters: clusters.map(c => {
        const file = join(opts.workDir, 'existing', c.name, 'kubeconfig')
        return {
          name: c.name,
          context: c.context,
          commands: [],
          steps: [
            `write ${file} (0600): context "${c.context}" alone, with its cluster and user`,
            'GET /version: the API server answers these credentials',
            'POST a SelfSubjectAccessReview: this identity may create namespaces',
            `list nodes labelled ${SIM_NODE_LABEL}=true: whether it is a sim cluster (kwok nodes)`
          ]
        }
      })
    }
  }

  async collectDiagnostics(clusters: ProvisionedCluster[], dir: string, opts: ProviderOpts): Promise<void> {
    for (const c of clusters) {
      try {
        await mkdir(join(dir, c.name), { recursive: true })
        const report = await AccessCheck.run(c.kubeconfig, c.context, { timeoutMs: 10_000 })
        await writeFile(join(dir, c.name, 'cluster.json'), JSON.stringify({ context: c.context, ...report }, null, 2) + '\n')
      } catch (e) {
        opts.log.warning(`diagnostics of ${c.name}: ${(e as Error).message}`)
      }
    }
  }
}
