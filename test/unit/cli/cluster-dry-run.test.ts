// `baf cluster create|delete --dry-run [--json]`: what each provider would run, printed from the
// builders `create` and `delete` use, while nothing is executed, written or deleted. PATH holds
// none of kind, docker, helm or eksctl, and every way of running a program is watched.

import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { jest } from '@jest/globals'

import { cluster } from '../../../src/cli/commands/cluster.js'
import { dnsZones, patchCorefile } from '../../../src/dns/coredns.js'
import { Exec } from '../../../src/exec/exec.js'
import { MemoryLogger } from '../../../src/log/logger.js'
import { kindConfig } from '../../../src/providers/kind/config.js'
import { kindNodeImage } from '../../../src/tools/manifest.js'

const NETWORK = 'examples/besu-2-clusters.yaml'
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)

interface JsonPreview {
  provider: string
  action: string
  checks: string[]
  shared: { argv: string[]; when: string }[]
  clusters: { name: string; context?: string; config?: string; corefilePatch?: string; commands: string[][]; env?: Record<string, Record<string, string>>; steps?: string[] }[]
}

let stateDir: string
let out: string
const savedEnv = { ...process.env }

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'baf-dry-run-'))
  out = ''
  jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => {
    out += chunk
    return true
  }) as typeof process.stdout.write)
  // nothing may run: no program on PATH, and any attempt fails the test
  process.env.PATH = mkdtempSync(join(tmpdir(), 'baf-empty-path-'))
  for (const method of ['run', 'checked', 'require'] as const) {
    jest.spyOn(Exec, method).mockImplementation(() => {
      throw new Error(`a dry run called Exec.${method}`)
    })
  }
  jest.spyOn(Date, 'now').mockReturnValue(NOW)
})

afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...savedEnv }
})

async function baf(...args: string[]): Promise<number> {
  const [verb, ...rest] = args
  const values: Record<string, string | boolean | undefined> = { provider: 'sim', nodes: '1', 'state-dir': stateDir, 'dry-run': false, json: false }
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i].replace(/^--/, '')
    if (key === 'dry-run' || key === 'json') values[key] = true
    else values[key] = rest[++i]
  }
  return cluster.run({ values, positionals: [verb], log: new MemoryLogger() })
}

test('kind, two clusters: kind configs, the Corefile patch and the exact argv; nothing run or written', async () => {
  expect(await baf('create', '--provider', 'kind', '--network', NETWORK, '--dry-run', '--json')).toBe(0)
  const preview = JSON.parse(out) as JsonPreview
  expect(preview.provider).toBe('kind')
  expect(preview.shared.map(s => s.argv)).toEqual([
    ['kind', 'get', 'clusters'],
    ['docker', 'network', 'inspect', 'kind', '--format', '{{json .IPAM.Config}}']
  ])
  const names = ['sim-operator', 'sim-member']
  expect(preview.clusters.map(c => c.name)).toEqual(names)
  const gateways = names.map(name => ({ name, dnsSuffixes: [`${name.replace('sim-', '')}.baf.test`], gatewayAddress: `<gateway address of ${name}>` }))
  const patch = patchCorefile('', dnsZones(gateways)).replace(/^\n+/, '')
  preview.clusters.forEach((c, i) => {
    const dir = join(stateDir, 'kind', c.name)
    expect(c.context).toBe(`kind-${c.name}`)
    expect(c.commands).toEqual([
      ['kind', 'create', 'cluster', '--name', c.name, '--config', join(dir, 'kind-config.yaml'), '--kubeconfig', join(dir, 'kubeconfig'), '--wait', '3m', '--retain'],
      ['kind', 'get', 'kubeconfig', '--name', c.name, '--internal'],
      ['helm', 'upgrade', '--install', 'metallb', 'metallb', '--repo', 'https://metallb.github.io/metallb', '--version', '0.14.9', '--namespace', 'metallb-system', '--create-namespace', '--wait', '--timeout', '5m', '--kubeconfig', join(dir, 'kubeconfig')]
    ])
    expect(c.config).toBe(kindConfig({ name: c.name, workerNodes: 1 } as Parameters<typeof kindConfig>[0], i, kindNodeImage(undefined)))
    expect(c.config).toContain(`podSubnet: 10.${20 + i}.0.0/16\n  serviceSubnet: 10.${120 + i}.0.0/16\n`)
    // every cluster's CoreDNS answers both clusters' names
    expect(c.corefilePatch).toBe(patch)
    expect(c.corefilePatch).toContain('answer "{{ .Name }} 60 IN A <gateway address of sim-operator>"')
    expect(c.corefilePatch).toContain('template IN A member.baf.test {')
  })
  // the spies would have thrown; and no cluster directory was made
  expect(existsSync(join(stateDir, 'kind'))).toBe(false)
})

test('kind, text: commands as typed, the config and the Corefile patch', async () => {
  expect(await baf('create', '--provider', 'kind', '--network', NETWORK, '--dry-run')).toBe(0)
  expect(out).toMatch(/^dry run of "baf cluster create --provider kind": nothing was created or run\n/)
  expect(out).toContain("  $ docker network inspect kind --format '{{json .IPAM.Config}}'\n")
  expect(out).toContain(`    $ kind create cluster --name sim-member --config ${join(stateDir, 'kind', 'sim-member', 'kind-config.yaml')} --kubeconfig ${join(stateDir, 'kind', 'sim-member', 'kubeconfig')} --wait 3m --retain\n`)
  expect(out).toContain('  config:\n    kind: Cluster\n    apiVersion: kind.x-k8s.io/v1alpha4\n    name: sim-member\n')
  expect(out).toContain('  CoreDNS Corefile patch (appended to kube-system/coredns):\n    # baf-action cross-cluster names: begin')
  expect(readdirSync(stateDir)).toEqual([])
})

test('kind delete: kind delete cluster per cluster', async () => {
  expect(await baf('delete', '--provider', 'kind', '--name', 'solo', '--dry-run', '--json')).toBe(0)
  expect((JSON.parse(out) as JsonPreview).clusters).toEqual([{ name: 'solo', context: 'kind-solo', commands: [['kind', 'delete', 'cluster', '--name', 'solo']] }])
})

test('eks: the eksctl ClusterConfig and the exact eksctl argv, from the run identity and region', async () => {
  Object.assign(process.env, { BAF_REGION: 'eu-west-1', GITHUB_REPOSITORY: 'acme/Besu-Network', GITHUB_RUN_ID: '9876543210', GITHUB_RUN_ATTEMPT: '1' })
  expect(await baf('create', '--provider', 'eks', '--network', NETWORK, '--dry-run', '--json')).toBe(0)
  const preview = JSON.parse(out) as JsonPreview
  expect(preview).toMatchObject({ provider: 'eks', action: 'create', checks: ['eksctl on PATH, logged in to the cloud'], shared: [] })
  const dir = join(stateDir, 'eks', 'sim-operator')
  const operator = preview.clusters[0]
  expect(operator.commands).toEqual([
    ['eksctl', 'create', 'cluster', '--config-file', join(dir, 'eksctl-config.yaml'), '--write-kubeconfig=false'],
    ['eksctl', 'utils', 'write-kubeconfig', '--cluster', 'baf-besu-network-9876543210-sim-operator', '--region', 'eu-west-1', '--kubeconfig', join(dir, 'kubeconfig')]
  ])
  expect(operator.config).toBe(`apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: baf-besu-network-9876543210-sim-operator
  region: eu-west-1
  tags: &a1
    baf-ttl: "${NOW / 1000 + 6 * 3600}"
    baf-action: "true"
    baf-run: "9876543210"
managedNodeGroups:
  - name: workers
    desiredCapacity: 1
    minSize: 1
    maxSize: 1
    tags: *a1
`)
  expect(preview.clusters[1].commands[1]).toContain('baf-besu-network-9876543210-sim-member')
  expect(readdirSync(stateDir)).toEqual([])

  out = ''
  expect(await baf('delete', '--provider', 'eks', '--network', NETWORK, '--dry-run', '--json')).toBe(0)
  expect((JSON.parse(out) as JsonPreview).clusters.map(c => c.commands)).toEqual([
    [['eksctl', 'delete', 'cluster', '--name', 'baf-besu-network-9876543210-sim-operator', '--region', 'eu-west-1', '--wait']],
    [['eksctl', 'delete', 'cluster', '--name', 'baf-besu-network-9876543210-sim-member', '--region', 'eu-west-1', '--wait']]
  ])
})

test('gke: the credentials command carries the KUBECONFIG it writes to', async () => {
  Object.assign(process.env, { BAF_REGION: 'europe-west1-b', BAF_PROJECT: 'p1' })
  expect(await baf('create', '--provider', 'gke', '--name', 'solo', '--dry-run', '--json')).toBe(0)
  const [solo] = (JSON.parse(out) as JsonPreview).clusters
  expect(solo.commands[1]).toEqual(['gcloud', 'container', 'clusters', 'get-credentials', 'baf-local-local-solo', '--project', 'p1', '--zone', 'europe-west1-b'])
  expect(solo.env).toEqual({ 1: { KUBECONFIG: join(stateDir, 'gke', 'solo', 'kubeconfig') } })
})

test('sim: the argv of every component, free ports as placeholders', async () => {
  process.env.BAF_SIM_BIN = '/opt/sim'
  expect(await baf('create', '--provider', 'sim', '--name', 'solo', '--dry-run', '--json')).toBe(0)
  const [solo] = (JSON.parse(out) as JsonPreview).clusters
  expect(solo.commands.map(c => c[0])).toEqual(['/opt/sim/etcd', '/opt/sim/kube-apiserver', '/opt/sim/kube-controller-manager', '/opt/sim/kube-scheduler', '/opt/sim/kwok', process.execPath])
  expect(solo.commands[1]).toContain('--secure-port=<free port: kube-apiserver>')
  expect(existsSync(join(stateDir, 'sim'))).toBe(false)
})

test('existing: the contexts it would use, checked against the kubeconfig, and the checks it runs', async () => {
  process.env.BAF_KUBECONFIG = join(stateDir, 'missing')
  await expect(baf('create', '--provider', 'existing', '--network', NETWORK, '--dry-run')).rejects.toThrow('no kubeconfig at')
  const kubeconfig = join(stateDir, 'kubeconfig')
  const entry = (n: string): string => `- name: ${n}\n  context: { cluster: ${n}, user: u }\n`
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: sim-operator\n  cluster: { server: 'https://127.0.0.1:1' }\n- name: sim-member\n  cluster: { server: 'https://127.0.0.1:2' }\nusers:\n- name: u\n  user: { token: t }\ncontexts:\n${entry('sim-operator')}${entry('sim-member')}`)
  process.env.BAF_KUBECONFIG = kubeconfig
  expect(await baf('create', '--provider', 'existing', '--network', NETWORK, '--dry-run', '--json')).toBe(0)
  const preview = JSON.parse(out) as JsonPreview
  expect(preview.clusters.map(c => [c.context, c.commands])).toEqual([
    ['sim-operator', []],
    ['sim-member', []]
  ])
  expect(preview.clusters[0].steps).toContain('POST a SelfSubjectAccessReview: this identity may create namespaces')
  expect(existsSync(join(stateDir, 'existing'))).toBe(false)
})

test('--json without --dry-run is a usage error', async () => {
  await expect(baf('create', '--name', 'solo', '--json')).rejects.toThrow('--json goes with --dry-run')
})
