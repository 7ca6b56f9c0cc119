// The sim provider against the real control plane: kube-apiserver, controller-manager, scheduler,
// etcd and kwok built from the Go module proxy (scripts/sim-binaries.sh), and the real helm.

import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { ApiextensionsV1Api, AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node'
import type { V1ConfigMap, V1Deployment, V1Job, V1StatefulSet } from '@kubernetes/client-node'

import { apiErrorCode, loadKubeConfig, waitForWatch } from '../../../src/kube/client.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import { bareCluster } from '../../../src/plan/plan.js'
import type { ProvisionedCluster } from '../../../src/providers/provider.js'
import { resolveSimBinaries } from '../../../src/providers/sim/binaries.js'
import { bootstrapSimCluster } from '../../../src/providers/sim/bootstrap.js'
import { readSimCluster, restartComponent, startSimCluster, stopSimCluster, superviseComponents } from '../../../src/providers/sim/launcher.js'
import { freePort, isAlive } from '../../../src/providers/sim/process.js'
import { SimProvider } from '../../../src/providers/sim/provider.js'

const run = promisify(execFile)
const log = new MemoryLogger()
const workDir = mkdtempSync(join(tmpdir(), 'baf-sim-test-'))
const provider = new SimProvider()
let clusters: ProvisionedCluster[] = []
let binDir = ''
const pids: number[] = []

beforeAll(async () => {
  binDir = await resolveSimBinaries()
  clusters = await provider.create([bareCluster('alpha', 2), bareCluster('beta', 1)], { workDir, log })
  for (const c of clusters) pids.push(...(await readSimCluster(c.dir!)).processes.map(p => p.pid))
}, 240_000)

afterAll(async () => {
  await provider.delete(clusters, { workDir, log })
  // nothing of ours may still run
  expect(pids.filter(isAlive)).toEqual([])
}, 60_000)

const api = <T>(c: ProvisionedCluster, kind: new (...a: never[]) => T): T => loadKubeConfig(c.kubeconfig).makeApiClient(kind as never) as T

test('both clusters serve the pinned Kubernetes version, each on its own port, certificates and pool', async () => {
  const versions = await readFile('test/harness/versions.env', 'utf8')
  const pinned = versions.match(/^K8S_VERSION=(\S+)/m)![1]
  expect(clusters.map(c => c.kubernetesVersion)).toEqual([pinned, pinned])
  expect(new Set(clusters.map(c => c.server)).size).toBe(2)
  expect(clusters[0].loadBalancerPool).not.toEqual(clusters[1].loadBalancerPool)
  const [a, b] = await Promise.all(clusters.map(c => readFile(c.kubeconfig, 'utf8')))
  expect(a).not.toEqual(b)
  // a client of one cluster is a stranger to the other
  const mixed = loadKubeConfig(clusters[0].kubeconfig)
  mixed.clusters[0] = { ...mixed.clusters[0], server: clusters[1].server! }
  await expect(mixed.makeApiClient(CoreV1Api).listNamespace()).rejects.toBeTruthy()
})

test('nodes are Ready, like a kind cluster: default StorageClass, coredns, kube-dns', async () => {
  const core = api(clusters[0], CoreV1Api)
  const nodes = await core.listNode()
  expect(nodes.items.map(n => n.metadata?.name).sort()).toEqual(['alpha-worker', 'alpha-worker2'])
  expect(nodes.items.every(n => n.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True'))).toBe(true)
  expect((await core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' })).data?.Corefile).toContain('kubernetes cluster.local')
  expect((await core.readNamespacedService({ name: 'kube-dns', namespace: 'kube-system' })).spec?.clusterIP).toBe('10.96.0.10')
  const dep = await waitForWatch<V1Deployment>(loadKubeConfig(clusters[0].kubeconfig), {
    path: '/apis/apps/v1/namespaces/kube-system/deployments',
    what: 'coredns available',
    timeoutMs: 60_000,
    done: m => (m.get('kube-system/coredns')?.status?.availableReplicas ?? 0) >= 2
  })
  expect(dep.get('kube-system/coredns')?.status?.availableReplicas).toBe(2)
})

test('a Deployment of 3 replicas becomes Available and its Service gets a ClusterIP', async () => {
  const kc = loadKubeConfig(clusters[0].kubeconfig)
  const apps = kc.makeApiClient(AppsV1Api)
  await apps.createNamespacedDeployment({
    namespace: 'default',
    body: { metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }
  })
  const svc = await kc.makeApiClient(CoreV1Api).createNamespacedService({ namespace: 'default', body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } })
  expect(svc.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/)
  const seen = await waitForWatch<V1Deployment>(kc, {
    path: '/apis/apps/v1/namespaces/default/deployments',
    what: 'web available',
    timeoutMs: 60_000,
    done: m => m.get('default/web')?.status?.conditions?.some(c => c.type === 'Available' && c.status === 'True') === true && m.get('default/web')?.status?.availableReplicas === 3
  })
  expect(seen.get('default/web')?.status?.readyReplicas).toBe(3)
})

test('a StatefulSet with a volume claim template becomes Ready; the claim is bound', async () => {
  const kc = loadKubeConfig(clusters[0].kubeconfig)
  await kc.makeApiClient(AppsV1Api).createNamespacedStatefulSet({
    namespace: 'default',
    body: {
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        replicas: 2,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } } }]
      }
    }
  })
  await waitForWatch<V1StatefulSet>(kc, { path: '/apis/apps/v1/namespaces/default/statefulsets', what: 'db ready', timeoutMs: 90_000, done: m => m.get('default/db')?.status?.readyReplicas === 2 })
  const claims = await kc.makeApiClient(CoreV1Api).listNamespacedPersistentVolumeClaim({ namespace: 'default' })
  expect(claims.items.filter(c => c.metadata?.name?.startsWith('data-db-')).map(c => [c.status?.phase, c.spec?.storageClassName, c.status?.capacity?.storage])).toEqual([
    ['Bound', 'standard', '2Gi'],
    ['Bound', 'standard', '2Gi']
  ])
})

test('a Job completes', async () => {
  const kc = loadKubeConfig(clusters[1].kubeconfig)
  await kc.makeApiClient(BatchV1Api).createNamespacedJob({
    namespace: 'default',
    body: { metadata: { name: 'once' }, spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } } } }
  })
  const jobs = await waitForWatch<V1Job>(kc, { path: '/apis/batch/v1/namespaces/default/jobs', what: 'job complete', timeoutMs: 60_000, done: m => (m.get('default/once')?.status?.succeeded ?? 0) === 1 })
  expect(jobs.get('default/once')?.status?.conditions?.some(c => c.type === 'Complete' && c.status === 'True')).toBe(true)
})

test('a CRD is served and the API server rejects an invalid custom resource', async () => {
  const kc = loadKubeConfig(clusters[1].kubeconfig)
  await kc.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({
    body: {
      metadata: { name: 'probes.baf.test' },
      spec: {
        group: 'baf.test',
        names: { kind: 'Probe', plural: 'probes', singular: 'probe' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['port'], properties: { port: { type: 'integer', minimum: 1, maximum: 65535 } } } } } }
          }
        ]
      }
    }
  })
  const custom = kc.makeApiClient(CustomObjectsApi)
  const create = (port: unknown): Promise<unknown> =>
    custom.createNamespacedCustomObject({ group: 'baf.test', version: 'v1', namespace: 'default', plural: 'probes', body: { apiVersion: 'baf.test/v1', kind: 'Probe', metadata: { name: `p${String(port)}` }, spec: { port } } })
  // the CRD takes a moment to be established
  for (let i = 0; i < 50; i++) {
    try {
      await create(8545)
      break
    } catch (e) {
      if (apiErrorCode(e) !== 404 || i === 49) throw e
      await new Promise(r => setTimeout(r, 200))
    }
  }
  const invalid = await create(70000).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(apiErrorCode(invalid)).toBe(422)
  expect(String((invalid as { body?: unknown }).body)).toContain('spec.port')
})

test('helm install --wait succeeds: PVC bound by the provisioner, LoadBalancer address assigned', async () => {
  const helmHome = mkdtempSync(join(tmpdir(), 'baf-helm-'))
  const env = { ...process.env, HELM_CACHE_HOME: join(helmHome, 'cache'), HELM_CONFIG_HOME: join(helmHome, 'config'), HELM_DATA_HOME: join(helmHome, 'data') }
  const { stdout } = await run(join(binDir, 'helm'), ['install', 'demo', 'test/fixtures/charts/tiny', '--kubeconfig', clusters[1].kubeconfig, '--wait', '--timeout', '90s'], { env, timeout: 120_000 })
  expect(stdout).toContain('STATUS: deployed')
  const svc = await api(clusters[1], CoreV1Api).readNamespacedService({ name: 'demo-web', namespace: 'default' })
  expect(clusters[1].loadBalancerPool![0]).toBe(svc.status?.loadBalancer?.ingress?.[0]?.ip)
  const { stdout: version } = await run(join(binDir, 'helm'), ['version', '--short'], { env })
  expect(version).toMatch(/^v3\.\d+\.\d+/)
}, 150_000)

test('a watch survives the API server being killed (SIGKILL) and restarted', async () => {
  const c = clusters[1]
  const kc = loadKubeConfig(c.kubeconfig)
  const waiting = waitForWatch<V1ConfigMap>(kc, { path: '/api/v1/namespaces/default/configmaps', what: 'the configmap made after the restart', timeoutMs: 90_000, done: m => m.has('default/after-restart') })
  await new Promise(r => setTimeout(r, 500))
  const old = (await readSimCluster(c.dir!)).processes.find(p => p.name === 'kube-apiserver')!
  const fresh = await restartComponent(c.dir!, 'kube-apiserver', 60_000, { crash: true })
  pids.push(fresh.pid)
  expect(isAlive(old.pid)).toBe(false)
  expect(fresh.pid).not.toBe(old.pid)
  await kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after-restart' }, data: { ok: 'yes' } } })
  const seen = await waiting
  expect(seen.get('default/after-restart')?.data).toEqual({ ok: 'yes' })
}, 120_000)

test('delete leaves no process and no directory', async () => {
  const extra = await provider.create([bareCluster('gamma', 1)], { workDir, log })
  const gammaPids = (await readSimCluster(extra[0].dir!)).processes.map(p => p.pid)
  expect(gammaPids.every(isAlive)).toBe(true)
  await provider.delete(extra, { workDir, log })
  expect(gammaPids.filter(isAlive)).toEqual([])
  expect(existsSync(extra[0].dir!)).toBe(false)
}, 120_000)

test('a port another process took before etcd bound it: the start goes again on other ports', async () => {
  const squatter = createServer()
  await new Promise<void>(resolve => squatter.listen(0, '127.0.0.1', resolve))
  const taken = (squatter.address() as { port: number }).port
  let handedOut = 0
  const portSource = (): Promise<number> => (handedOut++ === 0 ? Promise.resolve(taken) : freePort())
  const dir = join(workDir, 'sim', 'delta')
  try {
    const sim = await startSimCluster({ name: 'delta', dir, binDir, workerNodes: 1, log, portSource })
    pids.push(...sim.processes.map(p => p.pid))
    expect(sim.ports.etcdClient).not.toBe(taken)
    expect(log.lines.some(l => l.includes("sim cluster delta: another process took etcd's port"))).toBe(true)
    // the first attempt's etcd is gone; only the second attempt's processes are recorded
    expect((await readSimCluster(dir)).processes.map(p => p.name)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'])
  } finally {
    squatter.close()
    await stopSimCluster(dir)
  }
}, 120_000)

test('a component that dies while the cluster boots ends the wait at once, naming it', async () => {
  const dir = join(workDir, 'sim', 'epsilon')
  const sim = await startSimCluster({ name: 'epsilon', dir, binDir, workerNodes: 1, log })
  pids.push(...sim.processes.map(p => p.pid))
  const supervisor = superviseComponents(sim)
  try {
    process.kill(sim.processes.find(p => p.name === 'kwok')!.pid, 'SIGKILL')
    // without kwok no node turns Ready; the wait's own bound (10 minutes) would outlast this test
    await expect(bootstrapSimCluster(loadKubeConfig(sim.kubeconfig), 'epsilon', 1, 600_000, supervisor.signal)).rejects.toThrow(/sim cluster epsilon: kwok exited during start; last lines of .*kwok\.log/)
  } finally {
    supervisor.stop()
    await stopSimCluster(dir)
  }
}, 60_000)
