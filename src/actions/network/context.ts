import { CHART_SOURCES } from '../../model/network.js'
import type { ChartSource } from '../../model/network.js'
import { input, optionalChoiceInput, stateDirInput } from '../inputs.js'

export interface NetworkInputs {
  network: string
  stateDir: string
  seed: string
  chartSource?: ChartSource
}

export function getInputs(): NetworkInputs {
  return { network: input('network'), stateDir: stateDirInput('state'), seed: input('seed'), chartSource: optionalChoiceInput('chart-source', CHART_SOURCES) }
}
