// Brings a shared gateway level with its registry: the controller's TCP map and Service ports
// (or, on sim, the stand-in Service's ports) become the union of every preview's listeners.
// Level-triggered, so concurrent deploys converge: whoever finishes last sees every entry; a run
// that applied a union which changed meanwhile goes round again, a bounded number of times.

import { controllerInstall, simGatewayService } from '../deploy/network.js'
import type { Helm } from '../deploy/helm.js'
import { gatewayFor } from '../gateways/registry.js'
import { applyObjects } from '../kube/client.js'
import type { KubeConfig } from '@kubernetes/client-node'
import type { Logger } from '../log/logger.js'
import { bareCluster } from '../plan/plan.js'
import type { PlanCluster } from '../plan/types.js'
import { listenersHash, unionListeners } from './registry.js'
import type { GatewayRegistry } from './registry.js'

export interface ReconcileOpts {
  kc: KubeConfig
  /** the cluster's kubeconfig file, for Helm */
  kubeconfig: string
  registry: GatewayRegistry
  /** needed when the registry says the controller is installed by Helm */
  helm?: Helm
  log: Logger
  timeoutSeconds?: number
  rounds?: number
}

export type ReconcileOutcome = 'unchanged' | 'updated' | 'empty'

export async function reconcileGateway(o: ReconcileOpts): Promise<ReconcileOutcome> {
  const rounds = o.rounds ?? 4
  for (let round = 1; round <= rounds; round++) {
    const before = await o.registry.read()
    if (!before.meta) return 'empty'
    const meta = before.meta
    const listeners = unionListeners(before.entries.values())
    const hash = listenersHash(listeners)
    if (before.applied === hash) return round === 1 ? 'unchanged' : 'updated'
    const cluster: PlanCluster = { ...bareCluster(meta.cluster), gateway: { kind: meta.kind, namespace: meta.namespace, listeners } }
    if (meta.controller === 'helm') {
      const controller = gatewayFor(meta.kind).controller(cluster)
      if (controller) {
        if (!o.helm) throw new Error(`${meta.cluster}: the ${meta.kind} controller in ${meta.namespace} needs Helm to take the previews' ports`)
        await o.helm.upgradeInstall(controllerInstall(controller, o.kubeconfig, o.timeoutSeconds ?? 300))
      }
    } else {
      await applyObjects(o.kc, [simGatewayService(cluster)])
    }
    const after = await o.registry.read()
    if (listenersHash(unionListeners(after.entries.values())) === hash) {
      await o.registry.markApplied(meta, hash)
      o.log.info(`${meta.cluster}: the shared ${meta.kind} gateway in ${meta.namespace} serves ${listeners.length} TCP port(s) of ${after.entries.size} preview(s)`)
      return 'updated'
    }
    o.log.info(`${meta.cluster}: the gateway registry changed while the controller was updated (another preview); going round again`)
  }
  o.log.warning(`the gateway registry in ${o.registry.namespace} kept changing for ${rounds} rounds; the next deploy or sweep brings the controller level`)
  return 'updated'
}
