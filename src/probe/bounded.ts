// Every wait in the engine goes through here: it ends on the first of result, timeout or the suite
// deadline, and closes every socket the work registered whatever ended it, so a hung target costs
// its timeout and leaves nothing open.

export type Bounded<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'aborted' }

export type Finish<T> = (value: T) => void
/** registers a cleanup (destroy a socket, close a session); run once, on whatever ends the wait */
export type OnClose = (fn: () => void) => void

export function bounded<T>(ms: number, signal: AbortSignal | undefined, start: (finish: Finish<T>, onClose: OnClose) => void): Promise<Bounded<T>> {
  return new Promise((resolve, reject) => {
    const closers: (() => void)[] = []
    let settled = false
    const closeAll = (): void => {
      for (const close of closers.splice(0)) {
        try {
          close()
        } catch {
          // a cleanup that throws (a socket already gone) must not stop the others
        }
      }
    }
    const settle = (result: Bounded<T>): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      closeAll()
      resolve(result)
    }
    const onAbort = (): void => settle({ kind: 'aborted' })
    const timer = setTimeout(() => settle({ kind: 'timeout' }), Math.max(0, ms))
    if (signal?.aborted) {
      settle({ kind: 'aborted' })
      return
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      start(
        value => settle({ kind: 'done', value }),
        fn => {
          closers.push(fn)
          if (settled) closeAll()
        }
      )
    } catch (e) {
      // a synchronous throw (an invalid port) must not leave the timer or the listener behind
      if (!settled) {
        settled = true
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        closeAll()
      }
      reject(e instanceof Error ? e : new Error(String(e)))
    }
  })
}

/** Sleeps, waking early (false) when the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  return bounded<never>(ms, signal, () => undefined).then(r => r.kind === 'timeout')
}
