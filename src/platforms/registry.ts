import { MissingCapabilityError } from '../errors.js'
import type { Platform } from '../model/platforms.js'
import { besuDeployer } from './besu/besu.js'
import type { PlatformDeployer } from './platform.js'

const DEPLOYERS: Partial<Record<Platform, PlatformDeployer>> = { besu: besuDeployer }

export function deployerFor(platform: Platform): PlatformDeployer {
  const deployer = DEPLOYERS[platform]
  if (!deployer) throw new MissingCapabilityError(`deploying ${platform} networks`, 'this version deploys besu; it validates and plans every platform')
  return deployer
}
