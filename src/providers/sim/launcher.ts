// Starts one sim cluster: etcd, kube-apiserver (TLS, client certificates, RBAC), controller-manager,
// scheduler and kwok with N fake nodes, all bound to 127.0.0.1 on free ports. Everything lives in
// one directory: certificates, kubeconfigs (0600), etcd data, one log per component, and
// cluster.json with the PIDs, which is all `stop` needs.

import { request } from 'node:https'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import type { Logger } from '../../log/logger.js'
import { createClusterPki } from './pki.js'
import type { ClusterPki } from './pki.js'
import { freePort, isAlive, sleep, startProcess, stopProcess } from './process.js'
import type { StartedProcess } from './process.js'
import type { SimBinary } from './binaries.js'

export const SERVICE_CIDR = '10.96.0.0/16'
/** kwok hands pods addresses from here; nothing ever connects to them */
export const POD_CIDR = '10.244.0.1/16'

export interface SimClusterOpts {
  name: string
  /** the cluster's directory; created, and removed again by stop */
  dir: string
  binDir: string
  workerNodes: number
  log: Logger
  /** overall bound for the start, default 120 s */
  timeoutMs?: number
  /** where the components' ports come from (tests hand out a taken one); default: a free one */
  portSource?: () => Promise<number>
}

export interface SimCluster {
  name: string
  dir: string
  kubeconfig: string
  server: string
  version?: string
  processes: StartedProcess[]
  ports: Record<string, number>
}

const CLUSTER_FILE = 'cluster.json'
/** kwok's stage definitions, taken from the kwok module by scripts/sim-binaries.sh */
export const KWOK_STAGES = 'kwok-stages.yaml'

function kubeconfigYaml(cluster: string, server: string, pki: ClusterPki, user: string): string {
  const b64 = (s: string): string => Buffer.from(s).toString('base64')
  const client = pki.clients[user]
  return `apiVersion: v1
kind: Config
clusters:
- name: ${cluster}
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(pki.ca.cert)}
users:
- name: ${user}
  user:
    client-certificate-data: ${b64(client.cert)}
    client-key-data: ${b64(client.key)}
contexts:
- name: ${cluster}
  context:
    cluster: ${cluster}
    user: ${user}
current-context: ${cluster}
`
}

async function tail(file: string, lines = 15): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** A component could not bind its port: another process took it after we checked. Worth a retry. */
class PortTaken extends Error {
  constructor(
    readonly component: string,
    message: string
  ) {
    super(message)
  }
}

/** Why a component exited during start, with its log's tail. */
async function exited(what: string, proc: StartedProcess): Promise<Error> {
  const lines = await tail(proc.log)
  const message = `${what}: ${proc.name} exited during start; last lines of ${proc.log}:\n${lines}`
  return /address already in use/i.test(lines) ? new PortTaken(proc.name, message) : new Error(message)
}

/** Polls `check` until it returns true; fails early, with the log's tail, if the process dies. */
async function waitReady(what: string, proc: StartedProcess, check: () => Promise<boolean>, deadline: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (await check().catch(() => false)) return
    if (!isAlive(proc.pid)) throw await exited(what, proc)
    if (Date.now() > deadline) throw new Error(`${what}: not ready in time; last lines of ${proc.log}:\n${await tail(proc.log)}`)
    await sleep(Math.min(50 * 2 ** attempt, 500))
  }
}

/**
 * Watches a started cluster's processes until stopped: when one exits, `signal` aborts with the
 * component's name and log tail, so a wait on the cluster ends at once instead of at its deadline.
 */
export function superviseComponents(cluster: Pick<SimCluster, 'name' | 'processes'>, intervalMs = 250): { signal: AbortSignal; stop(): void } {
  const controller = new AbortController()
  const timer = setInterval(() => {
    const dead = cluster.processes.find(p => !isAlive(p.pid))
    if (!dead || controller.signal.aborted) return
    clearInterval(timer)
    void exited(`sim cluster ${cluster.name}`, dead).then(e => controller.abort(e))
  }, intervalMs)
  timer.unref()
  return { signal: controller.signal, stop: () => clearInterval(timer) }
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(async r => ({ status: r.status, body: await r.text() }))
}

/** GET on the API server with the admin client certificate. */
export function apiGet(server: string, path: string, pki: Pick<ClusterPki, 'ca'> & { client: { cert: string; key: string } }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server}${path}`, { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key, timeout: 3000 }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end()
  })
}

/** Attempts at starting a cluster when a component lost its port to another process. */
const START_ATTEMPTS = 3

export async function startSimCluster(opts: SimClusterOpts): Promise<SimCluster> {
  const started = Date.now()
  const deadline = started + (opts.timeoutMs ?? 120_000)
  const { dir, name, log } = opts
  const existing = await readSimCluster(dir).catch(() => undefined)
  if (existing?.processes.some(p => isAlive(p.pid))) {
    throw new Error(`sim cluster ${name} is already running in ${dir}; delete it first (baf cluster delete --provider sim --name ${name})`)
  }
  await mkdir(join(dir, 'logs'), { recursive: true, mode: 0o700 })
  await mkdir(join(dir, 'pki'), { recursive: true, mode: 0o700 })
  const pki = await createClusterPki(name, { dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'], ips: ['127.0.0.1', '10.96.0.1'] })
  for (let attempt = 1; ; attempt++) {
    try {
      const cluster = await startComponents(opts, pki, deadline)
      log.info(`sim cluster ${name}: API server ${cluster.server} (${cluster.version ?? 'unknown version'}) ready in ${((Date.now() - started) / 1000).toFixed(1)}s`)
      return cluster
    } catch (e) {
      if (e instanceof PortTaken && attempt < START_ATTEMPTS && Date.now() < deadline) {
        log.info(`sim cluster ${name}: another process took ${e.component}'s port before it bound it; starting again on other ports`)
        await stopComponents(dir)
        await rm(join(dir, 'etcd'), { recursive: true, force: true })
        continue
      }
      await stopSimCluster(dir).catch(() => undefined)
      throw e
    }
  }
}

/** A port a component binds: a number, or (for a dry run) a placeholder naming which. */
export type SimPorts = Record<'etcdClient' | 'etcdPeer' | 'apiserver', number | string>

/** The argv of every component after its binary, in start order; files are those `startComponents` writes under `dir`. */
export function componentArgs(name: string, dir: string, binDir: string, ports: SimPorts): Record<SimBinary, string[]> {
  const file = (f: string): string => join(dir, 'pki', f)
  const componentKubeconfig = (c: string): string => join(dir, `${c}.kubeconfig`)
  return {
    etcd: [
      '--name=sim',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=sim=http://127.0.0.1:${ports.etcdPeer}`,
      // a throwaway test cluster: durability is not worth an fsync per write
      '--unsafe-no-fsync=true',
      '--log-level=warn'
    ],
    'kube-apiserver': [
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${file('apiserver.crt')}`,
      `--tls-private-key-file=${file('apiserver.key')}`,
      `--client-ca-file=${file('ca.crt')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${file('sa.pub')}`,
      `--service-account-signing-key-file=${file('sa.key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      '--enable-priority-and-fairness=false',
      '--profiling=false',
      // no kubelet here: nothing would answer the apiserver's calls to node addresses
      '--endpoint-reconciler-type=none'
    ],
    'kube-controller-manager': [
      `--kubeconfig=${componentKubeconfig('kube-controller-manager')}`,
      `--authentication-kubeconfig=${componentKubeconfig('kube-controller-manager')}`,
      `--authorization-kubeconfig=${componentKubeconfig('kube-controller-manager')}`,
      '--bind-address=127.0.0.1',
      '--secure-port=0',
      `--root-ca-file=${file('ca.crt')}`,
      `--service-account-private-key-file=${file('sa.key')}`,
      `--cluster-signing-cert-file=${file('ca.crt')}`,
      `--cluster-signing-key-file=${file('ca.key')}`,
      `--cluster-name=${name}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--leader-elect=false',
      // each controller acts as its own ServiceAccount, as kubeadm sets it up; the bootstrap RBAC
      // roles grant the shared system:kube-controller-manager identity too little otherwise
      '--use-service-account-credentials=true',
      '--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller'
    ],
    'kube-scheduler': [
      `--kubeconfig=${componentKubeconfig('kube-scheduler')}`,
      `--authentication-kubeconfig=${componentKubeconfig('kube-scheduler')}`,
      `--authorization-kubeconfig=${componentKubeconfig('kube-scheduler')}`,
      '--bind-address=127.0.0.1',
      '--secure-port=0',
      '--leader-elect=false'
    ],
    kwok: [
      `--kubeconfig=${componentKubeconfig('kwok')}`,
      // node and pod lifecycles (initialize, heartbeat, ready, complete, delete) from kwok's own stages
      `--config=${join(binDir, KWOK_STAGES)}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--cidr=${POD_CIDR}`,
      '--node-ip=127.0.0.1',
      '--node-lease-duration-seconds=40'
    ]
  }
}

/** One start of every component on fresh ports; records the PIDs as it goes. */
async function startComponents(opts: SimClusterOpts, pki: ClusterPki, deadline: number): Promise<SimCluster> {
  const { dir, binDir, name } = opts
  const bin = (b: string): string => join(binDir, b)
  const port = opts.portSource ?? freePort
  // controller-manager, scheduler and kwok serve nothing we use: their secure ports stay closed,
  // so only the ports below can collide, and a wait on each notices when its owner dies
  const ports = {
    etcdClient: await port(),
    etcdPeer: await port(),
    apiserver: await port()
  }
  const server = `https://127.0.0.1:${ports.apiserver}`
  const file = (f: string): string => join(dir, 'pki', f)
  const secret = { mode: 0o600 }
  await Promise.all([
    writeFile(file('ca.crt'), pki.ca.cert),
    writeFile(file('ca.key'), pki.ca.key, secret),
    writeFile(file('apiserver.crt'), pki.apiserver.cert),
    writeFile(file('apiserver.key'), pki.apiserver.key, secret),
    writeFile(file('sa.key'), pki.serviceAccount.key, secret),
    writeFile(file('sa.pub'), pki.serviceAccount.pub),
    ...Object.keys(pki.clients).map(user => writeFile(join(dir, `${user}.kubeconfig`), kubeconfigYaml(name, server, pki, user), secret))
  ])
  const kubeconfig = join(dir, 'admin.kubeconfig')
  const cluster: SimCluster = { name, dir, kubeconfig, server, processes: [], ports }
  const record = (): Promise<void> => writeFile(join(dir, CLUSTER_FILE), JSON.stringify(cluster, null, 2) + '\n', secret)
  const launch = async (component: string, args: string[]): Promise<StartedProcess> => {
    const p = startProcess(component, bin(component), args, join(dir, 'logs', `${component}.log`))
    cluster.processes.push(p)
    await record()
    return p
  }

  const args = componentArgs(name, dir, binDir, ports)
  const etcd = await launch('etcd', args.etcd)
  await waitReady('etcd', etcd, async () => (await httpGet(`http://127.0.0.1:${ports.etcdClient}/health`)).body.includes('"health":"true"'), deadline)

  const apiserver = await launch('kube-apiserver', args['kube-apiserver'])
  const admin = { ca: pki.ca, client: pki.clients.admin }
  await waitReady('kube-apiserver', apiserver, async () => (await apiGet(server, '/readyz', admin)).status === 200, deadline)
  cluster.version = (JSON.parse((await apiGet(server, '/version', admin)).body) as { gitVersion?: string }).gitVersion

  await launch('kube-controller-manager', args['kube-controller-manager'])
  await launch('kube-scheduler', args['kube-scheduler'])
  await launch('kwok', args.kwok)
  return cluster
}

/** Whether `pid` still runs the component it was started as (Linux: /proc; elsewhere: assume so). */
async function runs(pid: number, component: string): Promise<boolean> {
  if (!isAlive(pid)) return false
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8')
    return cmdline.split('\0').slice(0, 2).some(arg => arg === component || arg.endsWith(`/${component}`) || arg.includes(`/${component}.`))
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT' || process.platform !== 'linux'
  }
}

/**
 * Stops one component (gracefully, or killed with `crash` as a node failure would) and starts it
 * again with the same arguments (the API server keeps its port, certificates and etcd), then waits
 * for it to serve. Used to prove clients survive a restart.
 */
export async function restartComponent(dir: string, component: string, timeoutMs = 60_000, opts: { crash?: boolean } = {}): Promise<StartedProcess> {
  const cluster = await readSimCluster(dir)
  const index = cluster.processes.findIndex(p => p.name === component)
  if (index < 0) throw new Error(`sim cluster ${cluster.name} has no ${component}`)
  const old = cluster.processes[index]
  if (await runs(old.pid, old.name)) await stopProcess(old.pid, opts.crash ? 0 : 5_000)
  const fresh = startProcess(old.name, old.binary, old.args, old.log)
  cluster.processes[index] = fresh
  await writeFile(join(dir, CLUSTER_FILE), JSON.stringify(cluster, null, 2) + '\n', { mode: 0o600 })
  if (component === 'kube-apiserver') {
    const pki = {
      ca: { cert: await readFile(join(dir, 'pki', 'ca.crt'), 'utf8'), key: '' },
      client: await adminClient(dir)
    }
    await waitReady('kube-apiserver', fresh, async () => (await apiGet(cluster.server, '/readyz', pki)).status === 200, Date.now() + timeoutMs)
  }
  return fresh
}

/** The admin client certificate and key, read back from the admin kubeconfig. */
async function adminClient(dir: string): Promise<{ cert: string; key: string }> {
  const text = await readFile(join(dir, 'admin.kubeconfig'), 'utf8')
  const field = (key: string): string => Buffer.from(text.match(new RegExp(`${key}: (\\S+)`))?.[1] ?? '', 'base64').toString('utf8')
  return { cert: field('client-certificate-data'), key: field('client-key-data') }
}

export async function readSimCluster(dir: string): Promise<SimCluster> {
  return JSON.parse(await readFile(join(dir, CLUSTER_FILE), 'utf8')) as SimCluster
}

/** Stops exactly the processes start launched (kwok first, etcd last); the directory stays. */
async function stopComponents(dir: string): Promise<void> {
  const cluster = await readSimCluster(dir).catch(() => undefined)
  // a PID from an old cluster.json may belong to another program by now: only stop our binary
  const stop = async (p: StartedProcess): Promise<void> => {
    if (await runs(p.pid, p.name)) await stopProcess(p.pid, 5_000)
  }
  const processes = cluster?.processes ?? []
  // every component takes a second or two to shut down: stop them together, the datastore last
  await Promise.all(processes.filter(p => p.name !== 'etcd').map(stop))
  await Promise.all(processes.filter(p => p.name === 'etcd').map(stop))
}

/** Stops the cluster's processes and removes its directory. */
export async function stopSimCluster(dir: string): Promise<void> {
  await stopComponents(dir)
  await rm(dir, { recursive: true, force: true })
}
