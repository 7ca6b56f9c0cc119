// `baf plan` without --json: a tree a person can read in a terminal or a log.

import type { Listener, Plan, PlanCluster } from './types.js'

/**
 * The public DNS name a TCP listener is reached at: a plain TCP port matches no host name, so the
 * name comes from the endpoint the listener serves (the node's `<node>.<suffix>`).
 */
function reachedAs(plan: Plan, c: PlanCluster, l: Listener): string | undefined {
  const e = plan.endpoints.find(x => x.cluster === c.name && x.node === l.target.node && x.port === l.port && x.service.port === l.target.port && x.service.namespace === l.target.namespace)
  return e?.host
}

export function renderPlanTree(plan: Plan): string {
  const out: string[] = []
  const n = plan.network
  out.push(`${n.file}: ${n.platform} ${n.platformVersion}${n.consensus ? ` (${n.consensus})` : ''}, proxy ${n.proxy}, ${plan.clusters.length} cluster(s)`)
  if (!n.deployable) out.push(`  note: ${n.platform} is validated and planned; deploying it is not available in this version`)
  plan.clusters.forEach((c, ci) => {
    const lastCluster = ci === plan.clusters.length - 1
    const branch = lastCluster ? '└─' : '├─'
    const pad = lastCluster ? '   ' : '│  '
    out.push(`${branch} cluster ${c.name} (context ${c.context}, ${c.workerNodes} worker node(s))`)
    out.push(`${pad}├─ organisations: ${c.organizations.join(', ')}`)
    out.push(`${pad}├─ namespaces: ${c.namespaces.join(', ')}`)
    if (c.gateway.kind === 'none') out.push(`${pad}├─ gateway: none (nodes reached by Service names)`)
    else {
      out.push(`${pad}├─ gateway: ${c.gateway.kind} in ${c.gateway.namespace}, serving ${c.dnsSuffixes.map(s => `*.${s}`).join(', ')}`)
      for (const l of c.gateway.listeners) {
        const host = l.host ? undefined : reachedAs(plan, c, l)
        const match = l.host ? `${l.protocol === 'tls' ? 'SNI' : 'Host'} ${l.host}` : host ? `any (as ${host})` : 'any'
        out.push(`${pad}│    :${l.port}/${l.protocol}${l.passthrough ? ' passthrough' : ''} ${match} -> ${l.target.service}.${l.target.namespace}:${l.target.port}`)
      }
    }
    const releases = plan.releases.filter(r => r.cluster === c.name)
    out.push(`${pad}└─ releases (${releases.length}):`)
    for (const r of releases) {
      out.push(`${pad}     wave ${r.wave}  ${r.namespace}/${r.name}  ${r.chart}${r.dependsOn.length ? `  after ${r.dependsOn.length} release(s)` : ''}`)
    }
  })
  const allow = plan.probes.filter(p => p.expect === 'allow').length
  out.push(`probes: ${plan.probes.length} (${allow} must connect, ${plan.probes.length - allow} must be refused)`)
  for (const p of plan.probes) {
    out.push(`  ${p.expect === 'allow' ? '+' : '-'} ${p.from} -> ${p.target.host}:${p.target.port} [${p.layers.join(',')}]${p.required ? '' : ' (optional)'}`)
  }
  return out.join('\n')
}
