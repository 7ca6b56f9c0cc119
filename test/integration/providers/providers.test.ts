// The existing and kind providers against real API servers: two sim clusters (kube-apiserver,
// etcd, controller-manager, scheduler, kwok). The existing provider checks reachability and
// permission for real; the kind provider's wiring (MetalLB pools, CoreDNS) is applied with the real
// API, with only `kind`, `docker` and `helm` replaced by recording stand-ins.

// @peculiar/x509 needs the Reflect metadata API before it loads
import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { Server, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import * as x509 from '@peculiar/x509'
import { ApiextensionsV1Api, AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node'
import { parse, stringify } from 'yaml'

import { loadKubeConfig } from '../../../src/kube/client.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import type { PlanCluster } from '../../../src/plan/types.js'
import { ExistingProvider } from '../../../src/providers/existing/provider.js'
import { applyCorefile, BEGIN, COREDNS_ANNOTATION } from '../../../src/dns/coredns.js'
import { KindProvider } from '../../../src/providers/kind/provider.js'
import { metallbHelmArgs } from '../../../src/providers/kind/metallb.js'
import type { ProvisionedCluster } from '../../../src/providers/provider.js'
// sets up @peculiar/x509's crypto provider
import '../../../src/providers/sim/pki.js'
import { SimProvider } from '../../../src/providers/sim/provider.js'
import { FakeCli } from '../../harness/fake-cli/fake-cli.js'

const log = new MemoryLogger()
const workDir = mkdtempSync(join(tmpdir(), 'baf-providers-itg-'))
const sim = new SimProvider({ inProcessController: true })
let clusters: ProvisionedCluster[] = []
let blackhole: Server
const held = new Set<Socket>()

function planCluster(name: string, context: string, dnsSuffixes: string[] = []): PlanCluster {
  return { name, context, organizations: [], namespaces: [], workerNodes: 1, gateway: { kind: 'haproxy', namespace: 'haproxy', listeners: [] }, dnsSuffixes }
}

type Doc = { clusters: { name: string; cluster: Record<string, unknown> }[]; users: { name: string; user: Record<string, unknown> }[]; contexts: { name: string; context: Record<string, string> }[] }
const readDoc = (path: string): Doc => parse(readFileSync(path, 'utf8')) as Doc

/** One kubeconfig with a context per sim cluster, plus extra users/servers, as a team would hand it over. */
function mergedKubeconfig(extra: { context: string; cluster: Record<string, unknown>; user: Record<string, unknown> }[] = []): string {
  const docs = clusters.map(c => readDoc(c.kubeconfig))
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [...docs.map((d, i) => ({ name: `cl-${clusters[i].name}`, cluster: d.clusters[0].cluster })), ...extra.map(e => ({ name: `cl-${e.context}`, cluster: e.cluster }))],
    users: [...docs.map((d, i) => ({ name: `admin-${clusters[i].name}`, user: d.users[0].user })), ...extra.map(e => ({ name: `user-${e.context}`, user: e.user }))],
    contexts: [
      ...clusters.map(c => ({ name: `ctx-${c.name}`, context: { cluster: `cl-${c.name}`, user: `admin-${c.name}` } })),
      ...extra.map(e => ({ name: e.context, context: { cluster: `cl-${e.context}`, user: `user-${e.context}` } }))
    ],
    'current-context': `ctx-${clusters[0].name}`
  }
  const file = join(mkdtempSync(join(workDir, 'kc-')), 'config')
  writeFileSync(file, stringify(doc), { mode: 0o600 })
  return file
}

/** A client certificate from the cluster's own CA for a user no RBAC binding mentions. */
async function strangerUser(cluster: ProvisionedCluster): Promise<Record<string, unknown>> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
  const pem = (path: string): Buffer => Buffer.from(readFileSync(path, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
  const caKey = await webcrypto.subtle.importKey('pkcs8', pem(join(cluster.dir!, 'pki', 'ca.key')), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
  const caCert = new x509.X509Certificate(readFileSync(join(cluster.dir!, 'pki', 'ca.crt'), 'utf8'))
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0badc0de',
    subject: 'CN=baf-stranger',
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3_600_000),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]
  })
  const keyDer = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${keyDer.toString('base64')}\n-----END PRIVATE KEY-----\n`
  return { 'client-certificate-data': Buffer.from(cert.toString('pem')).toString('base64'), 'client-key-data': Buffer.from(keyPem).toString('base64') }
}

beforeAll(async () => {
  clusters = await sim.create([planCluster('alpha', 'alpha'), planCluster('beta', 'beta')], { workDir, log })
  // accepts connections and never answers: an API server behind a dead load balancer
  blackhole = createServer(s => {
    held.add(s)
    s.on('close', () => held.delete(s))
  })
  await new Promise<void>(r => blackhole.listen(0, '127.0.0.1', r))
}, 240_000)

afterAll(async () => {
  for (const s of held) s.destroy()
  await new Promise(r => blackhole.close(r))
  await sim.delete(clusters, { workDir, log })
}, 60_000)

describe('existing provider', () => {
  test('two contexts of one kubeconfig: both reachable, version read, may create namespaces; one 0600 kubeconfig each', async () => {
    const kubeconfig = mergedKubeconfig()
    const dir = mkdtempSync(join(workDir, 'existing-'))
    const created = await new ExistingProvider({ kubeconfig }).create([planCluster('org-a', 'ctx-alpha'), planCluster('org-b', 'ctx-beta')], { workDir: dir, log })
    expect(created.map(c => [c.name, c.context, c.server, c.kubernetesVersion])).toEqual([
      ['org-a', 'ctx-alpha', clusters[0].server, clusters[0].kubernetesVersion],
      ['org-b', 'ctx-beta', clusters[1].server, clusters[1].kubernetesVersion]
    ])
    for (const c of created) {
      expect(statSync(c.kubeconfig).mode & 0o777).toBe(0o600)
      expect(readDoc(c.kubeconfig).contexts.map(x => x.name)).toEqual([c.context])
      // and the file works on its own
      const ns = await loadKubeConfig(c.kubeconfig).makeApiClient(CoreV1Api).listNamespace()
      expect(ns.items.map(n => n.metadata?.name)).toContain('kube-system')
    }
  })

  test('a user without RBAC bindings is refused before anything is deployed, with the reason and the fix', async () => {
    const alpha = readDoc(clusters[0].kubeconfig)
    const kubeconfig = mergedKubeconfig([{ context: 'ctx-stranger', cluster: alpha.clusters[0].cluster, user: await strangerUser(clusters[0]) }])
    const err = await new ExistingProvider({ kubeconfig })
      .create([planCluster('org-a', 'ctx-alpha'), planCluster('org-s', 'ctx-stranger')], { workDir: mkdtempSync(join(workDir, 'existing-')), log })
      .catch((e: unknown) => e as Error)
    expect((err as Error).message).toBe(
      `existing: 1 of 2 cluster(s) failed the access check; nothing was deployed\n  org-s: context "ctx-stranger" (user user-ctx-stranger) may not create namespaces on ${clusters[0].server}; baf-action creates one per organisation: bind the user to a role that allows it (e.g. cluster-admin on a CI cluster)`
    )
  })

  test('a server that never answers fails within the bound; a closed port fails at once', async () => {
    const alpha = readDoc(clusters[0].kubeconfig)
    const port = (blackhole.address() as { port: number }).port
    const kubeconfig = mergedKubeconfig([
      { context: 'ctx-hung', cluster: { ...alpha.clusters[0].cluster, server: `https://127.0.0.1:${port}` }, user: alpha.users[0].user },
      { context: 'ctx-closed', cluster: { ...alpha.clusters[0].cluster, server: 'https://127.0.0.1:1' }, user: alpha.users[0].user }
    ])
    const started = Date.now()
    const err = await new ExistingProvider({ kubeconfig, timeoutMs: 1_500 })
      .create([planCluster('hung', 'ctx-hung'), planCluster('closed', 'ctx-closed')], { workDir: mkdtempSync(join(workDir, 'existing-')), log })
      .catch((e: unknown) => e as Error)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect((err as Error).message).toContain(`  hung: context "ctx-hung": the API server https://127.0.0.1:${port} is not reachable: no answer within 2s`)
    expect((err as Error).message).toContain('  closed: context "ctx-closed": the API server https://127.0.0.1:1 is not reachable: connection refused (127.0.0.1:1)')
  })

  test('an organisation whose context is not in the kubeconfig is named, with the contexts there are', async () => {
    const kubeconfig = mergedKubeconfig()
    await expect(new ExistingProvider({ kubeconfig }).create([planCluster('org-x', 'prod-eu')], { workDir, log })).rejects.toThrow(
      `existing: ${kubeconfig} has no context "prod-eu" (cluster org-x); it has "ctx-alpha", "ctx-beta". Name each organisation's k8s.context after a context of the kubeconfig.`
    )
  })
})

describe('kind wiring against real API servers', () => {
  test('the CoreDNS patch is applied to the coredns ConfigMap, read back, restarts CoreDNS, and is idempotent', async () => {
    const kc = loadKubeConfig(clusters[0].kubeconfig)
    const zones = [{ zone: 'org1.example.com', address: '172.18.255.224', cluster: 'alpha' }]
    const first = await applyCorefile(kc, zones)
    expect(first.changed).toBe(true)
    const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' })
    expect(cm.data?.Corefile).toBe(first.corefile)
    expect(cm.data?.Corefile).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa {')
    expect(cm.data?.Corefile).toContain(`${BEGIN}\norg1.example.com:53 {`)
    const dep = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' })
    expect(dep.spec?.template.metadata?.annotations?.[COREDNS_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/)
    expect((await applyCorefile(kc, zones)).changed).toBe(false)
  })

  test('KindProvider.create end to end with stand-ins for kind, docker and helm: pools and CoreDNS in every cluster', async () => {
    // MetalLB's CRDs, as its chart would install them (schema-less: the API server stores what we apply)
    for (const c of clusters) {
      const ext = loadKubeConfig(c.kubeconfig).makeApiClient(ApiextensionsV1Api)
      for (const [kind, plural] of [['IPAddressPool', 'ipaddresspools'], ['L2Advertisement', 'l2advertisements']]) {
        await ext.createCustomResourceDefinition({
          body: {
            metadata: { name: `${plural}.metallb.io` },
            spec: {
              group: 'metallb.io',
              scope: 'Namespaced',
              names: { kind, plural, singular: kind.toLowerCase() },
              versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } } }]
            }
          }
        })
      }
      await loadKubeConfig(c.kubeconfig).makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'metallb-system' } } })
    }
    const fake = new FakeCli(['kind', 'docker', 'helm'])
    fake.rules([
      { tool: 'kind', args: ['create', 'cluster'], includes: ['alpha'], write: [{ flag: '--kubeconfig', copyFrom: clusters[0].kubeconfig }] },
      { tool: 'kind', args: ['create', 'cluster'], includes: ['beta'], write: [{ flag: '--kubeconfig', copyFrom: clusters[1].kubeconfig }] },
      { tool: 'kind', args: ['get', 'kubeconfig'], stdout: 'apiVersion: v1\n' },
      { tool: 'docker', args: ['network', 'inspect', 'kind'], stdout: '[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"},{"Subnet":"fc00:f853:ccd:e793::/64"}]\n' }
    ])
    const undo = fake.install()
    try {
      const dir = mkdtempSync(join(workDir, 'kind-'))
      const created = await new KindProvider().create([planCluster('alpha', 'kind-alpha', ['org1.example.com']), planCluster('beta', 'kind-beta', ['org2.example.com'])], { workDir: dir, log })
      expect(created.map(c => [c.name, c.context, c.loadBalancerPool, c.server])).toEqual([
        ['alpha', 'kind-alpha', ['172.18.255.224', '172.18.255.239'], clusters[0].server],
        ['beta', 'kind-beta', ['172.18.255.208', '172.18.255.223'], clusters[1].server]
      ])
      expect(fake.calls('helm').map(c => c.argv).sort()).toEqual([metallbHelmArgs(join(dir, 'kind', 'alpha', 'kubeconfig')), metallbHelmArgs(join(dir, 'kind', 'beta', 'kubeconfig'))].sort())
      for (const c of created) {
        const kc = loadKubeConfig(c.kubeconfig)
        const pool = (await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: 'metallb-system', plural: 'ipaddresspools', name: 'baf-gateways' })) as { spec: { addresses: string[] } }
        expect(pool.spec.addresses).toEqual([`${c.loadBalancerPool![0]}-${c.loadBalancerPool![1]}`])
        const corefile = (await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' })).data!.Corefile
        // every cluster resolves every cluster's suffix to that cluster's gateway (its pool's first address)
        expect(corefile).toContain('org1.example.com:53 {')
        expect(corefile).toContain('answer "{{ .Name }} 60 IN A 172.18.255.224"')
        expect(corefile).toContain('org2.example.com:53 {')
        expect(corefile).toContain('answer "{{ .Name }} 60 IN A 172.18.255.208"')
        expect(corefile.split(BEGIN)).toHaveLength(2)
      }
    } finally {
      undo()
    }
  })
})
