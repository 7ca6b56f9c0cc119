// The gateway registry: one ConfigMap in a cluster's gateway namespace recording, per preview, the
// TCP listeners it put on the shared gateway controller. It answers two questions no single run
// can: which port block is free for a new preview, and what the controller's TCP map must hold
// now (the union of every preview's listeners). Each preview writes only its own key, with its
// own server-side-apply field manager, so concurrent deploys of different PRs never overwrite
// each other's entries; the controller is then brought level with the registry (reconcile).

import { createHash } from 'node:crypto'

import { CoreV1Api, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node'
import type { KubeConfig, KubernetesObject, V1ConfigMap } from '@kubernetes/client-node'

import { apiErrorCode, applyObjects, apiErrorMessage } from '../kube/client.js'
import type { ProxyKind } from '../model/platforms.js'
import type { Listener } from '../plan/types.js'

export const REGISTRY_NAME = 'baf-action-gateway'
export const REGISTRY_LABEL = 'baf-action/registry'
const ANNOTATION = {
  kind: 'baf-action/gateway-kind',
  controller: 'baf-action/controller',
  cluster: 'baf-action/cluster',
  applied: 'baf-action/applied-sha256'
} as const

/** How the gateway's TCP ports are served: an upstream controller installed by Helm, or sim's stand-in Service. */
export type ControllerMode = 'helm' | 'sim'

export interface RegistryEntry {
  pr: number
  repo: string
  sha?: string
  /** what every TCP port of the preview's plan was moved by */
  offset: number
  /** unix seconds after which the sweeper may reclaim the preview */
  expiresAt: number
  /** the preview's TCP listeners on this gateway */
  listeners: Listener[]
}

export interface RegistryMeta {
  kind: ProxyKind
  controller: ControllerMode
  /** the plan's name of the cluster, for messages and the controller's values */
  cluster: string
  namespace: string
}

export interface RegistryContents {
  meta?: RegistryMeta
  entries: Map<string, RegistryEntry>
  /** hash of the listeners the controller was last brought level with */
  applied?: string
}

export function entryKey(repoLabel: string, pr: number): string {
  return `${repoLabel}.pr-${pr}`
}

/** every listener the registry holds, in a stable order */
export function unionListeners(entries: Iterable<RegistryEntry>): Listener[] {
  return [...entries].flatMap(e => e.listeners).sort((a, b) => a.port - b.port || a.target.namespace.localeCompare(b.target.namespace))
}

export function listenersHash(listeners: Listener[]): string {
  return createHash('sha256').update(JSON.stringify(listeners)).digest('hex')
}

function parseEntry(key: string, text: string): RegistryEntry | undefined {
  try {
    const e = JSON.parse(text) as RegistryEntry
    return Number.isSafeInteger(e.pr) && Array.isArray(e.listeners) ? e : undefined
  } catch {
    // a hand-edited or foreign key: ignored here, and never deleted by us
    void key
    return undefined
  }
}

export class GatewayRegistry {
  constructor(
    private readonly kc: KubeConfig,
    readonly namespace: string
  ) {}

  static contents(cm: V1ConfigMap | undefined): RegistryContents {
    const entries = new Map<string, RegistryEntry>()
    for (const [k, v] of Object.entries(cm?.data ?? {})) {
      const e = parseEntry(k, v)
      if (e) entries.set(k, e)
    }
    const a = cm?.metadata?.annotations ?? {}
    const meta = a[ANNOTATION.kind]
      ? { kind: a[ANNOTATION.kind] as ProxyKind, controller: (a[ANNOTATION.controller] === 'helm' ? 'helm' : 'sim') as ControllerMode, cluster: a[ANNOTATION.cluster] ?? '', namespace: cm!.metadata!.namespace! }
      : undefined
    return { meta, entries, applied: a[ANNOTATION.applied] }
  }

  async read(): Promise<RegistryContents> {
    try {
      return GatewayRegistry.contents(await this.kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: REGISTRY_NAME, namespace: this.namespace }))
    } catch (e) {
      if (apiErrorCode(e) === 404) return { entries: new Map() }
      throw new Error(`reading the gateway registry ${this.namespace}/${REGISTRY_NAME}: ${apiErrorMessage(e)}`, { cause: e })
    }
  }

  private object(meta: RegistryMeta, data: Record<string, string>, extraAnnotations: Record<string, string> = {}): KubernetesObject & V1ConfigMap {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: REGISTRY_NAME,
        namespace: this.namespace,
        labels: { [REGISTRY_LABEL]: 'gateway', 'app.kubernetes.io/managed-by': 'baf-action' },
        annotations: { [ANNOTATION.kind]: meta.kind, [ANNOTATION.controller]: meta.controller, [ANNOTATION.cluster]: meta.cluster, ...extraAnnotations }
      },
      data
    }
  }

  /** Records one preview's entry under its own field manager (the namespace must exist). */
  async put(key: string, entry: RegistryEntry, meta: RegistryMeta): Promise<void> {
    await applyObjects(this.kc, [this.object(meta, { [key]: JSON.stringify(entry) })], `baf-action-${key}`.slice(0, 128))
  }

  /** Removes a preview's entry, whoever wrote it (a merge patch setting the key to null). */
  async remove(key: string): Promise<boolean> {
    const current = await this.read()
    if (!current.entries.has(key)) return false
    const patch = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: REGISTRY_NAME, namespace: this.namespace }, data: { [key]: null } } as unknown as KubernetesObject
    try {
      await KubernetesObjectApi.makeApiClient(this.kc).patch(patch, undefined, undefined, 'baf-action', undefined, PatchStrategy.MergePatch)
    } catch (e) {
      if (apiErrorCode(e) === 404) return false
      throw new Error(`removing ${key} from the gateway registry ${this.namespace}/${REGISTRY_NAME}: ${apiErrorMessage(e)}`, { cause: e })
    }
    return true
  }

  async markApplied(meta: RegistryMeta, hash: string): Promise<void> {
    await applyObjects(this.kc, [this.object(meta, {}, { [ANNOTATION.applied]: hash })], 'baf-action-gateway')
  }
}

/** Block width: the network's TCP span rounded up to tens, so blocks stay readable (15010, 15020, ...). */
function stride(ports: number[]): number {
  const span = ports[ports.length - 1] - ports[0] + 1
  return Math.ceil(span / 10) * 10
}

export const MAX_PREVIEW_SLOTS = 100

/**
 * The offset of PR `pr`'s TCP ports on one gateway: its current one when it still fits, else the
 * first free block from slot `pr mod 100` on. Slot 0 (offset 0) is left to the network deployed
 * without a PR, so a preview never takes the ports of a plain deploy of the same network.
 */
export function allocateOffset(basePorts: number[], pr: number, takenByOthers: Iterable<number>, current?: number): number {
  if (basePorts.length === 0) return 0
  const taken = new Set(takenByOthers)
  const fits = (offset: number): boolean => basePorts[basePorts.length - 1] + offset <= 65_535 && basePorts.every(p => !taken.has(p + offset))
  if (current !== undefined && current > 0 && fits(current)) return current
  const width = stride(basePorts)
  for (let i = 0; i < MAX_PREVIEW_SLOTS; i++) {
    const offset = (1 + ((pr - 1 + i) % MAX_PREVIEW_SLOTS)) * width
    if (fits(offset)) return offset
  }
  const first = basePorts[0]
  const last = basePorts[basePorts.length - 1]
  if (last + width > 65_535) throw new Error(`no free block of ${basePorts.length} gateway port(s) for PR ${pr}: the network's TCP ports ${first}-${last} leave no room for another block below 65535; give the gateway lower ports (ambassador:)`)
  throw new Error(`no free block of ${basePorts.length} gateway port(s) for PR ${pr}: ${taken.size} port(s) are held by other previews; run the sweeper (baf sweep) or tear down closed previews`)
}
