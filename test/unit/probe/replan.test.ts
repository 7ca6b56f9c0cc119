// `baf probe --network FILE` probes FILE's plan on the clusters the state records: a plan naming a
// cluster the state does not have is refused by name.

import { clustersNotInState } from '../../../src/probe/run.js'
import type { State } from '../../../src/state/state.js'

const cluster = (name: string): State['clusters'][number] => ({ name, provider: 'sim', kubeconfig: '/nonexistent', context: name, limitations: [] })
const plan = (...names: string[]) => ({ clusters: names.map(name => ({ name })) }) as Parameters<typeof clustersNotInState>[0]

test('every cluster of the plan must be in the state', () => {
  expect(clustersNotInState(plan('sim-operator', 'sim-member'), [cluster('sim-member'), cluster('sim-operator')])).toEqual([])
  expect(clustersNotInState(plan('sim-operator', 'sim-member', 'sim-third'), [cluster('sim-operator'), cluster('sim-member')])).toEqual(['sim-third'])
  expect(clustersNotInState(plan('sim-operator'), [])).toEqual(['sim-operator'])
  // a state cluster the plan does not use is no problem: its probes are simply not planned
  expect(clustersNotInState(plan('sim-operator'), [cluster('sim-operator'), cluster('sim-member')])).toEqual([])
})
