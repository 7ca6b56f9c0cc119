// Thin helpers over @kubernetes/client-node: load a kubeconfig, apply objects server-side,
// wait for a condition through a watch (never a sleep loop), tell API errors apart.

import { KubeConfig, KubernetesObjectApi, PatchStrategy, Watch } from '@kubernetes/client-node'
import type { KubernetesObject } from '@kubernetes/client-node'

export const FIELD_MANAGER = 'baf-action'

export function loadKubeConfig(path: string, context?: string): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromFile(path)
  if (context) kc.setCurrentContext(context)
  return kc
}

export function apiErrorCode(e: unknown): number | undefined {
  const code = (e as { code?: unknown; statusCode?: unknown }).code ?? (e as { statusCode?: unknown }).statusCode
  return typeof code === 'number' ? code : undefined
}

/**
 * The API server's own sentence from an ApiException ("... is invalid: spec.x: ..."), without the
 * headers and body dump the client puts around it.
 */
export function apiErrorMessage(e: unknown): string {
  const body = (e as { body?: unknown }).body
  if (typeof body === 'string') {
    try {
      const status = JSON.parse(body) as { message?: string }
      if (status.message) return status.message
    } catch {
      // not a Status object: fall through to the exception's own message
    }
  }
  const message = e instanceof Error ? e.message : String(e)
  return message.split('\n').find(l => l.startsWith('Message:'))?.replace(/^Message:\s*/, '') ?? message.split('\n')[0]
}

/** Server-side apply: creates what is missing, updates what we own, leaves other managers' fields. */
export async function applyObjects(kc: KubeConfig, objects: KubernetesObject[], fieldManager = FIELD_MANAGER): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc)
  for (const obj of objects) {
    try {
      await api.patch(obj, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply)
    } catch (e) {
      const where = `${obj.kind}/${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name}`
      throw new Error(`applying ${where}: ${apiErrorMessage(e)}`, { cause: e })
    }
  }
}

export interface WaitOpts<T> {
  /** API path to watch, e.g. `/api/v1/nodes` or `/api/v1/namespaces/default/serviceaccounts` */
  path: string
  query?: Record<string, string>
  /** true when the condition holds for the current set of objects */
  done: (objects: Map<string, T>) => boolean
  timeoutMs: number
  what: string
  /** ends the wait early with the signal's reason (say, a component it depends on died) */
  signal?: AbortSignal
}

/**
 * Watches `path` until `done` holds. A dropped watch (an API server restart) is re-established;
 * the deadline bounds the whole wait.
 */
export async function waitForWatch<T extends KubernetesObject>(kc: KubeConfig, opts: WaitOpts<T>): Promise<Map<string, T>> {
  const deadline = Date.now() + opts.timeoutMs
  const objects = new Map<string, T>()
  const key = (o: T): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`
  const watch = new Watch(kc)
  let lastError: unknown
  const aborted = (): never => {
    throw opts.signal?.reason instanceof Error ? opts.signal.reason : new Error(`stopped waiting for ${opts.what}`)
  }
  while (Date.now() < deadline) {
    if (opts.signal?.aborted) aborted()
    const outcome = await new Promise<'done' | 'closed'>(resolve => {
      let settled = false
      let request: { abort(): void } | undefined
      const finish = (result: 'done' | 'closed'): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
        request?.abort()
        resolve(result)
      }
      const onAbort = (): void => finish('closed')
      opts.signal?.addEventListener('abort', onAbort)
      const timer = setTimeout(() => finish('closed'), Math.max(0, deadline - Date.now()))
      watch
        .watch(
          opts.path,
          { ...opts.query, allowWatchBookmarks: 'false' },
          (type: string, obj: T) => {
            if (type === 'DELETED') objects.delete(key(obj))
            else if (type === 'ADDED' || type === 'MODIFIED') objects.set(key(obj), obj)
            if (opts.done(objects)) finish('done')
          },
          err => {
            if (err) lastError = err
            finish('closed')
          }
        )
        .then(
          r => {
            request = r
            if (settled) r.abort()
          },
          err => {
            lastError = err
            finish('closed')
          }
        )
    })
    if (outcome === 'done') return objects
    if (opts.done(objects)) return objects
    if (opts.signal?.aborted) aborted()
    if (Date.now() < deadline) await new Promise(r => setTimeout(r, 200))
  }
  const why = lastError ? `; last error: ${(lastError as Error).message ?? String(lastError)}` : ''
  throw new Error(`timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${opts.what}${why}`)
}
