import { choiceInput, input, secretInput, stateDirInput } from '../inputs.js'

export const COMMENT_MODES = ['create-or-update', 'recreate', 'delete'] as const

export interface ReportInputs {
  network: string
  stateDir: string
  githubToken: string
  key: string
  mode: (typeof COMMENT_MODES)[number]
}

export function getInputs(): ReportInputs {
  return {
    network: input('network'),
    stateDir: stateDirInput('state'),
    githubToken: secretInput('github-token'),
    key: input('key'),
    mode: choiceInput('mode', COMMENT_MODES)
  }
}
