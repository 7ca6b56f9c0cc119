import type { PathSegment } from './diagnostics.js'
import { fromPointer, toPointer } from './diagnostics.js'

export interface Position {
  line: number
  col: number
}

interface Entry {
  /** where the key that holds this value starts (absent for list items and the root) */
  key?: Position
  /** where the value itself starts */
  value: Position
}

/**
 * Positions of every value of a parsed document, keyed by JSON Pointer into the *normalised*
 * data (after Bevel's `- organization:` quirk is folded away), so schema errors and semantic
 * checks can both be located without knowing how the YAML was written.
 */
export class SourceMap {
  private readonly entries = new Map<string, Entry>()

  set(path: readonly PathSegment[], entry: Entry): void {
    this.entries.set(toPointer(path), entry)
  }

  /** Position of the value at `pointer`; falls back to the nearest ancestor that exists. */
  valueAt(pointer: string): Position {
    return this.lookup(pointer, 'value')
  }

  /** Position of the key introducing `pointer` (for "unknown key" and "wrong type" messages). */
  keyAt(pointer: string): Position {
    return this.lookup(pointer, 'key')
  }

  has(pointer: string): boolean {
    return this.entries.has(pointer)
  }

  private lookup(pointer: string, which: 'key' | 'value'): Position {
    const segments = fromPointer(pointer)
    for (let n = segments.length; n >= 0; n--) {
      const entry = this.entries.get(toPointer(segments.slice(0, n)))
      if (entry) return (which === 'key' ? entry.key : undefined) ?? entry.value
    }
    return { line: 1, col: 1 }
  }
}
