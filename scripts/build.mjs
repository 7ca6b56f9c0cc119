// Bundles the CLI and every action with esbuild: one ESM entry per action plus shared chunks,
// so heavy modules (ajv, later the Kubernetes client) load only when a step needs them.
// `--check` rebuilds into a temporary directory and fails if dist/ differs (stale bundles).

import AjvModule from 'ajv'
import standaloneModule from 'ajv/dist/standalone/index.js'
import { build } from 'esbuild'
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const Ajv = AjvModule.default ?? AjvModule
const standaloneCode = standaloneModule.default ?? standaloneModule

export const ACTIONS = ['deploy', 'setup', 'cluster', 'network', 'probe', 'report', 'teardown', 'sweep']

const entryPoints = {
  cli: 'src/cli/bin.ts',
  'sim-controller': 'src/providers/sim/controller-main.ts',
  ...Object.fromEntries(ACTIONS.map(a => [`${a}/index`, `src/actions/${a}/main.ts`]))
}

/**
 * ajv "standalone" code: one module per platform, loaded on demand, so bundles validate without
 * compiling a schema and load only the platform the file names.
 */
async function standaloneValidators() {
  const load = async entry => {
    const out = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', packages: 'external', logLevel: 'warning' })
    return import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'))
  }
  const { networkSchema } = await load('src/model/schema.ts')
  const { PLATFORMS } = await load('src/model/platforms.ts')
  const { AJV_OPTIONS } = await load('src/model/schema-validators.ts')
  const modules = new Map()
  for (const platform of PLATFORMS) {
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true, lines: false } })
    modules.set(platform, standaloneCode(ajv, ajv.compile(networkSchema(platform))))
  }
  const index = `export async function validatorFor(platform) {
  switch (platform) {
${PLATFORMS.map(p => `    case '${p}': return (await import('baf-schema:${p}')).default`).join('\n')}
  }
  throw new Error('no validator for platform ' + platform)
}
`
  return { index, modules }
}

function precompiledSchemas({ index, modules }) {
  return {
    name: 'precompiled-schemas',
    setup(b) {
      b.onResolve({ filter: /schema-validators\.js$/ }, args => ({ path: 'index', namespace: 'baf-schema', pluginData: args.resolveDir }))
      b.onResolve({ filter: /^baf-schema:/ }, args => ({ path: args.path.slice('baf-schema:'.length), namespace: 'baf-schema', pluginData: args.pluginData ?? args.resolveDir }))
      b.onLoad({ filter: /.*/, namespace: 'baf-schema' }, args => ({
        contents: args.path === 'index' ? index : modules.get(args.path),
        // generated code imports ajv's runtime helpers; resolve them from the project
        resolveDir: process.cwd(),
        loader: 'js'
      }))
    }
  }
}

/**
 * `yaml` as its ES module build: the package's Node entry is CommonJS, which a bundle must wrap
 * and evaluate whole before `baf validate` can parse a line; the ES build (the same release, for
 * browsers, using no browser API) is evaluated as modules and shaken down to what is imported.
 */
function yamlEsm() {
  const require = createRequire(import.meta.url)
  const esm = join(require.resolve('yaml/package.json'), '..', 'browser', 'dist', 'index.js')
  return {
    name: 'yaml-esm',
    setup(b) {
      b.onResolve({ filter: /^yaml$/ }, () => ({ path: esm }))
    }
  }
}

async function bundle(outdir) {
  await rm(outdir, { recursive: true, force: true })
  const validators = await standaloneValidators()
  await build({
    plugins: [precompiledSchemas(validators), yamlEsm()],
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    // CommonJS dependencies call require() on Node built-ins; ESM output has no require of its own
    banner: { js: "import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);" }
  })
  // the in-cluster probe runner ships as ONE file in a ConfigMap: no shared chunks, Node built-ins only
  await build({ entryPoints: { 'probe-runner': 'src/probe/in-cluster/main.ts' }, outdir, bundle: true, splitting: false, format: 'esm', platform: 'node', target: 'node22', minify: true, legalComments: 'none', logLevel: 'warning' })
  // report.html inlines Mermaid's browser bundle so the page draws the diagram offline;
  // src/report/assets.ts looks for it in dist/assets/, beside the entries and chunks
  await mkdir(join(outdir, 'assets'), { recursive: true })
  await copyFile(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'), join(outdir, 'assets', 'mermaid.min.js'))
}

async function files(dir) {
  const out = new Map()
  async function walk(d) {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name)
      if (entry.isDirectory()) await walk(p)
      else out.set(relative(dir, p), await readFile(p))
    }
  }
  await walk(dir)
  return out
}

if (process.argv.includes('--check')) {
  const tmp = await mkdtemp(join(tmpdir(), 'baf-dist-'))
  try {
    await bundle(tmp)
    const [fresh, current] = await Promise.all([files(tmp), files('dist')])
    const stale = [...new Set([...fresh.keys(), ...current.keys()])].filter(f => !fresh.get(f)?.equals(current.get(f) ?? Buffer.alloc(0)) || !current.has(f))
    if (stale.length > 0) {
      console.error(`dist/ is stale (${stale.length} file(s) differ: ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', ...' : ''}); run "npm run build" and commit dist/`)
      process.exit(1)
    }
    console.log(`dist/ is fresh (${fresh.size} files)`)
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
} else {
  await bundle('dist')
  console.log('built dist/')
}
