import { readFileSync } from 'node:fs'

import { currentPlatform, kindNodeImage, kubernetesRelease, loadManifest, mirrored, resolveArtifact, SIM_TOOLS, TOOL_NAMES } from '../../../src/tools/manifest.js'
import type { Arch, Os } from '../../../src/tools/manifest.js'

const manifest = loadManifest()
const platforms = manifest.platforms.map(p => ({ os: p.split('/')[0] as Os, arch: p.split('/')[1] as Arch }))

test('every tool has an artifact or a plain reason for every platform, and a way to be verified', () => {
  for (const tool of TOOL_NAMES) {
    for (const platform of platforms) {
      let artifact
      try {
        artifact = resolveArtifact(tool, undefined, platform, manifest)
      } catch (e) {
        expect((e as Error).message).toMatch(new RegExp(`^${tool} v\\S+ is not available for ${platform.os}/${platform.arch}: .+`))
        continue
      }
      expect(artifact.url).toMatch(/^https:\/\/[^{}]+$/)
      expect(artifact.url).not.toMatch(/\{|\}/)
      // verified by a published checksum file, a recorded digest, or Go's checksum database
      expect(Boolean(artifact.checksumUrl || artifact.sha256 || artifact.go)).toBe(true)
      for (const digests of Object.values(manifest.tools[tool].sha256)) for (const d of Object.values(digests)) expect(d).toMatch(/^[0-9a-f]{64}$/)
    }
  }
})

test('the upstream URLs are exactly the ones the projects publish', () => {
  const linux = { os: 'linux' as const, arch: 'amd64' as const }
  const mac = { os: 'darwin' as const, arch: 'arm64' as const }
  expect(resolveArtifact('kind', undefined, linux, manifest)).toMatchObject({
    url: 'https://github.com/kubernetes-sigs/kind/releases/download/v0.31.0/kind-linux-amd64',
    checksumUrl: 'https://github.com/kubernetes-sigs/kind/releases/download/v0.31.0/kind-linux-amd64.sha256sum',
    archive: 'binary'
  })
  expect(resolveArtifact('kubectl', '1.34.2', mac, manifest)).toMatchObject({
    version: 'v1.34.2',
    url: 'https://dl.k8s.io/release/v1.34.2/bin/darwin/arm64/kubectl',
    checksumUrl: 'https://dl.k8s.io/release/v1.34.2/bin/darwin/arm64/kubectl.sha256'
  })
  expect(resolveArtifact('helm', undefined, mac, manifest)).toMatchObject({
    url: 'https://get.helm.sh/helm-v3.22.0-darwin-arm64.tar.gz',
    checksumUrl: 'https://get.helm.sh/helm-v3.22.0-darwin-arm64.tar.gz.sha256sum',
    archive: 'tar.gz',
    path: 'darwin-arm64/helm'
  })
  expect(resolveArtifact('etcd', undefined, linux, manifest)).toMatchObject({
    url: 'https://github.com/etcd-io/etcd/releases/download/v3.6.5/etcd-v3.6.5-linux-amd64.tar.gz',
    checksumUrl: 'https://github.com/etcd-io/etcd/releases/download/v3.6.5/SHA256SUMS',
    path: 'etcd-v3.6.5-linux-amd64/etcd'
  })
  expect(resolveArtifact('etcd', undefined, mac, manifest)).toMatchObject({ url: 'https://github.com/etcd-io/etcd/releases/download/v3.6.5/etcd-v3.6.5-darwin-arm64.zip', archive: 'zip' })
  expect(resolveArtifact('kube-apiserver', undefined, linux, manifest)).toMatchObject({
    url: 'https://dl.k8s.io/release/v1.35.4/bin/linux/amd64/kube-apiserver',
    checksumUrl: 'https://dl.k8s.io/release/v1.35.4/bin/linux/amd64/kube-apiserver.sha256'
  })
  expect(() => resolveArtifact('kube-apiserver', undefined, mac, manifest)).toThrow('kube-apiserver v1.35.4 is not available for darwin/arm64: Kubernetes publishes server binaries for Linux only')
  // no checksum file upstream: built by go install, which Go's checksum database verifies
  expect(resolveArtifact('kwok', undefined, linux, manifest)).toMatchObject({ checksumUrl: undefined, sha256: undefined, go: 'sigs.k8s.io/kwok/cmd/kwok' })
})

test('the sim pins equal test/harness/versions.env, the one source scripts/sim-binaries.sh builds from', () => {
  const env = Object.fromEntries(
    readFileSync('test/harness/versions.env', 'utf8')
      .split('\n')
      .filter(l => /^[A-Z0-9_]+=/.test(l))
      .map(l => l.split('=') as [string, string])
  )
  for (const t of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const) expect(manifest.tools[t].default).toBe(env.K8S_VERSION)
  expect(manifest.tools.etcd.default).toBe(env.ETCD_VERSION)
  expect(manifest.tools.kwok.default).toBe(env.KWOK_VERSION)
  expect(manifest.tools.helm.default).toBe(env.HELM_VERSION)
  expect([...SIM_TOOLS].sort()).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'])
})

test('a mirror replaces every origin and keeps the path', () => {
  expect(mirrored('https://dl.k8s.io/release/v1.35.0/bin/linux/amd64/kubectl', 'http://127.0.0.1:8080/m/')).toBe('http://127.0.0.1:8080/m/dl.k8s.io/release/v1.35.0/bin/linux/amd64/kubectl')
  expect(resolveArtifact('kind', undefined, { os: 'linux', arch: 'arm64' }, manifest, 'http://127.0.0.1:9')).toMatchObject({
    url: 'http://127.0.0.1:9/github.com/kubernetes-sigs/kind/releases/download/v0.31.0/kind-linux-arm64',
    checksumUrl: 'http://127.0.0.1:9/github.com/kubernetes-sigs/kind/releases/download/v0.31.0/kind-linux-arm64.sha256sum'
  })
})

test.each([
  [undefined, 'v1.35.0'],
  ['1.35', 'v1.35.0'],
  ['v1.34.2', 'v1.34.2'],
  ['1.33.7', 'v1.33.7']
])('Kubernetes %p means %p', (given, release) => {
  expect(kubernetesRelease(given, manifest)).toBe(release)
})

test('a bare minor with no recorded patch is refused rather than guessed', () => {
  expect(() => kubernetesRelease('1.31', manifest)).toThrow('Kubernetes version "1.31": give a full release such as 1.35.0 (no patch release of 1.31 is recorded')
  expect(() => kubernetesRelease('latest', manifest)).toThrow('give a full release')
})

test('kind node images: digest-pinned where recorded, the tag otherwise', () => {
  expect(kindNodeImage(undefined, manifest)).toBe('kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f')
  expect(kindNodeImage('1.34.3', manifest)).toBe('kindest/node:v1.34.3')
})

test('an unsupported architecture or OS is refused by name, before any download', () => {
  const real = Object.getOwnPropertyDescriptor(process, 'arch')!
  try {
    Object.defineProperty(process, 'arch', { value: 's390x' })
    expect(() => currentPlatform()).toThrow(`baf-action installs tools for linux and darwin on amd64 and arm64; this is ${process.platform}/s390x`)
  } finally {
    Object.defineProperty(process, 'arch', real)
  }
  // a platform the manifest does not list for a tool: the tool, the version and the platform named
  expect(() => resolveArtifact('kind', undefined, { os: 'linux', arch: 's390x' as Arch })).toThrow(/^kind v[\d.]+ is not available for linux\/s390x/)
})
