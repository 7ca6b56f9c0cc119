import { booleanInput, input, secretInput } from '../inputs.js'

export interface SweepInputs {
  kubeconfig: string
  repository: string
  dryRun: boolean
  githubToken: string
  /** eks, aks, gke: their expired clusters go too */
  cloudProviders: string[]
  region: string
  project: string
  resourceGroup: string
}

export function getInputs(): SweepInputs {
  return {
    // masked before anything can print it; the file's own keys are masked when it is read
    kubeconfig: secretInput('kubeconfig'),
    repository: input('repository'),
    dryRun: booleanInput('dry-run'),
    githubToken: secretInput('github-token'),
    cloudProviders: input('cloud-providers')
      .split(/[\s,]+/)
      .filter(Boolean),
    region: input('region'),
    project: input('project'),
    resourceGroup: input('resource-group')
  }
}
