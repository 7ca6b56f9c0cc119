// The Kubernetes objects of one in-cluster probe run in one source cluster: a namespace of its
// own (unless the caller names one), a ServiceAccount with no permissions and no token, a
// ConfigMap holding the engine script and the probe list, and a Job that runs it once.

import type { KubernetesObject } from '@kubernetes/client-node'

/** Node 22 on Alpine, pinned by tag; override with the `image` input (mirrors, air-gapped clusters) */
export const PROBE_IMAGE = 'node:22.17.1-alpine3.22'
export const SCRIPT_KEY = 'probe-runner.mjs'
export const CONFIG_KEY = 'config.json'
export const CONTAINER = 'probe'
const MOUNT = '/baf-probe'

export interface ProbeJobOpts {
  /** names the Job, ConfigMap and ServiceAccount */
  name: string
  namespace: string
  /** unique per run: labels every object so cleanup and diagnostics find them */
  runId: string
  source: string
  image: string
  script: string
  config: string
  activeDeadlineSeconds: number
}

export function labels(o: Pick<ProbeJobOpts, 'runId' | 'source'>): Record<string, string> {
  return { 'app.kubernetes.io/name': 'baf-probe', 'app.kubernetes.io/managed-by': 'baf-action', 'baf-action/probe-run': o.runId, 'baf-action/source': o.source }
}

export function probeNamespace(name: string, o: Pick<ProbeJobOpts, 'runId' | 'source'>): KubernetesObject {
  // the probe pod meets the restricted Pod Security profile; enforcing it proves the manifest does
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { ...labels(o), 'pod-security.kubernetes.io/enforce': 'restricted' } } }
}

export function probeJobObjects(o: ProbeJobOpts): KubernetesObject[] {
  const metadata = { name: o.name, namespace: o.namespace, labels: labels(o) }
  const serviceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false }
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [SCRIPT_KEY]: o.script, [CONFIG_KEY]: o.config } }
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: o.activeDeadlineSeconds,
      // a safety net when cleanup cannot run (the runner died): the API server removes it later
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: labels(o) },
        spec: {
          serviceAccountName: o.name,
          automountServiceAccountToken: false,
          restartPolicy: 'Never',
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: CONTAINER,
              image: o.image,
              command: ['node', `${MOUNT}/${SCRIPT_KEY}`, `${MOUNT}/${CONFIG_KEY}`],
              terminationMessagePath: '/dev/termination-log',
              // a crash leaves its log tail as the message, which the reader reports
              terminationMessagePolicy: 'FallbackToLogsOnError',
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'probe', mountPath: MOUNT, readOnly: true }]
            }
          ],
          volumes: [{ name: 'probe', configMap: { name: o.name } }]
        }
      }
    }
  }
  return [serviceAccount, configMap, job] as KubernetesObject[]
}
