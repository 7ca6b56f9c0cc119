// Encodings checked against published vectors.

import { cliqueExtraData, decodeBftValidators, ibft2ExtraData, qbftExtraData } from '../../../src/platforms/ethereum/extra-data.js'
import { enodeUrl, keyFromPrivate, nodeKey } from '../../../src/platforms/ethereum/keys.js'
import { besuGenesis } from '../../../src/platforms/besu/genesis.js'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))

test('address of a private key: Besu documentation dev account', () => {
  // Besu docs, "Accounts for testing": private key 8f2a5594... belongs to account 0xfe3b557e...
  expect(keyFromPrivate(hex('8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63')).address).toBe('0xfe3b557e8fb62b89f4916b721be55ceb828dbd73')
  expect(keyFromPrivate(hex('c87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3')).address).toBe('0x627306090abab3a6e1400e9345bc60c78a8bef57')
})

test('QBFT extraData: the genesis example of Besu\'s "Configure QBFT consensus" page', () => {
  // besu.hyperledger.org/private-networks/how-to/configure/consensus/qbft, genesis file example
  const validators = ['0x64a702e6263b7297a96638cac6ae65e6541f4169', '0x3923390ad55e90c237593b3b0e401f3b08a03185', '0xaefdb9a738c9f433e5b6b212a6d62f6370c2f692', '0xc7eeb9a4e00ce683cf93039b212648e01c6c6b78']
  expect(qbftExtraData(validators)).toBe(
    '0xf87aa00000000000000000000000000000000000000000000000000000000000000000f8549464a702e6263b7297a96638cac6ae65e6541f4169943923390ad55e90c237593b3b0e401f3b08a0318594aefdb9a738c9f433e5b6b212a6d62f6370c2f69294c7eeb9a4e00ce683cf93039b212648e01c6c6b78c080c0'
  )
  expect(decodeBftValidators(qbftExtraData(validators))).toEqual(validators)
})

test('IBFT 2.0 extraData: the genesis of Besu\'s IBFT 2.0 tutorial', () => {
  // the IBFT 2.0 tutorial's genesis.json (four validators), as reproduced in "What is the extraData in Besu's IBFT genesis file"
  const validators = ['0x8539c5c368dda69bc541299a5293836ca9e3a361', '0xb97ccc82acb5d04c557e6363e283e2f0a44c0f8b', '0x2e7427a308b7e04f53cbceec3d2a9ff6955b7b45', '0xb7108387430622ffebe9c9777bbe5c7d647f9dea']
  expect(ibft2ExtraData(validators)).toBe(
    '0xf87ea00000000000000000000000000000000000000000000000000000000000000000f854948539c5c368dda69bc541299a5293836ca9e3a36194b97ccc82acb5d04c557e6363e283e2f0a44c0f8b942e7427a308b7e04f53cbceec3d2a9ff6955b7b4594b7108387430622ffebe9c9777bbe5c7d647f9dea808400000000c0'
  )
})

test('Clique extraData: 32 vanity bytes, the signers, 65 seal bytes', () => {
  const signer = '0xfe3b557e8fb62b89f4916b721be55ceb828dbd73'
  const data = cliqueExtraData([signer])
  expect(data).toBe('0x' + '00'.repeat(32) + 'fe3b557e8fb62b89f4916b721be55ceb828dbd73' + '00'.repeat(65))
  expect((data.length - 2) / 2).toBe(32 + 20 + 65)
})

test('keys are deterministic from a seed and distinct per node', () => {
  const a1 = nodeKey('org/validator-1', 'pr-42')
  expect(nodeKey('org/validator-1', 'pr-42')).toEqual(a1)
  expect(nodeKey('org/validator-2', 'pr-42').address).not.toBe(a1.address)
  expect(nodeKey('org/validator-1', 'pr-43').address).not.toBe(a1.address)
  expect(nodeKey('org/validator-1').privateKey).not.toBe(nodeKey('org/validator-1').privateKey)
  expect(a1.publicKey).toMatch(/^[0-9a-f]{128}$/)
  expect(enodeUrl(a1, 'validator-1.operator.baf.test', 15010)).toBe(`enode://${a1.publicKey}@validator-1.operator.baf.test:15010`)
})

test('a QBFT genesis carries chain id, block period, allocations and the validator set', () => {
  const g = besuGenesis({ consensus: 'qbft', chainId: 1337, blockPeriodSeconds: 2, gasLimit: '0x1fffffffffffff', accounts: ['0xFE3B557E8FB62B89F4916B721BE55CEB828DBD73'], validators: ['0x64a702e6263b7297a96638cac6ae65e6541f4169'] })
  expect(g.config).toMatchObject({ chainId: 1337, qbft: { blockperiodseconds: 2, epochlength: 30000 } })
  expect(g.alloc).toEqual({ fe3b557e8fb62b89f4916b721be55ceb828dbd73: { balance: '90000000000000000000000' } })
  expect(g.mixHash).toBe('0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365')
  expect(decodeBftValidators(g.extraData as string)).toEqual(['0x64a702e6263b7297a96638cac6ae65e6541f4169'])
  expect(besuGenesis({ consensus: 'ibft', chainId: 1, blockPeriodSeconds: 5, gasLimit: 8000000, accounts: [], validators: [] }).config).toHaveProperty('ibft2')
  expect(besuGenesis({ consensus: 'clique', chainId: 1, blockPeriodSeconds: 5, gasLimit: '8000000', accounts: [], validators: [] }).gasLimit).toBe('0x7a1200')
})
