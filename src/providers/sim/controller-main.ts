// dist/sim-controller.js: the sim cluster's volume and LoadBalancer controller as its own process,
// so a cluster created by `baf cluster create` keeps working after the command returns.

import { parseArgs } from 'node:util'

import { loadKubeConfig } from '../../kube/client.js'
import { StreamLogger } from '../../log/logger.js'
import { loopbackPool, SimController } from './controller.js'

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, pool: { type: 'string', default: '0' } }, strict: true })
if (!values.kubeconfig) {
  process.stderr.write('usage: sim-controller --kubeconfig=FILE [--pool=N]\n')
  process.exit(2)
}
const log = new StreamLogger(process.stderr, true)
const controller = new SimController(loadKubeConfig(values.kubeconfig), { loadBalancerPool: loopbackPool(Number(values.pool)), log })
await controller.start()
log.info('sim controller: watching PersistentVolumeClaims, PersistentVolumes and LoadBalancer Services')
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    void controller.stop().finally(() => process.exit(0))
  })
}
