// Before anything is deployed into a cluster someone else runs: can we reach its API server, which
// version is it, and may this identity create namespaces? Each request is bounded, so a server
// that never answers fails the step in seconds with a message that names the context and server.

import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { RequestOptions } from 'node:https'

import { KubeConfig } from '@kubernetes/client-node'

export interface AccessReport {
  server: string
  /** `gitVersion` of the API server */
  version: string
  canCreateNamespaces: boolean
  user?: string
}

export interface AccessCheckOpts {
  /** bound of each request, default 15 s */
  timeoutMs?: number
}

interface Reply {
  status: number
  body: string
}

export class AccessCheck {
  /** Server version and a SelfSubjectAccessReview for `create namespaces`, as `context` of `kubeconfig`. */
  static async run(kubeconfig: string, context: string, opts: AccessCheckOpts = {}): Promise<AccessReport> {
    const kc = new KubeConfig()
    kc.loadFromFile(kubeconfig)
    kc.setCurrentContext(context)
    const cluster = kc.getCurrentCluster()
    if (!cluster?.server) throw new Error(`context "${context}" has no cluster server`)
    const timeoutMs = opts.timeoutMs ?? 15_000
    const base: RequestOptions = {}
    await kc.applyToHTTPSOptions(base)
    const call = (method: string, path: string, body?: unknown): Promise<Reply> => AccessCheck.request(cluster.server, path, method, base, timeoutMs, body)

    let version: Reply
    try {
      version = await call('GET', '/version')
    } catch (e) {
      throw new Error(`context "${context}": the API server ${cluster.server} is not reachable: ${(e as Error).message}`)
    }
    if (version.status === 401) throw new Error(`context "${context}": ${cluster.server} does not accept these credentials (HTTP 401); refresh the kubeconfig`)
    if (version.status !== 200) throw new Error(`context "${context}": ${cluster.server}/version answered HTTP ${version.status}: ${version.body.slice(0, 200)}`)
    const gitVersion = (JSON.parse(version.body) as { gitVersion?: string }).gitVersion ?? 'unknown'

    const review = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'create', resource: 'namespaces' } }
    }).catch((e: Error) => {
      throw new Error(`context "${context}": the permission check on ${cluster.server} failed: ${e.message}`)
    })
    if (review.status !== 201 && review.status !== 200) throw new Error(`context "${context}": the permission check on ${cluster.server} answered HTTP ${review.status}: ${review.body.slice(0, 200)}`)
    const status = (JSON.parse(review.body) as { status?: { allowed?: boolean; reason?: string } }).status
    return { server: cluster.server, version: gitVersion, canCreateNamespaces: status?.allowed === true, user: kc.getCurrentUser()?.name }
  }

  private static request(server: string, path: string, method: string, base: RequestOptions, timeoutMs: number, body?: unknown): Promise<Reply> {
    const url = new URL(server.replace(/\/+$/, '') + path)
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const plain = url.protocol === 'http:'
    const send = plain ? httpRequest : httpsRequest
    // the kubeconfig's agent speaks TLS; a plain-HTTP server (a local test API) needs none
    const { agent, ...rest } = base
    const options: RequestOptions = plain ? rest : { ...rest, agent }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)}s`)), timeoutMs)
      const req = send(
        url,
        { ...options, method, headers: { ...(base.headers ?? {}), accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) } },
        res => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => (text += c))
          res.on('end', () => {
            clearTimeout(timer)
            resolve({ status: res.statusCode ?? 0, body: text })
          })
          res.on('error', e => {
            clearTimeout(timer)
            reject(e)
          })
        }
      )
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        reject(new Error(e.code === 'ECONNREFUSED' ? `connection refused (${url.host})` : e.message))
      })
      req.end(payload)
    })
  }
}
