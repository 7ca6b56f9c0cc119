import type { ProviderInputs } from '../../providers/managed/settings.js'
import { booleanInput, choiceInput, input, PROVIDERS, requiredInput, secretInput, stateDirInput } from '../inputs.js'
import type { ProviderName } from '../inputs.js'

export interface ClusterInputs {
  network: string
  provider: ProviderName
  stateDir: string
  keep: boolean
  providerInputs: ProviderInputs
}

export function getInputs(): ClusterInputs {
  return {
    network: requiredInput('network'),
    provider: choiceInput('provider', PROVIDERS),
    stateDir: stateDirInput(),
    keep: booleanInput('keep'),
    providerInputs: {
      kubeconfig: secretInput('kubeconfig'),
      kubernetesVersion: input('kubernetes-version'),
      region: input('region'),
      nodeCount: input('node-count'),
      machineType: input('machine-type'),
      project: input('project'),
      resourceGroup: input('resource-group'),
      ttlHours: input('ttl-hours')
    }
  }
}
