// The fork-safe example workflows in docs/examples/ parse in GitHub's own workflow parser, keep
// least privilege, and the posting workflow never checks out the pull request's code.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { ErrorPolicy } from '@actions/workflow-parser/model/convert'
import { parse } from 'yaml'

import { readAction } from '../../harness/action-files.js'

const DIR = 'docs/examples'
// the report's own examples; the preview, sweep and smoke callers are checked in test/unit/actions
const files = readdirSync(DIR).filter(f => /^report-.*\.ya?ml$/.test(f))

interface Step {
  uses?: string
  run?: string
  with?: Record<string, string | boolean>
}
interface Workflow {
  name: string
  on: Record<string, { workflows?: string[] } | null>
  permissions: Record<string, string>
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>
}

const load = (f: string): Workflow => parse(readFileSync(join(DIR, f), 'utf8')) as Workflow

test('both halves of the fork-safe flow are there', () => {
  expect(files.sort()).toEqual(['report-pull-request.yml', 'report-workflow-run.yml'])
})

describe.each(files.map(f => [f]))('%s', file => {
  const content = readFileSync(join(DIR, file), 'utf8')

  test('parses and converts with no error in GitHub\'s workflow parser', async () => {
    const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter())
    if (result.value) await convertWorkflowTemplate(result.context, result.value, undefined, { errorPolicy: ErrorPolicy.TryConversion })
    expect(result.context.errors.getErrors().map(e => e.message)).toEqual([])
  })

  test('every input given to the report action is one it declares', () => {
    const declared = Object.keys(readAction('actions/report').inputs ?? {})
    for (const job of Object.values(load(file).jobs))
      for (const step of job.steps) if (step.uses?.includes('/actions/report@')) for (const key of Object.keys(step.with ?? {})) expect(declared).toContain(key)
  })

  test('no ${{ }} inside a run script', () => {
    for (const job of Object.values(load(file).jobs)) for (const step of job.steps) expect(step.run ?? '').not.toMatch(/\$\{\{/)
  })
})

test('the pull_request half reads only, posts nothing, and uploads the report directory', () => {
  const wf = load('report-pull-request.yml')
  expect(Object.keys(wf.on)).toEqual(['pull_request'])
  expect(wf.permissions).toEqual({ contents: 'read' })
  const steps = Object.values(wf.jobs).flatMap(j => j.steps)
  expect(Object.values(wf.jobs).every(j => j.permissions === undefined)).toBe(true)
  expect(steps.find(s => s.uses?.includes('/actions/report@'))?.with).toEqual({ comment: false })
  expect(steps.find(s => s.uses?.startsWith('actions/upload-artifact@'))?.with).toMatchObject({ name: 'baf-report', path: '${{ steps.report.outputs.report-path }}' })
})

test('the workflow_run half never checks out code and holds only what posting needs', () => {
  const wf = load('report-workflow-run.yml')
  expect(wf.on.workflow_run?.workflows).toEqual([load('report-pull-request.yml').name])
  expect(wf.permissions).toEqual({})
  const jobs = Object.values(wf.jobs)
  expect(jobs.map(j => j.permissions)).toEqual([{ actions: 'read', 'pull-requests': 'write' }])
  const steps = jobs.flatMap(j => j.steps)
  expect(steps.some(s => s.uses?.startsWith('actions/checkout') || s.run !== undefined)).toBe(false)
  expect(steps.find(s => s.uses?.startsWith('actions/download-artifact@'))?.with).toMatchObject({ name: 'baf-report', 'run-id': '${{ github.event.workflow_run.id }}' })
  expect(steps.find(s => s.uses?.includes('/actions/report@'))?.with).toEqual({ 'from-artifact': '${{ runner.temp }}/baf-report' })
})
