import { Kubeconfig } from '../../../src/providers/existing/kubeconfig.js'

const YAML = `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: certs/ca.crt
- name: c2
  cluster:
    server: https://127.0.0.1:7443
    certificate-authority-data: Q0FEQVRB
users:
- name: u1
  user:
    client-certificate: /abs/u1.crt
    client-key: keys/u1.key
- name: u2
  user:
    token: abcdef123456-token
contexts:
- name: org1-ctx
  context: { cluster: c1, user: u1, namespace: org1 }
- name: org2-ctx
  context: { cluster: c2, user: u2 }
current-context: org1-ctx
`

test.each([
  ['plain YAML', YAML, 'yaml'],
  ['base64 of YAML', Buffer.from(YAML).toString('base64'), 'base64'],
  ['base64 wrapped over lines', Buffer.from(YAML).toString('base64').replace(/(.{76})/g, '$1\n'), 'base64'],
  ['a path of an existing file', '/home/runner/.kube/config', 'path']
])('a kubeconfig input as %s is recognised', (_what, value, source) => {
  expect(Kubeconfig.classifyInput(value, p => p === '/home/runner/.kube/config').source).toBe(source)
})

test('anything else is refused with what was expected', () => {
  expect(() => Kubeconfig.classifyInput('/no/such/file', () => false)).toThrow('input "kubeconfig" is neither a kubeconfig (YAML with clusters:), nor base64 of one, nor the path of an existing file')
  expect(() => Kubeconfig.classifyInput(Buffer.from('hello world, not yaml').toString('base64'), () => false)).toThrow('input "kubeconfig" is neither')
})

test('minify keeps one context, its cluster and user, with relative file paths made absolute', () => {
  const doc = Kubeconfig.parse(YAML)
  expect(Kubeconfig.contexts(doc)).toEqual(['org1-ctx', 'org2-ctx'])
  expect(Kubeconfig.minify(doc, 'org1-ctx', '/home/runner/.kube')).toEqual({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c1', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority': '/home/runner/.kube/certs/ca.crt' } }],
    users: [{ name: 'u1', user: { 'client-certificate': '/abs/u1.crt', 'client-key': '/home/runner/.kube/keys/u1.key' } }],
    contexts: [{ name: 'org1-ctx', context: { cluster: 'c1', user: 'u1', namespace: 'org1' } }],
    'current-context': 'org1-ctx'
  })
  expect(Kubeconfig.server(doc, 'org2-ctx')).toBe('https://127.0.0.1:7443')
  expect(() => Kubeconfig.minify(doc, 'org3-ctx', '/')).toThrow('context "org3-ctx" is not in the kubeconfig; it has: org1-ctx, org2-ctx')
})

test('tokens and keys are named as secrets', () => {
  expect(Kubeconfig.secrets(Kubeconfig.parse(YAML))).toEqual(['abcdef123456-token'])
  expect(() => Kubeconfig.parse('just: text')).toThrow('kubeconfig: not a kubeconfig (no contexts list)')
})
