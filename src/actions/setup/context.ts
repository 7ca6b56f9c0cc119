import { input } from '../inputs.js'

export const SETUP_TOOLS = ['kind', 'kubectl', 'helm', 'sim'] as const
export type SetupTool = (typeof SETUP_TOOLS)[number]

export interface SetupInputs {
  tools: SetupTool[]
  /** kubectl follows it unless kubectlVersion pins another */
  kubernetesVersion: string
  kindVersion: string
  kubectlVersion: string
  helmVersion: string
  mirror: string
}

export function getInputs(): SetupInputs {
  const tools = input('tools')
    .split(/[\s,]+/)
    .filter(Boolean)
  const unknown = tools.filter(t => !(SETUP_TOOLS as readonly string[]).includes(t))
  if (unknown.length) throw new Error(`input "tools" names ${unknown.join(', ')}; expected some of: ${SETUP_TOOLS.join(', ')}`)
  return {
    tools: [...new Set(tools)] as SetupTool[],
    kubernetesVersion: input('kubernetes-version'),
    kindVersion: input('kind-version'),
    kubectlVersion: input('kubectl-version'),
    helmVersion: input('helm-version'),
    mirror: input('mirror')
  }
}
