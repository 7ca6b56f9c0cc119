import { CHART_SOURCES } from '../../model/network.js'
import type { ChartSource } from '../../model/network.js'
import type { ProviderInputs } from '../../providers/managed/settings.js'
import { booleanInput, choiceInput, input, optionalChoiceInput, PROVIDERS, providerInputs, requiredInput, secretInput, stateDirInput } from '../inputs.js'
import type { ProviderName } from '../inputs.js'

export interface DeployInputs {
  network: string
  provider: ProviderName
  stateDir: string
  keep: boolean
  /** the post step warns instead of failing when the teardown fails */
  ignoreCleanupErrors: boolean
  /** handed to the provider with applyProviderInputs (src/providers/managed/settings.ts) */
  providerInputs: ProviderInputs
  seed: string
  /** overrides the network's baf.chart_source; undefined: the file's (default baf) */
  chartSource?: ChartSource
  githubToken: string
  /** a PR number: deploy that PR's preview (src/preview); empty: a run that tears down after itself */
  pr: string
  githubDeployment: boolean
}

export function getInputs(): DeployInputs {
  return {
    network: requiredInput('network'),
    provider: choiceInput('provider', PROVIDERS),
    stateDir: stateDirInput(),
    keep: booleanInput('keep'),
    ignoreCleanupErrors: booleanInput('ignore-cleanup-errors'),
    providerInputs: providerInputs(),
    seed: input('seed'),
    chartSource: optionalChoiceInput('chart-source', CHART_SOURCES),
    githubToken: secretInput('github-token'),
    pr: input('pr'),
    githubDeployment: booleanInput('github-deployment')
  }
}
