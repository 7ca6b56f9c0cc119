import { input } from '../inputs.js'

export interface SetupInputs {
  tools: string[]
}

const KNOWN_TOOLS = ['kind', 'kubectl', 'helm', 'sim']

export function getInputs(): SetupInputs {
  const tools = input('tools')
    .split(/[\s,]+/)
    .filter(Boolean)
  const unknown = tools.filter(t => !KNOWN_TOOLS.includes(t))
  if (unknown.length) throw new Error(`input "tools" names ${unknown.join(', ')}; expected some of: ${KNOWN_TOOLS.join(', ')}`)
  return { tools }
}
