#!/usr/bin/env node
// The `baf` executable. It turns on Node's on-disk compile cache (Node 22.1 and later; a no-op
// before) and only then loads the CLI, so every later run skips compiling the bundle again.

import module from 'node:module'

;(module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache?.()
await import('./main.js')
