import * as core from '@actions/core'

import { deployPhase, summary, validateAndPlan } from '../../pipeline/pipeline.js'
import { readState } from '../../state/state.js'
import { run } from '../runner.js'
import { getInputs } from './context.js'

await run(async log => {
  const inputs = getInputs()
  const state = await readState(inputs.stateDir)
  if (state.clusters.length === 0) throw new Error(`${inputs.stateDir}: the state records no cluster; run the cluster action first (or use the deploy action, which does both)`)
  // the file the clusters were planned from, unless the step names another (it must plan the same clusters)
  const { network, plan } = await validateAndPlan(inputs.network || state.networkFile, log, { chartSource: inputs.chartSource })
  const missing = plan.clusters.filter(c => !state.clusters.some(p => p.name === c.name)).map(c => c.name)
  if (missing.length > 0) throw new Error(`the network needs cluster(s) ${missing.join(', ')}, which the state does not record; provision them with the cluster action first`)
  state.plan = plan
  await deployPhase(state, network, { stateDir: inputs.stateDir, seed: inputs.seed, log })
  core.setOutput('state', `${inputs.stateDir}/state.json`)
  core.setOutput('releases', JSON.stringify(state.releases?.map(r => ({ id: r.id, status: r.status })) ?? []))
  log.info(summary(state, inputs.stateDir))
})
