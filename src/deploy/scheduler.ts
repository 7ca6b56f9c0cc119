// Runs a dependency graph with bounded concurrency: every item starts as soon as all it depends on
// has succeeded, so the wall time is the critical path, not the sum of the waves.

export type Outcome = { status: 'ok'; seconds: number } | { status: 'failed'; seconds: number; error: Error } | { status: 'skipped'; reason: string }

export interface DagItem {
  id: string
  dependsOn: string[]
}

export async function runDag<T extends DagItem>(items: readonly T[], run: (item: T) => Promise<void>, concurrency: number): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>()
  const promises = new Map<string, Promise<Outcome>>()
  const byId = new Map(items.map(i => [i.id, i]))
  let running = 0
  const queue: (() => void)[] = []
  const acquire = (): Promise<void> =>
    new Promise(resolve => {
      if (running < concurrency) {
        running++
        resolve()
      } else queue.push(() => resolve())
    })
  const release = (): void => {
    const next = queue.shift()
    if (next) next()
    else running--
  }

  const start = (item: T, path: string[]): Promise<Outcome> => {
    const known = promises.get(item.id)
    if (known) return known
    if (path.includes(item.id)) return Promise.resolve({ status: 'skipped', reason: `dependency cycle: ${[...path, item.id].join(' -> ')}` })
    const promise = (async (): Promise<Outcome> => {
      const deps = await Promise.all(
        item.dependsOn.map(d => {
          const dep = byId.get(d)
          return dep ? start(dep, [...path, item.id]) : Promise.resolve<Outcome>({ status: 'skipped', reason: `unknown dependency ${d}` })
        })
      )
      const blocked = item.dependsOn.filter((_, i) => deps[i].status !== 'ok')
      if (blocked.length > 0) return { status: 'skipped', reason: `waits for ${blocked.join(', ')}, which did not succeed` }
      await acquire()
      const started = Date.now()
      try {
        await run(item)
        return { status: 'ok', seconds: (Date.now() - started) / 1000 }
      } catch (e) {
        return { status: 'failed', seconds: (Date.now() - started) / 1000, error: e instanceof Error ? e : new Error(String(e)) }
      } finally {
        release()
      }
    })()
    promises.set(item.id, promise)
    promise.then(o => outcomes.set(item.id, o))
    return promise
  }

  await Promise.all(items.map(i => start(i, [])))
  return outcomes
}
