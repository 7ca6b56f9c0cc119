import { existsSync } from 'node:fs'

import * as core from '@actions/core'

import { down, validateAndPlan } from '../../pipeline/pipeline.js'
import { applyProviderInputs } from '../../providers/managed/settings.js'
import { providerFor } from '../../providers/registry.js'
import { STATE_VERSION, statePath, writeState } from '../../state/state.js'
import type { State } from '../../state/state.js'
import { publishState } from '../common.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(
  async log => {
    const inputs = getInputs()
    core.saveState('stateDir', inputs.stateDir)
    core.saveState('keep', String(inputs.keep))
    await applyProviderInputs(inputs.providerInputs, inputs.stateDir, core.setSecret)
    const { plan } = await validateAndPlan(inputs.network, log)
    const state: State = { version: STATE_VERSION, createdAt: new Date().toISOString(), networkFile: inputs.network, provider: inputs.provider, plan, clusters: [], timings: [] }
    publishState(await writeState(inputs.stateDir, state), state)
    const provider = await providerFor(inputs.provider)
    state.clusters = await log.group(`Provision ${plan.clusters.length} cluster(s) (${inputs.provider})`, () => provider.create(plan.clusters, { workDir: inputs.stateDir, log }))
    await writeState(inputs.stateDir, state)
    core.setOutput(
      'clusters',
      JSON.stringify(state.clusters.map(c => ({ name: c.name, provider: c.provider, context: c.context, kubeconfig: c.kubeconfig, server: c.server, kubernetesVersion: c.kubernetesVersion, loadBalancerPool: c.loadBalancerPool })))
    )
  },
  async log => {
    const stateDir = core.getState('stateDir')
    if (!stateDir || !existsSync(statePath(stateDir))) {
      log.info('nothing to tear down: no state was written')
      return
    }
    if (core.getState('keep') === 'true') {
      log.info('keep is set: the clusters stay up')
      return
    }
    await down(stateDir, log)
  }
)
