// Installs a pinned tool in the fixed order: tool cache -> download -> verify -> extract -> cache ->
// PATH. Verification is against the checksum file upstream publishes next to the artifact and
// against the digest recorded in the manifest, when there is one; a mismatch refuses the tool and
// caches nothing. A broken tool cache only costs time: its errors are warnings.

import { randomUUID } from 'node:crypto'
import { chmod, copyFile, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, delimiter, join } from 'node:path'

import * as tc from '@actions/tool-cache'

import { Exec } from '../exec/exec.js'
import type { Logger } from '../log/logger.js'
import { packageRoot } from '../paths.js'
import { Checksum } from './checksum.js'
import { Download } from './download.js'
import type { DownloadOpts } from './download.js'
import { currentPlatform, loadManifest, resolveArtifact, SIM_TOOLS } from './manifest.js'
import type { Artifact, Platform, ToolName, ToolsManifest } from './manifest.js'
import { ToolVersion } from './version.js'

export interface InstallerOpts {
  log: Logger
  manifest?: ToolsManifest
  /** URL prefix that replaces every origin (see `mirrored`); default BAF_TOOLS_MIRROR */
  mirror?: string
  platform?: Platform
  download?: DownloadOpts
  /** puts a directory on PATH for this process and later steps; default: this process only */
  addPath?: (dir: string) => void
  /** temporary files; default RUNNER_TEMP or the OS temp directory */
  tempDir?: string
}

export interface InstalledTool {
  tool: ToolName
  version: string
  /** the executable */
  path: string
  /** the directory put on PATH */
  dir: string
  /** true when the tool cache already had it */
  cached: boolean
  /** what `<tool> version` reports, when it could be read */
  reported?: string
}

export interface InstalledSim {
  /** the directory BAF_SIM_BIN must name */
  dir: string
  version: string
  tools: InstalledTool[]
}

const CACHE_PREFIX = 'baf-'

export class ChecksumMismatchError extends Error {
  override name = 'ChecksumMismatchError'
}

export class ToolInstaller {
  private readonly manifest: ToolsManifest
  private readonly platform: Platform
  private readonly mirror?: string

  constructor(private readonly opts: InstallerOpts) {
    this.manifest = opts.manifest ?? loadManifest()
    this.platform = opts.platform ?? currentPlatform()
    this.mirror = opts.mirror || process.env.BAF_TOOLS_MIRROR || undefined
  }

  artifact(tool: ToolName, version?: string): Artifact {
    return resolveArtifact(tool, version, this.platform, this.manifest, this.mirror)
  }

  async install(tool: ToolName, version?: string): Promise<InstalledTool> {
    const artifact = this.artifact(tool, version)
    const label = `${tool} ${artifact.version} (${artifact.platform.os}/${artifact.platform.arch})`
    const log = this.opts.log
    const started = Date.now()

    const hit = this.findCached(artifact)
    if (hit) {
      log.info(`${label}: found in the tool cache at ${hit}`)
      return this.finish(artifact, hit, true)
    }

    const temp = join(this.opts.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), `baf-tools-${randomUUID()}`)
    await mkdir(temp, { recursive: true, mode: 0o700 })
    try {
      let staged: string
      if (!artifact.checksumUrl && !artifact.sha256 && artifact.go) {
        staged = await this.goInstall(artifact, temp)
      } else {
        const file = join(temp, basename(new URL(artifact.url).pathname))
        log.info(`${label}: downloading ${artifact.url}`)
        const got = await Download.toFile(artifact.url, file, { ...this.opts.download, log })
        await this.verify(artifact, got.sha256, label)
        staged = await this.extract(artifact, file, join(temp, 'staged'))
      }
      let dir = staged
      try {
        dir = await tc.cacheDir(staged, CACHE_PREFIX + tool, artifact.version, artifact.platform.arch)
      } catch (e) {
        log.warning(`${label}: could not save to the tool cache (${(e as Error).message}); using it from ${staged}`)
        // keep the staged copy: it is what goes on PATH
        const keep = join(this.opts.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), `baf-${tool}-${artifact.version}`)
        await rm(keep, { recursive: true, force: true })
        await mkdir(keep, { recursive: true })
        await copyFile(join(staged, artifact.bin), join(keep, artifact.bin))
        await chmod(join(keep, artifact.bin), 0o755)
        dir = keep
      }
      log.info(`${label}: verified and installed in ${((Date.now() - started) / 1000).toFixed(1)}s`)
      return this.finish(artifact, dir, false)
    } finally {
      await rm(temp, { recursive: true, force: true })
    }
  }

  /**
   * The sim control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok and
   * kwok's stages) assembled in one directory, as BAF_SIM_BIN expects it.
   */
  async installSim(): Promise<InstalledSim> {
    const tools = await Promise.all(SIM_TOOLS.map(t => this.install(t)))
    const byTool = new Map(tools.map(t => [t.tool, t]))
    const version = SIM_TOOLS.map(t => `${t}-${byTool.get(t)!.version}`).join('_')
    const root = process.env.RUNNER_TOOL_CACHE ?? join(this.opts.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), 'baf-tool-cache')
    const dir = join(root, `${CACHE_PREFIX}sim`, version, this.platform.arch)
    await mkdir(dir, { recursive: true })
    for (const t of tools) {
      const link = join(dir, basename(t.path))
      await rm(link, { force: true })
      await symlink(t.path, link)
    }
    const kwok = this.manifest.tools.kwok
    if (kwok.stages) {
      const source = join(packageRoot(), 'src', 'tools', kwok.stages.replace('{version}', byTool.get('kwok')!.version))
      await writeFile(join(dir, 'kwok-stages.yaml'), await readFile(source))
    }
    return { dir, version, tools }
  }

  private findCached(artifact: Artifact): string | undefined {
    try {
      const dir = tc.find(CACHE_PREFIX + artifact.tool, artifact.version, artifact.platform.arch)
      return dir || undefined
    } catch (e) {
      this.opts.log.warning(`${artifact.tool}: the tool cache cannot be read (${(e as Error).message}); downloading`)
      return undefined
    }
  }

  private async verify(artifact: Artifact, actual: string, label: string): Promise<void> {
    const log = this.opts.log
    const file = basename(new URL(artifact.url).pathname)
    if (artifact.checksumUrl) {
      const text = await Download.text(artifact.checksumUrl, { ...this.opts.download, log })
      const published = Checksum.digestFor(text, file)
      if (!published) throw new ChecksumMismatchError(`${label}: ${artifact.checksumUrl} lists no sha256 for ${file}; refusing to install it (nothing was cached)`)
      if (published !== actual) {
        throw new ChecksumMismatchError(
          `${label}: sha256 mismatch: ${artifact.url} has ${actual}, but ${artifact.checksumUrl} says ${published}; refusing to install it (nothing was cached). A damaged download or a tampered artifact: retry, and check the mirror if one is set.`
        )
      }
    }
    if (artifact.sha256 && artifact.sha256 !== actual) {
      throw new ChecksumMismatchError(`${label}: sha256 mismatch: ${artifact.url} has ${actual}, but src/tools/manifest.json records ${artifact.sha256}; refusing to install it (nothing was cached)`)
    }
    if (!artifact.checksumUrl && !artifact.sha256) throw new ChecksumMismatchError(`${label}: no published checksum and no recorded digest; refusing to install an unverified download`)
    log.info(`${label}: sha256 ${actual} verified against ${[artifact.checksumUrl, artifact.sha256 && 'the manifest'].filter(Boolean).join(' and ')}`)
  }

  private async extract(artifact: Artifact, file: string, dest: string): Promise<string> {
    await mkdir(dest, { recursive: true })
    const target = join(dest, artifact.bin)
    if (artifact.archive === 'binary') {
      await copyFile(file, target)
    } else {
      const out = artifact.archive === 'zip' ? await tc.extractZip(file, join(dest, '..', 'x')) : await tc.extractTar(file, join(dest, '..', 'x'))
      const inner = join(out, artifact.path ?? artifact.bin)
      try {
        await stat(inner)
      } catch {
        throw new Error(`${artifact.tool} ${artifact.version}: ${artifact.url} has no ${artifact.path ?? artifact.bin} inside`)
      }
      await copyFile(inner, target)
    }
    await chmod(target, 0o755)
    return dest
  }

  /** `go install module@version`: the module proxy's content is checked against Go's checksum database. */
  private async goInstall(artifact: Artifact, temp: string): Promise<string> {
    const staged = join(temp, 'staged')
    await mkdir(staged, { recursive: true })
    const env: NodeJS.ProcessEnv = { ...process.env, GOBIN: staged, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GONOSUMDB: '', GONOSUMCHECK: '', GOINSECURE: '', GOPRIVATE: '' }
    delete env.GOSUMDB
    if (this.platform.os !== currentPlatform().os || this.platform.arch !== currentPlatform().arch) {
      env.GOOS = this.platform.os
      env.GOARCH = this.platform.arch
    }
    this.opts.log.info(`${artifact.tool} ${artifact.version}: no checksum file is published upstream; building it with go install (verified by Go's checksum database)`)
    await Exec.checked('go', ['install', '-trimpath', '-ldflags=-s -w', `${artifact.go}@${artifact.version}`], { env, timeoutMs: 15 * 60_000, log: this.opts.log, prefix: 'go', what: `go install ${artifact.go}@${artifact.version}` })
    await stat(join(staged, artifact.bin)).catch(() => {
      throw new Error(`go install ${artifact.go}@${artifact.version} produced no ${artifact.bin} in ${staged}`)
    })
    return staged
  }

  private async finish(artifact: Artifact, dir: string, cached: boolean): Promise<InstalledTool> {
    const path = join(dir, artifact.bin)
    ;(this.opts.addPath ?? prependPath)(dir)
    const reported = await ToolVersion.read(artifact.tool, path, artifact.versionArgs).catch(() => undefined)
    if (reported && reported !== artifact.version) this.opts.log.warning(`${artifact.tool}: ${path} reports ${reported}, the manifest pins ${artifact.version}`)
    return { tool: artifact.tool, version: artifact.version, path, dir, cached, reported }
  }
}

export function prependPath(dir: string): void {
  const parts = (process.env.PATH ?? '').split(delimiter)
  if (!parts.includes(dir)) process.env.PATH = [dir, ...parts].filter(Boolean).join(delimiter)
}
