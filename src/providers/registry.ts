// Provider name -> implementation, loaded lazily so an action bundle only loads the one it uses.

import { MissingCapabilityError } from '../errors.js'
import type { ClusterProvider, ProviderName } from './provider.js'

const PROVIDERS: Record<ProviderName, () => Promise<ClusterProvider>> = {
  sim: async () => new (await import('./sim/provider.js')).SimProvider(),
  kind: async () => missing('kind'),
  existing: async () => missing('existing'),
  eks: async () => missing('eks'),
  aks: async () => missing('aks'),
  gke: async () => missing('gke')
}

function missing(name: ProviderName): never {
  throw new MissingCapabilityError(`cluster provisioning (provider "${name}")`, 'use provider "sim" today')
}

export function providerFor(name: ProviderName): Promise<ClusterProvider> {
  return PROVIDERS[name]()
}
