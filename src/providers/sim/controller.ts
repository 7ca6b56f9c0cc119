// The two controllers a kind cluster gets from its add-ons and a sim cluster gets from us:
// a volume provisioner (local-path-provisioner on kind) that creates a PersistentVolume for every
// claim of the default StorageClass, and a LoadBalancer address assigner (cloud-provider-kind or
// MetalLB on kind) that gives each LoadBalancer Service an address from the cluster's pool.
// Both run on watches (informers); every API call is bounded and retried on conflict.

import { CoreV1Api, makeInformer, StorageV1Api } from '@kubernetes/client-node'
import type { Informer, KubeConfig, ObjectCache, V1PersistentVolume, V1PersistentVolumeClaim, V1Service } from '@kubernetes/client-node'

import { apiErrorCode } from '../../kube/client.js'
import type { Logger } from '../../log/logger.js'
import { STORAGE_PROVISIONER } from './bootstrap.js'

export interface SimControllerOpts {
  /** addresses handed to LoadBalancer Services, in order (one loopback range per cluster) */
  loadBalancerPool: string[]
  log: Logger
}

type Cached<T extends { metadata?: object }> = Informer<T> & ObjectCache<T>

const RESYNC_MS = 10_000

export class SimController {
  private readonly core: CoreV1Api
  private readonly storage: StorageV1Api
  private informers: Cached<V1PersistentVolumeClaim | V1Service | V1PersistentVolume>[] = []
  private stopped = false
  private resync?: NodeJS.Timeout
  private readonly inFlight = new Set<string>()
  private readonly again = new Map<string, () => Promise<void>>()

  constructor(
    private readonly kc: KubeConfig,
    private readonly opts: SimControllerOpts
  ) {
    this.core = kc.makeApiClient(CoreV1Api)
    this.storage = kc.makeApiClient(StorageV1Api)
  }

  async start(): Promise<void> {
    const claims = makeInformer<V1PersistentVolumeClaim>(this.kc, '/api/v1/persistentvolumeclaims', () => this.core.listPersistentVolumeClaimForAllNamespaces())
    const services = makeInformer<V1Service>(this.kc, '/api/v1/services', () => this.core.listServiceForAllNamespaces())
    const volumes = makeInformer<V1PersistentVolume>(this.kc, '/api/v1/persistentvolumes', () => this.core.listPersistentVolume())
    for (const event of ['add', 'update'] as const) {
      claims.on(event, pvc => this.guard(`pvc/${pvc.metadata?.namespace}/${pvc.metadata?.name}`, () => this.provision(pvc)))
      services.on(event, svc => this.guard(`svc/${svc.metadata?.namespace}/${svc.metadata?.name}`, () => this.assignAddress(svc, services)))
      volumes.on(event, pv => this.guard(`pv/${pv.metadata?.name}`, () => this.reclaim(pv)))
    }
    this.informers = [claims, services, volumes] as Cached<V1PersistentVolumeClaim | V1Service | V1PersistentVolume>[]
    for (const informer of this.informers) {
      // the informer reconnects by itself; an error is logged, then it is restarted after a pause
      informer.on('error', err => {
        if (this.stopped) return
        this.opts.log.debug(`sim controller: watch error (${(err as Error)?.message ?? String(err)}); restarting`)
        setTimeout(() => void (!this.stopped && informer.start().catch(() => undefined)), 1000)
      })
    }
    await Promise.all(this.informers.map(i => i.start()))
    // a safety net for anything a dropped watch missed, as controllers resync their caches
    this.resync = setInterval(() => {
      for (const pvc of claims.list()) this.guard(`pvc/${pvc.metadata?.namespace}/${pvc.metadata?.name}`, () => this.provision(pvc))
      for (const svc of services.list()) this.guard(`svc/${svc.metadata?.namespace}/${svc.metadata?.name}`, () => this.assignAddress(svc, services))
      for (const pv of volumes.list()) this.guard(`pv/${pv.metadata?.name}`, () => this.reclaim(pv))
    }, RESYNC_MS)
    this.resync.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.resync) clearInterval(this.resync)
    await Promise.all(this.informers.map(i => i.stop()))
  }

  /**
   * One reconcile per object at a time. An event that arrives while its object is being reconciled
   * is not dropped: the reconcile runs again afterwards, with the newest object (the scheduler
   * adds the selected-node annotation to a claim moments after it is created).
   */
  private guard(key: string, fn: () => Promise<void>): void {
    if (this.stopped) return
    if (this.inFlight.has(key)) {
      this.again.set(key, fn)
      return
    }
    this.inFlight.add(key)
    fn()
      .catch(e => this.opts.log.debug(`sim controller: ${key}: ${(e as Error).message ?? String(e)}`))
      .finally(() => {
        this.inFlight.delete(key)
        const next = this.again.get(key)
        this.again.delete(key)
        if (next) this.guard(key, next)
      })
  }

  private async provision(pvc: V1PersistentVolumeClaim): Promise<void> {
    if (pvc.status?.phase !== 'Pending' || pvc.spec?.volumeName || !pvc.metadata?.uid) return
    const className = pvc.spec?.storageClassName
    if (!className) return
    const sc = await this.storage.readStorageClass({ name: className }).catch(() => undefined)
    if (sc?.provisioner !== STORAGE_PROVISIONER) return
    const selectedNode = pvc.metadata.annotations?.['volume.kubernetes.io/selected-node']
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode) return
    const name = `pvc-${pvc.metadata.uid}`
    const pv: V1PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': STORAGE_PROVISIONER }, labels: { 'baf-action/sim': 'true' } },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: className,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid },
        hostPath: { path: `/var/local-path-provisioner/${name}`, type: 'DirectoryOrCreate' },
        nodeAffinity: selectedNode
          ? { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [selectedNode] }] }] } }
          : undefined
      }
    }
    try {
      await this.core.createPersistentVolume({ body: pv })
      this.opts.log.debug(`sim controller: provisioned ${name} for ${pvc.metadata.namespace}/${pvc.metadata.name}`)
    } catch (e) {
      if (apiErrorCode(e) !== 409) throw e
    }
  }

  /** Volumes we provisioned are deleted once their claim is gone, as the Delete reclaim policy says. */
  private async reclaim(pv: V1PersistentVolume): Promise<void> {
    if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return
    if (pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'] !== STORAGE_PROVISIONER) return
    await this.core.deletePersistentVolume({ name: pv.metadata.name! }).catch(e => {
      if (apiErrorCode(e) !== 404) throw e
    })
  }

  private async assignAddress(svc: V1Service, cache: ObjectCache<V1Service>): Promise<void> {
    if (svc.spec?.type !== 'LoadBalancer' || (svc.status?.loadBalancer?.ingress?.length ?? 0) > 0) return
    const used = new Set(cache.list().flatMap(s => (s.status?.loadBalancer?.ingress ?? []).map(i => i.ip ?? '')))
    const wanted = svc.spec.loadBalancerIP
    const ip = wanted && this.opts.loadBalancerPool.includes(wanted) ? wanted : this.opts.loadBalancerPool.find(a => !used.has(a))
    if (!ip) {
      this.opts.log.warning(`sim controller: no free LoadBalancer address for ${svc.metadata?.namespace}/${svc.metadata?.name} (pool of ${this.opts.loadBalancerPool.length})`)
      return
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.core.readNamespacedServiceStatus({ name: svc.metadata!.name!, namespace: svc.metadata!.namespace! })
      if ((current.status?.loadBalancer?.ingress?.length ?? 0) > 0) return
      current.status = { ...current.status, loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } }
      try {
        await this.core.replaceNamespacedServiceStatus({ name: current.metadata!.name!, namespace: current.metadata!.namespace!, body: current })
        this.opts.log.debug(`sim controller: ${current.metadata!.namespace}/${current.metadata!.name} -> ${ip}`)
        return
      } catch (e) {
        if (apiErrorCode(e) !== 409) throw e
      }
    }
  }
}

/** `127.0.10.` + 1..254: one loopback /24 per cluster, so gateways of different clusters never share an address. */
export function loopbackPool(clusterIndex: number): string[] {
  const third = 10 + (clusterIndex % 240)
  return Array.from({ length: 254 }, (_, i) => `127.0.${third}.${i + 1}`)
}
