// The checked-in bundles, run as subprocesses exactly as users and the Actions runner run them.

import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { CoreV1Api } from '@kubernetes/client-node'
import { parse, stringify } from 'yaml'

import { loadKubeConfig } from '../../src/kube/client.js'
import { runAction, runCli } from '../harness/run-action.js'

const VALID = 'examples/besu-2-clusters.yaml'
const INVALID = 'test/fixtures/invalid/ci-smoke.yaml'
/** valid, but its validators are not named validator-1..N as Bevel's genesis chart needs */
const BEVEL_MISNAMED = 'test/fixtures/valid/besu-ambassador.yaml'

describe('dist/cli.js', () => {
  test('validate: a valid file exits 0 and prints nothing on stdout', async () => {
    const r = await runCli(['validate', VALID])
    expect(r).toMatchObject({ code: 0, stdout: '' })
    expect(r.stderr).toContain('0 error(s)')
  })

  test('validate: an invalid file exits 1 with FILE:LINE:COL: error: lines', async () => {
    const r = await runCli(['validate', INVALID])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^test\/fixtures\/invalid\/ci-smoke\.yaml:9:13: error: organisation name "Bad_Org" must be a DNS-1123 label/m)
  })

  test('validate --format json lists file, line, col, severity, message, path', async () => {
    const r = await runCli(['validate', '--format', 'json', INVALID])
    expect(r.code).toBe(1)
    const list = JSON.parse(r.stdout) as Record<string, unknown>[]
    expect(list).toContainEqual({ file: INVALID, line: 9, col: 13, severity: 'error', message: expect.stringContaining('Bad_Org'), path: '/network/organizations/0/name' })
  })

  test('usage errors and unreadable files exit 2', async () => {
    expect((await runCli(['validate'])).code).toBe(2)
    expect((await runCli(['validate', '--format', 'xml', VALID])).code).toBe(2)
    expect((await runCli(['validate', '--bogus', VALID])).code).toBe(2)
    expect((await runCli(['frobnicate'])).code).toBe(2)
    const missing = await runCli(['validate', 'no/such/network.yaml'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no/such/network.yaml: cannot read the network file (no such file)')
  })

  test('preview flags are checked before anything is touched', async () => {
    const onSim = await runCli(['up', '--pr', '7'])
    expect(onSim.code).toBe(2)
    expect(onSim.stderr).toContain('--pr deploys a preview on long-lived clusters: use --provider existing')
    const badTtl = await runCli(['up', '--provider', 'existing', '--pr', '7', '--ttl', 'soon'])
    expect(badTtl.code).toBe(2)
    expect(badTtl.stderr).toContain('--ttl must be a duration between 1m and 366d such as 90m, 6h or 7d (got "soon")')
    const badPr = await runCli(['down', '--pr', 'seven'])
    expect(badPr.code).toBe(2)
    expect(badPr.stderr).toContain('--pr must be a pull request number such as 42 (got "seven")')
    const badRepo = await runCli(['sweep', '--repo', 'not a repo'])
    expect(badRepo.code).toBe(2)
    expect(badRepo.stderr).toContain('--repo must be OWNER/REPO (got "not a repo")')
  })

  test('--chart-source: an unknown one is a usage error; bevel on a network its charts cannot deploy fails before anything exists (CLI)', async () => {
    const unknown = await runCli(['up', '--chart-source', 'helm'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--chart-source must be one of baf, bevel (got "helm")')
    const dir = join(mkdtempSync(join(tmpdir(), 'baf-up-')), 'state')
    // validators named validator1.. would run with keys Bevel's genesis does not know
    const refused = await runCli(['up', BEVEL_MISNAMED, '--chart-source', 'bevel', '--state-dir', dir])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('validators named validator1, validator2, validator3, validator4 with chart-source bevel is not available in this version of baf-action')
    expect(refused.stderr).not.toContain('Provision')
    expect(() => statSync(dir)).toThrow()
  })

  test('the Bevel-charts example validates and plans Bevel\'s pinned charts and Service names', async () => {
    const file = 'examples/besu-bevel-charts.yaml'
    expect(await runCli(['validate', file])).toMatchObject({ code: 0, stdout: '' })
    const r = await runCli(['plan', file, '--json'])
    expect(r.code).toBe(0)
    const plan = JSON.parse(r.stdout) as { releases: { name: string; chart: string }[]; endpoints: { service: { name: string } }[] }
    const charts = plan.releases.filter(x => x.name !== 'emissary-ingress').map(x => x.chart)
    expect(charts.filter(c => c === 'bevel/besu-genesis@1.1.0')).toHaveLength(2)
    expect(charts.filter(c => c === 'bevel/besu-node@1.1.0')).toHaveLength(6)
    expect(charts).toHaveLength(8)
    expect(new Set(plan.endpoints.map(e => e.service.name))).toEqual(new Set(['validator-1', 'validator-2', 'validator-3', 'validator-4', 'member-1', 'member-2'].map(n => `besu-node-${n}`)))
    // the same file planned with our charts by the flag, which wins over baf.chart_source
    const ours = JSON.parse((await runCli(['plan', file, '--json', '--chart-source', 'baf'])).stdout) as typeof plan
    expect(ours.releases.find(x => x.name === 'genesis')?.chart).toBe('baf/besu-genesis')
  })

  test('plan --json of the embedded default names both clusters, ordered releases and probes', async () => {
    const r = await runCli(['plan', '--json'])
    expect(r.code).toBe(0)
    const plan = JSON.parse(r.stdout) as { clusters: { name: string }[]; releases: { wave: number; dependsOn: string[]; id: string }[]; probes: unknown[] }
    expect(plan.clusters.map(c => c.name)).toEqual(['sim-operator', 'sim-member'])
    const wave = new Map(plan.releases.map(r => [r.id, r.wave]))
    for (const release of plan.releases) for (const dep of release.dependsOn) expect(wave.get(dep)).toBeLessThan(release.wave)
    expect(plan.probes.length).toBeGreaterThan(0)
  })

  test('--version and --help', async () => {
    expect((await runCli(['--version'])).stdout).toMatch(/^baf \d+\.\d+\.\d+/)
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    for (const c of ['validate', 'plan', 'up', 'probe', 'report', 'down']) expect(help.stdout).toContain(c)
  })

  test('up deploys the embedded network on sim and keeps it; down removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baf-up-'))
    const r = await runCli(['up', '--state-dir', dir])
    expect(r.stderr).toMatch(/sim cluster sim-operator: 1 node\(s\) Ready/)
    expect(r.stderr).toMatch(/sim-member: member-bes\/member-1 ready in/)
    expect(r.stderr).toContain('besu network up: 10 release(s) on 2 cluster(s)')
    expect(r.code).toBe(0)
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600)
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { clusters: { name: string; kubeconfig: string; gatewayAddress: string }[]; releases: { status: string }[] }
    expect(state.clusters.map(c => c.name)).toEqual(['sim-operator', 'sim-member'])
    expect(state.clusters.every(c => /^127\.0\.\d+\.\d+$/.test(c.gatewayAddress))).toBe(true)
    expect(state.releases.every(x => x.status === 'deployed')).toBe(true)
    // each cluster's CoreDNS resolves the other cluster's names to that cluster's gateway
    const [operator, member] = state.clusters
    expect(r.stderr).toContain(`sim-member: CoreDNS now resolves *.member.baf.test -> ${member.gatewayAddress}, *.operator.baf.test -> ${operator.gatewayAddress}`)
    const core = loadKubeConfig(member.kubeconfig).makeApiClient(CoreV1Api)
    const corefile = (await core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' })).data!.Corefile
    expect(corefile).toContain(`answer "{{ .Name }} 60 IN A ${operator.gatewayAddress}"`)
    // what it ran with, read from the tools and charts used, for the report's Versions section
    const versions = (JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { versions: Record<string, string> }).versions
    expect(versions).toMatchObject({ helm: expect.stringMatching(/^v3\.\d+\.\d+/), 'chart besu-node': '0.1.0', 'chart besu-genesis': '0.1.0', 'chart emissary-ingress': expect.stringMatching(/^\d+\.\d+\.\d+$/), 'image hyperledger/besu': '23.10.2' })
    expect(versions['kubernetes sim-operator']).toMatch(/^v1\.\d+\.\d+/)
    const report = readFileSync(join(dir, 'report.md'), 'utf8')
    expect(report).toContain("chart besu-node 0.1.0 · chart emissary-ingress")
    expect(report).not.toContain('no tool, chart or image versions recorded')
    // no node key reaches the state file or the log
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).not.toMatch(/0x[0-9a-f]{64}\b/)
    expect(r.stderr).not.toMatch(/0x[0-9a-f]{64}\b/)
    const down = await runCli(['down', '--state-dir', dir])
    expect(down.code).toBe(0)
    expect(down.stderr).toContain('sim cluster sim-operator: stopped and removed')
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).clusters).toEqual([])
  }, 180_000)

  test('up on an invalid file creates nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'baf-up-')), 'state')
    const r = await runCli(['up', INVALID, '--state-dir', dir])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/validation failed with 1 error\(s\); nothing was created/)
    expect(() => statSync(dir)).toThrow()
  })
})

describe('action bundles', () => {
  test('deploy: bad input becomes an annotation with file and line, and the step fails', async () => {
    const r = await runAction('dist/deploy/index.js', { network: INVALID, provider: 'sim', keep: 'false' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/::error title=network\.yaml error,file=test\/fixtures\/invalid\/ci-smoke\.yaml,line=9,col=13::organisation name "Bad_Org"/)
    expect(r.stdout).toContain('::error::validation failed with 1 error(s); nothing was created')
    expect(r.outputs.state).toBeUndefined()
  })

  test('deploy: a valid network is planned and the state output set before provisioning; kind missing from PATH is named', async () => {
    const r = await runAction('dist/deploy/index.js', { network: VALID, provider: 'kind', keep: 'false' }, { env: { PATH: '/usr/bin:/bin' } })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('kind is not on PATH; install it first, e.g. with the setup action (tools: kind,kubectl,helm), and run Docker')
    const state = JSON.parse(readFileSync(r.outputs.state, 'utf8')) as { plan: { clusters: unknown[] } }
    expect(state.plan.clusters).toHaveLength(2)
    expect(JSON.parse(r.outputs.plan)).toEqual({ clusters: ['sim-operator', 'sim-member'], releases: 10, probes: expect.any(Number) })
    expect(r.state.isPost).toBe('true')
    expect(r.state.stateDir).toBeTruthy()
  })

  test('deploy post step: never fails, even with no state', async () => {
    const r = await runAction('dist/deploy/index.js', {}, { state: { isPost: 'true', stateDir: '/nonexistent/baf' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('nothing to tear down')
  })

  test('cluster post step: a teardown that fails fails the job, naming what may be left; ignore-cleanup-errors makes it a warning', async () => {
    // kind clusters recorded, but no kind on PATH: the deletion cannot run
    const stateDir = mkdtempSync(join(tmpdir(), 'baf-post-'))
    writeFileSync(join(stateDir, 'state.json'), readFileSync('test/fixtures/states/besu-3-deployed.json'), { mode: 0o600 })
    const env = { PATH: '/usr/bin:/bin' }
    const strict = await runAction('dist/cluster/index.js', {}, { env, state: { isPost: 'true', stateDir, keep: 'false', ignoreCleanupErrors: 'false' } })
    expect(strict.code).toBe(1)
    expect(strict.stdout).toMatch(new RegExp(`::error::teardown failed: .*kind.*; what ${stateDir}/state.json records may still exist .*Set ignore-cleanup-errors: true to make this a warning`))
    const tolerant = await runAction('dist/cluster/index.js', {}, { env, state: { isPost: 'true', stateDir, keep: 'false', ignoreCleanupErrors: 'true' } })
    expect(tolerant.code).toBe(0)
    expect(tolerant.stdout).toMatch(/::warning::teardown failed: .*ignore-cleanup-errors is set, so the job goes on/)
  })

  test('deploy: an unknown provider is refused with the list of providers', async () => {
    const r = await runAction('dist/deploy/index.js', { network: VALID, provider: 'minikube', keep: 'false' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('input "provider" is "minikube"; expected one of: sim, kind, existing, eks, aks, gke')
  })

  test('deploy: chart-source is checked before any cluster exists: an unknown one, and bevel on a network its charts cannot deploy', async () => {
    const unknown = await runAction('dist/deploy/index.js', { network: VALID, provider: 'sim', keep: 'false', 'chart-source': 'helm' })
    expect(unknown.code).toBe(1)
    expect(unknown.stdout).toContain('input "chart-source" is "helm"; expected one of: baf, bevel, or empty')
    const refused = await runAction('dist/deploy/index.js', { network: BEVEL_MISNAMED, provider: 'sim', keep: 'false', 'chart-source': 'bevel' })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(/::error::validators named validator1, validator2, validator3, validator4 with chart-source bevel is not available in this version of baf-action/)
    expect(refused.stdout).not.toContain('Provision')
    expect(refused.outputs.state).toBeUndefined()
  })

  test('deploy: a kubeconfig input is masked before anything can print it', async () => {
    const r = await runAction('dist/deploy/index.js', { network: VALID, provider: 'existing', keep: 'false', kubeconfig: 'c2VjcmV0LWt1YmVjb25maWc=' })
    expect(r.stdout).toContain('::add-mask::c2VjcmV0LWt1YmVjb25maWc=')
  })

  test.each(['network', 'probe', 'report', 'teardown'])('%s: without a state directory it says which step must run first', async name => {
    const dir = mkdtempSync(join(tmpdir(), 'baf-nostate-'))
    const inputs: Record<string, string> = { state: dir, 'fail-on-required': 'true', mode: 'create-or-update' }
    const r = await runAction(`dist/${name}/index.js`, inputs)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('no state file; run "baf up"')
  })

  test('deploy on sim: main deploys, the post step tears down, teardown then finds nothing left', async () => {
    const deploy = await runAction('dist/deploy/index.js', { network: VALID, provider: 'sim', keep: 'false' })
    expect(deploy.code).toBe(0)
    expect(deploy.stdout).toContain('besu network up: 10 release(s) on 2 cluster(s)')
    const stateDir = join(deploy.outputs.state, '..')
    const post = await runAction('dist/deploy/index.js', {}, { state: deploy.state })
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('sim cluster sim-member: stopped and removed')
    const teardown = await runAction('dist/teardown/index.js', { state: stateDir, network: VALID })
    expect(teardown.code).toBe(0)
    expect(teardown.stdout).toContain('nothing to tear down')
  }, 180_000)

  test('setup: an unknown tool is refused; a failed download names the URL (a closed mirror on loopback: nothing leaves the machine)', async () => {
    expect((await runAction('dist/setup/index.js', { tools: 'kind,minikube' })).stdout).toContain('input "tools" names minikube')
    const r = await runAction('dist/setup/index.js', { tools: 'kind helm', mirror: 'http://127.0.0.1:9' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('http://127.0.0.1:9/github.com/kubernetes-sigs/kind/releases/download/v0.31.0/kind-linux-')
    expect(r.stdout).toContain('http://127.0.0.1:9/get.helm.sh/helm-v3.22.0-linux-')
  }, 60_000)
})

// the check rebuilds into a fresh directory, so passing also proves the build reproduces byte for byte
test('dist/ is exactly what npm run build produces', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--check'], { timeout: 120_000 })
  expect(stdout).toContain('dist/ is fresh')
})

test('split steps on sim: cluster provisions, network deploys into those clusters, cluster post tears down', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'baf-split-'))
  const cluster = await runAction('dist/cluster/index.js', { network: 'examples/besu-2-clusters.yaml', provider: 'sim', 'state-dir': stateDir, keep: 'false' })
  expect(cluster.code).toBe(0)
  expect(JSON.parse(cluster.outputs.clusters).map((c: { name: string }) => c.name)).toEqual(['sim-operator', 'sim-member'])
  const network = await runAction('dist/network/index.js', { state: stateDir })
  expect(network.code).toBe(0)
  expect(JSON.parse(network.outputs.releases).every((r: { status: string }) => r.status === 'deployed')).toBe(true)
  const post = await runAction('dist/cluster/index.js', {}, { state: cluster.state })
  expect(post.code).toBe(0)
  expect(post.stdout).toContain('sim cluster sim-operator: stopped and removed')
}, 240_000)

test('a PR preview through the bundles: deploy with pr on existing (sim) clusters, kept by the post step, swept by nobody, removed by teardown with pr', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'baf-preview-'))
  const cluster = await runAction('dist/cluster/index.js', { network: VALID, provider: 'sim', 'state-dir': stateDir, keep: 'false' })
  expect(cluster.code).toBe(0)
  try {
    // the team's long-lived clusters: one kubeconfig, a context per organisation
    const provisioned = JSON.parse(cluster.outputs.clusters) as { name: string; kubeconfig: string }[]
    type Doc = { clusters: { cluster: unknown }[]; users: { user: unknown }[] }
    const docs = provisioned.map(c => parse(readFileSync(c.kubeconfig, 'utf8')) as Doc)
    const kubeconfig = join(stateDir, 'team.kubeconfig')
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: docs.map((d, i) => ({ name: provisioned[i].name, cluster: d.clusters[0].cluster })),
        users: docs.map((d, i) => ({ name: `admin-${provisioned[i].name}`, user: d.users[0].user })),
        contexts: provisioned.map(c => ({ name: c.name, context: { cluster: c.name, user: `admin-${c.name}` } }))
      }),
      { mode: 0o600 }
    )
    const env = { GITHUB_REPOSITORY: 'octo-org/ledger', GITHUB_SHA: 'feedc0de'.repeat(5) }
    const previewDir = join(stateDir, 'pr42')
    const deploy = await runAction('dist/deploy/index.js', { network: VALID, provider: 'existing', kubeconfig, pr: '42', 'ttl-hours': '6', keep: 'false', 'github-deployment': 'true', 'state-dir': previewDir }, { env })
    expect(deploy.code).toBe(0)
    expect(deploy.stdout).toContain('PR #42 preview up until')
    // without a token neither the PR's state nor a Deployment is asked of GitHub, and it says so
    expect(deploy.stdout).toContain("::warning::PR #42's state is not checked before the deploy")
    const post = await runAction('dist/deploy/index.js', {}, { state: deploy.state, env })
    expect(post.stdout).toContain("PR #42's preview stays after the job")
    const member = loadKubeConfig(provisioned.find(c => c.name === 'sim-member')!.kubeconfig).makeApiClient(CoreV1Api)
    expect((await member.readNamespace({ name: 'member-bes-pr42' })).metadata?.labels).toMatchObject({ 'baf-action/pr': '42', 'baf-action/repo': 'octo-org.ledger', 'baf-action/sha': 'feedc0defeed' })

    const sweep = await runAction('dist/sweep/index.js', { kubeconfig, repository: 'octo-org/ledger', 'dry-run': 'true' }, { env })
    expect(sweep.code).toBe(0)
    expect(sweep.outputs).toMatchObject({ count: '0', reclaimed: '[]' })

    const teardown = await runAction('dist/teardown/index.js', { pr: '42', kubeconfig, repository: 'octo-org/ledger', state: previewDir }, { env })
    expect(teardown.code).toBe(0)
    expect(teardown.stdout).toContain('PR #42: 2 namespace(s) removed')
    const gone = await member.readNamespace({ name: 'member-bes-pr42' }).then(ns => Boolean(ns.metadata?.deletionTimestamp), () => true)
    expect(gone).toBe(true)
  } finally {
    await runAction('dist/cluster/index.js', {}, { state: cluster.state })
  }
}, 240_000)

test('Ctrl-C during up: the current phase finishes, then everything is torn down', async () => {
  const { spawn } = await import('node:child_process')
  const dir = mkdtempSync(join(tmpdir(), 'baf-int-'))
  const child = spawn(process.execPath, ['dist/cli.js', 'up', '--state-dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  let signalled = false
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk
    if (!signalled && stderr.includes('==> Provision')) {
      signalled = true
      child.kill('SIGINT')
    }
  })
  const code = await new Promise<number | null>(resolve => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000)
    child.on('exit', c => {
      clearTimeout(timer)
      resolve(c)
    })
  })
  expect(code).toBe(130)
  expect(stderr).toContain('interrupted: the current phase finishes, then everything is torn down')
  expect(stderr).toContain('sim cluster sim-operator: stopped and removed')
  expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).clusters).toEqual([])
}, 180_000)
