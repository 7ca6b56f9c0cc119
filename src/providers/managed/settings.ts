// Provider options shared by the actions and the CLI. The registry builds a provider with no
// arguments, so options travel as BAF_* environment variables: the cluster action sets them from
// its typed inputs, a person running `baf` sets them in the shell (docs/providers.md lists them).

export interface ProviderSettings {
  /** existing: kubeconfig file (0600) holding a context per organisation */
  kubeconfig?: string
  /** kind, eks, aks, gke: overrides each cluster's `baf.clusters.<ctx>.kubernetes_version` */
  kubernetesVersion?: string
  /** eks, aks, gke: region (gke: a zone such as europe-west1-b makes a zonal cluster) */
  region?: string
  /** eks, aks, gke: worker nodes per cluster; default: the plan's worker count */
  nodeCount?: number
  machineType?: string
  /** gke: project; default CLOUDSDK_CORE_PROJECT or GOOGLE_CLOUD_PROJECT */
  project?: string
  /** aks: resource group the clusters are created in */
  resourceGroup?: string
  /** eks, aks, gke: hours until a scheduled sweep may delete a cluster the post step missed */
  ttlHours?: number
}

export const SETTINGS_ENV: Record<keyof ProviderSettings, string> = {
  kubeconfig: 'BAF_KUBECONFIG',
  kubernetesVersion: 'BAF_KUBERNETES_VERSION',
  region: 'BAF_REGION',
  nodeCount: 'BAF_NODE_COUNT',
  machineType: 'BAF_MACHINE_TYPE',
  project: 'BAF_PROJECT',
  resourceGroup: 'BAF_RESOURCE_GROUP',
  ttlHours: 'BAF_TTL_HOURS'
}

function positive(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} is "${raw}"; expected a whole number from 1 to ${max}`)
  return n
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const s = (k: keyof ProviderSettings): string | undefined => env[SETTINGS_ENV[k]] || undefined
  return {
    kubeconfig: s('kubeconfig'),
    kubernetesVersion: s('kubernetesVersion'),
    region: s('region'),
    nodeCount: positive(SETTINGS_ENV.nodeCount, s('nodeCount'), 100),
    machineType: s('machineType'),
    project: s('project') ?? env.CLOUDSDK_CORE_PROJECT ?? env.GOOGLE_CLOUD_PROJECT,
    resourceGroup: s('resourceGroup'),
    ttlHours: positive(SETTINGS_ENV.ttlHours, s('ttlHours'), 24 * 30)
  }
}

/** Sets (or clears) the BAF_* variables of `settings` in `env`. */
export function settingsToEnv(settings: ProviderSettings, env: NodeJS.ProcessEnv = process.env): void {
  for (const [key, name] of Object.entries(SETTINGS_ENV) as [keyof ProviderSettings, string][]) {
    const value = settings[key]
    if (value === undefined || value === '') delete env[name]
    else env[name] = String(value)
  }
}

/** Provider inputs as an action reads them (strings; the kubeconfig as a path, base64 or YAML). */
export interface ProviderInputs {
  kubeconfig: string
  kubernetesVersion: string
  region: string
  nodeCount: string
  machineType: string
  project: string
  resourceGroup: string
  ttlHours: string
  /** provider sim: the directory of the control-plane binaries (becomes BAF_SIM_BIN) */
  simBinaries?: string
}

/**
 * The kubeconfig input (a path, base64 or YAML) as a file: a path is used as it is, text is
 * written 0600 under `stateDir`. Every key and token in it goes to `mask` first.
 */
export async function kubeconfigInputFile(value: string, stateDir: string, mask: (secret: string) => void): Promise<string | undefined> {
  if (!value) return undefined
  const { existsSync } = await import('node:fs')
  const { mkdir, readFile, writeFile } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const { Kubeconfig } = await import('../existing/kubeconfig.js')
  const given = Kubeconfig.classifyInput(value, p => existsSync(p))
  const text = given.text ?? (await readFile(given.path!, 'utf8'))
  for (const s of Kubeconfig.secrets(Kubeconfig.parse(text, given.path ?? 'input "kubeconfig"'))) mask(s)
  if (given.path) return given.path
  const dir = join(stateDir, 'inputs')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const file = join(dir, 'kubeconfig')
  await writeFile(file, text, { mode: 0o600 })
  return file
}

/**
 * Turns an action's provider inputs into settings and hands them to the library (BAF_* variables).
 * A kubeconfig given as base64 or YAML is written 0600 under `stateDir`; every key and token in it
 * goes to `mask` first, so nothing later can print it.
 */
export async function applyProviderInputs(inputs: ProviderInputs, stateDir: string, mask: (secret: string) => void): Promise<ProviderSettings> {
  const kubeconfig = await kubeconfigInputFile(inputs.kubeconfig, stateDir, mask)
  if (inputs.simBinaries) process.env.BAF_SIM_BIN = inputs.simBinaries
  const raw: NodeJS.ProcessEnv = {
    [SETTINGS_ENV.kubeconfig]: kubeconfig,
    [SETTINGS_ENV.kubernetesVersion]: inputs.kubernetesVersion,
    [SETTINGS_ENV.region]: inputs.region,
    [SETTINGS_ENV.nodeCount]: inputs.nodeCount,
    [SETTINGS_ENV.machineType]: inputs.machineType,
    [SETTINGS_ENV.project]: inputs.project,
    [SETTINGS_ENV.resourceGroup]: inputs.resourceGroup,
    [SETTINGS_ENV.ttlHours]: inputs.ttlHours
  }
  let settings: ProviderSettings
  try {
    settings = settingsFromEnv(raw)
  } catch (e) {
    throw new Error((e as Error).message.replace(SETTINGS_ENV.nodeCount, 'input "node-count"').replace(SETTINGS_ENV.ttlHours, 'input "ttl-hours"'))
  }
  settingsToEnv(settings)
  return settings
}
