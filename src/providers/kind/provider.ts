// The `kind` provider: every cluster of the plan as a kind cluster on the shared `kind` Docker
// network, created in parallel (bounded), each with its own pod/Service CIDRs, a MetalLB pool for
// LoadBalancer addresses and a CoreDNS that resolves every cluster's external names to that
// cluster's gateway. If any cluster fails, the logs of all are exported, everything created is
// deleted, and the error names the cluster and kind's own message.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { parse } from 'yaml'

import { errorMessage } from '../../errors.js'
import { Exec, mapLimit } from '../../exec/exec.js'
import type { ExecOpts, ExecResult } from '../../exec/exec.js'
import { applyObjects, loadKubeConfig } from '../../kube/client.js'
import type { PlanCluster } from '../../plan/types.js'
import { kindNodeImage } from '../../tools/manifest.js'
import { settingsFromEnv } from '../managed/settings.js'
import type { ClusterProvider, ProviderOpts, ProvisionedCluster } from '../provider.js'
import { carvePools, kindConfig, MAX_KIND_CLUSTERS, parseNetworkSubnet } from './config.js'
import type { Ipv4Range } from './config.js'
import { applyCorefile, dnsZones, patchCorefile } from '../../dns/coredns.js'
import type { ClusterPreview, PlannedCommand, ProvisionPreview } from '../provider.js'
import { METALLB, metallbHelmArgs, POOL_NAME, poolObjects } from './metallb.js'

export const KIND_NETWORK = 'kind'

export interface KindProviderOpts {
  /** clusters created at once; default 6 */
  parallel?: number
  /** overrides every cluster's Kubernetes version */
  kubernetesVersion?: string
  /** bound of one `kind create cluster`, default 10 minutes */
  createTimeoutMs?: number
  /** MetalLB pools and CoreDNS wiring after creation; default true */
  addons?: boolean
  /** executables, for tests and unusual installs */
  kind?: string
  docker?: string
  helm?: string
}

/** Where one cluster's files go: its config, its kubeconfig and the kubeconfig other clusters use. */
interface ClusterFiles {
  dir: string
  config: string
  kubeconfig: string
  internalKubeconfig: string
}

interface Created {
  cluster: PlanCluster
  dir: string
  kubeconfig: string
}

export class KindProvider implements ClusterProvider {
  readonly name = 'kind' as const

  constructor(private readonly opts: KindProviderOpts = {}) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): KindProvider {
    return new KindProvider({ kubernetesVersion: settingsFromEnv(env).kubernetesVersion })
  }

  private get kind(): string {
    return this.opts.kind ?? 'kind'
  }

  private dirOf(workDir: string, name: string): string {
    return join(workDir, 'kind', name)
  }

  private filesOf(workDir: string, name: string): ClusterFiles {
    const dir = this.dirOf(workDir, name)
    return { dir, config: join(dir, 'kind-config.yaml'), kubeconfig: join(dir, 'kubeconfig'), internalKubeconfig: join(dir, 'kubeconfig-internal') }
  }

  // The commands, built in one place for `create`, `delete` and `describe`.

  private listCommand(): PlannedCommand {
    return { argv: [this.kind, 'get', 'clusters'] }
  }

  private createCommand(name: string, files: ClusterFiles): PlannedCommand {
    // --retain keeps a failed cluster's nodes, so its logs can be exported before we delete it
    return { argv: [this.kind, 'create', 'cluster', '--name', name, '--config', files.config, '--kubeconfig', files.kubeconfig, '--wait', '3m', '--retain'] }
  }

  private internalKubeconfigCommand(name: string): PlannedCommand {
    return { argv: [this.kind, 'get', 'kubeconfig', '--name', name, '--internal'] }
  }

  private inspectNetworkCommand(): PlannedCommand {
    return { argv: [this.opts.docker ?? 'docker', 'network', 'inspect', KIND_NETWORK, '--format', '{{json .IPAM.Config}}'] }
  }

  private metallbCommand(kubeconfig: string): PlannedCommand {
    return { argv: [this.opts.helm ?? 'helm', ...metallbHelmArgs(kubeconfig)] }
  }

  private deleteCommand(name: string): PlannedCommand {
    return { argv: [this.kind, 'delete', 'cluster', '--name', name] }
  }

  /** the programs `create` needs on PATH */
  private requiredTools(): string[] {
    return [this.kind, ...(this.opts.addons !== false ? [this.opts.docker ?? 'docker', this.opts.helm ?? 'helm'] : [])]
  }

  private diagnosticsDir(workDir: string): string {
    return join(workDir, 'diagnostics')
  }

  /** The config file of every cluster, as `create` writes it (for dry runs and tests). */
  configs(clusters: PlanCluster[]): Map<string, string> {
    if (clusters.length > MAX_KIND_CLUSTERS) throw new Error(`kind: ${clusters.length} clusters; at most ${MAX_KIND_CLUSTERS} share one kind network`)
    return new Map(clusters.map((c, i) => [c.name, kindConfig(c, i, kindNodeImage(this.opts.kubernetesVersion ?? c.kubernetesVersion))]))
  }

  async create(clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionedCluster[]> {
    const configs = this.configs(clusters)
    // before anything is created: a missing tool is a setup problem, not a cluster failure
    const hint = 'install it first, e.g. with the setup action (tools: kind,kubectl,helm), and run Docker'
    for (const tool of this.requiredTools()) Exec.require(tool, hint)
    // a cluster of the same name (a self-hosted runner's leftover, someone's own) is never ours to delete
    const existing = KindProvider.parseClusters((await run(this.listCommand(), { timeoutMs: 60_000, what: 'kind get clusters' })).stdout)
    const taken = clusters.filter(c => existing.includes(c.name)).map(c => c.name)
    if (taken.length > 0) {
      throw new Error(`kind: cluster(s) ${taken.map(t => `"${t}"`).join(', ')} already exist on this machine; delete them first (kind delete cluster --name ${taken[0]}) or name the clusters differently (baf.clusters.<context>.name)`)
    }
    const results = await mapLimit(clusters, this.opts.parallel ?? 6, c => this.createOne(c, configs.get(c.name)!, opts))
    const failed = results.map((r, i) => ({ r, c: clusters[i] })).filter(x => x.r.status === 'rejected')
    if (failed.length > 0) {
      await this.cleanUp(clusters.map(c => c.name), opts)
      const why = failed.map(f => `  ${f.c.name}: ${errorMessage((f.r as PromiseRejectedResult).reason)}`)
      throw new Error(
        `kind: ${failed.map(f => `cluster "${f.c.name}"`).join(', ')} failed to create; the logs of every cluster are in ${this.diagnosticsDir(opts.workDir)} and all ${clusters.length} cluster(s) were deleted\n${why.join('\n')}`
      )
    }
    const created = results.map(r => (r as PromiseFulfilledResult<Created>).value)
    let pools: Ipv4Range[] = []
    try {
      if (this.opts.addons !== false) pools = await this.wire(created, opts)
    } catch (e) {
      await this.cleanUp(clusters.map(c => c.name), opts)
      throw new Error(`kind: wiring the clusters failed; logs exported to ${this.diagnosticsDir(opts.workDir)} and all ${clusters.length} cluster(s) deleted: ${errorMessage(e)}`)
    }
    return Promise.all(
      created.map(async (c, i) => {
        const server = await serverOf(c.kubeconfig)
        const provisioned: ProvisionedCluster = {
          name: c.cluster.name,
          provider: 'kind',
          kubeconfig: c.kubeconfig,
          context: `kind-${c.cluster.name}`,
          server,
          kubernetesVersion: kindNodeImage(this.opts.kubernetesVersion ?? c.cluster.kubernetesVersion).replace(/^kindest\/node:([^@]+).*$/, '$1'),
          loadBalancerPool: pools[i] ? [pools[i].first, pools[i].last] : undefined,
          dir: c.dir,
          limitations: []
        }
        return provisioned
      })
    )
  }

  /** `kind get clusters`: one name per line (kind says "No kind clusters found." on stderr). */
  static parseClusters(stdout: string): string[] {
    return stdout
      .split('\n')
      .map(l => l.trim())
      .filter(l => /^[a-z0-9][-a-z0-9.]*$/.test(l))
  }

  private async createOne(cluster: PlanCluster, config: string, opts: ProviderOpts): Promise<Created> {
    const started = Date.now()
    const files = this.filesOf(opts.workDir, cluster.name)
    await mkdir(files.dir, { recursive: true, mode: 0o700 })
    await writeFile(files.config, config)
    await opts.log.group(`kind create cluster ${cluster.name}`, () =>
      run(this.createCommand(cluster.name, files), { timeoutMs: this.opts.createTimeoutMs ?? 10 * 60_000, log: opts.log, prefix: cluster.name, what: `kind create cluster --name ${cluster.name}` })
    )
    const internal = await run(this.internalKubeconfigCommand(cluster.name), { timeoutMs: 60_000, what: `kind get kubeconfig --name ${cluster.name} --internal` })
    await writeFile(files.internalKubeconfig, internal.stdout, { mode: 0o600 })
    opts.log.info(`kind cluster ${cluster.name}: created in ${((Date.now() - started) / 1000).toFixed(1)}s`)
    return { cluster, dir: files.dir, kubeconfig: files.kubeconfig }
  }

  /** MetalLB with a per-cluster pool, then CoreDNS in every cluster knowing every cluster's gateway. */
  private async wire(created: Created[], opts: ProviderOpts): Promise<Ipv4Range[]> {
    const inspect = await run(this.inspectNetworkCommand(), { timeoutMs: 60_000, what: 'docker network inspect kind' })
    const subnet = parseNetworkSubnet(inspect.stdout)
    const pools = carvePools(subnet, created.length)
    const zones = dnsZones(created.map((c, i) => ({ name: c.cluster.name, dnsSuffixes: c.cluster.dnsSuffixes, gatewayAddress: pools[i].first })))
    const results = await mapLimit(created, this.opts.parallel ?? 6, async (c, i) => {
      await run(this.metallbCommand(c.kubeconfig), { timeoutMs: 6 * 60_000, log: opts.log, prefix: c.cluster.name, what: `helm install metallb in ${c.cluster.name}` })
      const kc = loadKubeConfig(c.kubeconfig)
      await retry(() => applyObjects(kc, poolObjects(pools[i])), 30, 2_000)
      await applyCorefile(kc, zones)
      opts.log.info(`kind cluster ${c.cluster.name}: LoadBalancer pool ${pools[i].first}-${pools[i].last}; CoreDNS resolves ${zones.map(z => `*.${z.zone} -> ${z.address}`).join(', ') || 'no external suffix'}`)
    })
    const failed = results.map((r, i) => ({ r, c: created[i] })).filter(x => x.r.status === 'rejected')
    if (failed.length > 0) throw new Error(failed.map(f => `cluster "${f.c.cluster.name}": ${errorMessage((f.r as PromiseRejectedResult).reason)}`).join('; '))
    return pools
  }

  /** Logs of every named cluster into the diagnostics directory, then delete them all; never throws. */
  private async cleanUp(names: string[], opts: ProviderOpts): Promise<void> {
    const diag = this.diagnosticsDir(opts.workDir)
    await mapLimit(names, this.opts.parallel ?? 6, async name => {
      await this.exportLogs(name, join(diag, name), opts)
      await this.deleteOne(name, opts)
    })
  }

  private async exportLogs(name: string, dir: string, opts: ProviderOpts): Promise<void> {
    await mkdir(dir, { recursive: true })
    const r = await Exec.run(this.kind, ['export', 'logs', dir, '--name', name], { timeoutMs: 3 * 60_000 })
    if (r.exitCode !== 0) opts.log.warning(`kind export logs --name ${name}: ${Exec.lastLines(r.stderr || r.stdout, 3)}`)
  }

  private async deleteOne(name: string, opts: ProviderOpts): Promise<void> {
    const [cmd, ...args] = this.deleteCommand(name).argv
    const r = await Exec.run(cmd, args, { timeoutMs: 5 * 60_000 })
    if (r.exitCode !== 0) throw new Error(`kind delete cluster --name ${name}: ${Exec.lastLines(r.stderr || r.stdout, 3)}`)
    opts.log.info(`kind cluster ${name}: deleted`)
  }

  async delete(clusters: ProvisionedCluster[], opts: ProviderOpts): Promise<void> {
    const results = await mapLimit(clusters, this.opts.parallel ?? 6, c => this.deleteOne(c.name, opts))
    const failed = results.filter(r => r.status === 'rejected')
    if (failed.length > 0) throw new Error(failed.map(f => errorMessage((f as PromiseRejectedResult).reason)).join('\n'))
  }

  async describe(action: 'create' | 'delete', clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionPreview> {
    if (action === 'delete') {
      return { provider: 'kind', action, checks: [], shared: [], clusters: clusters.map(c => ({ name: c.name, context: `kind-${c.name}`, commands: [this.deleteCommand(c.name)] })) }
    }
    const configs = this.configs(clusters)
    const addons = this.opts.addons !== false
    // each gateway gets the first address of its cluster's MetalLB pool, carved from the kind
    // network's subnet, which only `docker network inspect` tells
    const gateway = (name: string): string => `<gateway address of ${name}>`
    const zones = addons ? dnsZones(clusters.map(c => ({ name: c.name, dnsSuffixes: c.dnsSuffixes, gatewayAddress: gateway(c.name) }))) : []
    // the blocks `applyCorefile` appends to each cluster's own Corefile
    const corefilePatch = zones.length > 0 ? patchCorefile('', zones).replace(/^\n+/, '') : undefined
    const previews: ClusterPreview[] = clusters.map(c => {
      const files = this.filesOf(opts.workDir, c.name)
      const commands = [this.createCommand(c.name, files), this.internalKubeconfigCommand(c.name)]
      const steps = [`write ${files.config} (the config below) before creating; the internal kubeconfig to ${files.internalKubeconfig}`]
      if (addons) {
        commands.push(this.metallbCommand(files.kubeconfig))
        steps.push(
          `apply ${METALLB.namespace}/${POOL_NAME} (IPAddressPool: block #${clusters.indexOf(c) + 1} of 16 addresses below the top of the kind network's subnet, whose first address is the gateway's; and its L2Advertisement) through the Kubernetes API`,
          corefilePatch ? 'patch kube-system/coredns with the Corefile blocks below and restart the coredns Deployment through the Kubernetes API' : 'CoreDNS left as it is: no external_url_suffix outside cluster.local'
        )
      }
      return { name: c.name, context: `kind-${c.name}`, config: configs.get(c.name), ...(corefilePatch ? { corefilePatch } : {}), commands, steps }
    })
    return {
      provider: 'kind',
      action,
      checks: [`${this.requiredTools().join(', ')} on PATH`, 'no kind cluster of these names exists (kind get clusters)'],
      shared: [
        { ...this.listCommand(), when: 'before creating: none of the names may exist on this machine' },
        ...(addons ? [{ ...this.inspectNetworkCommand(), when: 'after every cluster exists: the subnet the MetalLB pools are carved from' }] : [])
      ],
      clusters: previews
    }
  }

  async collectDiagnostics(clusters: ProvisionedCluster[], dir: string, opts: ProviderOpts): Promise<void> {
    await mapLimit(clusters, this.opts.parallel ?? 6, c => this.exportLogs(c.name, join(dir, c.name), opts).catch(e => opts.log.warning(`diagnostics of ${c.name}: ${errorMessage(e)}`)))
  }
}

function run(command: PlannedCommand, opts: ExecOpts & { what?: string }): Promise<ExecResult> {
  const [cmd, ...args] = command.argv
  return Exec.checked(cmd, args, opts)
}

async function serverOf(kubeconfig: string): Promise<string | undefined> {
  try {
    const doc = parse(await readFile(kubeconfig, 'utf8')) as { clusters?: { cluster?: { server?: string } }[] }
    return doc.clusters?.[0]?.cluster?.server
  } catch {
    return undefined
  }
}

async function retry<T>(fn: () => Promise<T>, attempts: number, delayMs: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (e) {
      if (i >= attempts) throw e
      await new Promise(r => setTimeout(r, delayMs))
    }
  }
}
