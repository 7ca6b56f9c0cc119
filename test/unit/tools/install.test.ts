// Tool installation against a local HTTP server on 127.0.0.1 that serves release-shaped artifacts
// (a raw binary, a tar.gz and a zip with the binary inside, and their checksum files), with the
// tool cache and temp directory in a temporary folder, as on a runner.

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { MemoryLogger } from '../../../src/log/logger.js'
import { resolveSimBinaries } from '../../../src/providers/sim/binaries.js'
import { ChecksumMismatchError, ToolInstaller } from '../../../src/tools/install.js'
import { loadManifest } from '../../../src/tools/manifest.js'
import type { ToolsManifest } from '../../../src/tools/manifest.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

const work = mkdtempSync(join(tmpdir(), 'baf-tools-test-'))
const routes = new Map<string, Handler>()
const hits: string[] = []
const sockets = new Set<Socket>()
let server: Server
let mirror = ''
const linux = { os: 'linux' as const, arch: 'amd64' as const }
const saved = { RUNNER_TOOL_CACHE: process.env.RUNNER_TOOL_CACHE, RUNNER_TEMP: process.env.RUNNER_TEMP, PATH: process.env.PATH }

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex')
const script = (text: string): Buffer => Buffer.from(`#!/bin/sh\n${text}\n`)

function serve(path: string, body: Buffer | string): void {
  routes.set(path, (_req, res) => {
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
}

/** A tar.gz or zip holding `inner` (a path) with `content`, made by the real tar/zip tools. */
function archive(kind: 'tar.gz' | 'zip', inner: string, content: Buffer): Buffer {
  const dir = mkdtempSync(join(work, 'pack-'))
  mkdirSync(join(dir, inner, '..'), { recursive: true })
  writeFileSync(join(dir, inner), content)
  chmodSync(join(dir, inner), 0o755)
  const out = join(dir, `out.${kind}`)
  if (kind === 'tar.gz') execFileSync('tar', ['czf', out, '-C', dir, inner.split('/')[0]])
  else execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1],"w"); z.write(sys.argv[2], sys.argv[3]); z.close()', out, join(dir, inner), inner])
  return readFileSync(out)
}

const KIND = script('echo "kind v0.31.0 go1.25.5 linux/amd64"')
const KUBECTL = script(`echo '{"clientVersion":{"gitVersion":"v1.35.0","platform":"linux/amd64"},"kustomizeVersion":"v5.7.1"}'`)
const HELM = script('echo "v3.22.0+g1a2b3c4"')
const KIND_PATH = '/github.com/kubernetes-sigs/kind/releases/download/v0.31.0/kind-linux-amd64'

beforeAll(async () => {
  process.env.RUNNER_TOOL_CACHE = join(work, 'tool-cache')
  process.env.RUNNER_TEMP = join(work, 'temp')
  mkdirSync(process.env.RUNNER_TOOL_CACHE, { recursive: true })
  mkdirSync(process.env.RUNNER_TEMP, { recursive: true })
  server = createServer((req, res) => {
    hits.push(req.url ?? '')
    const handler = routes.get(req.url ?? '')
    if (handler) handler(req, res)
    else {
      res.writeHead(404)
      res.end('Not Found')
    }
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  serve(KIND_PATH, KIND)
  serve(`${KIND_PATH}.sha256sum`, `${sha(KIND)}  kind-linux-amd64\n`)
  const helmTar = archive('tar.gz', 'linux-amd64/helm', HELM)
  serve('/get.helm.sh/helm-v3.22.0-linux-amd64.tar.gz', helmTar)
  serve('/get.helm.sh/helm-v3.22.0-linux-amd64.tar.gz.sha256sum', `${sha(helmTar)}  helm-v3.22.0-linux-amd64.tar.gz\n`)
})

afterAll(async () => {
  for (const s of sockets) s.destroy()
  await new Promise(r => server.close(r))
  Object.assign(process.env, saved)
})

function installer(opts: { manifest?: ToolsManifest; log?: MemoryLogger; download?: object } = {}): ToolInstaller {
  return new ToolInstaller({
    log: opts.log ?? new MemoryLogger(),
    mirror,
    platform: linux,
    manifest: opts.manifest,
    addPath: () => undefined,
    download: { timeoutMs: 5_000, stallMs: 1_000, attempts: 2, backoffMs: 10, ...opts.download }
  })
}

const cacheEntries = (tool: string): string[] => {
  const dir = join(process.env.RUNNER_TOOL_CACHE!, `baf-${tool}`)
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : []
}

test('kind: downloaded, verified against its .sha256sum, cached, reported; the second install is a cache hit with no request', async () => {
  const log = new MemoryLogger()
  const first = await installer({ log }).install('kind')
  expect(first).toMatchObject({ tool: 'kind', version: 'v0.31.0', cached: false, reported: 'v0.31.0' })
  expect(first.path).toBe(join(process.env.RUNNER_TOOL_CACHE!, 'baf-kind', '0.31.0', 'amd64', 'kind'))
  expect(statSync(first.path).mode & 0o111).not.toBe(0)
  expect(readFileSync(first.path)).toEqual(KIND)
  expect(log.lines.join('\n')).toContain(`sha256 ${sha(KIND)} verified against ${mirror}${KIND_PATH}.sha256sum`)

  const before = hits.length
  const second = await installer().install('kind')
  expect(second).toMatchObject({ cached: true, path: first.path, reported: 'v0.31.0' })
  expect(hits.length).toBe(before)
})

test('helm: the binary is taken out of its tar.gz at linux-amd64/helm', async () => {
  const helm = await installer().install('helm')
  expect(helm).toMatchObject({ version: 'v3.22.0', reported: 'v3.22.0', cached: false })
  expect(readFileSync(helm.path)).toEqual(HELM)
})

test('kubectl follows the version asked for; a wrong checksum is refused and nothing is cached', async () => {
  const base = '/dl.k8s.io/release/v1.34.2/bin/linux/amd64/kubectl'
  serve(base, KUBECTL)
  serve(`${base}.sha256`, `${'0'.repeat(64)}\n`)
  const err = await installer().install('kubectl', '1.34.2').catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ChecksumMismatchError)
  expect((err as Error).message).toBe(
    `kubectl v1.34.2 (linux/amd64): sha256 mismatch: ${mirror}${base} has ${sha(KUBECTL)}, but ${mirror}${base}.sha256 says ${'0'.repeat(64)}; refusing to install it (nothing was cached). A damaged download or a tampered artifact: retry, and check the mirror if one is set.`
  )
  expect(cacheEntries('kubectl')).toEqual([])
  // the temporary download is gone too
  expect(readdirSync(process.env.RUNNER_TEMP!).filter(f => f.startsWith('baf-tools-'))).toEqual([])

  serve(`${base}.sha256`, sha(KUBECTL))
  const ok = await installer().install('kubectl', '1.34.2')
  expect(ok).toMatchObject({ version: 'v1.34.2', reported: 'v1.35.0', cached: false })
})

test('a digest recorded in the manifest is checked too: a mismatch is refused even when the checksum file agrees', async () => {
  const manifest = loadManifest()
  manifest.tools.kind.default = 'v0.30.0'
  manifest.tools.kind.sha256 = { 'v0.30.0': { 'linux/amd64': 'f'.repeat(64) } }
  const path = '/github.com/kubernetes-sigs/kind/releases/download/v0.30.0/kind-linux-amd64'
  serve(path, KIND)
  serve(`${path}.sha256sum`, `${sha(KIND)}  kind-linux-amd64`)
  await expect(installer({ manifest }).install('kind')).rejects.toThrow(`but src/tools/manifest.json records ${'f'.repeat(64)}; refusing to install it (nothing was cached)`)
  expect(cacheEntries('kind').filter(e => e.startsWith('0.30.0'))).toEqual([])
  manifest.tools.kind.sha256 = { 'v0.30.0': { 'linux/amd64': sha(KIND) } }
  await expect(installer({ manifest }).install('kind')).resolves.toMatchObject({ version: 'v0.30.0', cached: false })
})

test('a checksum file that does not list the artifact is refused', async () => {
  const manifest = loadManifest()
  const path = '/github.com/kubernetes-sigs/kind/releases/download/v0.29.0/kind-linux-amd64'
  serve(path, KIND)
  serve(`${path}.sha256sum`, `${sha(KIND)}  kind-darwin-arm64`)
  await expect(installer({ manifest }).install('kind', 'v0.29.0')).rejects.toThrow(`lists no sha256 for kind-linux-amd64; refusing to install it (nothing was cached)`)
})

test('a 404 fails at once, naming the URL, with no retry', async () => {
  const started = Date.now()
  const before = hits.length
  await expect(installer().install('kind', 'v0.1.0')).rejects.toThrow(`${mirror}/github.com/kubernetes-sigs/kind/releases/download/v0.1.0/kind-linux-amd64: HTTP 404 (not found: is the version published for this platform?)`)
  expect(hits.length - before).toBe(1)
  expect(Date.now() - started).toBeLessThan(2_000)
})

test('a server that stops answering ends in a clear error within the stall bound, retries included', async () => {
  const path = '/dl.k8s.io/release/v1.33.0/bin/linux/amd64/kubectl'
  routes.set(path, () => undefined) // accepts, never answers
  const started = Date.now()
  await expect(installer().install('kubectl', '1.33.0')).rejects.toThrow(`${mirror}${path}: no data for 1s`)
  expect(Date.now() - started).toBeLessThan(5_000)
  expect(hits.filter(h => h === path)).toHaveLength(2)
})

test('a body cut short is an error, not a corrupt tool', async () => {
  const path = '/dl.k8s.io/release/v1.32.0/bin/linux/amd64/kubectl'
  routes.set(path, (_req, res) => {
    res.writeHead(200, { 'content-length': 10_000 })
    res.write(Buffer.alloc(100, 1))
    setTimeout(() => res.destroy(), 20)
  })
  const started = Date.now()
  await expect(installer().install('kubectl', '1.32.0')).rejects.toThrow(new RegExp(`^${mirror.replace(/\./g, '\\.')}${path}: (the transfer broke off after 100 byte\\(s\\) of 10000|received 100 of 10000)`))
  expect(Date.now() - started).toBeLessThan(3_000)
  expect(cacheEntries('kubectl').filter(e => e.startsWith('1.32.0'))).toEqual([])
})

test('an unsupported platform is refused before any download', async () => {
  const before = hits.length
  const mac = new ToolInstaller({ log: new MemoryLogger(), mirror, platform: { os: 'darwin', arch: 'arm64' }, addPath: () => undefined })
  await expect(mac.install('kube-apiserver')).rejects.toThrow('kube-apiserver v1.35.4 is not available for darwin/arm64: Kubernetes publishes server binaries for Linux only')
  expect(hits.length).toBe(before)
})

test('a tool cache that cannot be written costs a warning, not the install', async () => {
  const cache = process.env.RUNNER_TOOL_CACHE
  const blocker = join(work, 'not-a-dir')
  writeFileSync(blocker, '')
  process.env.RUNNER_TOOL_CACHE = blocker
  try {
    const log = new MemoryLogger()
    const helm = await installer({ log }).install('helm')
    expect(helm.cached).toBe(false)
    expect(readFileSync(helm.path)).toEqual(HELM)
    expect(log.lines.some(l => l.startsWith('warning: helm v3.22.0 (linux/amd64): could not save to the tool cache'))).toBe(true)
  } finally {
    process.env.RUNNER_TOOL_CACHE = cache
  }
})

test('sim: etcd from its tar.gz (SHA256SUMS), the control plane from dl.k8s.io, kwok, and its stages in one directory the sim provider accepts', async () => {
  const manifest = loadManifest()
  // kwok publishes no checksum file; this test's mirror does, which the manifest may name
  manifest.tools.kwok.checksum = { url: '{url}.sha256' }
  const etcd = script('echo "etcd Version: 3.6.5"')
  const etcdTar = archive('tar.gz', 'etcd-v3.6.5-linux-amd64/etcd', etcd)
  serve('/github.com/etcd-io/etcd/releases/download/v3.6.5/etcd-v3.6.5-linux-amd64.tar.gz', etcdTar)
  serve('/github.com/etcd-io/etcd/releases/download/v3.6.5/SHA256SUMS', `${'1'.repeat(64)}  etcd-v3.6.5-darwin-arm64.zip\n${sha(etcdTar)}  etcd-v3.6.5-linux-amd64.tar.gz\n`)
  for (const b of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    const bin = script('echo "Kubernetes v1.35.4"')
    serve(`/dl.k8s.io/release/v1.35.4/bin/linux/amd64/${b}`, bin)
    serve(`/dl.k8s.io/release/v1.35.4/bin/linux/amd64/${b}.sha256`, sha(bin))
  }
  const kwok = script('echo "kwok version v0.8.0 go1.26.8 (linux/amd64)"')
  serve('/github.com/kubernetes-sigs/kwok/releases/download/v0.8.0/kwok-linux-amd64', kwok)
  serve('/github.com/kubernetes-sigs/kwok/releases/download/v0.8.0/kwok-linux-amd64.sha256', sha(kwok))

  const sim = await installer({ manifest }).installSim()
  expect(sim.version).toBe('etcd-v3.6.5_kube-apiserver-v1.35.4_kube-controller-manager-v1.35.4_kube-scheduler-v1.35.4_kwok-v0.8.0')
  expect(sim.tools.map(t => [t.tool, t.reported])).toEqual([
    ['etcd', 'v3.6.5'],
    ['kube-apiserver', 'v1.35.4'],
    ['kube-controller-manager', 'v1.35.4'],
    ['kube-scheduler', 'v1.35.4'],
    ['kwok', 'v0.8.0']
  ])
  expect(readdirSync(sim.dir).sort()).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kwok-stages.yaml'])
  expect(readFileSync(join(sim.dir, 'kwok-stages.yaml'), 'utf8')).toContain('kind: Stage')
  await expect(resolveSimBinaries(sim.dir)).resolves.toBe(sim.dir)
})

describe('the sim provider\'s binaries with nothing built or given', () => {
  const env = ['GITHUB_ACTIONS', 'BAF_SIM_BIN', 'BAF_SIM_CACHE', 'BAF_TOOLS_MANIFEST', 'BAF_TOOLS_MIRROR'] as const
  const before = Object.fromEntries(env.map(k => [k, process.env[k]]))
  beforeEach(() => {
    delete process.env.BAF_SIM_BIN
    // an empty build cache: scripts/sim-binaries.sh --check finds nothing there
    process.env.BAF_SIM_CACHE = mkdtempSync(join(tmpdir(), 'baf-sim-cache-'))
  })
  afterEach(() => {
    for (const k of env) {
      if (before[k] === undefined) delete process.env[k]
      else process.env[k] = before[k]
    }
  })

  test('on a GitHub runner: installed through the tools layer (the sim test above served the releases), and BAF_SIM_BIN set for what follows', async () => {
    const manifest = loadManifest()
    manifest.tools.kwok.checksum = { url: '{url}.sha256' }
    const file = join(work, 'manifest.json')
    writeFileSync(file, JSON.stringify(manifest))
    Object.assign(process.env, { GITHUB_ACTIONS: 'true', BAF_TOOLS_MANIFEST: file, BAF_TOOLS_MIRROR: mirror })
    const log = new MemoryLogger()
    const dir = await resolveSimBinaries(undefined, { downloadOnRunner: log })
    expect(readdirSync(dir).sort()).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kwok-stages.yaml'])
    expect(process.env.BAF_SIM_BIN).toBe(dir)
    expect(log.lines).toContain('group: Install the sim binaries (release downloads, sha256-checked)')
  })

  test('elsewhere, or when the caller only looks (helm): a clear error naming every way to get them, nothing downloaded', async () => {
    const requests = hits.length
    process.env.GITHUB_ACTIONS = 'true'
    await expect(resolveSimBinaries()).rejects.toThrow('sim binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) are not available: build them once with "bash scripts/sim-binaries.sh"')
    delete process.env.GITHUB_ACTIONS
    await expect(resolveSimBinaries(undefined, { downloadOnRunner: new MemoryLogger() })).rejects.toThrow('on a GitHub runner the setup action installs them (tools: sim)')
    expect(hits.length).toBe(requests)
  })
})
