// P1: cold `baf validate` of a two-organisation network against a bare `node -e 0`
// (medians of alternating runs; target <= 1.5x).

import { execFileSync } from 'node:child_process'

const RUNS = 15
const time = args => {
  const t = process.hrtime.bigint()
  execFileSync(process.execPath, args, { stdio: 'ignore' })
  return Number(process.hrtime.bigint() - t) / 1e6
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const bare = []
const validate = []
time(['-e', '0'])
time(['dist/cli.js', 'validate', 'examples/besu-2-clusters.yaml'])
for (let i = 0; i < RUNS; i++) {
  bare.push(time(['-e', '0']))
  validate.push(time(['dist/cli.js', 'validate', 'examples/besu-2-clusters.yaml']))
}
console.log(`P1 cold validate ${median(validate).toFixed(0)} ms, node -e 0 ${median(bare).toFixed(0)} ms`)
console.log(`P1 ratio cold validate / node -e 0: ${(median(validate) / median(bare)).toFixed(2)} (target <= 1.5)`)
