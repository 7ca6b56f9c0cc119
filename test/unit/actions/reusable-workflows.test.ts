// The reusable workflows (preview, sweep, smoke) and the caller examples in docs/examples: GitHub's
// parser accepts them, their conditions are evaluated by GitHub's expression engine for each kind of
// event, their permissions are the least docs/previews.md and docs/smoke.md promise, every input,
// secret and output they use of one of our actions or workflows is declared there, and the docs'
// input tables match the workflows.

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { ErrorPolicy } from '@actions/workflow-parser/model/convert'
import { parse } from 'yaml'

import { ROOT, workflowFiles } from '../../harness/action-files.js'
import { evaluate, expand } from '../../harness/expressions.js'

type Access = 'read' | 'write' | 'none'
type Permissions = Record<string, Access> | 'read-all' | 'write-all'
type Concurrency = string | { group: string; 'cancel-in-progress'?: boolean | string }

interface Step {
  id?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface Job {
  if?: string
  uses?: string
  with?: Record<string, unknown>
  secrets?: Record<string, unknown> | 'inherit'
  permissions?: Permissions
  concurrency?: Concurrency
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> }
  steps?: Step[]
}

interface CallSpec {
  inputs?: Record<string, { type?: string; description?: string; required?: boolean; default?: unknown }>
  secrets?: Record<string, { description?: string; required?: boolean }>
  outputs?: Record<string, { description?: string; value?: string }>
}

interface Workflow {
  on: Record<string, unknown> & { workflow_call?: CallSpec | null }
  permissions?: Permissions
  concurrency?: Concurrency
  jobs: Record<string, Job>
}

interface ActionSpec {
  inputs?: Record<string, unknown>
  outputs?: Record<string, unknown>
}

const REUSABLE = ['preview', 'sweep', 'smoke'].map(n => `.github/workflows/${n}.yml`)
const EXAMPLES = readdirSync(join(ROOT, 'docs/examples')).filter(f => /\.ya?ml$/.test(f)).map(f => `docs/examples/${f}`)
/** the caller examples this change adds; the report-* examples are older and covered the same way */
const CALLERS = ['preview-caller', 'sweep-caller', 'smoke-caller'].map(n => `docs/examples/${n}.yml`)

/** What each job may hold, and no more: docs/previews.md and docs/smoke.md explain each grant. */
const LEAST: Record<string, Record<string, Record<string, Access>>> = {
  '.github/workflows/preview.yml': {
    deploy: { contents: 'read', 'pull-requests': 'write', deployments: 'write' },
    teardown: { contents: 'read', deployments: 'write', 'pull-requests': 'read' }
  },
  '.github/workflows/sweep.yml': { sweep: { contents: 'read', 'pull-requests': 'read', deployments: 'write' } },
  '.github/workflows/smoke.yml': { smoke: { contents: 'read', issues: 'write' } }
}

const RANK: Record<Access, number> = { none: 0, read: 1, write: 2 }

function text(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8')
}

function load(file: string): Workflow {
  return parse(text(file)) as Workflow
}

function cancels(c: Concurrency | undefined): boolean {
  return typeof c === 'object' && c !== null && c['cancel-in-progress'] !== undefined && c['cancel-in-progress'] !== false
}

function grants(p: Permissions | undefined): Record<string, Access> {
  return typeof p === 'object' && p !== null ? p : {}
}

/** The input defaults of a reusable workflow, as the `inputs` context holds them. */
function defaults(wf: Workflow): Record<string, unknown> {
  return Object.fromEntries(Object.entries(wf.on.workflow_call?.inputs ?? {}).map(([k, v]) => [k, v.default ?? '']))
}

/** A pull_request event's context, from the same repository unless `fork`. */
function prEvent(action: string, opts: { fork?: boolean; actor?: string; eventName?: string; number?: number } = {}): Record<string, unknown> {
  return {
    github: {
      event_name: opts.eventName ?? 'pull_request',
      repository: 'acme/ledger',
      actor: opts.actor ?? 'alice',
      event: {
        action,
        number: opts.number ?? 42,
        pull_request: { number: opts.number ?? 42, head: { repo: { full_name: opts.fork ? 'mallory/ledger' : 'acme/ledger' } } }
      }
    },
    inputs: defaults(load('.github/workflows/preview.yml'))
  }
}

describe.each(EXAMPLES.map(f => [f]))('example %s', file => {
  const content = text(file)

  test('parses and converts with no error in GitHub\'s workflow parser', async () => {
    const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter())
    if (result.value) await convertWorkflowTemplate(result.context, result.value, undefined, { errorPolicy: ErrorPolicy.TryConversion })
    expect(result.context.errors.getErrors().map(e => e.message)).toEqual([])
  })

  test('declares permissions for the workflow or every job, and expands no ${{ }} inside a run script', () => {
    const wf = load(file)
    const jobs = Object.values(wf.jobs)
    expect(wf.permissions !== undefined || jobs.every(j => j.permissions !== undefined)).toBe(true)
    for (const job of jobs) for (const step of job.steps ?? []) expect(step.run ?? '').not.toMatch(/\$\{\{/)
  })
})

describe.each(REUSABLE.map(f => [f]))('reusable workflow %s', file => {
  const wf = load(file)

  test('is only a workflow_call, with typed and described inputs and described secrets', () => {
    expect(Object.keys(wf.on)).toEqual(['workflow_call'])
    for (const [name, spec] of Object.entries(wf.on.workflow_call?.inputs ?? {})) {
      expect({ name, type: spec.type }).toEqual({ name, type: expect.stringMatching(/^(string|number|boolean)$/) })
      expect({ name, described: (spec.description ?? '').length > 10 }).toEqual({ name, described: true })
    }
    for (const [name, spec] of Object.entries(wf.on.workflow_call?.secrets ?? {})) {
      expect({ name, described: (spec.description ?? '').length > 10 }).toEqual({ name, described: true })
    }
  })

  test('every job holds exactly its least privileges, and the workflow grants nothing more', () => {
    expect(wf.permissions === undefined || JSON.stringify(wf.permissions) === '{}').toBe(true)
    const actual = Object.fromEntries(Object.entries(wf.jobs).map(([id, job]) => [id, job.permissions]))
    expect(actual).toEqual(LEAST[file])
  })
})

describe('preview.yml', () => {
  const wf = load('.github/workflows/preview.yml')
  const { deploy, teardown } = wf.jobs
  const runs = (job: Job, ctx: Record<string, unknown>): boolean => evaluate(job.if ?? 'true', ctx) === true

  test.each([
    ['opened', {}, 'deploy'],
    ['synchronize', {}, 'deploy'],
    ['reopened', {}, 'deploy'],
    ['closed', {}, 'teardown'],
    ['edited', {}, 'nothing'],
    ['labeled', {}, 'nothing'],
    ['opened', { fork: true }, 'nothing'],
    ['synchronize', { fork: true }, 'nothing'],
    ['closed', { fork: true }, 'nothing'],
    ['opened', { actor: 'dependabot[bot]' }, 'nothing'],
    ['opened', { eventName: 'pull_request_target' }, 'nothing'],
    ['closed', { eventName: 'pull_request_target' }, 'nothing']
  ] as const)('pull request %s %j runs %s', (action, opts, expected) => {
    const ctx = prEvent(action, opts)
    const ran = [runs(deploy, ctx) ? 'deploy' : '', runs(teardown, ctx) ? 'teardown' : ''].filter(Boolean)
    expect(ran).toEqual(expected === 'nothing' ? [] : [expected])
  })

  test('a push or a schedule runs neither job', () => {
    for (const eventName of ['push', 'schedule', 'workflow_dispatch']) {
      const ctx = { github: { event_name: eventName, repository: 'acme/ledger', actor: 'alice', event: {} }, inputs: defaults(wf) }
      expect([runs(deploy, ctx), runs(teardown, ctx)]).toEqual([false, false])
    }
  })

  test('deploys of one PR share a concurrency group and a new push cancels the running one; PRs do not share', () => {
    expect(cancels(deploy.concurrency)).toBe(true)
    const group = typeof deploy.concurrency === 'string' ? deploy.concurrency : deploy.concurrency!.group
    expect(group).toMatch(/github\.event\.(pull_request\.)?number/)
    const of = (action: string, number: number) => expand(group, prEvent(action, { number }))
    expect(of('opened', 7)).toBe(of('synchronize', 7))
    expect(of('opened', 7)).not.toBe(of('opened', 8))
  })

  test('teardown is never cancelled by a concurrency group: it has none, and the workflow none that cancels', () => {
    // queued behind a running deploy, a teardown is cancelled when the merged head branch is deleted
    expect(teardown.concurrency).toBeUndefined()
    expect(cancels(wf.concurrency)).toBe(false)
  })

  test('deploys into the PR\'s preview with provider existing, and tears down by PR number', () => {
    const step = deploy.steps!.find(s => s.uses?.startsWith('org/baf-action/deploy@'))!
    const ctx = prEvent('synchronize', { number: 42 })
    expect(step.with?.provider).toBe('existing')
    expect(expand(String(step.with?.pr), ctx)).toBe('42')
    expect(expand(String(step.with?.seed), ctx)).toBe('pr-42')
    expect(expand(String(step.with?.seed), { ...ctx, inputs: { ...defaults(wf), seed: 'fixed' } })).toBe('fixed')
    const down = teardown.steps!.find(s => s.uses?.startsWith('org/baf-action/actions/teardown@'))!
    expect(expand(String(down.with?.pr), prEvent('closed', { number: 42 }))).toBe('42')
  })

  test('callers cancel nothing in progress, which would take the teardown of a closed PR with it', () => {
    for (const file of CALLERS.filter(f => text(f).includes('workflows/preview.yml@'))) {
      const caller = load(file)
      expect({ file, cancels: cancels(caller.concurrency) || Object.values(caller.jobs).some(j => cancels(j.concurrency)) }).toEqual({ file, cancels: false })
    }
  })
})

describe('smoke.yml', () => {
  const wf = load('.github/workflows/smoke.yml')
  const job = wf.jobs.smoke

  /** The number of cells the matrix expands to when the workflow gets `inputs`. */
  function cells(inputs: Record<string, unknown>): number {
    const matrix = job.strategy!.matrix!
    return Object.values(matrix).reduce<number>((n, axis) => {
      const values = typeof axis === 'string' ? evaluate(axis, { inputs }) : axis
      expect(Array.isArray(values)).toBe(true)
      return n * (values as unknown[]).length
    }, 1)
  }

  test('fail-fast is off, and the matrix is the plain product of its axes', () => {
    expect(job.strategy?.['fail-fast']).toBe(false)
    expect(Object.keys(job.strategy!.matrix!).sort()).toEqual(['besu', 'kubernetes', 'topology'])
  })

  test('the default matrix is small and far under GitHub\'s 256-job limit', () => {
    const n = cells(defaults(wf))
    expect(n).toBeGreaterThan(1)
    expect(n).toBeLessThanOrEqual(12)
  })

  test('the example caller\'s matrix stays under 256 jobs', () => {
    const caller = load('docs/examples/smoke-caller.yml')
    const call = Object.values(caller.jobs).find(j => j.uses?.includes('workflows/smoke.yml@'))!
    expect(cells({ ...defaults(wf), ...call.with })).toBeLessThan(256)
  })

  test('each cell deploys its Besu version\'s network file on kind at its Kubernetes version', () => {
    const ctx = { inputs: defaults(wf), matrix: { kubernetes: '1.35.0', besu: '25.4.1', topology: 'two-clusters' } }
    const pick = job.steps!.find(s => s.id === 'network')!
    expect(expand(String(pick.env?.NETWORK), ctx)).toBe('smoke/two-clusters/besu-25.4.1.yaml')
    expect(expand(String(pick.env?.BESU), ctx)).toBe('25.4.1')
    const deploy = job.steps!.find(s => s.uses?.startsWith('org/baf-action/deploy@'))!
    expect(deploy.with?.provider).toBe('kind')
    expect(expand(String(deploy.with?.['kubernetes-version']), ctx)).toBe('1.35.0')
    const setup = job.steps!.find(s => s.uses?.startsWith('org/baf-action/actions/setup@'))!
    expect(expand(String(setup.with?.['kubernetes-version']), ctx)).toBe('1.35.0')
  })

  test('each cell reports, whatever happened, on one issue named after the cell', () => {
    const report = job.steps!.find(s => s.uses?.startsWith('org/baf-action/actions/report@'))!
    expect(report.if).toMatch(/always\(\)/)
    const title = (kubernetes: string, besu: string, topology: string) =>
      expand(String(report.with?.issue), { inputs: defaults(wf), matrix: { kubernetes, besu, topology } })
    expect(title('1.35.0', '25.4.1', 'two-clusters')).toBe('smoke: 1.35.0 / 25.4.1 / two-clusters failing')
    expect(new Set([title('1.34.0', '25.4.1', 'a'), title('1.35.0', '25.4.1', 'a'), title('1.35.0', '24.12.2', 'a'), title('1.35.0', '25.4.1', 'b')]).size).toBe(4)
  })
})

/** Where a `uses:` of this project points: an action directory or a reusable workflow file. */
function ours(uses: string): { kind: 'action' | 'workflow'; path: string } | undefined {
  const remote = /^org\/baf-action(?:\/(.+?))?@[\w.-]+$/.exec(uses)
  const path = remote ? (remote[1] ?? '.') : uses.startsWith('./') ? uses.slice(2) || '.' : undefined
  if (path === undefined) return undefined
  return path.startsWith('.github/workflows/') ? { kind: 'workflow', path } : { kind: 'action', path }
}

interface Use {
  file: string
  job: string
  uses: string
  target: { kind: 'action' | 'workflow'; path: string }
  with: string[]
  secrets: string[]
  outputs: string[]
}

/** Every use of our actions (steps) and workflows (jobs), with the outputs read from each step. */
function usesOf(file: string): Use[] {
  const wf = load(file)
  const found: Use[] = []
  for (const [name, job] of Object.entries(wf.jobs ?? {})) {
    const target = job.uses ? ours(job.uses) : undefined
    if (job.uses && target) {
      found.push({ file, job: name, uses: job.uses, target, with: Object.keys(job.with ?? {}), secrets: job.secrets === 'inherit' ? [] : Object.keys(job.secrets ?? {}), outputs: [] })
    }
    const jobText = JSON.stringify(job)
    for (const step of job.steps ?? []) {
      const t = step.uses ? ours(step.uses) : undefined
      if (!step.uses || !t || t.path.startsWith('.github/')) continue
      const read = step.id ? [...jobText.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([A-Za-z0-9_-]+)`, 'g'))].map(m => m[1]) : []
      found.push({ file, job: name, uses: step.uses, target: t, with: Object.keys(step.with ?? {}), secrets: [], outputs: [...new Set(read)] })
    }
  }
  return found
}

const USES = [...new Set([...workflowFiles(), ...EXAMPLES])].flatMap(usesOf)

// These read action.yml and the reusable workflows at test time: an input used here before the
// action declares it fails the test naming the file, job and input.
describe.each(USES.map(u => [`${u.file} ${u.job}: ${u.uses}`, u] as const))('%s', (_, use) => {
  test('names only inputs, secrets and outputs its target declares', () => {
    if (use.target.kind === 'action') {
      const file = join(use.target.path, 'action.yml')
      expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: true })
      const action = parse(text(file)) as ActionSpec
      const undeclared = (names: string[], declared: Record<string, unknown> | undefined) => names.filter(n => !Object.hasOwn(declared ?? {}, n))
      expect({ file, inputs: undeclared(use.with, action.inputs), outputs: undeclared(use.outputs, action.outputs) }).toEqual({ file, inputs: [], outputs: [] })
      return
    }
    const file = use.target.path
    expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: true })
    const call = load(file).on.workflow_call ?? {}
    const inputs = call.inputs ?? {}
    const secrets = call.secrets ?? {}
    expect({ file, inputs: use.with.filter(n => !Object.hasOwn(inputs, n)), secrets: use.secrets.filter(n => !Object.hasOwn(secrets, n)) }).toEqual({ file, inputs: [], secrets: [] })
    const missing = [
      ...Object.entries(inputs).filter(([n, s]) => s.required && s.default === undefined && !use.with.includes(n)).map(([n]) => n),
      ...Object.entries(secrets).filter(([n, s]) => s.required && !use.secrets.includes(n)).map(([n]) => `secret ${n}`)
    ]
    expect({ file, missing }).toEqual({ file, missing: [] })
  })
})

describe.each(CALLERS.map(f => [f]))('caller %s', file => {
  const caller = load(file)
  const calls = Object.entries(caller.jobs).filter(([, j]) => j.uses?.startsWith('org/baf-action/.github/workflows/'))

  test('calls one of our reusable workflows at a release tag', () => {
    expect(calls.length).toBeGreaterThan(0)
    for (const [, j] of calls) expect(j.uses).toMatch(/^org\/baf-action\/\.github\/workflows\/(preview|sweep|smoke)\.yml@v1$/)
  })

  test('grants each call exactly what the called jobs need together (a job can only narrow what it is given)', () => {
    for (const [, j] of calls) {
      const called = load(ours(j.uses!)!.path)
      const need: Record<string, Access> = {}
      for (const job of Object.values(called.jobs)) {
        for (const [scope, access] of Object.entries(grants(job.permissions))) {
          if (RANK[access] > RANK[need[scope] ?? 'none']) need[scope] = access
        }
      }
      expect(grants(j.permissions ?? caller.permissions)).toEqual(need)
    }
    expect(JSON.stringify(caller.permissions ?? {})).toBe('{}')
  })
})

test('the preview sweeper and the nightly smoke run on a schedule, each in its own caller file', () => {
  const sweep = load('docs/examples/sweep-caller.yml')
  const smoke = load('docs/examples/smoke-caller.yml')
  const crons = (wf: Workflow) => ((wf.on.schedule ?? []) as { cron: string }[]).map(s => s.cron)
  // every 6 hours
  expect(crons(sweep)).toEqual([expect.stringMatching(/^\d+ \*\/6 \* \* \*$/)])
  expect(crons(smoke)).toHaveLength(1)
  expect(Object.keys(smoke.on).sort()).toEqual(['schedule', 'workflow_dispatch'])
  expect(Object.keys(sweep.on).sort()).toEqual(['schedule', 'workflow_dispatch'])
})

/** The `| input | default |` table that follows the first line matching `after` in a doc. */
function docInputs(doc: string, after: RegExp): Record<string, string> {
  const lines = text(doc).split('\n')
  const start = lines.findIndex(l => after.test(l))
  const header = lines.findIndex((l, i) => i > start && l.startsWith('| input |'))
  const rows: Record<string, string> = {}
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('| `')) break
    const cells = line.split('|').map(c => c.trim().replace(/^`|`$/g, ''))
    rows[cells[1]] = cells[2]
  }
  return rows
}

test.each([
  ['.github/workflows/preview.yml', 'docs/previews.md', /^`preview\.yml`:$/],
  ['.github/workflows/sweep.yml', 'docs/previews.md', /^`sweep\.yml`:$/],
  ['.github/workflows/smoke.yml', 'docs/smoke.md', /^## The caller$/]
])('%s: %s documents exactly its inputs, with their defaults', (file, doc, after) => {
  const declared = Object.fromEntries(Object.entries(load(file).on.workflow_call?.inputs ?? {}).map(([k, v]) => [k, String(v.default ?? '')]))
  expect(docInputs(doc, after)).toEqual(declared)
})
