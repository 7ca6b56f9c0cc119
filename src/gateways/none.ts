import type { Gateway } from './gateway.js'

/** proxy none: nodes are reached by their Service names inside the one cluster. */
export const noGateway: Gateway = {
  kind: 'none',
  controller: () => undefined,
  clusterObjects: () => [],
  routes: () => [],
  routeCrds: () => []
}
