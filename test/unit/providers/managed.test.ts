// EKS, AKS and GKE with recording stand-ins for eksctl, az, gcloud and aws: the exact argv for
// create, credentials, delete and the sweep's list-by-tag, and the CLI's own words in errors.

import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { parse } from 'yaml'

import { MemoryLogger } from '../../../src/log/logger.js'
import type { PlanCluster } from '../../../src/plan/types.js'
import { AksProvider } from '../../../src/providers/aks/provider.js'
import { EksProvider } from '../../../src/providers/eks/provider.js'
import { GkeProvider } from '../../../src/providers/gke/provider.js'
import { derivedName, minorOf } from '../../../src/providers/managed/provider.js'
import type { ManagedProvider } from '../../../src/providers/managed/provider.js'
import { applyProviderInputs, settingsFromEnv } from '../../../src/providers/managed/settings.js'
import { sweepClouds } from '../../../src/preview/reclaim.js'
import { FakeCli } from '../../harness/fake-cli/fake-cli.js'

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)
const TTL = String(NOW / 1000 + 6 * 3600)
const RUN = { GITHUB_REPOSITORY: 'acme/Besu-Network', GITHUB_RUN_ID: '9876543210', GITHUB_RUN_ATTEMPT: '1' }
const KUBECONFIG = (name: string): string =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: ${name}\n  cluster:\n    server: https://${name}.example.test\ncontexts:\n- name: ${name}\n  context:\n    cluster: ${name}\n    user: u\ncurrent-context: ${name}\nusers:\n- name: u\n  user:\n    token: very-secret-token-${name}\n`

function planCluster(name: string, workerNodes = 2): PlanCluster {
  return { name, context: name, organizations: [], namespaces: [], workerNodes, gateway: { kind: 'haproxy', namespace: 'h', listeners: [] }, dnsSuffixes: [] }
}

test.each([
  [{ repository: 'acme/besu-network', runId: '123', runAttempt: '1' }, 'org1', 40, 'baf-besu-network-123-org1'],
  [{ repository: 'acme/Besu_Network.v2', runId: '123', runAttempt: '2' }, 'Org_1', 40, 'baf-besu-network-v2-123-a2-org-1'],
  [{}, 'hub', 40, 'baf-local-local-hub']
])('derivedName(%p, %p) = %p', (id, cluster, max, expected) => {
  expect(derivedName(id, cluster, max)).toBe(expected)
})

test('long names are cut to the cloud\'s limit, stay DNS-safe and distinct', () => {
  const id = { repository: 'acme/a-very-long-repository-name-for-a-blockchain-network', runId: '98765432101' }
  const a = derivedName(id, 'supplychain-manufacturer', 40)
  const b = derivedName(id, 'supplychain-carrier', 40)
  for (const n of [a, b]) {
    expect(n.length).toBeLessThanOrEqual(40)
    expect(n).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/)
  }
  expect(a).not.toBe(b)
  // the repository part gives way first; run id and cluster stay whole
  expect(derivedName(id, 'x', 40)).toBe('baf-a-very-long-repository-98765432101-x')
  expect(derivedName(id, 'supplychain-manufacturer', 63)).toBe('baf-a-very-long-repository-98765432101-supplychain-manufacturer')
  // only a cluster name too long on its own is cut, ending in a hash
  expect(a).toMatch(/^baf-98765432101-supplychain-manuf-[0-9a-f]{6}$/)
  expect(b).toBe('baf-a-ve-98765432101-supplychain-carrier')
})

test('minorOf', () => {
  expect(minorOf('v1.33.2')).toBe('1.33')
  expect(minorOf('1.34')).toBe('1.34')
  expect(() => minorOf('latest')).toThrow('is not of the form 1.33 or 1.33.2')
})

describe('with recording eksctl, az, gcloud and aws', () => {
  const fake = new FakeCli(['eksctl', 'az', 'gcloud', 'aws'])
  let undo: () => void
  beforeAll(() => {
    undo = fake.install()
  })
  afterAll(() => undo())
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, ...RUN, ...extra })
  const opts = (): { workDir: string; log: MemoryLogger } => ({ workDir: mkdtempSync(join(tmpdir(), 'baf-managed-')), log: new MemoryLogger() })

  test('eks: a tagged ClusterConfig, create, write-kubeconfig, delete, and the sweep\'s list by tag', async () => {
    fake.rules([{ tool: 'eksctl', args: ['utils', 'write-kubeconfig'], write: [{ flag: '--kubeconfig', content: KUBECONFIG('eks-a') }] }])
    const o = opts()
    const eks = EksProvider.fromEnv(env({ BAF_REGION: 'eu-west-1', BAF_NODE_COUNT: '3', BAF_MACHINE_TYPE: 'm6i.large', BAF_KUBERNETES_VERSION: '1.33.2' }), { now: () => NOW })
    const [created] = await eks.create([planCluster('org1')], o)
    const dir = join(o.workDir, 'eks', 'org1')
    const config = join(dir, 'eksctl-config.yaml')
    const calls = fake.calls('eksctl')
    expect(calls.map(c => c.argv)).toEqual([
      ['create', 'cluster', '--config-file', config, '--write-kubeconfig=false'],
      ['utils', 'write-kubeconfig', '--cluster', 'baf-besu-network-9876543210-org1', '--region', 'eu-west-1', '--kubeconfig', join(dir, 'kubeconfig')]
    ])
    expect(parse(calls[0].files[config])).toEqual({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'baf-besu-network-9876543210-org1', region: 'eu-west-1', version: '1.33', tags: { 'baf-ttl': TTL, 'baf-action': 'true', 'baf-run': '9876543210' } },
      managedNodeGroups: [{ name: 'workers', instanceType: 'm6i.large', desiredCapacity: 3, minSize: 3, maxSize: 3, tags: { 'baf-ttl': TTL, 'baf-action': 'true', 'baf-run': '9876543210' } }]
    })
    expect(created).toMatchObject({ name: 'org1', provider: 'eks', context: 'eks-a', server: 'https://eks-a.example.test', kubeconfig: join(dir, 'kubeconfig'), dir })

    fake.rules([])
    // the post step runs in another process: it finds what to delete in the cluster's directory
    await EksProvider.fromEnv(env({}), { now: () => NOW }).delete([{ ...created }], o)
    expect(fake.calls('eksctl').map(c => c.argv)).toEqual([['delete', 'cluster', '--name', 'baf-besu-network-9876543210-org1', '--region', 'eu-west-1', '--wait']])

    fake.rules([
      {
        tool: 'aws',
        stdout: JSON.stringify({
          ResourceTagMappingList: [
            { ResourceARN: 'arn:aws:eks:eu-west-1:111122223333:cluster/baf-old-1-org1', Tags: [{ Key: 'baf-ttl', Value: String(NOW / 1000 - 60) }] },
            { ResourceARN: 'arn:aws:eks:eu-west-1:111122223333:cluster/baf-new-2-org1', Tags: [{ Key: 'baf-ttl', Value: String(NOW / 1000 + 60) }] },
            { ResourceARN: 'arn:aws:eks:eu-west-1:111122223333:cluster/not-ours', Tags: [{ Key: 'baf-ttl', Value: 'soon' }] }
          ]
        })
      }
    ])
    expect(await eks.findExpired(NOW)).toEqual([{ cloudName: 'baf-old-1-org1', region: 'eu-west-1', expiresAt: NOW / 1000 - 60 }])
    expect(fake.calls('aws').map(c => c.argv)).toEqual([['resourcegroupstaggingapi', 'get-resources', '--region', 'eu-west-1', '--resource-type-filters', 'eks:cluster', '--tag-filters', 'Key=baf-ttl', '--output', 'json']])
  })

  test('aks: create with tags, get-credentials into the cluster\'s file, delete, list by tag', async () => {
    fake.rules([{ tool: 'az', args: ['aks', 'get-credentials'], write: [{ flag: '--file', content: KUBECONFIG('aks-a') }] }])
    const o = opts()
    const aks = AksProvider.fromEnv(env({ BAF_REGION: 'westeurope', BAF_RESOURCE_GROUP: 'baf-ci', BAF_MACHINE_TYPE: 'Standard_D2s_v5', BAF_KUBERNETES_VERSION: 'v1.33' }), { now: () => NOW })
    const [created] = await aks.create([planCluster('org1', 1)], o)
    const name = 'baf-besu-network-9876543210-org1'
    expect(fake.calls('az').map(c => c.argv)).toEqual([
      ['aks', 'create', '--resource-group', 'baf-ci', '--name', name, '--node-count', '1', '--location', 'westeurope', '--node-vm-size', 'Standard_D2s_v5', '--kubernetes-version', '1.33', '--tags', `baf-ttl=${TTL}`, 'baf-action=true', 'baf-run=9876543210', '--generate-ssh-keys', '--only-show-errors', '--output', 'none'],
      ['aks', 'get-credentials', '--resource-group', 'baf-ci', '--name', name, '--file', join(o.workDir, 'aks', 'org1', 'kubeconfig'), '--overwrite-existing', '--only-show-errors']
    ])
    fake.rules([])
    await aks.delete([created], o)
    expect(fake.calls('az').map(c => c.argv)).toEqual([['aks', 'delete', '--resource-group', 'baf-ci', '--name', name, '--yes', '--only-show-errors']])
    fake.rules([{ tool: 'az', stdout: JSON.stringify([{ name: 'baf-x-1-org1', resourceGroup: 'baf-ci', location: 'westeurope', ttl: String(NOW / 1000 - 1) }, { name: 'keep', resourceGroup: 'baf-ci', ttl: String(NOW / 1000 + 3600) }]) }])
    expect(await aks.findExpired(NOW)).toEqual([{ cloudName: 'baf-x-1-org1', resourceGroup: 'baf-ci', region: 'westeurope', expiresAt: NOW / 1000 - 1 }])
    expect(fake.calls('az')[0].argv).toEqual(['aks', 'list', '--query', '[?tags."baf-ttl" != null].{name: name, resourceGroup: resourceGroup, location: location, ttl: tags."baf-ttl"}', '--output', 'json', '--only-show-errors'])
  })

  test('gke: a zone makes a zonal cluster; labels; get-credentials writes where KUBECONFIG points; delete; list by label', async () => {
    fake.rules([{ tool: 'gcloud', args: ['container', 'clusters', 'get-credentials'], write: [{ env: 'KUBECONFIG', content: KUBECONFIG('gke_p_z_c') }] }])
    const o = opts()
    const gke = GkeProvider.fromEnv(env({ BAF_REGION: 'europe-west1-b', BAF_PROJECT: 'acme-ci', BAF_NODE_COUNT: '2', BAF_MACHINE_TYPE: 'e2-standard-4' }), { now: () => NOW })
    const [created] = await gke.create([planCluster('supplychain-manufacturer')], o)
    const name = derivedName({ repository: RUN.GITHUB_REPOSITORY, runId: RUN.GITHUB_RUN_ID }, 'supplychain-manufacturer', 40)
    expect(name.length).toBeLessThanOrEqual(40)
    const calls = fake.calls('gcloud')
    expect(calls.map(c => c.argv)).toEqual([
      ['container', 'clusters', 'create', name, '--project', 'acme-ci', '--zone', 'europe-west1-b', '--num-nodes', '2', '--machine-type', 'e2-standard-4', '--labels', `baf-ttl=${TTL},baf-action=true,baf-run=9876543210`, '--quiet'],
      ['container', 'clusters', 'get-credentials', name, '--project', 'acme-ci', '--zone', 'europe-west1-b']
    ])
    expect(calls[1].kubeconfigEnv).toBe(join(o.workDir, 'gke', 'supplychain-manufacturer', 'kubeconfig'))
    expect(created.context).toBe('gke_p_z_c')
    fake.rules([])
    await gke.delete([created], o)
    expect(fake.calls('gcloud').map(c => c.argv)).toEqual([['container', 'clusters', 'delete', name, '--project', 'acme-ci', '--zone', 'europe-west1-b', '--quiet']])
    fake.rules([{ tool: 'gcloud', stdout: JSON.stringify([{ name: 'baf-old', location: 'europe-west1', resourceLabels: { 'baf-ttl': String(NOW / 1000 - 5) } }]) }])
    expect(await gke.findExpired(NOW)).toEqual([{ cloudName: 'baf-old', region: 'europe-west1', project: 'acme-ci', expiresAt: NOW / 1000 - 5 }])
    expect(fake.calls('gcloud')[0].argv).toEqual(['container', 'clusters', 'list', '--project', 'acme-ci', '--filter=resourceLabels.baf-ttl:*', '--format=json'])
    // a region makes a regional cluster
    expect(GkeProvider.fromEnv(env({ BAF_REGION: 'europe-west1', BAF_PROJECT: 'p' })).deleteCommand({ plan: 'a', cloudName: 'c', region: 'europe-west1', project: 'p' }).args).toEqual(['container', 'clusters', 'delete', 'c', '--project', 'p', '--region', 'europe-west1', '--quiet'])
  })

  test.each<[string, () => ManagedProvider, string, string]>([
    ['eks', () => EksProvider.fromEnv(env({ BAF_REGION: 'eu-west-1' })), 'eksctl', 'Error: creating CloudFormation stack "eksctl-baf-besu-network-9876543210-org2-cluster": AlreadyExistsException: Stack [eksctl-baf-besu-network-9876543210-org2-cluster] already exists'],
    ['aks', () => AksProvider.fromEnv(env({ BAF_RESOURCE_GROUP: 'rg' })), 'az', "(QuotaExceeded) Operation could not be completed as it results in exceeding approved standardDSv2Family Cores quota."],
    ['gke', () => GkeProvider.fromEnv(env({ BAF_REGION: 'us-central1-a', BAF_PROJECT: 'p' })), 'gcloud', 'ERROR: (gcloud.container.clusters.create) ResponseError: code=403, message=Permission denied on resource project p.']
  ])('%s: the second cluster fails: the CLI\'s own message in the error, both clusters deleted', async (name, make, cli, message) => {
    const createArgs = cli === 'eksctl' ? ['create', 'cluster'] : cli === 'az' ? ['aks', 'create'] : ['container', 'clusters', 'create']
    const cloudName = `baf-besu-network-9876543210-org2`
    fake.rules([
      { tool: cli, args: createArgs, includes: cli === 'eksctl' ? [] : [cloudName], exitCode: 1, stderr: `${message}\n`, ...(cli === 'eksctl' ? { delayMs: 0 } : {}) },
      { tool: 'eksctl', args: ['utils'], write: [{ flag: '--kubeconfig', content: KUBECONFIG('x') }] },
      { tool: 'az', args: ['aks', 'get-credentials'], write: [{ flag: '--file', content: KUBECONFIG('x') }] },
      { tool: 'gcloud', args: ['container', 'clusters', 'get-credentials'], write: [{ env: 'KUBECONFIG', content: KUBECONFIG('x') }] }
    ])
    const o = opts()
    const provider = make()
    const err = await provider.create(cli === 'eksctl' ? [planCluster('org2')] : [planCluster('org1'), planCluster('org2')], o).catch((e: unknown) => e as Error)
    expect((err as Error).message).toContain(`${name}: cluster "org2" failed to create; all`)
    expect((err as Error).message).toContain(message)
    const deletes = fake.calls(cli).filter(c => c.argv.includes('delete'))
    expect(deletes.length).toBe(cli === 'eksctl' ? 1 : 2)
    expect(deletes.some(c => c.argv.includes(cloudName))).toBe(true)
  })

  test('a missing region, resource group or project is refused before any CLI runs', async () => {
    fake.rules([])
    const o = opts()
    const noRegion = { ...env({}), AWS_REGION: '', AWS_DEFAULT_REGION: '' }
    await expect(EksProvider.fromEnv(noRegion).create([planCluster('a')], o)).rejects.toThrow('eks: no region; give the region input')
    await expect(AksProvider.fromEnv(env({})).create([planCluster('a')], o)).rejects.toThrow('aks: no resource group')
    await expect(GkeProvider.fromEnv({ ...env({ BAF_REGION: 'us-east1' }), GOOGLE_CLOUD_PROJECT: '', CLOUDSDK_CORE_PROJECT: '' }).create([planCluster('a')], o)).rejects.toThrow('gke: no project')
    expect(fake.calls()).toEqual([])
  })

  test('tokens in the fetched kubeconfig are redacted from every later command output', async () => {
    fake.rules([{ tool: 'eksctl', args: ['utils'], write: [{ flag: '--kubeconfig', content: KUBECONFIG('leaky') }] }])
    await EksProvider.fromEnv(env({ BAF_REGION: 'eu-west-1' })).create([planCluster('org1')], opts())
    const { Exec } = await import('../../../src/exec/exec.js')
    expect(Exec.redact('token very-secret-token-leaky here')).toBe('token *** here')
    Exec.secrets.clear()
  })
})

describe('provider inputs', () => {
  test('settings from BAF_* variables, numbers checked', () => {
    expect(settingsFromEnv({ BAF_REGION: 'r', BAF_NODE_COUNT: '3', GOOGLE_CLOUD_PROJECT: 'g' })).toMatchObject({ region: 'r', nodeCount: 3, project: 'g' })
    expect(() => settingsFromEnv({ BAF_NODE_COUNT: 'three' })).toThrow('BAF_NODE_COUNT is "three"; expected a whole number from 1 to 100')
  })

  test('a base64 kubeconfig input is written 0600, its secrets masked first, and handed over as BAF_KUBECONFIG', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'baf-inputs-'))
    const masked: string[] = []
    const saved = { ...process.env }
    try {
      const settings = await applyProviderInputs(
        { kubeconfig: Buffer.from(KUBECONFIG('c1')).toString('base64'), kubernetesVersion: '', region: 'eu-west-1', nodeCount: '2', machineType: '', project: '', resourceGroup: '', ttlHours: '6' },
        stateDir,
        s => masked.push(s)
      )
      expect(masked).toEqual(['very-secret-token-c1'])
      expect(settings).toMatchObject({ kubeconfig: join(stateDir, 'inputs', 'kubeconfig'), region: 'eu-west-1', nodeCount: 2, ttlHours: 6 })
      expect(readFileSync(settings.kubeconfig!, 'utf8')).toBe(KUBECONFIG('c1'))
      expect(process.env.BAF_KUBECONFIG).toBe(settings.kubeconfig)
      expect(process.env.BAF_REGION).toBe('eu-west-1')
      await expect(applyProviderInputs({ kubeconfig: '', kubernetesVersion: '', region: '', nodeCount: '0', machineType: '', project: '', resourceGroup: '', ttlHours: '' }, stateDir, () => undefined)).rejects.toThrow(
        'input "node-count" is "0"; expected a whole number from 1 to 100'
      )
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      Object.assign(process.env, saved)
    }
  })
})

describe('the sweeper on cloud clusters, with recording aws and eksctl', () => {
  const fake = new FakeCli(['eksctl', 'aws'])
  let undo: () => void
  beforeAll(() => {
    undo = fake.install()
  })
  afterAll(() => undo())
  const listing = JSON.stringify({
    ResourceTagMappingList: [
      { ResourceARN: 'arn:aws:eks:eu-west-1:111122223333:cluster/baf-old-1-org1', Tags: [{ Key: 'baf-ttl', Value: String(NOW / 1000 - 60) }] },
      { ResourceARN: 'arn:aws:eks:eu-west-1:111122223333:cluster/baf-old-2-org2', Tags: [{ Key: 'baf-ttl', Value: String(NOW / 1000 - 30) }] },
      { ResourceARN: 'arn:aws:eks:eu-west-1:111122223333:cluster/baf-new-3-org1', Tags: [{ Key: 'baf-ttl', Value: String(NOW / 1000 + 60) }] }
    ]
  })
  const eks = (): EksProvider => EksProvider.fromEnv({ ...process.env, BAF_REGION: 'eu-west-1' }, { now: () => NOW })

  test('a dry run lists the expired clusters and deletes nothing', async () => {
    fake.rules([{ tool: 'aws', stdout: listing }])
    const log = new MemoryLogger()
    const list = await sweepClouds([eks()], { dryRun: true, log, now: () => NOW })
    expect(list.map(r => [r.kind, r.cluster, r.deleted])).toEqual([
      ['cluster', 'baf-old-1-org1', false],
      ['cluster', 'baf-old-2-org2', false]
    ])
    expect(fake.calls('eksctl')).toEqual([])
    expect(log.lines.filter(l => l.startsWith('warning: eks: would delete cluster'))).toHaveLength(2)
  })

  test('expired clusters are deleted with the exact eksctl argv; the fresh one stays', async () => {
    fake.rules([{ tool: 'aws', stdout: listing }])
    const list = await sweepClouds([eks()], { log: new MemoryLogger(), now: () => NOW })
    expect(list.map(r => [r.cluster, r.deleted, r.reason])).toEqual([
      ['baf-old-1-org1', true, `eks cluster expired at ${new Date(NOW - 60_000).toISOString()} (baf-ttl tag)`],
      ['baf-old-2-org2', true, `eks cluster expired at ${new Date(NOW - 30_000).toISOString()} (baf-ttl tag)`]
    ])
    expect(fake.calls('eksctl').map(c => c.argv).sort()).toEqual([
      ['delete', 'cluster', '--name', 'baf-old-1-org1', '--region', 'eu-west-1', '--wait'],
      ['delete', 'cluster', '--name', 'baf-old-2-org2', '--region', 'eu-west-1', '--wait']
    ])
  })

  test('a deletion that fails is reported with the CLI\'s words; the sweep still tries the others; only what left the listing counts as deleted', async () => {
    fake.rules([
      { tool: 'aws', stdout: listing },
      { tool: 'eksctl', includes: ['baf-old-2-org2'], exitCode: 1, stderr: 'Error: AccessDenied: not authorized to perform eks:DeleteCluster' }
    ])
    const log = new MemoryLogger()
    const list = await sweepClouds([eks()], { log, now: () => NOW })
    expect(fake.calls('eksctl').map(c => c.argv[3]).sort()).toEqual(['baf-old-1-org1', 'baf-old-2-org2'])
    // the stand-in's listing still shows both, so neither is claimed as deleted
    expect(list.map(r => [r.cluster, r.deleted])).toEqual([
      ['baf-old-1-org1', false],
      ['baf-old-2-org2', false]
    ])
    expect(log.lines.find(l => l.includes('could not delete cluster baf-old-2-org2'))).toContain('AccessDenied')
  })
})
