import { booleanInput, input, stateDirInput } from '../inputs.js'
import { RUNNERS } from '../../probe/run.js'
import type { RunnerKind } from '../../probe/run.js'

export interface ProbeInputs {
  network: string
  stateDir: string
  failOnRequired: boolean
  runner: RunnerKind
  resolver: string
  ca: string
  timeoutSeconds?: number
  concurrency?: number
  samples?: number
  image: string
}

/** empty means the engine's default (the runner always passes action.yml's; harnesses may not) */
function positiveInt(name: string, value: string): number | undefined {
  if (value === '') return undefined
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`input "${name}" is "${value}"; expected a whole number of at least 1`)
  return Number(value)
}

function runnerKind(value: string): RunnerKind {
  if (value === '') return 'runner'
  if (!(RUNNERS as readonly string[]).includes(value)) throw new Error(`input "runner" is "${value}"; expected one of: ${RUNNERS.join(', ')}`)
  return value as RunnerKind
}

export function getInputs(): ProbeInputs {
  return {
    network: input('network'),
    stateDir: stateDirInput('state'),
    failOnRequired: booleanInput('fail-on-required'),
    runner: runnerKind(input('runner')),
    resolver: input('resolver'),
    ca: input('ca'),
    timeoutSeconds: positiveInt('timeout-seconds', input('timeout-seconds')),
    concurrency: positiveInt('concurrency', input('concurrency')),
    samples: positiveInt('samples', input('samples')),
    image: input('image')
  }
}
