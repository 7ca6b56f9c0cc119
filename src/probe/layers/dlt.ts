// Ledger semantics through the gateway. Ethereum clients (Besu, GoQuorum, geth): enough peers,
// a block number that advances between two samples (QBFT can answer RPC while producing no
// blocks), and the validator set when one is expected. Fabric: the operations /healthz.

import { pause } from '../bounded.js'
import { httpCall } from '../clients/http.js'
import { describeRpcFailure, hexNumber, isMethodMissing, rpcCall } from '../clients/json-rpc.js'
import type { RpcAnswer } from '../clients/json-rpc.js'
import { ABORTED } from './layer.js'
import type { LayerCheck, LayerContext } from './layer.js'
import { httpStatusCheck, httpTarget, transportFailure } from './protocol.js'

const ETHEREUM = new Set(['besu', 'quorum', 'geth'])

const VALIDATOR_METHODS: [string, unknown[]][] = [
  ['qbft_getValidatorsByBlockNumber', ['latest']],
  ['ibft_getValidatorsByBlockNumber', ['latest']],
  ['clique_getSigners', ['latest']]
]

function call(ctx: LayerContext, method: string, params: unknown[] = []): Promise<RpcAnswer> {
  return rpcCall(httpTarget(ctx), method, params, ctx.opts.requestTimeoutMs, ctx.signal)
}

/** a failed call as a layer result: a transport fault, a missing API or a wrong answer */
function rpcFailure(ctx: LayerContext, method: string, a: RpcAnswer, api: string): LayerCheck {
  if (a.kind === 'error' || a.kind === 'timeout' || a.kind === 'aborted') return transportFailure(ctx, a, method)
  if (isMethodMissing(a)) return { status: 'fail', detail: `${method}: ${describeRpcFailure(a, ctx.opts.requestTimeoutMs)}`, hint: `enable the ${api} API on the node (Besu: --rpc-http-api=${api},...)` }
  return { status: 'fail', detail: `${method}: ${describeRpcFailure(a, ctx.opts.requestTimeoutMs)}`, hint: 'the node answers JSON-RPC but not as an Ethereum client: check the gateway routes this host to the RPC port' }
}

async function blockNumber(ctx: LayerContext): Promise<{ n: number } | { failure: LayerCheck }> {
  const a = await call(ctx, 'eth_blockNumber')
  const n = a.kind === 'result' ? hexNumber(a.result) : undefined
  return n === undefined ? { failure: rpcFailure(ctx, 'eth_blockNumber', a, 'ETH') } : { n }
}

async function ethereumCheck(ctx: LayerContext): Promise<LayerCheck> {
  const minPeers = ctx.spec.dlt?.minPeers ?? 1
  const peersAnswer = await call(ctx, 'net_peerCount')
  const peers = peersAnswer.kind === 'result' ? hexNumber(peersAnswer.result) : undefined
  if (peers === undefined) return rpcFailure(ctx, 'net_peerCount', peersAnswer, 'NET')
  if (peers < minPeers) {
    return {
      status: 'fail',
      detail: `net_peerCount ${peers}, expected at least ${minPeers}`,
      hint: "the node is not connected to its peers: check the P2P ports (30303) between clusters, that each cluster's gateway has a TCP route to every node's P2P port, and that the node's static-nodes and bootnodes list the enode URL of every other node with the host and port the gateway publishes"
    }
  }
  const first = await blockNumber(ctx)
  if ('failure' in first) return first.failure
  const started = performance.now()
  const poll = Math.min(1_000, Math.max(100, ctx.opts.blockWaitMs / 10))
  let latest = first.n
  while (latest <= first.n && performance.now() - started < ctx.opts.blockWaitMs) {
    if (!(await pause(poll, ctx.signal))) return ABORTED
    const next = await blockNumber(ctx)
    if ('failure' in next) return next.failure
    latest = next.n
  }
  const waited = ((performance.now() - started) / 1000).toFixed(1)
  if (latest <= first.n) {
    return {
      status: 'fail',
      detail: `eth_blockNumber stuck at ${first.n} for ${waited} s (peers ${peers})`,
      hint: 'the chain produces no blocks: check that enough validators are up and peered (QBFT/IBFT need more than 2/3 of them) and their logs'
    }
  }
  const parts = [`peers ${peers} (>= ${minPeers})`, `block ${first.n} -> ${latest} in ${waited} s`]
  const validators = await validatorCheck(ctx)
  if (validators === undefined) return { status: 'pass', detail: parts.join(', ') }
  if ('failure' in validators) return validators.failure
  parts.push(validators.detail)
  return { status: 'pass', detail: parts.join(', ') }
}

const normalAddress = (a: string): string => {
  const hex = a.trim().toLowerCase()
  return hex.startsWith('0x') ? hex : `0x${hex}`
}

/**
 * The validator set against the expectation: the set of addresses when every expected validator's
 * address is known (case-insensitive; missing and unexpected ones named), else the count; nothing
 * when neither is expected.
 */
async function validatorCheck(ctx: LayerContext): Promise<{ detail: string } | { failure: LayerCheck } | undefined> {
  const dlt = ctx.spec.dlt
  const known = dlt?.validatorSet && dlt.validatorSet.length > 0 && dlt.validatorSet.every(v => v.address) ? dlt.validatorSet : undefined
  const count = dlt?.validators
  if (!known && count === undefined) return undefined
  const listed = await validatorList(ctx)
  if ('failure' in listed) return listed
  const { addresses, method } = listed
  if (!known) {
    if (addresses.length !== count) {
      return { failure: { status: 'fail', detail: `${method} lists ${addresses.length} validator(s), expected ${count}`, hint: 'the validator set differs from network.yaml: check the genesis extraData and pending validator votes' } }
    }
    return { detail: `${addresses.length} validators (${method})` }
  }
  const actual = new Set(addresses.map(normalAddress))
  const expected = new Map(known.map(v => [normalAddress(v.address!), `${v.org}/${v.node}`]))
  const missing = [...expected].filter(([a]) => !actual.has(a)).map(([a, name]) => `${name} ${a}`)
  const unexpected = [...actual].filter(a => !expected.has(a))
  if (missing.length > 0 || unexpected.length > 0) {
    const what = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', unexpected.length > 0 ? `unexpected ${unexpected.join(', ')}` : ''].filter(Boolean).join('; ')
    return {
      failure: {
        status: 'fail',
        detail: `${method} lists ${actual.size} validator(s), expected ${expected.size}: ${what}`,
        hint: 'the validator set differs from the deployed validators: check the genesis extraData (the validator addresses), pending validator votes and that each validator runs with its own key'
      }
    }
  }
  return { detail: `${actual.size} validators as deployed (${method})` }
}

async function validatorList(ctx: LayerContext): Promise<{ addresses: string[]; method: string } | { failure: LayerCheck }> {
  for (const [method, params] of VALIDATOR_METHODS) {
    const a = await call(ctx, method, params)
    if (isMethodMissing(a)) continue
    if (a.kind === 'result' && Array.isArray(a.result)) return { addresses: a.result.map(String), method }
    return { failure: rpcFailure(ctx, method, a, method.split('_')[0].toUpperCase()) }
  }
  return {
    failure: {
      status: 'fail',
      detail: `no validator API answers (${VALIDATOR_METHODS.map(m => m[0]).join(', ')})`,
      hint: 'enable QBFT, IBFT or CLIQUE in --rpc-http-api to check the validator set, or drop the validators expectation'
    }
  }
}

async function fabricCheck(ctx: LayerContext): Promise<LayerCheck> {
  const r = await httpCall(httpTarget(ctx), { method: 'GET', path: '/healthz', timeoutMs: ctx.opts.requestTimeoutMs, signal: ctx.signal })
  if (r.kind !== 'response') return transportFailure(ctx, r, 'GET /healthz')
  let body: { status?: string; failed_checks?: { component?: string; reason?: string }[] } = {}
  try {
    body = JSON.parse(r.body) as typeof body
  } catch {
    // a non-JSON body is judged by its status below
  }
  if (r.status === 200 && body.status === 'OK') return { status: 'pass', detail: '/healthz: OK', ms: r.ms }
  if (r.status === 503 && body.failed_checks) {
    const failed = body.failed_checks.map(c => `${c.component ?? '?'}: ${c.reason ?? '?'}`).join('; ')
    return { status: 'fail', detail: `/healthz: ${failed}`, hint: 'a component of the node is unhealthy (e.g. its CouchDB): see failed_checks and the node logs' }
  }
  return httpStatusCheck(ctx, r.status, 'GET /healthz') ?? { status: 'fail', detail: `/healthz answered HTTP ${r.status} ${JSON.stringify(r.body.slice(0, 80))}`, hint: 'the operations endpoint (9443) is not behind this route: check the gateway target port' }
}

export async function dltLayer(ctx: LayerContext): Promise<LayerCheck> {
  const platform = ctx.spec.dlt?.platform
  if (!platform) return { status: 'skip', detail: 'no ledger expectations for this endpoint' }
  if (ETHEREUM.has(platform)) return ethereumCheck(ctx)
  if (platform === 'fabric') return fabricCheck(ctx)
  return { status: 'skip', detail: `no ledger-level check for ${platform} yet` }
}
