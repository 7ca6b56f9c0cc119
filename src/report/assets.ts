// Finds the Mermaid browser bundle that report.html inlines, so the page renders the diagram
// offline when opened from a downloaded artifact. The build copies it to dist/assets/; from the
// TypeScript sources (tests, a development checkout) it comes from node_modules.

import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

export const MERMAID_ASSET = 'mermaid.min.js'

export interface Asset {
  path: string
  text: string
}

/** where the bundle can be, nearest first: dist/assets beside an entry or a chunk, then node_modules */
export function mermaidCandidates(from: string = import.meta.url): string[] {
  const out = [new URL(`./assets/${MERMAID_ASSET}`, from), new URL(`../assets/${MERMAID_ASSET}`, from)].map(u => fileURLToPath(u))
  try {
    out.push(createRequire(from).resolve(`mermaid/dist/${MERMAID_ASSET}`))
  } catch {
    // not installed: the page then says the diagram could not be drawn, and shows its text
  }
  return out
}

let cached: Promise<Asset | undefined> | undefined

/** the Mermaid bundle's text, or undefined when no copy is found (read once per process) */
export function loadMermaid(): Promise<Asset | undefined> {
  cached ??= (async () => {
    for (const path of mermaidCandidates()) {
      try {
        return { path, text: await readFile(path, 'utf8') }
      } catch {
        // try the next place
      }
    }
    return undefined
  })()
  return cached
}
