import { input, secretInput, stateDirInput } from '../inputs.js'

export interface TeardownInputs {
  network: string
  stateDir: string
  /** a PR number: tear down that PR's preview rather than what the state records */
  pr: string
  kubeconfig: string
  repository: string
  githubToken: string
}

export function getInputs(): TeardownInputs {
  return {
    network: input('network'),
    stateDir: stateDirInput('state'),
    pr: input('pr'),
    kubeconfig: secretInput('kubeconfig'),
    repository: input('repository'),
    githubToken: secretInput('github-token')
  }
}
