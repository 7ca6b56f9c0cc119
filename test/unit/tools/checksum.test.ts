import { Checksum } from '../../../src/tools/checksum.js'

const A = 'a'.repeat(64)
const B = 'B'.repeat(64)

describe('Checksum.digestFor', () => {
  test.each([
    ['kubectl .sha256: a bare digest', `${A}`, 'kubectl', A],
    ['kubectl .sha256 with a trailing newline', `${A}\n`, 'kubectl', A],
    ['kind .sha256sum: digest, two spaces, name', `${A}  kind-linux-amd64\n`, 'kind-linux-amd64', A],
    ['binary mode marker', `${A} *helm-v3.22.0-linux-amd64.tar.gz`, 'helm-v3.22.0-linux-amd64.tar.gz', A],
    ['upper-case digests are normalised', `${B}  etcd.tar.gz`, 'etcd.tar.gz', 'b'.repeat(64)],
    ['etcd SHA256SUMS: the right line of many', `${B}  etcd-v3.6.5-darwin-arm64.zip\n${A}  etcd-v3.6.5-linux-amd64.tar.gz\n`, 'etcd-v3.6.5-linux-amd64.tar.gz', A],
    ['BSD style', `SHA256 (kwok-linux-amd64) = ${A}`, 'kwok-linux-amd64', A],
    ['a path in the listing', `${A}  ./dist/kind-linux-amd64`, 'kind-linux-amd64', A]
  ])('%s', (_what, text, file, expected) => {
    expect(Checksum.digestFor(text, file)).toBe(expected)
  })

  test.each([
    ['a listing without the file', `${A}  other-file`, 'kind-linux-amd64'],
    ['an HTML error page', '<html><body>Not Found</body></html>', 'kind'],
    ['a short digest', 'abc123  kind', 'kind'],
    ['empty', '', 'kind']
  ])('%s gives no digest', (_what, text, file) => {
    expect(Checksum.digestFor(text, file)).toBeUndefined()
  })
})
