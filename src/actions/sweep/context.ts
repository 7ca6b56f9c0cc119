import { booleanInput, input, secretInput } from '../inputs.js'

export interface SweepInputs {
  kubeconfig: string
  repository: string
  dryRun: boolean
  githubToken: string
}

export function getInputs(): SweepInputs {
  return {
    // masked before anything can print it; the file's own keys are masked when it is read
    kubeconfig: secretInput('kubeconfig', true),
    repository: input('repository'),
    dryRun: booleanInput('dry-run'),
    githubToken: secretInput('github-token')
  }
}
