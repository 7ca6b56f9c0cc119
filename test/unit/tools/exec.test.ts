// The one subprocess wrapper: argv arrays, timeouts, streamed and redacted output, the program's
// own message in errors.

import { Exec, ExecError, mapLimit } from '../../../src/exec/exec.js'
import { MemoryLogger } from '../../../src/log/logger.js'

const node = process.execPath

test('argv reaches the program untouched: no shell, so quotes, spaces and $ stay literal', async () => {
  const r = await Exec.run(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', 'a b', '$HOME', "it's", '; rm -rf /'])
  expect(JSON.parse(r.stdout)).toEqual(['a b', '$HOME', "it's", '; rm -rf /'])
  expect(r).toMatchObject({ exitCode: 0, timedOut: false })
})

test('stdin, exit code and both streams come back', async () => {
  const r = await Exec.run(node, ['-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log(s.toUpperCase());console.error("warn");process.exit(3)})'], { input: 'hello' })
  expect(r).toEqual({ exitCode: 3, stdout: 'HELLO\n', stderr: 'warn\n', timedOut: false })
})

test('a program that runs too long is killed, with its children, within the bound', async () => {
  const started = Date.now()
  const r = await Exec.run('sh', ['-c', 'sleep 30 & sleep 30; echo never'], { timeoutMs: 300 })
  expect(r.timedOut).toBe(true)
  expect(r.stdout).toBe('')
  expect(Date.now() - started).toBeLessThan(6_000)
})

test('a missing program is exit 127 with a plain message', async () => {
  const r = await Exec.run('baf-no-such-program', ['x'])
  expect(r).toMatchObject({ exitCode: 127, stderr: 'baf-no-such-program: command not found on PATH' })
})

test('lines stream to the log with a prefix; secrets never reach the log or the result', async () => {
  const log = new MemoryLogger()
  Exec.addSecret('registered-token-123')
  const r = await Exec.run(node, ['-e', 'console.log("token=registered-token-123");console.error("key=s3cr3t-value");console.log("done")'], { log, prefix: 'alpha', secrets: ['s3cr3t-value'] })
  expect(r.stdout).toBe('token=***\ndone\n')
  expect(r.stderr).toBe('key=***\n')
  expect(log.lines.filter(l => l.startsWith('info:')).sort()).toEqual(['info: [alpha] done', 'info: [alpha] key=***', 'info: [alpha] token=***'])
  expect(log.lines.join('\n')).not.toMatch(/registered-token-123|s3cr3t-value/)
  Exec.secrets.clear()
})

test('checked: a failure carries the program\'s own last lines', async () => {
  const err = await Exec.checked(node, ['-e', 'console.error("ERROR: failed to create cluster: node(s) already exist for a cluster with the name \\"beta\\"");process.exit(1)'], { what: 'kind create cluster --name beta' }).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ExecError)
  expect((err as Error).message).toBe('kind create cluster --name beta failed (exit 1): ERROR: failed to create cluster: node(s) already exist for a cluster with the name "beta"')
})

test('format quotes what a shell would split', () => {
  expect(Exec.format('kind', ['create', 'cluster', '--name', 'a b', "it's"])).toBe(`kind create cluster --name 'a b' 'it'\\''s'`)
})

test('mapLimit keeps order and never runs more than the limit at once', async () => {
  let running = 0
  let peak = 0
  const results = await mapLimit([5, 1, 4, 2, 3], 2, async n => {
    running++
    peak = Math.max(peak, running)
    await new Promise(r => setTimeout(r, n * 5))
    running--
    if (n === 4) throw new Error('four')
    return n * 10
  })
  expect(peak).toBe(2)
  expect(results.map(r => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([50, 10, 'four', 20, 30])
})

test('which finds an executable on PATH without running it; require names what to install', () => {
  expect(Exec.which('sh')).toMatch(/\/sh$/)
  expect(Exec.which('baf-no-such-program')).toBeUndefined()
  expect(() => Exec.require('baf-no-such-program', 'install it with the setup action')).toThrow('baf-no-such-program is not on PATH; install it with the setup action')
})
