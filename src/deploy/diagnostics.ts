// What explains a failed release: the namespace's events and pods, and Helm's view of the release.
// Written next to the component logs in the diagnostics directory; never throws.

import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { CoreV1Api } from '@kubernetes/client-node'
import type { KubeConfig } from '@kubernetes/client-node'

import type { Helm } from './helm.js'

export async function collectReleaseDiagnostics(kc: KubeConfig, helm: Helm, kubeconfig: string, cluster: string, namespace: string, release: string, dir: string): Promise<string> {
  const out = join(dir, cluster, namespace)
  await mkdir(out, { recursive: true }).catch(() => undefined)
  const core = kc.makeApiClient(CoreV1Api)
  const lines: string[] = []
  try {
    const events = await core.listNamespacedEvent({ namespace })
    const text = events.items
      .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')))
      .map(e => `${String(e.lastTimestamp ?? e.eventTime ?? '')} ${e.type} ${e.involvedObject.kind}/${e.involvedObject.name} ${e.reason}: ${e.message}`)
      .join('\n')
    await writeFile(join(out, 'events.txt'), text + '\n')
    const warnings = events.items.filter(e => e.type === 'Warning').slice(-3)
    for (const w of warnings) lines.push(`${w.involvedObject.kind}/${w.involvedObject.name}: ${w.reason}: ${w.message}`)
  } catch (e) {
    lines.push(`events unavailable: ${(e as Error).message}`)
  }
  try {
    const pods = await core.listNamespacedPod({ namespace })
    const text = pods.items.map(p => `${p.metadata?.name} ${p.status?.phase} ${(p.status?.conditions ?? []).map(c => `${c.type}=${c.status}`).join(',')}`).join('\n')
    await writeFile(join(out, 'pods.txt'), text + '\n')
  } catch {
    // the API server may be the thing that failed; the events attempt already said so
  }
  const status = await helm.status(release, namespace, kubeconfig).catch(e => ({ exitCode: 1, stdout: '', stderr: String(e) }))
  await writeFile(join(out, `helm-status-${release}.txt`), status.stdout + status.stderr).catch(() => undefined)
  return lines.join('; ')
}
