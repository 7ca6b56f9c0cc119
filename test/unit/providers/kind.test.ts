// The kind provider without Docker: generated configs, pools and Corefiles checked as text and by
// their properties, and `kind`/`docker`/`helm` replaced by recording stand-ins that check the exact
// argv and files handed over, including the failure path.

import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { parse } from 'yaml'

import { MemoryLogger } from '../../../src/log/logger.js'
import type { PlanCluster } from '../../../src/plan/types.js'
import { carvePools, clusterCidrs, ipToInt, kindConfig, parseNetworkSubnet } from '../../../src/providers/kind/config.js'
import { BEGIN, dnsZones, END, patchCorefile } from '../../../src/dns/coredns.js'
import { metallbHelmArgs, poolObjects } from '../../../src/providers/kind/metallb.js'
import { KindProvider } from '../../../src/providers/kind/provider.js'
import { FakeCli } from '../../harness/fake-cli/fake-cli.js'

const IMAGE = 'kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f'

function planCluster(name: string, workerNodes = 1, dnsSuffixes: string[] = []): PlanCluster {
  return { name, context: `ctx-${name}`, organizations: [], namespaces: [], workerNodes, gateway: { kind: 'haproxy', namespace: 'haproxy', listeners: [] }, dnsSuffixes }
}

// kind's own Corefile (v0.31 node images), as `kubectl -n kube-system get cm coredns` shows it
const KIND_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`

describe('kind config', () => {
  test('one control plane and the plan\'s workers, all on the pinned image, with the cluster\'s own CIDRs', () => {
    expect(kindConfig(planCluster('beta', 2), 1, IMAGE)).toBe(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: beta
networking:
  apiServerAddress: 127.0.0.1
  podSubnet: 10.21.0.0/16
  serviceSubnet: 10.121.0.0/16
nodes:
  - role: control-plane
    image: ${IMAGE}
  - role: worker
    image: ${IMAGE}
  - role: worker
    image: ${IMAGE}
`)
  })

  test('pod and Service CIDRs of all clusters are pairwise disjoint, and apart from kind\'s defaults', () => {
    const all = Array.from({ length: 12 }, (_, i) => clusterCidrs(i)).flatMap(c => [c.pods, c.services])
    expect(new Set(all).size).toBe(24)
    // every range is a /16 of 10/8, so distinct second octets mean disjoint
    expect(new Set(all.map(c => c.split('.')[1])).size).toBe(24)
    expect(all).not.toContain('10.244.0.0/16')
    expect(all).not.toContain('10.96.0.0/16')
    expect(() => clusterCidrs(12)).toThrow('at most 12 clusters')
  })
})

describe('LoadBalancer pools from the kind network', () => {
  test('docker network inspect: the IPv4 subnet, whatever else is listed', () => {
    expect(parseNetworkSubnet('[{"Subnet":"fc00:f853:ccd:e793::/64"},{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]\n')).toBe('172.18.0.0/16')
    expect(() => parseNetworkSubnet('[{"Subnet":"fc00::/64"}]')).toThrow('the kind network has no IPv4 subnet')
    expect(() => parseNetworkSubnet('Error: No such network: kind')).toThrow('docker network inspect kind: unexpected output')
  })

  test('pools come from the top of the subnet, below the broadcast block, in cluster order', () => {
    expect(carvePools('172.18.0.0/16', 3)).toEqual([
      { first: '172.18.255.224', last: '172.18.255.239' },
      { first: '172.18.255.208', last: '172.18.255.223' },
      { first: '172.18.255.192', last: '172.18.255.207' }
    ])
  })

  test.each(['172.18.0.0/16', '172.19.0.0/16', '10.89.0.0/24', '192.168.49.0/24'])('%s: pools are disjoint, inside the upper half, never the broadcast', subnet => {
    const count = subnet.endsWith('/24') ? 7 : 12
    const pools = carvePools(subnet, count)
    const [base, bits] = subnet.split('/')
    const start = ipToInt(base)
    const end = start + 2 ** (32 - Number(bits)) - 1
    const ranges = pools.map(p => [ipToInt(p.first), ipToInt(p.last)])
    for (const [a, b] of ranges) {
      expect(b - a).toBe(15)
      expect(a).toBeGreaterThanOrEqual(start + (end - start + 1) / 2)
      expect(b).toBeLessThan(end)
    }
    const sorted = [...ranges].sort((x, y) => x[0] - y[0])
    for (let i = 1; i < sorted.length; i++) expect(sorted[i][0]).toBeGreaterThan(sorted[i - 1][1])
  })

  test('a network too small for the clusters is an error, not an overlap', () => {
    expect(() => carvePools('10.89.0.0/24', 8)).toThrow('the kind network 10.89.0.0/24 is too small for 8 pool(s) of 16 addresses')
  })

  test('MetalLB: the exact helm command and the pool objects', () => {
    expect(metallbHelmArgs('/s/kind/a/kubeconfig')).toEqual([
      'upgrade', '--install', 'metallb', 'metallb', '--repo', 'https://metallb.github.io/metallb', '--version', '0.14.9',
      '--namespace', 'metallb-system', '--create-namespace', '--wait', '--timeout', '5m', '--kubeconfig', '/s/kind/a/kubeconfig'
    ])
    expect(poolObjects({ first: '172.18.255.224', last: '172.18.255.239' })).toEqual([
      { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'baf-gateways', namespace: 'metallb-system' }, spec: { addresses: ['172.18.255.224-172.18.255.239'] } },
      { apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'baf-gateways', namespace: 'metallb-system' }, spec: { ipAddressPools: ['baf-gateways'] } }
    ])
  })
})

describe('CoreDNS Corefile', () => {
  const clusters = [
    { name: 'alpha', dnsSuffixes: ['org1.example.com'], gatewayAddress: '172.18.255.224' },
    { name: 'beta', dnsSuffixes: ['org2.example.com', 'ops.example.org'], gatewayAddress: '172.18.255.208' },
    { name: 'gamma', dnsSuffixes: ['svc.cluster.local'], gatewayAddress: '172.18.255.192' }
  ]

  test('every external suffix maps to its cluster\'s gateway; Kubernetes-internal ones are left alone', () => {
    expect(dnsZones(clusters)).toEqual([
      { zone: 'ops.example.org', address: '172.18.255.208', cluster: 'beta' },
      { zone: 'org1.example.com', address: '172.18.255.224', cluster: 'alpha' },
      { zone: 'org2.example.com', address: '172.18.255.208', cluster: 'beta' }
    ])
  })

  test('the patched Corefile: kind\'s server block untouched, one block per zone (golden)', () => {
    expect(patchCorefile(KIND_COREFILE, dnsZones(clusters.slice(0, 1)))).toBe(`${KIND_COREFILE}${BEGIN}
org1.example.com:53 {
    errors
    template IN A org1.example.com {
        match "^(.+\\.)?org1\\.example\\.com\\.$"
        answer "{{ .Name }} 60 IN A 172.18.255.224"
    }
    template ANY ANY org1.example.com {
        rcode NOERROR
    }
    cache 30
}
${END}
`)
  })

  test('patching is idempotent and a new patch replaces the old blocks', () => {
    const zones = dnsZones(clusters)
    const once = patchCorefile(KIND_COREFILE, zones)
    expect(patchCorefile(once, zones)).toBe(once)
    const moved = patchCorefile(once, dnsZones([{ name: 'alpha', dnsSuffixes: ['org1.example.com'], gatewayAddress: '172.18.255.100' }]))
    expect(moved).toContain('answer "{{ .Name }} 60 IN A 172.18.255.100"')
    expect(moved).not.toContain('org2.example.com')
    expect(moved.split(BEGIN)).toHaveLength(2)
    expect(patchCorefile(once, [])).toBe(KIND_COREFILE)
    // every zone has exactly one server block and answers with its own cluster's gateway
    for (const z of zones) {
      expect(once.split(`\n${z.zone}:53 {`)).toHaveLength(2)
      expect(once).toContain(`template IN A ${z.zone} {\n        match "^(.+\\.)?${z.zone.replace(/\./g, '\\.')}\\.$"\n        answer "{{ .Name }} 60 IN A ${z.address}"`)
    }
  })

  test('a suffix claimed by two clusters, or not a DNS name, is refused', () => {
    expect(() => dnsZones([...clusters, { name: 'delta', dnsSuffixes: ['org1.example.com'], gatewayAddress: '172.18.255.176' }])).toThrow(
      'external_url_suffix org1.example.com is served by two clusters (alpha and delta)'
    )
    expect(() => dnsZones([{ name: 'x', dnsSuffixes: ['bad_suffix'], gatewayAddress: '1.2.3.4' }])).toThrow('external_url_suffix "bad_suffix" is not a DNS name')
  })
})

describe('KindProvider with recording kind/docker/helm', () => {
  const fake = new FakeCli(['kind', 'docker', 'helm'])
  let undo: () => void
  beforeAll(() => {
    undo = fake.install()
  })
  afterAll(() => undo())

  const hostKubeconfig = (server: string): string => `apiVersion: v1\nkind: Config\nclusters:\n- name: kind\n  cluster:\n    server: ${server}\n`
  const createRule = (extra: object = {}): object => ({
    tool: 'kind',
    args: ['create', 'cluster'],
    write: [{ flag: '--kubeconfig', content: hostKubeconfig('https://127.0.0.1:40001') }],
    ...extra
  })

  test('creates each cluster with exactly its config, in parallel, and writes both kubeconfigs 0600', async () => {
    fake.rules([createRule({ delayMs: 300 }), { tool: 'kind', args: ['get', 'kubeconfig'], stdout: 'apiVersion: v1\nclusters:\n- cluster:\n    server: https://{name}-control-plane:6443\n' }])
    const workDir = mkdtempSync(join(tmpdir(), 'baf-kind-'))
    const clusters = [planCluster('alpha', 1), planCluster('beta', 2)]
    const provider = new KindProvider({ addons: false })
    const created = await provider.create(clusters, { workDir, log: new MemoryLogger() })

    const creates = fake.calls('kind').filter(c => c.argv[0] === 'create')
    expect(creates.map(c => c.argv).sort()).toEqual(
      ['alpha', 'beta'].map(n => ['create', 'cluster', '--name', n, '--config', join(workDir, 'kind', n, 'kind-config.yaml'), '--kubeconfig', join(workDir, 'kind', n, 'kubeconfig'), '--wait', '3m', '--retain'])
    )
    const configs = provider.configs(clusters)
    for (const c of creates) {
      const name = c.argv[3]
      expect(c.files[join(workDir, 'kind', name, 'kind-config.yaml')]).toBe(configs.get(name))
      expect(parse(configs.get(name)!).nodes).toHaveLength(name === 'beta' ? 3 : 2)
    }
    // both ran at once: the second started before the first ended
    const [a, b] = creates.sort((x, y) => x.started - y.started)
    expect(b.started).toBeLessThan(a.ended)
    expect(fake.calls('kind').filter(c => c.argv[1] === 'kubeconfig').map(c => c.argv).sort()).toEqual([
      ['get', 'kubeconfig', '--name', 'alpha', '--internal'],
      ['get', 'kubeconfig', '--name', 'beta', '--internal']
    ])
    expect(readFileSync(join(workDir, 'kind', 'beta', 'kubeconfig-internal'), 'utf8')).toContain('server: https://beta-control-plane:6443')
    expect(statSync(join(workDir, 'kind', 'beta', 'kubeconfig-internal')).mode & 0o777).toBe(0o600)
    expect(created).toEqual([
      { name: 'alpha', provider: 'kind', kubeconfig: join(workDir, 'kind', 'alpha', 'kubeconfig'), context: 'kind-alpha', server: 'https://127.0.0.1:40001', kubernetesVersion: 'v1.35.0', loadBalancerPool: undefined, dir: join(workDir, 'kind', 'alpha'), limitations: [] },
      { name: 'beta', provider: 'kind', kubeconfig: join(workDir, 'kind', 'beta', 'kubeconfig'), context: 'kind-beta', server: 'https://127.0.0.1:40001', kubernetesVersion: 'v1.35.0', loadBalancerPool: undefined, dir: join(workDir, 'kind', 'beta'), limitations: [] }
    ])
    expect(fake.calls('docker')).toEqual([])
  })

  test('the second of three clusters fails: logs of all exported, all deleted, the error names the cluster and kind\'s message', async () => {
    const kindError = 'ERROR: failed to create cluster: failed to init node with kubeadm: command "docker exec --privileged beta-control-plane kubeadm init" failed with error: exit status 1'
    fake.rules([
      createRule({ includes: ['beta'], exitCode: 1, stderr: `Creating cluster "beta" ...\n${kindError}\n` }),
      createRule(),
      { tool: 'kind', args: ['get', 'kubeconfig'], stdout: 'apiVersion: v1\n' }
    ])
    const workDir = mkdtempSync(join(tmpdir(), 'baf-kind-'))
    const err = await new KindProvider({ addons: false, parallel: 1 }).create([planCluster('alpha'), planCluster('beta'), planCluster('gamma')], { workDir, log: new MemoryLogger() }).catch((e: unknown) => e as Error)
    expect(err).toBeInstanceOf(Error)
    const message = (err as Error).message
    expect(message.split('\n')[0]).toBe(`kind: cluster "beta" failed to create; the logs of every cluster are in ${join(workDir, 'diagnostics')} and all 3 cluster(s) were deleted`)
    expect(message).toContain(`  beta: kind create cluster --name beta failed (exit 1): Creating cluster "beta" ...\n${kindError}`)

    const calls = fake.calls('kind').map(c => c.argv)
    // created in plan order (parallel 1), then every cluster's logs exported before it is deleted
    expect(calls.filter(a => a[0] === 'create').map(a => a[3])).toEqual(['alpha', 'beta', 'gamma'])
    for (const name of ['alpha', 'beta', 'gamma']) {
      const exportAt = calls.findIndex(a => a.join(' ') === `export logs ${join(workDir, 'diagnostics', name)} --name ${name}`)
      const deleteAt = calls.findIndex(a => a.join(' ') === `delete cluster --name ${name}`)
      expect(exportAt).toBeGreaterThan(-1)
      expect(deleteAt).toBeGreaterThan(exportAt)
    }
    expect(existsSync(join(workDir, 'diagnostics', 'beta'))).toBe(true)
  })

  test('wiring fails (MetalLB cannot be installed): logs exported, everything deleted, helm\'s message in the error', async () => {
    fake.rules([
      createRule(),
      { tool: 'kind', args: ['get', 'kubeconfig'], stdout: 'apiVersion: v1\n' },
      { tool: 'docker', args: ['network', 'inspect', 'kind'], stdout: '[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]\n' },
      { tool: 'helm', exitCode: 1, stderr: 'Error: INSTALLATION FAILED: context deadline exceeded\n' }
    ])
    const workDir = mkdtempSync(join(tmpdir(), 'baf-kind-'))
    const err = await new KindProvider().create([planCluster('alpha', 1, ['org1.example.com'])], { workDir, log: new MemoryLogger() }).catch((e: unknown) => e as Error)
    expect((err as Error).message).toBe(
      `kind: wiring the clusters failed; logs exported to ${join(workDir, 'diagnostics')} and all 1 cluster(s) deleted: cluster "alpha": helm install metallb in alpha failed (exit 1): Error: INSTALLATION FAILED: context deadline exceeded`
    )
    expect(fake.calls('docker').map(c => c.argv)).toEqual([['network', 'inspect', 'kind', '--format', '{{json .IPAM.Config}}']])
    expect(fake.calls('helm').map(c => c.argv)).toEqual([metallbHelmArgs(join(workDir, 'kind', 'alpha', 'kubeconfig'))])
    expect(fake.calls('kind').map(c => c.argv.join(' ')).slice(-2)).toEqual([`export logs ${join(workDir, 'diagnostics', 'alpha')} --name alpha`, 'delete cluster --name alpha'])
  })

  test('a kind cluster of the same name already on the machine is refused, never deleted', async () => {
    fake.rules([{ tool: 'kind', args: ['get', 'clusters'], stdout: 'beta\nkind\n' }])
    await expect(new KindProvider({ addons: false }).create([planCluster('alpha'), planCluster('beta')], { workDir: mkdtempSync(join(tmpdir(), 'baf-kind-')), log: new MemoryLogger() })).rejects.toThrow(
      'kind: cluster(s) "beta" already exist on this machine; delete them first (kind delete cluster --name beta) or name the clusters differently (baf.clusters.<context>.name)'
    )
    expect(fake.calls('kind').map(c => c.argv)).toEqual([['get', 'clusters']])
    expect(KindProvider.parseClusters('')).toEqual([])
  })

  test('without kind on PATH nothing is attempted and the error says what to install', async () => {
    fake.rules([])
    await expect(new KindProvider({ kind: 'baf-no-kind-here' }).create([planCluster('alpha')], { workDir: mkdtempSync(join(tmpdir(), 'baf-kind-')), log: new MemoryLogger() })).rejects.toThrow(
      'baf-no-kind-here is not on PATH; install it first, e.g. with the setup action (tools: kind,kubectl,helm), and run Docker'
    )
    expect(fake.calls()).toEqual([])
  })

  test('delete and diagnostics: kind delete / kind export logs per cluster', async () => {
    fake.rules([])
    const workDir = mkdtempSync(join(tmpdir(), 'baf-kind-'))
    const provider = new KindProvider()
    const clusters = ['alpha', 'beta'].map(name => ({ name, provider: 'kind' as const, kubeconfig: '', context: `kind-${name}`, limitations: [] }))
    await provider.collectDiagnostics(clusters, join(workDir, 'diag'), { workDir, log: new MemoryLogger() })
    await provider.delete(clusters, { workDir, log: new MemoryLogger() })
    expect(fake.calls('kind').map(c => c.argv.join(' ')).sort()).toEqual([
      'delete cluster --name alpha',
      'delete cluster --name beta',
      `export logs ${join(workDir, 'diag', 'alpha')} --name alpha`,
      `export logs ${join(workDir, 'diag', 'beta')} --name beta`
    ])
  })
})
