// What EKS, AKS and GKE share: cluster names derived from the repository and run (so parallel
// runs never collide and a sweep can tell whose a cluster is), a `baf-ttl` tag holding the unix
// time after which a scheduled teardown may delete it even when the state file was lost, parallel
// create with delete-everything on failure, and errors that carry the cloud CLI's own message.
// Each cloud is one small subclass that says which commands to run.

import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { errorMessage } from '../../errors.js'
import { Exec, mapLimit } from '../../exec/exec.js'
import type { Logger } from '../../log/logger.js'
import type { PlanCluster } from '../../plan/types.js'
import { Kubeconfig } from '../existing/kubeconfig.js'
import type { ClusterPreview, ClusterProvider, PlannedCommand, ProviderOpts, ProvisionedCluster, ProvisionPreview } from '../provider.js'
import type { ProviderSettings } from './settings.js'

export const TTL_TAG = 'baf-ttl'
export const DEFAULT_TTL_HOURS = 6

/** One CLI call: argv, plus extra environment (gcloud writes credentials where KUBECONFIG points). */
export interface Command {
  cmd: string
  args: string[]
  env?: Record<string, string>
}

/** Where a managed cluster lives: enough to delete it from any later step. */
export interface ManagedCluster {
  /** the plan's cluster name */
  plan: string
  /** the cloud's cluster name */
  cloudName: string
  region: string
  project?: string
  resourceGroup?: string
}

export interface ClusterShape {
  nodeCount: number
  machineType?: string
  kubernetesVersion?: string
  /** tags/labels: baf-ttl, baf-action, baf-run */
  labels: Record<string, string>
}

export interface ExpiredCluster extends Omit<ManagedCluster, 'plan'> {
  /** the baf-ttl value: unix seconds */
  expiresAt: number
}

export interface RunIdentity {
  repository?: string
  runId?: string
  runAttempt?: string
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/**
 * `baf-<repo>-<run id>[-a<attempt>]-<cluster>`, DNS-safe and at most `max` characters. When that is
 * too long the repository part is shortened first (the run id and cluster keep names distinct and
 * tell a sweep whose cluster it is); only a cluster name that alone is too long is cut, ending in a
 * hash of the whole name.
 */
export function derivedName(id: RunIdentity, cluster: string, max: number): string {
  const repo = slug(id.repository?.split('/').pop() ?? '') || 'local'
  const run = slug(id.runId ?? '') || 'local'
  const attempt = id.runAttempt && id.runAttempt !== '1' ? `-a${slug(id.runAttempt)}` : ''
  const tail = `${run}${attempt}-${slug(cluster) || 'cluster'}`
  const full = `baf-${repo}-${tail}`
  if (full.length <= max) return full
  const room = max - `baf--${tail}`.length
  if (room >= 3) return `baf-${repo.slice(0, room).replace(/-+$/, '')}-${tail}`
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6)
  return `${`baf-${tail}`.slice(0, max - 7).replace(/-+$/, '')}-${hash}`
}

export function runIdentity(env: NodeJS.ProcessEnv = process.env): RunIdentity {
  return { repository: env.GITHUB_REPOSITORY, runId: env.GITHUB_RUN_ID, runAttempt: env.GITHUB_RUN_ATTEMPT }
}

/** `1.33`, `v1.33.2` -> `1.33` (EKS and AKS take a minor; GKE takes either). */
export function minorOf(version: string): string {
  const m = version.replace(/^v/, '').match(/^(\d+\.\d+)/)
  if (!m) throw new Error(`Kubernetes version "${version}" is not of the form 1.33 or 1.33.2`)
  return m[1]
}

export interface ManagedProviderOpts {
  settings: ProviderSettings
  env?: NodeJS.ProcessEnv
  /** milliseconds since the epoch; tests fix it */
  now?: () => number
  /** bound of one create, default 45 minutes (EKS takes 15-20) */
  createTimeoutMs?: number
  deleteTimeoutMs?: number
  parallel?: number
}

const STATE_FILE = 'managed.json'

export abstract class ManagedProvider implements ClusterProvider {
  abstract readonly name: 'eks' | 'aks' | 'gke'
  /** the cloud's own limit on cluster names */
  protected abstract readonly maxNameLength: number
  protected readonly settings: ProviderSettings
  protected readonly env: NodeJS.ProcessEnv
  protected readonly now: () => number

  constructor(protected readonly opts: ManagedProviderOpts) {
    this.settings = opts.settings
    this.env = opts.env ?? process.env
    this.now = opts.now ?? Date.now
  }

  /** Region (and project, resource group) for every cluster, or an error saying which input is missing. */
  protected abstract location(): Omit<ManagedCluster, 'plan' | 'cloudName'>
  /** the commands that create the cluster; pure, so a dry run shows exactly these */
  protected abstract createCommands(c: ManagedCluster, shape: ClusterShape, dir: string): Command[]
  /** files the create commands read, written into `dir` just before they run */
  protected configFiles(_c: ManagedCluster, _shape: ClusterShape, _dir: string): { path: string; text: string }[] {
    return []
  }
  abstract credentialsCommand(c: ManagedCluster, kubeconfig: string): Command
  abstract deleteCommand(c: ManagedCluster): Command
  abstract listCommand(): Command
  /** `listCommand`'s output -> clusters that carry a baf-ttl tag */
  abstract parseList(stdout: string): ExpiredCluster[]

  cloudName(cluster: string): string {
    return derivedName(runIdentity(this.env), cluster, this.maxNameLength)
  }

  managedCluster(cluster: string): ManagedCluster {
    return { plan: cluster, cloudName: this.cloudName(cluster), ...this.location() }
  }

  shape(cluster: PlanCluster): ClusterShape {
    const ttlHours = this.settings.ttlHours ?? DEFAULT_TTL_HOURS
    const run = runIdentity(this.env)
    return {
      nodeCount: this.settings.nodeCount ?? Math.max(1, cluster.workerNodes),
      machineType: this.settings.machineType,
      kubernetesVersion: this.settings.kubernetesVersion ?? cluster.kubernetesVersion,
      labels: { [TTL_TAG]: String(Math.floor(this.now() / 1000) + ttlHours * 3600), 'baf-action': 'true', 'baf-run': slug(run.runId ?? '') || 'local' }
    }
  }

  private async run(command: Command, what: string, timeoutMs: number, log?: Logger, prefix?: string): Promise<string> {
    const r = await Exec.checked(command.cmd, command.args, { env: { ...this.env, ...command.env }, timeoutMs, log, prefix, what })
    return r.stdout
  }

  /** the CLI that creates clusters, and where to get it */
  protected abstract readonly cli: { command: string; hint: string }

  private dirOf(workDir: string, cluster: string): string {
    return join(workDir, this.name, cluster)
  }

  async create(clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionedCluster[]> {
    const targets = clusters.map(c => this.managedCluster(c.name))
    Exec.require(this.cli.command, this.cli.hint, this.env)
    const results = await mapLimit(clusters, this.opts.parallel ?? 6, async (cluster, i) => {
      const started = Date.now()
      const target = targets[i]
      const dir = this.dirOf(opts.workDir, cluster.name)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      // written first: if this step dies mid-create, the post step still knows what to delete
      await writeFile(join(dir, STATE_FILE), JSON.stringify(target, null, 2) + '\n', { mode: 0o600 })
      const shape = this.shape(cluster)
      await opts.log.group(`${this.name}: create ${target.cloudName} (${cluster.name})`, async () => {
        for (const file of this.configFiles(target, shape, dir)) await writeFile(file.path, file.text)
        for (const command of this.createCommands(target, shape, dir)) {
          await this.run(command, `${this.name}: creating cluster "${cluster.name}" (${target.cloudName})`, this.opts.createTimeoutMs ?? 45 * 60_000, opts.log, cluster.name)
        }
      })
      const kubeconfig = join(dir, 'kubeconfig')
      await this.run(this.credentialsCommand(target, kubeconfig), `${this.name}: credentials of "${cluster.name}" (${target.cloudName})`, 5 * 60_000)
      const doc = Kubeconfig.parse(await readFile(kubeconfig, 'utf8'), kubeconfig)
      for (const s of Kubeconfig.secrets(doc)) Exec.addSecret(s)
      const context = doc['current-context'] ?? Kubeconfig.contexts(doc)[0] ?? target.cloudName
      opts.log.info(`${this.name} cluster ${cluster.name}: ${target.cloudName} in ${target.region} ready in ${((Date.now() - started) / 60_000).toFixed(1)} min`)
      const provisioned: ProvisionedCluster = {
        name: cluster.name,
        provider: this.name,
        kubeconfig,
        context,
        server: Kubeconfig.server(doc, context),
        kubernetesVersion: shape.kubernetesVersion,
        dir,
        limitations: []
      }
      return provisioned
    })
    const failed = results.map((r, i) => ({ r, c: clusters[i] })).filter(x => x.r.status === 'rejected')
    if (failed.length > 0) {
      const cleanup = await this.deleteTargets(targets, opts.log, true)
      const why = failed.map(f => `  ${errorMessage((f.r as PromiseRejectedResult).reason)}`)
      throw new Error(
        `${this.name}: ${failed.map(f => `cluster "${f.c.name}"`).join(', ')} failed to create; ${cleanup.length === 0 ? `all ${targets.length} cluster(s) were deleted` : `deleting left errors (the ${TTL_TAG} tag lets a scheduled sweep remove them): ${cleanup.join('; ')}`}\n${why.join('\n')}`
      )
    }
    return results.map(r => (r as PromiseFulfilledResult<ProvisionedCluster>).value)
  }

  /** Deletes every target; returns the errors (a cluster that was never created is not one). */
  private async deleteTargets(targets: ManagedCluster[], log: Logger, tolerateMissing: boolean): Promise<string[]> {
    const results = await mapLimit(targets, this.opts.parallel ?? 6, async t => {
      try {
        await this.run(this.deleteCommand(t), `${this.name}: deleting ${t.cloudName}`, this.opts.deleteTimeoutMs ?? 30 * 60_000, log, t.plan)
        log.info(`${this.name} cluster ${t.plan}: ${t.cloudName} deleted`)
      } catch (e) {
        if (tolerateMissing && /not ?found|does not exist|ResourceNotFound|could not find/i.test(errorMessage(e))) return
        throw e
      }
    })
    return results.filter(r => r.status === 'rejected').map(r => errorMessage((r as PromiseRejectedResult).reason))
  }

  async delete(clusters: ProvisionedCluster[], opts: ProviderOpts): Promise<void> {
    const targets = await this.deleteTargetsOf(clusters, opts.workDir)
    const errors = await this.deleteTargets(targets, opts.log, true)
    if (errors.length > 0) throw new Error(`${this.name}: ${errors.length} cluster(s) could not be deleted (a scheduled sweep by the ${TTL_TAG} tag will retry):\n${errors.join('\n')}`)
  }

  /** Where each cluster lives: as its create recorded it, else as derived from this run. */
  private deleteTargetsOf(clusters: Pick<ProvisionedCluster, 'name' | 'dir'>[], workDir: string): Promise<ManagedCluster[]> {
    return Promise.all(
      clusters.map(async c => {
        const dir = c.dir ?? this.dirOf(workDir, c.name)
        try {
          return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as ManagedCluster
        } catch {
          return this.managedCluster(c.name)
        }
      })
    )
  }

  async describe(action: 'create' | 'delete', clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionPreview> {
    const planned = (c: Command): PlannedCommand => ({ argv: [c.cmd, ...c.args], ...(c.env ? { env: c.env } : {}) })
    if (action === 'delete') {
      const targets = await this.deleteTargetsOf(clusters, opts.workDir)
      return {
        provider: this.name,
        action,
        checks: [],
        shared: [],
        clusters: targets.map(t => ({ name: t.plan, commands: [planned(this.deleteCommand(t))], steps: [`${t.cloudName}${t.region ? ` in ${t.region}` : ''}${t.resourceGroup ? ` (resource group ${t.resourceGroup})` : ''}; one that is already gone is not an error`] }))
      }
    }
    const previews: ClusterPreview[] = clusters.map(cluster => {
      const target = this.managedCluster(cluster.name)
      const shape = this.shape(cluster)
      const dir = this.dirOf(opts.workDir, cluster.name)
      const files = this.configFiles(target, shape, dir)
      return {
        name: cluster.name,
        ...(files.length > 0 ? { config: files.map(f => f.text).join('---\n') } : {}),
        commands: [...this.createCommands(target, shape, dir), this.credentialsCommand(target, join(dir, 'kubeconfig'))].map(planned),
        steps: [
          `record ${JSON.stringify(target)} in ${join(dir, STATE_FILE)} first, so a later step can delete it`,
          ...files.map(f => `write ${f.path} (the config below)`)
        ]
      }
    })
    return { provider: this.name, action, checks: [`${this.cli.command} on PATH, logged in to the cloud`], shared: [], clusters: previews }
  }

  /** Clusters whose baf-ttl has passed: what a scheduled teardown deletes when the state was lost. */
  async findExpired(nowMs: number = this.now()): Promise<ExpiredCluster[]> {
    const out = await this.run(this.listCommand(), `${this.name}: listing clusters tagged ${TTL_TAG}`, 5 * 60_000)
    return this.parseList(out).filter(c => c.expiresAt * 1000 <= nowMs)
  }

  /** Deletes every expired cluster; returns the names deleted. */
  async deleteExpired(log: Logger, nowMs?: number): Promise<string[]> {
    const expired = await this.findExpired(nowMs)
    const errors = await this.deleteTargets(
      expired.map(e => ({ plan: e.cloudName, cloudName: e.cloudName, region: e.region, project: e.project, resourceGroup: e.resourceGroup })),
      log,
      true
    )
    if (errors.length > 0) throw new Error(`${this.name}: expired clusters left: ${errors.join('; ')}`)
    return expired.map(e => e.cloudName)
  }

  async collectDiagnostics(clusters: ProvisionedCluster[], dir: string, opts: ProviderOpts): Promise<void> {
    for (const c of clusters) {
      try {
        await mkdir(join(dir, c.name), { recursive: true })
        const state = await readFile(join(c.dir ?? '', STATE_FILE), 'utf8').catch(() => '{}')
        await writeFile(join(dir, c.name, `${this.name}.json`), state)
      } catch (e) {
        opts.log.warning(`diagnostics of ${c.name}: ${errorMessage(e)}`)
      }
    }
  }
}

/** `baf-ttl` values are unix seconds; anything else is not ours to delete. */
export function ttlOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{9,11}$/.test(value) ? Number(value) : undefined
  return n
}
