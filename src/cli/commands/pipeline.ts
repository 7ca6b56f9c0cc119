// `up`, `probe`, `report`, `down`: the pipeline phases, from the same library the actions use.

import { UsageError } from '../../errors.js'
import { defaultNetworkFile } from '../../paths.js'
import { down as tearDown, laterPhase, up as bringUp } from '../../pipeline/pipeline.js'
import { PROVIDER_NAMES } from '../../providers/provider.js'
import type { ProviderName } from '../../providers/provider.js'
import type { Command } from './command.js'

export function providerOption(value: unknown): ProviderName {
  if (!(PROVIDER_NAMES as readonly unknown[]).includes(value)) throw new UsageError(`--provider must be one of ${PROVIDER_NAMES.join(', ')} (got "${String(value)}")`)
  return value as ProviderName
}

const stateDirOption = { 'state-dir': { type: 'string' as const, default: '.baf' } }

export const up: Command = {
  summary: 'provision clusters, deploy the network, probe and report',
  usage: `usage: baf up [FILE] [--provider sim|kind|existing|eks|aks|gke] [--state-dir DIR] [--keep]

Runs the whole pipeline: validate, plan, provision, deploy, probe, report. When a phase fails,
diagnostics are collected into DIR/diagnostics and the clusters are removed unless --keep.
FILE defaults to the embedded two-cluster Besu example; DIR defaults to .baf/.`,
  options: { provider: { type: 'string', default: 'sim' }, keep: { type: 'boolean', default: false }, ...stateDirOption },
  async run({ values, positionals, log }) {
    if (positionals.length > 1) throw new UsageError('give one network file')
    await bringUp({ networkFile: positionals[0] ?? defaultNetworkFile(), provider: providerOption(values.provider), stateDir: String(values['state-dir']), keep: Boolean(values.keep), log })
    return 0
  }
}

export const down: Command = {
  summary: 'collect diagnostics and tear everything down',
  usage: `usage: baf down [--state-dir DIR]

Collects diagnostics into DIR/diagnostics, then deletes every cluster the state in DIR records.`,
  options: stateDirOption,
  async run({ values, positionals, log }) {
    if (positionals.length > 0) throw new UsageError('down reads the state directory and takes no file')
    await tearDown(String(values['state-dir']), log)
    return 0
  }
}

function later(stage: 'probe' | 'report', summary: string): Command {
  return {
    summary,
    usage: `usage: baf ${stage} [--state-dir DIR]\n\n${summary}, from the state "baf up" wrote in DIR (default .baf/).`,
    options: stateDirOption,
    async run({ values, positionals }) {
      if (positionals.length > 0) throw new UsageError(`${stage} reads the state directory and takes no file`)
      return laterPhase(stage, String(values['state-dir']))
    }
  }
}

export const probe = later('probe', 'run the connectivity matrix against a deployed network')
export const report = later('report', 'render the topology report')
