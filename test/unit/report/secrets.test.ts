// The report is posted where anyone who reads the PR can read it: no token, password, key or
// kubeconfig path from the state may reach the Markdown, the HTML page or report.json.

import { renderHtml } from '../../../src/report/html.js'
import { esc, renderMarkdown } from '../../../src/report/markdown.js'
import { buildReport } from '../../../src/report/model.js'
import { Redactor } from '../../../src/report/redact.js'
import { loadState } from './helpers.js'

const ACTION_TOKEN = 'ghs_actionTokenPassedAsInput0123456789'
const SECRETS = {
  github: 'ghp_0123456789abcdefghijABCDEFGHIJ012345',
  jwt: 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  password: 'hunter2-Vault!',
  userinfo: 's3cr3tPa55',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  rootToken: 's.8mUnGfY3vX2bq',
  pem: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'
}

function leakyState() {
  const state = loadState('besu-3-probed')
  const fail = state.probes!.results.find(r => r.outcome === 'fail')!
  const layer = fail.layers.find(l => l.status === 'fail')!
  layer.detail = `HTTP 401 with Authorization: Bearer ${SECRETS.jwt}; retried with token ${SECRETS.github}`
  layer.hint = `check https://deploy:${SECRETS.userinfo}@registry.example.com/v2/ and root_token: ${SECRETS.rootToken}`
  state.releases![0] = { ...state.releases![0], status: 'failed', detail: `helm: values password=${SECRETS.password} aws_access_key_id ${SECRETS.aws}` }
  state.timings[0].detail = `-----BEGIN RSA PRIVATE KEY-----\n${SECRETS.pem}\n-----END RSA PRIVATE KEY-----`
  state.timings[0].outcome = 'failed'
  state.versions = { ...state.versions, helm: `v3.22.0 (token=${ACTION_TOKEN})` }
  state.clusters[0].limitations = [`kubeconfig user token ${SECRETS.jwt}`]
  return state
}

test('no secret from the state reaches the Markdown, the HTML page or report.json', () => {
  const report = buildReport(leakyState(), { secrets: [ACTION_TOKEN] })
  const outputs = {
    markdown: renderMarkdown(report).markdown,
    comment: renderMarkdown(report, { limit: 4000 }).markdown,
    html: renderHtml(report),
    json: JSON.stringify(report)
  }
  for (const [where, text] of Object.entries(outputs)) {
    for (const [name, secret] of Object.entries({ ...SECRETS, action: ACTION_TOKEN })) expect({ where, name, leaked: text.includes(secret) }).toEqual({ where, name, leaked: false })
    // kubeconfig paths and API servers are not report material
    expect(text).not.toContain('/kubeconfig')
    expect(text).not.toContain('https://127.0.0.1:6443')
  }
  // what is left still says what happened
  expect(outputs.markdown).toContain('HTTP 401 with Authorization: Bearer &#42;&#42;&#42;; retried with token &#42;&#42;&#42;')
  expect(outputs.markdown).toContain('(private key redacted)')
})

test.each([
  ['Authorization: token abcdef0123456789abcdef', 'Authorization: token ***'],
  ['curl -H "authorization: Bearer abc.def.ghi-jkl"', 'curl -H "authorization: Bearer ***"'],
  ['https://user:pa55@example.com/x', 'https://***@example.com/x'],
  ['{"password":"x1","user":"bob"}', '{"password":"***","user":"bob"}'],
  ['client_secret=abc123&x=1', 'client_secret=***&x=1'],
  ['GITHUB_TOKEN=ghs_0123456789012345678901234567', 'GITHUB_TOKEN=***'],
  ['plain detail: connection refused (127.0.10.3:22)', 'plain detail: connection refused (127.0.10.3:22)'],
  ['peers 5, tokens of gratitude', 'peers 5, tokens of gratitude']
])('Redactor: %s', (input, output) => {
  expect(new Redactor().redact(input)).toBe(output)
})

test('Redactor removes the exact values it is given, longest first', () => {
  expect(new Redactor({ secrets: ['abcd', 'abcdefgh', 'xy'] }).redact('abcdefgh abcd xy')).toBe('*** *** xy')
})

test('esc: free text cannot format, tag, mention or break a table', () => {
  expect(esc('<img src=x> @octocat | **bold** `code` [link](x) # h')).toBe('&lt;img src=x&gt; &#64;octocat &#124; &#42;&#42;bold&#42;&#42; &#96;code&#96; &#91;link&#93;(x) &#35; h')
})
