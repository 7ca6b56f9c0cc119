// Genesis `extraData` of the proof-of-authority consensus protocols, which carries the initial
// validator set (Besu private-network docs: "IBFT 2.0" and "QBFT" genesis files, "Clique").

import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'

const VANITY = new Uint8Array(32)

function addressBytes(address: string): Uint8Array {
  const hex = address.toLowerCase().replace(/^0x/, '')
  if (!/^[0-9a-f]{40}$/.test(hex)) throw new Error(`not a 20-byte address: ${address}`)
  return hexToBytes(hex)
}

/** QBFT: RLP([32-byte vanity, [validators], vote = empty list, round = 0 (empty bytes), seals = empty list]) */
export function qbftExtraData(validators: readonly string[]): string {
  return '0x' + bytesToHex(RLP.encode([VANITY, validators.map(addressBytes), [], new Uint8Array(0), []]))
}

/** IBFT 2.0: RLP([32-byte vanity, [validators], vote = empty bytes, round = 4 zero bytes, seals = empty list]) */
export function ibft2ExtraData(validators: readonly string[]): string {
  return '0x' + bytesToHex(RLP.encode([VANITY, validators.map(addressBytes), new Uint8Array(0), new Uint8Array(4), []]))
}

/** Clique: 32-byte vanity, the signer addresses concatenated, 65 zero bytes for the seal. */
export function cliqueExtraData(signers: readonly string[]): string {
  return '0x' + bytesToHex(VANITY) + signers.map(s => bytesToHex(addressBytes(s))).join('') + '00'.repeat(65)
}

/** The validators of a QBFT or IBFT 2.0 extraData, for checks and the report. */
export function decodeBftValidators(extraData: string): string[] {
  const decoded = RLP.decode(hexToBytes(extraData.replace(/^0x/, ''))) as unknown as Uint8Array[][]
  return (decoded[1] as unknown as Uint8Array[]).map(a => '0x' + bytesToHex(a))
}
