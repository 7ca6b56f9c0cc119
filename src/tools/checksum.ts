// Checksum files as upstream projects publish them, parsed without running `sha256sum`:
//   kubectl, kube-apiserver (`<url>.sha256`):      "<hex>"
//   kind (`<url>.sha256sum`), helm (`.sha256sum`): "<hex>  <file>"
//   etcd (`SHA256SUMS`):                            "<hex>  <file>" per artifact
//   binary-mode and BSD styles:                     "<hex> *<file>", "SHA256 (<file>) = <hex>"

import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

export class Checksum {
  /** Every (file, digest) pair in the text; a bare digest is keyed by the empty string. */
  static parse(text: string): Map<string, string> {
    const out = new Map<string, string>()
    for (const raw of text.split('\n')) {
      const line = raw.trim()
      if (!line || line.startsWith('#')) continue
      const bsd = line.match(/^SHA256 \((.+)\) = ([0-9a-fA-F]{64})$/)
      if (bsd) {
        out.set(bsd[1], bsd[2].toLowerCase())
        continue
      }
      const gnu = line.match(/^([0-9a-fA-F]{64})(?:\s+\*?(.+))?$/)
      if (gnu) out.set(gnu[2]?.trim().replace(/^\.\//, '') ?? '', gnu[1].toLowerCase())
    }
    return out
  }

  /**
   * The digest a checksum file gives for `file` (a base name). A file with a single bare digest
   * answers for any name; a file that lists names must list this one.
   */
  static digestFor(text: string, file: string): string | undefined {
    const entries = Checksum.parse(text)
    if (entries.has(file)) return entries.get(file)
    for (const [name, digest] of entries) if (name.split('/').pop() === file) return digest
    if (entries.size === 1 && entries.has('')) return entries.get('')
    return undefined
  }

  static async ofFile(path: string): Promise<string> {
    const hash = createHash('sha256')
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
    return hash.digest('hex')
  }
}
