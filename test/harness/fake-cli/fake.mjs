// A recording stand-in for a CLI that cannot run here (kind, docker, helm, eksctl, az, gcloud, aws,
// go). Invoked as `fake.mjs <tool> args...` by a one-line wrapper named after the tool. It appends
// what it was handed (argv, stdin, the content of every argument that names a file, KUBECONFIG) to
// $FAKE_CLI_LOG as one JSON line, then behaves as the first matching rule of $FAKE_CLI_SCRIPT says:
// print, write a file (a kubeconfig), wait, and exit with a code.

import { appendFileSync, copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'

const [tool, ...argv] = process.argv.slice(2)
const started = Date.now()

function fileArgs(args) {
  const files = {}
  for (const a of args) {
    const value = a.includes('=') && a.startsWith('-') ? a.slice(a.indexOf('=') + 1) : a
    try {
      if (value.startsWith('/') && existsSync(value) && statSync(value).isFile() && statSync(value).size < 1_000_000) files[value] = readFileSync(value, 'utf8')
    } catch {
      // not a readable file: nothing to record
    }
  }
  return files
}

let stdin = ''
if (!process.stdin.isTTY) {
  try {
    stdin = readFileSync(0, 'utf8')
  } catch {
    stdin = ''
  }
}

const script = process.env.FAKE_CLI_SCRIPT ? JSON.parse(readFileSync(process.env.FAKE_CLI_SCRIPT, 'utf8')) : { rules: [] }
const matches = rule =>
  (rule.tool === undefined || rule.tool === tool) &&
  (rule.args ?? []).every((a, i) => argv[i] === a) &&
  (rule.includes ?? []).every(a => argv.includes(a))
const rule = script.rules.find(matches) ?? {}

function valueAfter(flag) {
  const i = argv.indexOf(flag)
  if (i >= 0) return argv[i + 1]
  const eq = argv.find(a => a.startsWith(`${flag}=`))
  return eq ? eq.slice(flag.length + 1) : undefined
}

function record(exitCode) {
  if (!process.env.FAKE_CLI_LOG) return
  const line = { tool, argv, stdin, files: fileArgs(argv), kubeconfigEnv: process.env.KUBECONFIG, cwd: process.cwd(), started, ended: Date.now(), exitCode }
  appendFileSync(process.env.FAKE_CLI_LOG, JSON.stringify(line) + '\n')
}

if (rule.delayMs) await new Promise(r => setTimeout(r, rule.delayMs))
for (const w of rule.write ?? []) {
  const target = w.flag ? valueAfter(w.flag) : w.env ? process.env[w.env] : w.path
  if (!target) continue
  if (w.copyFrom) copyFileSync(w.copyFrom, target)
  else writeFileSync(target, (w.content ?? '').replaceAll('{arg}', target), { mode: 0o600 })
}
const exitCode = rule.exitCode ?? 0
record(exitCode)
if (rule.stdout) process.stdout.write(rule.stdout.replaceAll('{name}', valueAfter('--name') ?? ''))
if (rule.stderr) process.stderr.write(rule.stderr.replaceAll('{name}', valueAfter('--name') ?? ''))
process.exit(exitCode)
