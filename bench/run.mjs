// Runs every benchmark in bench/ in turn; each prints its ratio last. TypeScript benchmarks are
// bundled with esbuild first (Node 20 cannot run TypeScript itself).

import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

import { build } from 'esbuild'

const env = { ...process.env, NODE_NO_WARNINGS: '1' }
const only = process.argv[2]
// inside node_modules so the bundle resolves the project's packages
const out = join('node_modules', '.cache', 'baf-bench')
mkdirSync(out, { recursive: true })
for (const file of readdirSync('bench').sort()) {
  if (only && !file.includes(only)) continue
  if (file.endsWith('.bench.ts')) {
    const outfile = join(out, file.replace(/\.ts$/, '.mjs'))
    await build({ entryPoints: [`bench/${file}`], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', packages: 'external', banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" } })
    execFileSync(process.execPath, [outfile], { stdio: 'inherit', env, cwd: process.cwd() })
  } else if (file.endsWith('.bench.mjs')) {
    execFileSync(process.execPath, [`bench/${file}`], { stdio: 'inherit', env })
  }
}
