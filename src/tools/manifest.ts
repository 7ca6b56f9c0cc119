// The versions manifest (manifest.json beside this file): which version of each tool is pinned,
// where its upstream artifact and checksum file live per platform, and the digests recorded with
// certainty. Pure functions turn it into the exact artifact for one platform.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { packageRoot } from '../paths.js'

export const TOOL_NAMES = ['kind', 'kubectl', 'helm', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok'] as const
export type ToolName = (typeof TOOL_NAMES)[number]

/** the sim control plane: what `resolveSimBinaries` needs in one directory */
export const SIM_TOOLS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const satisfies readonly ToolName[]

export type Os = 'linux' | 'darwin'
export type Arch = 'amd64' | 'arm64'
export interface Platform {
  os: Os
  arch: Arch
}

export type ArchiveKind = 'binary' | 'tar.gz' | 'zip'

export interface ToolSpec {
  default: string
  bin: string
  url: string
  archive: string
  /** path of the binary inside the archive */
  path?: string
  ext?: Partial<Record<Os, string>>
  checksum?: { url: string }
  /** Go package to `go install` when no checksum file is published and no digest recorded */
  go?: string
  versionArgs: string[]
  os?: Os[]
  unsupported?: string
  /** kwok: its stage definitions, shipped in this folder */
  stages?: string
  /** version -> `os/arch` -> sha256, only where known with certainty */
  sha256: Record<string, Record<string, string>>
}

export interface ToolsManifest {
  platforms: string[]
  kubernetes: { default: string; patches: Record<string, string>; kindNodeImages: Record<string, string> }
  tools: Record<ToolName, ToolSpec>
}

/** One artifact for one platform, every template filled in. */
export interface Artifact {
  tool: ToolName
  version: string
  platform: Platform
  bin: string
  url: string
  archive: ArchiveKind
  /** the binary's path inside the archive */
  path?: string
  checksumUrl?: string
  /** recorded digest (lower-case hex) */
  sha256?: string
  go?: string
  versionArgs: string[]
}

export function manifestPath(): string {
  return join(packageRoot(), 'src', 'tools', 'manifest.json')
}

/** The manifest of this package, or the file BAF_TOOLS_MANIFEST names (tests, air-gapped mirrors). */
export function loadManifest(path = process.env.BAF_TOOLS_MANIFEST || manifestPath()): ToolsManifest {
  return JSON.parse(readFileSync(path, 'utf8')) as ToolsManifest
}

export function currentPlatform(): Platform {
  const os = process.platform === 'darwin' ? 'darwin' : process.platform === 'linux' ? 'linux' : undefined
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined
  if (!os || !arch) throw new Error(`baf-action installs tools for linux and darwin on amd64 and arm64; this is ${process.platform}/${process.arch}`)
  return { os, arch }
}

/** `1.35.2`, `v1.35.2` -> `v1.35.2`; other strings are returned as given. */
export function normaliseVersion(version: string): string {
  const v = version.trim()
  return /^\d+\.\d+/.test(v) ? `v${v}` : v
}

/**
 * A Kubernetes version as a full release: `1.35` means the patch the manifest records for it.
 * Throws when a bare minor has no recorded patch (guessing one could name a release that does not exist).
 */
export function kubernetesRelease(version: string | undefined, manifest: ToolsManifest = loadManifest()): string {
  if (!version) return manifest.kubernetes.default
  const v = normaliseVersion(version)
  if (/^v\d+\.\d+\.\d+$/.test(v)) return v
  const minor = v.match(/^v(\d+\.\d+)$/)?.[1]
  if (minor && manifest.kubernetes.patches[minor]) return manifest.kubernetes.patches[minor]
  throw new Error(
    `Kubernetes version "${version}": give a full release such as ${manifest.kubernetes.default.slice(1)}${minor ? ` (no patch release of ${minor} is recorded in src/tools/manifest.json)` : ''}`
  )
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
}

/** `https://dl.k8s.io/x` under a mirror: `<mirror>/dl.k8s.io/x`, so one mirror serves every origin. */
export function mirrored(url: string, mirror?: string): string {
  if (!mirror) return url
  const u = new URL(url)
  return `${mirror.replace(/\/+$/, '')}/${u.host}${u.pathname}${u.search}`
}

export function resolveArtifact(tool: ToolName, version: string | undefined, platform: Platform, manifest: ToolsManifest = loadManifest(), mirror?: string): Artifact {
  const spec = manifest.tools[tool]
  if (!spec) throw new Error(`unknown tool "${tool}"; the manifest knows ${Object.keys(manifest.tools).join(', ')}`)
  const v = normaliseVersion(version || spec.default)
  const key = `${platform.os}/${platform.arch}`
  if (!manifest.platforms.includes(key) || (spec.os && !spec.os.includes(platform.os))) {
    throw new Error(`${tool} ${v} is not available for ${key}${spec.unsupported ? `: ${spec.unsupported}` : ''}`)
  }
  const values: Record<string, string> = { version: v, os: platform.os, arch: platform.arch }
  values.ext = spec.ext?.[platform.os] ?? ''
  const upstream = fill(spec.url, values)
  const archive = fill(spec.archive, values)
  if (archive !== 'binary' && archive !== 'tar.gz' && archive !== 'zip') throw new Error(`${tool}: unknown archive kind "${archive}" in the manifest`)
  const sha = spec.sha256[v]?.[key]
  if (sha !== undefined && !/^[0-9a-f]{64}$/.test(sha)) throw new Error(`${tool} ${v} ${key}: the recorded sha256 "${sha}" is not 64 lower-case hex digits`)
  return {
    tool,
    version: v,
    platform,
    bin: spec.bin,
    url: mirrored(upstream, mirror),
    archive,
    path: spec.path ? fill(spec.path, values) : undefined,
    checksumUrl: spec.checksum ? mirrored(fill(spec.checksum.url, { ...values, url: upstream }), mirror) : undefined,
    sha256: sha,
    go: spec.go,
    versionArgs: spec.versionArgs
  }
}

/** kind's node image for a Kubernetes release: digest-pinned when the manifest records one. */
export function kindNodeImage(kubernetesVersion: string | undefined, manifest: ToolsManifest = loadManifest()): string {
  const release = kubernetesRelease(kubernetesVersion, manifest)
  return manifest.kubernetes.kindNodeImages[release] ?? `kindest/node:${release}`
}
