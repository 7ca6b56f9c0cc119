// `up`, `probe`, `report`, `down`: the pipeline phases. Each validates first; a phase this version
// does not have fails with a MissingCapabilityError instead of pretending to succeed.

import { UsageError } from '../../errors.js'
import { defaultNetworkFile } from '../../paths.js'
import { runPipeline } from '../../pipeline/pipeline.js'
import type { PipelineStage } from '../../pipeline/pipeline.js'
import type { Command } from './command.js'

function pipelineCommand(stage: PipelineStage, summary: string, details: string): Command {
  return {
    summary,
    usage:
      stage === 'up'
        ? `usage: baf up [FILE] [--provider sim|kind|existing|eks|aks|gke] [--state-dir DIR]\n\n${details}\nFILE defaults to the embedded two-cluster Besu example; --state-dir defaults to .baf/.`
        : `usage: baf ${stage} [--state-dir DIR]\n\n${details}\n--state-dir is the directory "baf up" used (default .baf/).`,
    options: { provider: { type: 'string', default: 'sim' }, 'state-dir': { type: 'string', default: '.baf' } },
    async run({ values, positionals, log }) {
      if (positionals.length > (stage === 'up' ? 1 : 0)) throw new UsageError(stage === 'up' ? 'give one network file' : `${stage} reads the state directory and takes no file`)
      await runPipeline({
        stage,
        networkFile: positionals[0] ?? defaultNetworkFile(),
        provider: String(values.provider),
        stateDir: String(values['state-dir']),
        log
      })
      return 0
    }
  }
}

export const up = pipelineCommand('up', 'provision clusters, deploy the network, probe and report', 'Runs the whole pipeline: validate, plan, provision, deploy, probe, report.')
export const probe = pipelineCommand('probe', 'run the connectivity matrix against a deployed network', 'Probes every path of the plan in the state directory.')
export const report = pipelineCommand('report', 'render the topology report from a state directory', 'Writes report.md, report.json and report.html.')
export const down = pipelineCommand('down', 'collect diagnostics and tear everything down', 'Deletes what the state directory says was created.')
