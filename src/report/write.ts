// Writes the three renderings of a state into a directory: report.md (the comment-sized Markdown
// that is posted as it is), report.json (the whole report model) and report.html (everything,
// with the diagram drawn offline). `baf report`, `baf up` and the report action all call this.

import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { loadMermaid } from './assets.js'
import { renderHtml } from './html.js'
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from './markdown.js'
import { buildReport } from './model.js'

import type { State } from '../state/state.js'
import type { RenderedMarkdown } from './markdown.js'
import type { BuildReportOpts, Report } from './model.js'

export const REPORT_FILES = { markdown: 'report.md', json: 'report.json', html: 'report.html' } as const

/** room kept free in a comment for the hidden marker and the footer the comment adds */
export const COMMENT_RESERVE = 1024

export interface WriteReportOpts extends BuildReportOpts {
  outDir: string
  /** ISO time for report.json and the page footer; now when absent */
  generatedAt?: string
  /** where the full report is, for the note in a shortened report.md */
  fullReport?: string
}

export interface WrittenReport {
  dir: string
  report: Report
  markdown: RenderedMarkdown
  paths: { markdown: string; json: string; html: string }
  /** where the inlined Mermaid bundle came from; undefined when none was found */
  mermaid?: string
}

export async function writeReport(state: State, opts: WriteReportOpts): Promise<WrittenReport> {
  const report = buildReport(state, opts)
  const markdown = renderMarkdown(report, { limit: GITHUB_COMMENT_LIMIT - COMMENT_RESERVE, fullReport: opts.fullReport })
  const generatedAt = opts.generatedAt ?? new Date().toISOString()
  const mermaid = await loadMermaid()
  const page = renderHtml(report, { mermaidJs: mermaid?.text, generatedAt })
  await mkdir(opts.outDir, { recursive: true })
  const paths = { markdown: join(opts.outDir, REPORT_FILES.markdown), json: join(opts.outDir, REPORT_FILES.json), html: join(opts.outDir, REPORT_FILES.html) }
  await Promise.all([
    writeFile(paths.markdown, markdown.markdown),
    writeFile(paths.json, JSON.stringify({ ...report, generatedAt }, null, 2) + '\n'),
    writeFile(paths.html, page)
  ])
  return { dir: opts.outDir, report, markdown, paths, mermaid: mermaid?.path }
}
