// Starting and stopping the control-plane processes: argv arrays only, logs to files, PIDs recorded
// so that stop kills exactly what start launched, even from another process (`baf cluster delete`).

import { spawn } from 'node:child_process'
import { openSync, closeSync } from 'node:fs'
import { createServer } from 'node:net'

export interface StartedProcess {
  name: string
  pid: number
  log: string
  /** what was started, so a component can be restarted exactly as it was */
  binary: string
  args: string[]
}

/** Starts a long-lived component detached from our process group, its output appended to `log`. */
export function startProcess(name: string, binary: string, args: string[], log: string, env: NodeJS.ProcessEnv = process.env): StartedProcess {
  const fd = openSync(log, 'a', 0o600)
  try {
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd], env })
    if (child.pid === undefined) throw new Error(`${name}: could not start ${binary}`)
    // a failed exec surfaces as an 'error' event; the readiness wait reports it with the log's tail
    child.on('error', () => undefined)
    child.unref()
    return { name, pid: child.pid, log, binary, args }
  } finally {
    closeSync(fd)
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
/** SIGTERM, then SIGKILL after `graceMs`; a grace of 0 kills at once, as a crash would. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return
  try {
    if (graceMs > 0) process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  const deadline = Date.now() + graceMs
  while (isAlive(pid) && Date.now() < deadline) await sleep(50)
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      return
    }
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(20)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

// Below Linux's ephemeral range (32768-60999): a port the kernel hands out for `listen(0)` is one it
// may also give to any outgoing connection before our component binds it.
const PORT_RANGE = { from: 20_000, to: 32_000 }

/** Whether `port` can be bound on 127.0.0.1 right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * A TCP port on 127.0.0.1 that is free now, picked at random outside the ephemeral range. Another
 * process can still take it before the component binds: the launcher retries on that.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from))
    if (await bindable(port)) return port
  }
  throw new Error(`no free port on 127.0.0.1 between ${PORT_RANGE.from} and ${PORT_RANGE.to}`)
}
