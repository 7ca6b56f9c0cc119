import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The package root, found by walking up from this module: the same code runs from src/ (tests),
 * dist/cli.js and dist/<action>/index.js, each at a different depth.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from))
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'baf-action') return dir
      } catch {
        // a package.json we cannot read is not ours; keep walking
      }
    }
    const parent = dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  throw new Error('cannot find the baf-action package root (package.json named "baf-action") above ' + fileURLToPath(from))
}

/** The network `baf up` and the README's first command use when no file is given. */
export function defaultNetworkFile(): string {
  const file = join(packageRoot(), 'examples', 'besu-2-clusters.yaml')
  // relative when it can be: the path shows up in logs and reports
  const rel = relative(process.cwd(), file)
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version
}
