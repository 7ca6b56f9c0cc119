// The `sim` provider: real control planes with kwok-simulated nodes, no Docker. It answers "does
// this network render, install and become Ready against a real API server", and says plainly
// that it runs no containers and carries no traffic.

import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { loadKubeConfig } from '../../kube/client.js'
import type { PlanCluster } from '../../plan/types.js'
import { packageRoot } from '../../paths.js'
import type { ClusterProvider, PlannedCommand, ProviderOpts, ProvisionedCluster, ProvisionPreview } from '../provider.js'
import { resolveSimBinaries, SIM_BINARIES } from './binaries.js'
import { bootstrapSimCluster, SIM_LIMITATIONS } from './bootstrap.js'
import { loopbackPool } from './controller.js'
import { componentArgs, readSimCluster, startSimCluster, stopSimCluster, superviseComponents } from './launcher.js'
import { startProcess } from './process.js'


export { SIM_LIMITATIONS }

const POOL_FILE = 'lb-pool'

/**
 * Loopback pools (127.0.<10+n>.0/24) not used by sim clusters already running under `workDir`,
 * so clusters created by separate commands never hand out the same gateway address.
 */
async function allocatePools(workDir: string, count: number): Promise<number[]> {
  const used = new Set<number>()
  const root = join(workDir, 'sim')
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const text = await readFile(join(root, name, POOL_FILE), 'utf8').catch(() => '')
    if (/^\d+$/.test(text.trim())) used.add(Number(text.trim()))
  }
  const pools: number[] = []
  for (let i = 0; pools.length < count && i < 240; i++) if (!used.has(i)) pools.push(i)
  if (pools.length < count) throw new Error(`sim: no free loopback pool under ${root}; delete old clusters with "baf cluster delete"`)
  return pools
}

export interface SimProviderOpts {
  binDir?: string
  /** run the volume/LoadBalancer controller in this process (tests) instead of a detached one */
  inProcessController?: boolean
  timeoutMs?: number
}

export class SimProvider implements ClusterProvider {
  readonly name = 'sim' as const
  private readonly inProcess = new Map<string, { stop(): Promise<void> }>()

  constructor(private readonly opts: SimProviderOpts = {}) {}

  async create(clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionedCluster[]> {
    const binDir = await resolveSimBinaries(this.opts.binDir, { downloadOnRunner: opts.log })
    const timeoutMs = this.opts.timeoutMs ?? 120_000
    const pools = await allocatePools(opts.workDir, clusters.length)
    const results = await Promise.allSettled(clusters.map((c, i) => this.createOne(c, pools[i], binDir, timeoutMs, opts)))
    const created = results.flatMap(r => (r.status === 'fulfilled' ? [r.value] : []))
    const failed = results.map((r, i) => ({ r, name: clusters[i].name })).filter(x => x.r.status === 'rejected')
    if (failed.length > 0) {
      // leave nothing half-made behind: the clusters that did start are stopped too
      await this.delete(created, opts)
      const why = failed.map(f => `${f.name}: ${((f.r as PromiseRejectedResult).reason as Error)?.message ?? String((f.r as PromiseRejectedResult).reason)}`)
      throw new Error(`sim: ${failed.length} of ${clusters.length} cluster(s) failed to start; everything created was removed\n${why.join('\n')}`)
    }
    return created
  }

  private async createOne(cluster: PlanCluster, index: number, binDir: string, timeoutMs: number, opts: ProviderOpts): Promise<ProvisionedCluster> {
    const started = Date.now()
    const deadline = started + timeoutMs
    const dir = join(opts.workDir, 'sim', cluster.name)
    const sim = await startSimCluster({ name: cluster.name, dir, binDir, workerNodes: cluster.workerNodes, log: opts.log, timeoutMs })
    const pool = loopbackPool(index)
    await writeFile(join(dir, POOL_FILE), String(index))
    const supervisor = superviseComponents(sim)
    try {
      // one budget for the whole cluster: what the start used is gone from the bootstrap's share
      await bootstrapSimCluster(loadKubeConfig(sim.kubeconfig), cluster.name, cluster.workerNodes, Math.max(1_000, deadline - Date.now()), supervisor.signal)
      await this.startController(sim.kubeconfig, dir, index, opts)
    } catch (e) {
      await stopSimCluster(dir).catch(() => undefined)
      throw e
    } finally {
      supervisor.stop()
    }
    opts.log.info(`sim cluster ${cluster.name}: ${cluster.workerNodes} node(s) Ready in ${((Date.now() - started) / 1000).toFixed(1)}s`)
    return {
      name: cluster.name,
      provider: 'sim',
      kubeconfig: sim.kubeconfig,
      context: cluster.name,
      server: sim.server,
      kubernetesVersion: sim.version,
      loadBalancerPool: [pool[0], pool[pool.length - 1]],
      dir,
      limitations: SIM_LIMITATIONS
    }
  }

  private async startController(kubeconfig: string, dir: string, index: number, opts: ProviderOpts): Promise<void> {
    if (this.opts.inProcessController) {
      const { SimController } = await import('./controller.js')
      const controller = new SimController(loadKubeConfig(kubeconfig), { loadBalancerPool: loopbackPool(index), log: opts.log })
      await controller.start()
      this.inProcess.set(dir, controller)
      return
    }
    const [binary, ...args] = controllerCommand(kubeconfig, index).argv
    const proc = startProcess('sim-controller', binary, args, join(dir, 'logs', 'sim-controller.log'))
    // recorded with the control plane's processes, so stop (from any process) ends it too
    const cluster = await readSimCluster(dir)
    cluster.processes.push(proc)
    await writeFile(join(dir, 'cluster.json'), JSON.stringify(cluster, null, 2) + '\n', { mode: 0o600 })
  }

  async delete(clusters: ProvisionedCluster[], opts: ProviderOpts): Promise<void> {
    await Promise.all(
      clusters.map(async c => {
        const dir = c.dir ?? join(opts.workDir, 'sim', c.name)
        await this.inProcess.get(dir)?.stop()
        this.inProcess.delete(dir)
        await stopSimCluster(dir)
        opts.log.info(`sim cluster ${c.name}: stopped and removed`)
      })
    )
  }

  /**
   * The processes each cluster would start, with the argv `create` builds; the free ports are
   * picked at start, so they show as placeholders. Reads the state directory, runs nothing.
   */
  async describe(action: 'create' | 'delete', clusters: PlanCluster[], opts: ProviderOpts): Promise<ProvisionPreview> {
    const dirOf = (name: string): string => join(opts.workDir, 'sim', name)
    if (action === 'delete') {
      const previews = await Promise.all(
        clusters.map(async c => {
          const running = await readSimCluster(dirOf(c.name)).catch(() => undefined)
          const processes = running ? running.processes.map(p => `${p.name} (pid ${p.pid})`).join(', ') : 'none recorded'
          return { name: c.name, context: c.name, commands: [], steps: [`stop the processes in ${join(dirOf(c.name), 'cluster.json')} (${processes}), then remove ${dirOf(c.name)}`] }
        })
      )
      return { provider: 'sim', action, checks: [], shared: [], clusters: previews }
    }
    // resolving the default directory runs scripts/sim-binaries.sh --check, which a dry run must not
    const binDir = this.opts.binDir ?? process.env.BAF_SIM_BIN ?? '<sim binaries directory>'
    const ports = { etcdClient: '<free port: etcd client>', etcdPeer: '<free port: etcd peer>', apiserver: '<free port: kube-apiserver>' }
    const pools = await allocatePools(opts.workDir, clusters.length)
    return {
      provider: 'sim',
      action,
      checks: [`${SIM_BINARIES.join(', ')} in ${binDir} (BAF_SIM_BIN, else the cache of scripts/sim-binaries.sh, else on a GitHub runner the release downloads)`],
      shared: [],
      clusters: clusters.map((c, i) => {
        const dir = dirOf(c.name)
        const args = componentArgs(c.name, dir, binDir, ports)
        const pool = loopbackPool(pools[i])
        const commands = SIM_BINARIES.map(b => ({ argv: [join(binDir, b), ...args[b]] }))
        if (!this.opts.inProcessController) commands.push(controllerCommand(join(dir, 'admin.kubeconfig'), pools[i]))
        return {
          name: c.name,
          context: c.name,
          commands,
          steps: [
            `certificates and kubeconfigs under ${dir}; each process started detached, logging to ${join(dir, 'logs')}`,
            `through the Kubernetes API: ${c.workerNodes} kwok node(s), StorageClass standard, coredns in kube-system`,
            `LoadBalancer addresses from ${pool[0]}-${pool[pool.length - 1]}; no container runs, no traffic is carried`
          ]
        }
      })
    }
  }

  async collectDiagnostics(clusters: ProvisionedCluster[], dir: string, opts: ProviderOpts): Promise<void> {
    for (const c of clusters) {
      try {
        await mkdir(join(dir, c.name), { recursive: true })
        await cp(join(c.dir ?? join(opts.workDir, 'sim', c.name), 'logs'), join(dir, c.name, 'logs'), { recursive: true })
      } catch (e) {
        opts.log.warning(`diagnostics of ${c.name}: ${(e as Error).message}`)
      }
    }
  }
}

/** The detached volume/LoadBalancer controller of one cluster, handing out loopback pool `index`. */
function controllerCommand(kubeconfig: string, index: number): PlannedCommand {
  return { argv: [process.execPath, join(packageRoot(), 'dist', 'sim-controller.js'), `--kubeconfig=${kubeconfig}`, `--pool=${index}`] }
}
