// Waits for a release's workloads by watching them (no polling): a StatefulSet or Deployment is
// ready when its controller has seen the current generation and every replica is ready.

import type { KubeConfig, V1Deployment, V1StatefulSet } from '@kubernetes/client-node'
import { AppsV1Api } from '@kubernetes/client-node'

import { waitForWatch } from '../kube/client.js'

type Workload = V1StatefulSet | V1Deployment

function ready(w: Workload): boolean {
  const want = w.spec?.replicas ?? 1
  const s = w.status
  return (s?.observedGeneration ?? 0) >= (w.metadata?.generation ?? 1) && (s?.readyReplicas ?? 0) >= want && (s?.updatedReplicas ?? 0) >= want
}

export async function waitForRelease(kc: KubeConfig, namespace: string, release: string, timeoutMs: number): Promise<void> {
  const selector = `app.kubernetes.io/instance=${release}`
  const apps = kc.makeApiClient(AppsV1Api)
  const [sets, deployments] = await Promise.all([apps.listNamespacedStatefulSet({ namespace, labelSelector: selector }), apps.listNamespacedDeployment({ namespace, labelSelector: selector })])
  const waits: Promise<unknown>[] = []
  const watch = (kind: 'statefulsets' | 'deployments', names: string[]): void => {
    if (names.length === 0) return
    waits.push(
      waitForWatch<Workload>(kc, {
        path: `/apis/apps/v1/namespaces/${namespace}/${kind}`,
        query: { labelSelector: selector },
        what: `${kind} ${names.join(', ')} of release ${release} to be ready`,
        timeoutMs,
        done: m => names.every(n => {
          const w = m.get(`${namespace}/${n}`)
          return w !== undefined && ready(w)
        })
      })
    )
  }
  watch('statefulsets', sets.items.map(s => s.metadata!.name!))
  watch('deployments', deployments.items.map(d => d.metadata!.name!))
  await Promise.all(waits)
}
