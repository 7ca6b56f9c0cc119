// Kubeconfig files as users hand them over: a path, base64 (a repository secret) or plain YAML.
// Pure functions pick one context out of a file (with relative certificate paths made absolute,
// so the copy works from anywhere) and name the values that must never be printed.

import { dirname, isAbsolute, resolve } from 'node:path'

import { parse, stringify } from 'yaml'

interface Named<T> {
  name: string
  [key: string]: unknown
  cluster?: T
  user?: T
  context?: T
}

export interface KubeconfigDoc {
  apiVersion?: string
  kind?: string
  clusters?: Named<Record<string, unknown>>[]
  users?: Named<Record<string, unknown>>[]
  contexts?: Named<{ cluster?: string; user?: string; namespace?: string }>[]
  'current-context'?: string
  [key: string]: unknown
}

export type KubeconfigSource = 'path' | 'base64' | 'yaml'

const FILE_KEYS = ['certificate-authority', 'client-certificate', 'client-key', 'tokenFile']
const SECRET_KEYS = ['client-key-data', 'token', 'password', 'client-certificate-data']

export class Kubeconfig {
  /**
   * What a `kubeconfig` input holds: YAML (has `clusters:`), base64 of YAML, or a path. `exists`
   * answers whether a path names a file, so this stays pure.
   */
  static classifyInput(value: string, exists: (path: string) => boolean): { source: KubeconfigSource; text?: string; path?: string } {
    const v = value.trim()
    if (/^\s*(apiVersion|clusters|kind|contexts)\s*:/m.test(v)) return { source: 'yaml', text: v + '\n' }
    if (/^[A-Za-z0-9+/=\s]+$/.test(v) && v.length >= 16) {
      const decoded = Buffer.from(v.replace(/\s+/g, ''), 'base64').toString('utf8')
      if (/^\s*(apiVersion|clusters|kind|contexts)\s*:/m.test(decoded)) return { source: 'base64', text: decoded }
    }
    if (!v.includes('\n') && exists(v)) return { source: 'path', path: v }
    throw new Error('input "kubeconfig" is neither a kubeconfig (YAML with clusters:), nor base64 of one, nor the path of an existing file')
  }

  static parse(text: string, where = 'kubeconfig'): KubeconfigDoc {
    let doc: unknown
    try {
      doc = parse(text)
    } catch (e) {
      throw new Error(`${where}: not valid YAML (${(e as Error).message.split('\n')[0]})`)
    }
    if (!doc || typeof doc !== 'object' || !Array.isArray((doc as KubeconfigDoc).contexts)) throw new Error(`${where}: not a kubeconfig (no contexts list)`)
    return doc as KubeconfigDoc
  }

  static contexts(doc: KubeconfigDoc): string[] {
    return (doc.contexts ?? []).map(c => c.name)
  }

  /** A kubeconfig with only `context`, its cluster and user; file references made absolute against `baseDir`. */
  static minify(doc: KubeconfigDoc, context: string, baseDir: string): KubeconfigDoc {
    const ctx = doc.contexts?.find(c => c.name === context)
    if (!ctx) throw new Error(`context "${context}" is not in the kubeconfig; it has: ${Kubeconfig.contexts(doc).join(', ') || 'no context'}`)
    const clusterName = ctx.context?.cluster
    const userName = ctx.context?.user
    const cluster = doc.clusters?.find(c => c.name === clusterName)
    if (!cluster) throw new Error(`context "${context}" names cluster "${clusterName ?? ''}", which the kubeconfig does not define`)
    const user = doc.users?.find(u => u.name === userName)
    const absolute = (entry: Record<string, unknown> | undefined): Record<string, unknown> | undefined => {
      if (!entry) return entry
      const out: Record<string, unknown> = { ...entry }
      for (const k of FILE_KEYS) if (typeof out[k] === 'string' && !isAbsolute(out[k] as string)) out[k] = resolve(baseDir, out[k] as string)
      return out
    }
    return {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: cluster.name, cluster: absolute(cluster.cluster) }],
      users: user ? [{ name: user.name, user: absolute(user.user) }] : [],
      contexts: [{ name: context, context: { ...ctx.context } }],
      'current-context': context
    }
  }

  static stringify(doc: KubeconfigDoc): string {
    return stringify(doc, { lineWidth: 0 })
  }

  static server(doc: KubeconfigDoc, context: string): string | undefined {
    const ctx = doc.contexts?.find(c => c.name === context)
    const server = doc.clusters?.find(c => c.name === ctx?.context?.cluster)?.cluster?.server
    return typeof server === 'string' ? server : undefined
  }

  /** Keys, tokens and passwords in the file: masked in the log and redacted from every command's output. */
  static secrets(doc: KubeconfigDoc): string[] {
    const out: string[] = []
    for (const u of doc.users ?? []) {
      for (const k of SECRET_KEYS) {
        const v = u.user?.[k]
        if (typeof v === 'string' && v.length >= 6) out.push(v)
      }
    }
    return out
  }

  static baseDirOf(path: string): string {
    return dirname(resolve(path))
  }
}
