// Which controller serves each proxy kind, and how node ports become gateway routes.

import type { NodePort } from '../model/network.js'
import type { Listener } from './types.js'

/** Where automatically chosen TCP ports start, as in Bevel's ambassadorPorts samples. */
export const FIRST_AUTO_TCP_PORT = 15010
export const HTTP_PORT = 80
export const TLS_PORT = 443

/** How a node port is exposed: TCP ports get their own gateway port; HTTP and TLS share 80/443 by name. */
export function routeKind(port: NodePort): Listener['protocol'] {
  if (port.protocol === 'tcp') return 'tcp'
  if (port.protocol === 'http' || port.protocol === 'ws') return 'http'
  return 'tls'
}

/** Hands out gateway TCP ports per cluster: the user's `ambassador:` port, else the next free one. */
export class TcpPortAllocator {
  private readonly used = new Set<number>()
  private next = FIRST_AUTO_TCP_PORT

  reserve(port: number): void {
    this.used.add(port)
  }

  allocate(requested?: number): number {
    if (requested !== undefined) {
      this.used.add(requested)
      return requested
    }
    while (this.used.has(this.next)) this.next++
    this.used.add(this.next)
    return this.next
  }
}
