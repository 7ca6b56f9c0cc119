import * as core from '@actions/core'

import { validateAndPlan } from '../../pipeline/pipeline.js'
import { applyProviderInputs } from '../../providers/managed/settings.js'
import { providerFor } from '../../providers/registry.js'
import { newState, writeState } from '../../state/state.js'
import { publishState } from '../common.js'
import { run } from '../runner.js'
import { saveTeardownState, teardownPost } from '../state-helper.js'
import { getInputs } from './context.js'

await run(
  async log => {
    const inputs = getInputs()
    saveTeardownState(inputs.stateDir, inputs.keep, inputs.ignoreCleanupErrors)
    await applyProviderInputs(inputs.providerInputs, inputs.stateDir, core.setSecret)
    const { plan } = await validateAndPlan(inputs.network, log)
    const state = newState(inputs.network, inputs.provider, plan)
    publishState(await writeState(inputs.stateDir, state), state)
    const provider = await providerFor(inputs.provider)
    state.clusters = await log.group(`Provision ${plan.clusters.length} cluster(s) (${inputs.provider})`, () => provider.create(plan.clusters, { workDir: inputs.stateDir, log }))
    await writeState(inputs.stateDir, state)
    core.setOutput(
      'clusters',
      JSON.stringify(state.clusters.map(c => ({ name: c.name, provider: c.provider, context: c.context, kubeconfig: c.kubeconfig, server: c.server, kubernetesVersion: c.kubernetesVersion, loadBalancerPool: c.loadBalancerPool })))
    )
  },
  teardownPost
)
