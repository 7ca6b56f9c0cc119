// Provider name -> implementation, loaded lazily so an action bundle only loads the one it uses.

import type { ManagedProvider } from './managed/provider.js'
import type { CLOUD_PROVIDERS, ClusterProvider, ProviderName } from './provider.js'

const PROVIDERS: Record<ProviderName, () => Promise<ClusterProvider>> = {
  sim: async () => new (await import('./sim/provider.js')).SimProvider(),
  kind: async () => (await import('./kind/provider.js')).KindProvider.fromEnv(),
  existing: async () => (await import('./existing/provider.js')).ExistingProvider.fromEnv(),
  eks: async () => (await import('./eks/provider.js')).EksProvider.fromEnv(),
  aks: async () => (await import('./aks/provider.js')).AksProvider.fromEnv(),
  gke: async () => (await import('./gke/provider.js')).GkeProvider.fromEnv()
}

export function providerFor(name: ProviderName): Promise<ClusterProvider> {
  return PROVIDERS[name]()
}

/** A cloud provider, with the TTL-tag listing and deletion the sweeper uses. */
export async function cloudProviderFor(name: (typeof CLOUD_PROVIDERS)[number]): Promise<ManagedProvider> {
  // eks, aks and gke are all ManagedProviders (src/providers/managed)
  return (await providerFor(name)) as ManagedProvider
}
