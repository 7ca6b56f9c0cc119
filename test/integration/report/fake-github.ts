// A small stand-in for the GitHub REST API on 127.0.0.1: the issue-comment endpoints the report
// uses, with comments kept in memory, and faults served on demand (403, 5xx, secondary rate
// limits, a request that never answers). Prism checks our requests against GitHub's description;
// this server checks our behaviour when GitHub misbehaves, which Prism cannot play.

import { createServer } from 'node:http'

import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface FakeComment {
  id: number
  body: string
  user: { login: string; type: string }
  html_url: string
  created_at: string
}

export interface Fault {
  /** method and path prefix, e.g. "POST /repos/o/r/issues/7/comments"; any request when absent */
  match?: string
  status?: number
  headers?: Record<string, string>
  body?: unknown
  /** accept the request and never answer */
  hang?: boolean
  /** how many requests this fault serves before it is used up */
  times?: number
}

export interface LoggedRequest {
  method: string
  path: string
  authorization?: string
  accept?: string
  body?: unknown
  status: number
}

export class FakeGitHub {
  readonly requests: LoggedRequest[] = []
  readonly comments = new Map<number, FakeComment[]>()
  readonly faults: Fault[] = []
  /** what GET /user answers; undefined answers 403 as an installation token (GITHUB_TOKEN) does */
  login: string | undefined = undefined
  pullHeads = new Map<number, string>()
  private nextId = 1000
  private server?: Server
  private readonly sockets = new Set<Socket>()
  private readonly hanging = new Set<ServerResponse>()

  get url(): string {
    const a = this.server!.address() as AddressInfo
    return `http://127.0.0.1:${a.port}`
  }

  /** seed `count` comments on an issue, by `login`, optionally with bodies from `body(i)` */
  seed(issue: number, count: number, login: string, body: (i: number) => string = i => `comment ${i}`): FakeComment[] {
    const added = Array.from({ length: count }, (_, i) => this.comment(issue, body(i), login))
    this.comments.set(issue, [...(this.comments.get(issue) ?? []), ...added])
    return added
  }

  private comment(issue: number, body: string, login: string): FakeComment {
    const id = this.nextId++
    return { id, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }, html_url: `https://github.example/o/r/pull/${issue}#issuecomment-${id}`, created_at: new Date(1_700_000_000_000 + id * 1000).toISOString() }
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res))
    this.server.on('connection', s => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve))
    return this
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy()
    for (const s of this.sockets) s.destroy()
    await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    // GitHub Enterprise Server serves the API under /api/v3
    url.pathname = url.pathname.replace(/^\/api\/v3(?=\/)/, '')
    const method = req.method ?? 'GET'
    const entry: LoggedRequest = { method, path: req.url ?? '/', authorization: req.headers.authorization, accept: req.headers.accept, body: text ? (JSON.parse(text) as unknown) : undefined, status: 0 }
    this.requests.push(entry)
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      res.end(body === undefined ? undefined : JSON.stringify(body))
    }
    const fault = this.faults.find(f => (f.times ?? 1) > 0 && (!f.match || `${method} ${url.pathname}`.startsWith(f.match)))
    if (fault) {
      fault.times = (fault.times ?? 1) - 1
      if (fault.hang) {
        entry.status = -1
        this.hanging.add(res)
        return
      }
      return send(fault.status ?? 500, fault.body ?? { message: 'fault' }, fault.headers)
    }
    if (!req.headers.authorization) return send(401, { message: 'Requires authentication' })

    let m: RegExpMatchArray | null
    if (method === 'GET' && url.pathname === '/user') {
      return this.login ? send(200, { login: this.login, id: 1, type: 'User' }) : send(403, { message: 'Resource not accessible by integration' })
    }
    if ((m = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/))) {
      const issue = Number(m[1])
      const list = this.comments.get(issue) ?? []
      if (method === 'GET') {
        const per = Number(url.searchParams.get('per_page') ?? 30)
        const page = Number(url.searchParams.get('page') ?? 1)
        return send(200, list.slice((page - 1) * per, page * per))
      }
      if (method === 'POST') {
        const body = (entry.body as { body?: unknown })?.body
        if (typeof body !== 'string') return send(422, { message: 'Invalid request: body must be a string' })
        const c = this.comment(issue, body, this.login ?? 'github-actions[bot]')
        this.comments.set(issue, [...list, c])
        return send(201, c)
      }
    }
    if ((m = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/))) {
      const id = Number(m[1])
      for (const [issue, list] of this.comments) {
        const at = list.findIndex(c => c.id === id)
        if (at < 0) continue
        if (method === 'PATCH') {
          list[at] = { ...list[at], body: (entry.body as { body: string }).body }
          return send(200, list[at])
        }
        if (method === 'DELETE') {
          this.comments.set(issue, list.filter(c => c.id !== id))
          entry.status = 204
          res.writeHead(204)
          return void res.end()
        }
      }
      return send(404, { message: 'Not Found' })
    }
    if ((m = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/)) && method === 'GET') {
      const sha = this.pullHeads.get(Number(m[1]))
      return sha ? send(200, { number: Number(m[1]), head: { sha, ref: 'feature' } }) : send(404, { message: 'Not Found' })
    }
    send(404, { message: 'Not Found' })
  }

  /** the comments of an issue, as the API would list them */
  list(issue: number): FakeComment[] {
    return this.comments.get(issue) ?? []
  }
}
