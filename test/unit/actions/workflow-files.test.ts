// Every action.yml and workflow is checked by GitHub's own parser, and the documented surface
// (README tables, the inputs each action reads) must equal what action.yml declares.

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import { ErrorPolicy } from '@actions/workflow-parser/model/convert'
import { parse } from 'yaml'

import { PROVIDER_INPUT_NAMES } from '../../../src/actions/inputs.js'
import { ACTION_DIRS, actionFile, readAction, readmeTable, ROOT, workflowFiles } from '../../harness/action-files.js'

const actions = Object.entries(ACTION_DIRS)

describe.each(actions)('%s action.yml', (name, dir) => {
  const meta = readAction(dir)

  test('parses with no error in GitHub\'s action parser', () => {
    const file = { name: actionFile(dir), content: readFileSync(join(ROOT, actionFile(dir)), 'utf8') }
    const result = parseAction(file, new NoOperationTraceWriter())
    if (result.value) convertActionTemplate(result.context, result.value)
    expect(result.context.errors.getErrors().map(e => e.message)).toEqual([])
  })

  test('runs a bundle on node24 and describes every input and output', () => {
    expect(meta.runs.using).toBe('node24')
    expect(existsSync(join(ROOT, dir, meta.runs.main))).toBe(true)
    expect(meta.runs.main).toMatch(/dist\/(deploy|setup|cluster|network|probe|report|teardown|sweep)\/index\.js$/)
    if (meta.runs.post) {
      expect(meta.runs.post).toBe(meta.runs.main)
      expect(meta.runs['post-if']).toBe('always()')
    }
    expect(meta.branding?.icon).toBeTruthy()
    expect(meta.branding?.color).toBeTruthy()
    for (const [key, spec] of Object.entries({ ...meta.inputs, ...meta.outputs })) {
      expect({ key, description: spec.description?.length ?? 0 }).toEqual({ key, description: expect.any(Number) })
      expect(spec.description!.length).toBeGreaterThan(10)
    }
  })

  test('the README documents exactly its inputs, with their defaults', () => {
    const title = name === 'root' || name === 'deploy' ? '`deploy`' : `\`actions/${name}\``
    const documented = readmeTable(title, 'input')
    const declared = new Map(Object.entries(meta.inputs ?? {}).map(([k, v]) => [k, v.default ?? '']))
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(declared))
    const outputs = readmeTable(title, 'output')
    expect([...outputs.keys()].sort()).toEqual(Object.keys(meta.outputs ?? {}).sort())
  })

  test('the inputs the action reads are the inputs it declares', () => {
    const bundleName = name === 'root' ? 'deploy' : name
    const context = readFileSync(join(ROOT, 'src/actions', bundleName, 'context.ts'), 'utf8')
    const read = new Set([...context.matchAll(/[iI]nput\('([a-z-]+)'/g)].map(m => m[1]))
    // stateDirInput() reads "state-dir" unless given another name
    if (/stateDirInput\(\)/.test(context)) read.add('state-dir')
    // providerInputs() reads the provider options shared by deploy and cluster
    if (/providerInputs\(\)/.test(context)) for (const n of PROVIDER_INPUT_NAMES) read.add(n)
    expect([...read].sort()).toEqual(Object.keys(meta.inputs ?? {}).sort())
  })
})

test('the root action.yml is the deploy action under another path', () => {
  const root = readAction('.')
  const deploy = readAction('deploy')
  expect(root.inputs).toEqual(deploy.inputs)
  expect(root.outputs).toEqual(deploy.outputs)
  expect(join('deploy', deploy.runs.main)).toBe(root.runs.main)
  expect(root.runs.post).toBe(root.runs.main)
})

describe.each(workflowFiles().map(f => [f]))('workflow %s', file => {
  const content = readFileSync(join(ROOT, file), 'utf8')

  test('parses and converts with no error in GitHub\'s workflow parser', async () => {
    const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter())
    if (result.value) await convertWorkflowTemplate(result.context, result.value, undefined, { errorPolicy: ErrorPolicy.TryConversion })
    expect(result.context.errors.getErrors().map(e => e.message)).toEqual([])
  })

  test('declares its permissions explicitly (least privilege, not the repository default)', () => {
    const doc = parse(content) as { permissions?: unknown; jobs?: Record<string, { permissions?: unknown }> }
    const jobs = Object.values(doc.jobs ?? {})
    expect(doc.permissions !== undefined || (jobs.length > 0 && jobs.every(j => j.permissions !== undefined))).toBe(true)
  })

  test('never expands ${{ }} inside a run script (values reach scripts through env:)', () => {
    const doc = parse(content) as { jobs?: Record<string, { steps?: { run?: string }[] }> }
    for (const job of Object.values(doc.jobs ?? {})) {
      for (const step of job.steps ?? []) expect(step.run ?? '').not.toMatch(/\$\{\{/)
    }
  })
})

test('there is at least the project CI workflow', () => {
  expect(workflowFiles()).toContain('.github/workflows/ci.yml')
})
