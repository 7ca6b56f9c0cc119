// Test certificates made by our code (ECDSA P-256, as the sim provider's PKI): an org CA, server
// certificates with chosen names, an expired one, and a "default" certificate like a gateway's.

import 'reflect-metadata'
import { webcrypto } from 'node:crypto'

import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY = 24 * 60 * 60 * 1000

export interface Pem {
  cert: string
  key: string
}

export interface TestCa extends Pem {
  issue(names: string[], opts?: { cn?: string; notBefore?: Date; notAfter?: Date }): Promise<Pem>
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64')
  return `-----BEGIN PRIVATE KEY-----\n${der.replace(/(.{64})/g, '$1\n').trim()}\n-----END PRIVATE KEY-----\n`
}

const serial = (): string => Buffer.from(webcrypto.getRandomValues(new Uint8Array(12))).toString('hex').replace(/^[89a-f]/, '1')
const generate = async (): Promise<webcrypto.CryptoKeyPair> => (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair

export async function createCa(name: string): Promise<TestCa> {
  const keys = await generate()
  const now = Date.now()
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore: new Date(now - 2 * 365 * DAY),
    notAfter: new Date(now + 365 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true)]
  })
  return {
    cert: caCert.toString('pem') + '\n',
    key: await keyPem(keys.privateKey),
    async issue(names, opts = {}) {
      const leaf = await generate()
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${opts.cn ?? names[0]}`,
        issuer: caCert.subject,
        notBefore: opts.notBefore ?? new Date(now - DAY),
        notAfter: opts.notAfter ?? new Date(now + 30 * DAY),
        signingKey: keys.privateKey,
        publicKey: leaf.publicKey,
        signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names.map(value => ({ type: 'dns' as const, value })))] : [])
        ]
      })
      return { cert: cert.toString('pem') + '\n', key: await keyPem(leaf.privateKey) }
    }
  }
}

/** a certificate valid last year only */
export function expired(): { notBefore: Date; notAfter: Date } {
  const now = Date.now()
  return { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 35 * DAY) }
}
