// Input helpers: the only module that calls core.getInput. Defaults live in action.yml alone.

import * as core from '@actions/core'

import type { ProviderInputs } from '../providers/managed/settings.js'

export function input(name: string): string {
  return core.getInput(name)
}

export function requiredInput(name: string): string {
  return core.getInput(name, { required: true })
}

export function booleanInput(name: string): boolean {
  return core.getBooleanInput(name)
}

export function choiceInput<T extends string>(name: string, choices: readonly T[]): T {
  return checkedChoice(name, core.getInput(name, { required: true }), choices, '')
}

/** A choice that may be left empty (then undefined: the network file decides). */
export function optionalChoiceInput<T extends string>(name: string, choices: readonly T[]): T | undefined {
  const value = core.getInput(name)
  return value === '' ? undefined : checkedChoice(name, value, choices, ', or empty')
}

function checkedChoice<T extends string>(name: string, value: string, choices: readonly T[], orEmpty: string): T {
  if (!(choices as readonly string[]).includes(value)) throw new Error(`input "${name}" is "${value}"; expected one of: ${choices.join(', ')}${orEmpty}`)
  return value as T
}

/** A secret input is masked before anything else can print it. */
export function secretInput(name: string, required = false): string {
  const value = core.getInput(name, { required })
  if (value) core.setSecret(value)
  return value
}

/** `$RUNNER_TEMP/baf` unless the user chose a directory (split jobs pass one via an artifact). */
export function stateDirInput(name = 'state-dir'): string {
  const value = core.getInput(name)
  if (value) return value
  const temp = process.env.RUNNER_TEMP
  if (!temp) throw new Error(`input "${name}" is empty and RUNNER_TEMP is not set; give a state directory`)
  return `${temp}/baf`
}

export { PROVIDER_NAMES as PROVIDERS } from '../providers/provider.js'
export type { ProviderName } from '../providers/provider.js'

/** The provider options the deploy and cluster actions both take (kubeconfig, cloud settings). */
export const PROVIDER_INPUT_NAMES = ['kubeconfig', 'kubernetes-version', 'region', 'node-count', 'machine-type', 'project', 'resource-group', 'ttl-hours', 'sim-binaries'] as const

export function providerInputs(): ProviderInputs {
  return {
    kubeconfig: secretInput('kubeconfig'),
    kubernetesVersion: input('kubernetes-version'),
    region: input('region'),
    nodeCount: input('node-count'),
    machineType: input('machine-type'),
    project: input('project'),
    resourceGroup: input('resource-group'),
    ttlHours: input('ttl-hours'),
    simBinaries: input('sim-binaries')
  }
}
