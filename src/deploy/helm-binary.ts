// Which helm to run: BAF_HELM, else the one built with the sim binaries, else helm on PATH
// (the setup action puts a pinned, verified one there).

import { access, constants } from 'node:fs/promises'
import { join } from 'node:path'

import { resolveSimBinaries } from '../providers/sim/binaries.js'

export async function resolveHelm(): Promise<string> {
  if (process.env.BAF_HELM) return process.env.BAF_HELM
  try {
    const dir = await resolveSimBinaries()
    await access(join(dir, 'helm'), constants.X_OK)
    return join(dir, 'helm')
  } catch {
    return 'helm'
  }
}
