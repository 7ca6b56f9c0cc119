// Kubernetes and DNS naming rules, and the public names Bevel gives to nodes.

import type { Platform } from './platforms.js'

/** RFC 1123 label, as Kubernetes requires for namespaces, Services and Helm releases */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
export const DNS_LABEL_MAX = 63
/** Helm stores a release in a Secret named sh.helm.release.v1.<name>.v<N>; it caps names at 53 */
export const HELM_RELEASE_MAX = 53
export const DNS_NAME_MAX = 253

export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty'
  if (name.length > DNS_LABEL_MAX) return `is ${name.length} characters long; a DNS-1123 label has at most ${DNS_LABEL_MAX}`
  if (!DNS_LABEL.test(name)) {
    return 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit'
  }
  return undefined
}

export function dnsNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty'
  if (name.length > DNS_NAME_MAX) return `is ${name.length} characters long; a DNS name has at most ${DNS_NAME_MAX}`
  for (const label of name.split('.')) {
    const p = dnsLabelProblem(label)
    if (p) return `has an invalid label "${label}": it ${p}`
  }
  return undefined
}

/** A context such as `arn:aws:eks:eu-west-1:1234:cluster/prod` becomes `prod`; `kind-a` stays `kind-a`. */
export function clusterNameFromContext(context: string): string {
  const tail = context.split(/[/:@]/).filter(Boolean).pop() ?? context
  const name = tail
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return name || 'cluster'
}

/**
 * The name other clusters use for a node's port, following Bevel's charts:
 * Besu/Quorum `<node>.<suffix>` (p2p, Tessera) and `<node>rpc.<suffix>` (JSON-RPC);
 * Fabric `<node>.<org>-net.<suffix>`.
 */
export function publicHost(platform: Platform, org: string, node: string, port: string, suffix: string): string {
  if (platform === 'fabric') return `${node}.${org}-net.${suffix}`
  if (port === 'rpc' || port === 'ws') return `${node}${port}.${suffix}`
  return `${node}.${suffix}`
}
