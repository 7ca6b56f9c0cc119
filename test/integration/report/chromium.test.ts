// report.html opened from disk in headless Chromium (Debian's `chromium`, installed by
// scripts/test.sh): the real Mermaid bundle inlined in the page must draw the diagram with no
// syntax error, and the nodes must be in the SVG. A screenshot is kept for people to look at,
// under $BAF_TEST_ARTIFACTS (default <tmpdir>/baf-test-artifacts/report). Chromium gets no
// network: every host name resolves to nothing and every proxied request goes to a dead port.

import { execFile } from 'node:child_process'
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { writeReport } from '../../../src/report/write.js'
import { generatedPlan, synthesizeState } from '../../fixtures/states/synth.js'

import type { State } from '../../../src/state/state.js'

const ARTIFACTS = process.env.BAF_TEST_ARTIFACTS ?? join(tmpdir(), 'baf-test-artifacts', 'report')

function findChromium(): string {
  const names = process.env.BAF_CHROMIUM ? [process.env.BAF_CHROMIUM] : ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']
  for (const name of names) {
    for (const dir of name.includes('/') ? [''] : (process.env.PATH ?? '').split(delimiter)) {
      const path = dir ? join(dir, name) : name
      try {
        accessSync(path, constants.X_OK)
        return path
      } catch {
        // next
      }
    }
  }
  throw new Error('no Chromium found: install Debian\'s "chromium" (scripts/test.sh does: apt-get install -y chromium) or set BAF_CHROMIUM')
}

function chromium(args: string[], profile: string): Promise<string> {
  const base = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--hide-scrollbars',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-extensions',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--no-pings',
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--proxy-server=http://127.0.0.1:9',
    `--user-data-dir=${profile}`,
    '--virtual-time-budget=20000'
  ]
  return new Promise((resolve, reject) => {
    execFile(findChromium(), [...base, ...args], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`chromium: ${error.message}\n${stderr.slice(-2000)}`)) : resolve(stdout)))
  })
}

interface Drawn {
  state: string
  svg: string
  /** the every-node diagram drawn below a one-box-per-cluster overview */
  full: string
  error: string
  dom: string
}

async function open(html: string): Promise<Drawn> {
  const profile = mkdtempSync(join(tmpdir(), 'baf-chromium-'))
  const dom = await chromium(['--dump-dom', pathToFileURL(html).href], profile)
  const svg = /<svg[^>]*id="baf-topology"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? ''
  const full = /<svg[^>]*id="baf-topology-full"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? ''
  // the page without its scripts (the inlined Mermaid bundle holds its own error strings)
  const visible = dom.replace(/<script[\s\S]*?<\/script>/g, '')
  return { state: /data-mermaid="([a-z]+)"/.exec(dom)?.[1] ?? 'missing', svg, full, error: /id="diagram-error">([^<]*)</.exec(dom)?.[1] ?? '', dom: visible }
}

async function written(state: State, name: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'baf-html-')), name)
  const w = await writeReport(state, { outDir: out, generatedAt: '2026-11-20T10:00:00Z' })
  expect(w.mermaid).toBeDefined()
  return w.paths.html
}

const fixture = (name: string): State => JSON.parse(readFileSync(`test/fixtures/states/${name}.json`, 'utf8')) as State
const text = (svg: string): string => svg.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ')

beforeAll(() => {
  findChromium()
  mkdirSync(ARTIFACTS, { recursive: true })
})

test('3-cluster Besu with failures: drawn with no syntax error, every node in the SVG; screenshot kept', async () => {
  const html = await written(fixture('besu-3-probed'), 'besu-3-probed')
  const d = await open(html)
  expect({ state: d.state, error: d.error }).toEqual({ state: 'ok', error: '' })
  expect(/Syntax error|Parse error/.test(d.dom)).toBe(false)
  const words = text(d.svg)
  for (const node of ['validator-1 · p2p, rpc', 'validator-4 · p2p, rpc', 'carrier · p2p, rpc, tm_nodeport', 'store · p2p, rpc, tm_nodeport', 'ambassador gateway · 8 routes', 'org operator', 'store-cluster · kind · v1.35.4']) expect(words).toContain(node)
  for (const edge of ['❌ protocol', '❌ tls', '❌ tcp', '✅ 7 passed · 🚫 2 refused · ⚠️ 1 inconclusive']) expect(words).toContain(edge)

  const png = join(ARTIFACTS, 'besu-3-probed.png')
  await chromium(['--window-size=1400,1100', `--screenshot=${png}`, pathToFileURL(html).href], mkdtempSync(join(tmpdir(), 'baf-chromium-')))
  expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG')
  expect(statSync(png).size).toBeGreaterThan(20_000)
}, 180_000)

test('a plan with no probes yet draws planned edges', async () => {
  const d = await open(await written(fixture('besu-3-planned'), 'besu-3-planned'))
  expect(d.state).toBe('ok')
  expect(text(d.svg)).toContain('11 planned')
}, 120_000)

test('200 nodes with failures: a one-box-per-cluster overview, then the full diagram with all 200 nodes', async () => {
  const state = synthesizeState(await generatedPlan(200), { stage: 'probed', provider: 'kind', failEvery: 9 })
  const d = await open(await written(state, 'generated-200'))
  expect({ state: d.state, error: d.error }).toEqual({ state: 'ok', error: '' })
  expect(text(d.svg)).toContain('cluster-0 · kind · v1.35.4 · ambassador gateway · 40 orgs · 40 nodes')
  const words = text(d.full)
  const missing = Array.from({ length: 200 }, (_, i) => `node-${i} · p2p, rpc`).filter(n => !words.includes(n))
  expect(missing).toEqual([])
}, 180_000)

test('negative control: a broken diagram is reported as an error, not drawn blank', async () => {
  const html = await written(fixture('besu-3-green'), 'broken')
  const page = readFileSync(html, 'utf8').replace('"text":"flowchart LR', '"text":"flowchart LR\\n  a[[[ --> ')
  const broken = join(mkdtempSync(join(tmpdir(), 'baf-broken-')), 'report.html')
  writeFileSync(broken, page)
  const d = await open(broken)
  expect(d.state).toBe('error')
  expect(d.error).toMatch(/^Mermaid could not draw the diagram: .*(Parse error|Syntax error|Expecting)/s)
}, 120_000)
