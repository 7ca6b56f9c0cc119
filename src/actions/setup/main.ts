import * as core from '@actions/core'

import { kubernetesRelease } from '../../tools/manifest.js'
import { ToolInstaller } from '../../tools/install.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(async log => {
  const inputs = getInputs()
  const installer = new ToolInstaller({ log, mirror: inputs.mirror, addPath: dir => core.addPath(dir) })
  const versions: Record<string, string | undefined> = {
    kind: inputs.kindVersion || undefined,
    // kubectl matches the cluster's Kubernetes version (one minor of skew at most) unless pinned
    kubectl: inputs.kubectlVersion || (inputs.kubernetesVersion ? kubernetesRelease(inputs.kubernetesVersion) : undefined),
    helm: inputs.helmVersion || undefined
  }
  await log.group(`Install ${inputs.tools.join(', ')}`, async () => {
    const results = await Promise.allSettled(
      inputs.tools.map(async tool => {
        if (tool === 'sim') {
          const sim = await installer.installSim()
          // the sim provider finds its binaries here, in this step and every later one
          core.exportVariable('BAF_SIM_BIN', sim.dir)
          core.setOutput('sim-path', sim.dir)
          core.setOutput('sim-version', sim.version)
          return
        }
        const t = await installer.install(tool, versions[tool])
        core.setOutput(`${tool}-path`, t.path)
        core.setOutput(`${tool}-version`, t.version)
        log.info(`${tool} ${t.version}: ${t.path}${t.cached ? ' (tool cache)' : ''}`)
      })
    )
    const failed = results.filter(r => r.status === 'rejected').map(r => ((r as PromiseRejectedResult).reason as Error).message)
    if (failed.length > 0) throw new Error(failed.join('\n'))
  })
})
