// Node keys of Ethereum-family clients (Besu, GoQuorum, geth): a secp256k1 key pair, the 20-byte
// address (keccak-256 of the public key, last 20 bytes) and the enode id (the 64-byte public key).

import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

export interface NodeKey {
  /** 32-byte private key, hex without 0x; a secret: never logged, stored only in a Kubernetes Secret */
  privateKey: string
  /** 64-byte uncompressed public key without the 0x04 prefix, hex: the enode id */
  publicKey: string
  /** 20-byte address, lower-case hex with 0x */
  address: string
}

export function keyFromPrivate(privateKey: Uint8Array): NodeKey {
  const pub = secp256k1.getPublicKey(privateKey, false).slice(1)
  return {
    privateKey: bytesToHex(privateKey),
    publicKey: bytesToHex(pub),
    address: '0x' + bytesToHex(keccak_256(pub).slice(12))
  }
}

/**
 * A key derived from a seed and a stable label (`<org>/<node>`): the same seed always gives the
 * same network, so a PR preview keeps its enodes and addresses across pushes. Without a seed the
 * key is random.
 */
export function nodeKey(label: string, seed?: string): NodeKey {
  if (!seed) return keyFromPrivate(secp256k1.utils.randomSecretKey())
  for (let counter = 0; counter < 256; counter++) {
    const candidate = sha256(utf8ToBytes(`baf-action/node-key/v1\u0000${seed}\u0000${label}\u0000${counter}`))
    // a hash is a valid scalar except with negligible probability; retry rather than assume
    if (secp256k1.utils.isValidSecretKey(candidate)) return keyFromPrivate(candidate)
  }
  throw new Error(`cannot derive a key for ${label}`)
}

export function enodeUrl(key: Pick<NodeKey, 'publicKey'>, host: string, port: number): string {
  return `enode://${key.publicKey}@${host}:${port}`
}
