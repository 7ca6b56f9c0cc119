// Cross-cluster names: every cluster's CoreDNS answers the names under each cluster's
// `external_url_suffix` with that cluster's gateway address, so a node reaches a peer in another
// cluster by the name Bevel gave it. The Corefile patch is a pure function; applying it is a
// ConfigMap update plus a pod-template annotation so CoreDNS restarts with it.

import { createHash } from 'node:crypto'

import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node'
import type { KubeConfig } from '@kubernetes/client-node'

import { apiErrorCode } from '../kube/client.js'

export interface DnsZone {
  /** the suffix, e.g. `org1.example.com` */
  zone: string
  /** the gateway address names under it resolve to */
  address: string
  /** the cluster that serves it (for messages) */
  cluster: string
}

export const BEGIN = '# baf-action cross-cluster names: begin (generated; edits are replaced)'
export const END = '# baf-action cross-cluster names: end'
export const COREDNS_ANNOTATION = 'baf-action/corefile-sha256'

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/

/**
 * The zones every cluster's CoreDNS must answer: each cluster's DNS suffixes mapped to its gateway
 * address. Kubernetes-internal suffixes (`*.cluster.local`) are the cluster's own business and
 * are left out; a suffix claimed by two clusters is an error.
 */
export function dnsZones(clusters: { name: string; dnsSuffixes: string[]; gatewayAddress?: string }[]): DnsZone[] {
  const zones = new Map<string, DnsZone>()
  for (const c of clusters) {
    for (const raw of c.dnsSuffixes) {
      const zone = raw.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '')
      if (zone === 'cluster.local' || zone.endsWith('.cluster.local')) continue
      if (!DNS_NAME.test(zone)) throw new Error(`cluster ${c.name}: external_url_suffix "${raw}" is not a DNS name`)
      if (!c.gatewayAddress) throw new Error(`cluster ${c.name}: no gateway address for ${zone}`)
      const other = zones.get(zone)
      if (other && other.cluster !== c.name) throw new Error(`external_url_suffix ${zone} is served by two clusters (${other.cluster} and ${c.name}); give each cluster its own suffix`)
      zones.set(zone, { zone, address: c.gatewayAddress, cluster: c.name })
    }
  }
  return [...zones.values()].sort((a, b) => a.zone.localeCompare(b.zone))
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The server blocks for `zones`: A queries under a zone get its gateway; other types get an empty answer. */
export function zoneBlocks(zones: DnsZone[]): string {
  return zones
    .map(
      z => `${z.zone}:53 {
    errors
    template IN A ${z.zone} {
        match "^(.+\\.)?${escapeRegex(z.zone)}\\.$"
        answer "{{ .Name }} 60 IN A ${z.address}"
    }
    template ANY ANY ${z.zone} {
        rcode NOERROR
    }
    cache 30
}`
    )
    .join('\n')
}

/**
 * `corefile` with the baf-action blocks for `zones` (replacing any from an earlier run); the rest
 * of the file is left exactly as it was. Idempotent: patching twice gives the same text.
 */
export function patchCorefile(corefile: string, zones: DnsZone[]): string {
  const lines = corefile.replace(/\r\n/g, '\n').split('\n')
  const out: string[] = []
  let skipping = false
  for (const line of lines) {
    if (line.trim() === BEGIN) skipping = true
    else if (line.trim() === END) skipping = false
    else if (!skipping) out.push(line)
  }
  const base = out.join('\n').replace(/\n+$/, '')
  if (zones.length === 0) return base + '\n'
  return `${base}\n${BEGIN}\n${zoneBlocks(zones)}\n${END}\n`
}

export function corefileDigest(corefile: string): string {
  return createHash('sha256').update(corefile).digest('hex').slice(0, 16)
}

/**
 * Writes the patched Corefile into kube-system/coredns and marks the coredns Deployment's pod
 * template, so the pods restart with it (kind's Corefile reloads too, but only after the kubelet
 * syncs the volume, up to a minute later). Retries on conflicting writes, a bounded number of times.
 */
export async function applyCorefile(kc: KubeConfig, zones: DnsZone[]): Promise<{ corefile: string; changed: boolean }> {
  const core = kc.makeApiClient(CoreV1Api)
  const apps = kc.makeApiClient(AppsV1Api)
  for (let attempt = 1; ; attempt++) {
    try {
      const cm = await core.readNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system' })
      const current = cm.data?.Corefile
      if (current === undefined) throw new Error('kube-system/coredns has no Corefile key')
      const corefile = patchCorefile(current, zones)
      const changed = corefile !== current
      if (changed) {
        cm.data = { ...cm.data, Corefile: corefile }
        await core.replaceNamespacedConfigMap({ name: 'coredns', namespace: 'kube-system', body: cm })
      }
      const dep = await apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' })
      const template = dep.spec!.template
      const digest = corefileDigest(corefile)
      if (template.metadata?.annotations?.[COREDNS_ANNOTATION] !== digest) {
        template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [COREDNS_ANNOTATION]: digest } }
        await apps.replaceNamespacedDeployment({ name: 'coredns', namespace: 'kube-system', body: dep })
      }
      return { corefile, changed }
    } catch (e) {
      if (apiErrorCode(e) !== 409 || attempt >= 5) throw e
      await new Promise(r => setTimeout(r, 100 * attempt))
    }
  }
}
