// Besu genesis files for QBFT, IBFT 2.0, Clique and (for development) ethash, following the
// examples of Besu's private-network documentation.

import { cliqueExtraData, ibft2ExtraData, qbftExtraData } from '../ethereum/extra-data.js'

export interface BesuGenesisOpts {
  consensus: string
  chainId: number
  blockPeriodSeconds: number
  /** hex or decimal */
  gasLimit: string | number
  /** addresses funded at genesis */
  accounts: readonly string[]
  /** validators (QBFT, IBFT 2.0) or signers (Clique), as addresses */
  validators: readonly string[]
}

/** 90,000 ETH per funded account, as Bevel's samples promise */
export const FUNDED_BALANCE = '90000000000000000000000'
/** "ctical byzantine fault tolerance": the mixHash Besu requires of BFT genesis blocks */
const BFT_MIX_HASH = '0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365'
const ZERO_HASH = '0x' + '00'.repeat(32)

export function hexQuantity(value: string | number): string {
  if (typeof value === 'number') return '0x' + value.toString(16)
  if (/^0x[0-9a-f]+$/i.test(value)) return value.toLowerCase()
  if (/^\d+$/.test(value)) return '0x' + BigInt(value).toString(16)
  throw new Error(`gas limit "${value}" is neither a decimal nor a 0x-hex number`)
}

export function besuGenesis(opts: BesuGenesisOpts): Record<string, unknown> {
  const consensus = opts.consensus === 'ibft' ? 'ibft2' : opts.consensus
  const bft = { blockperiodseconds: opts.blockPeriodSeconds, epochlength: 30000, requesttimeoutseconds: Math.max(10, opts.blockPeriodSeconds * 2) }
  const engine: Record<string, unknown> =
    consensus === 'qbft'
      ? { qbft: bft }
      : consensus === 'ibft2'
        ? { ibft2: bft }
        : consensus === 'clique'
          ? { clique: { blockperiodseconds: opts.blockPeriodSeconds, epochlength: 30000, createemptyblocks: true } }
          : { ethash: { fixeddifficulty: 100 } }
  const extraData =
    consensus === 'qbft' ? qbftExtraData(opts.validators) : consensus === 'ibft2' ? ibft2ExtraData(opts.validators) : consensus === 'clique' ? cliqueExtraData(opts.validators) : '0x00'
  const alloc = Object.fromEntries(opts.accounts.map(a => [a.toLowerCase().replace(/^0x/, ''), { balance: FUNDED_BALANCE }]))
  return {
    config: {
      chainId: opts.chainId,
      berlinBlock: 0,
      londonBlock: 0,
      // a permissioned network pays no gas price, as Bevel's and Besu's private-network samples do
      zeroBaseFee: true,
      ...engine
    },
    nonce: '0x0',
    timestamp: '0x0',
    gasLimit: hexQuantity(opts.gasLimit),
    difficulty: '0x1',
    mixHash: consensus === 'qbft' || consensus === 'ibft2' ? BFT_MIX_HASH : ZERO_HASH,
    coinbase: '0x0000000000000000000000000000000000000000',
    alloc,
    extraData
  }
}
