// Test certificates made by our code (ECDSA P-256, as the sim provider's PKI): an org CA, server
// certificates with chosen names, an expired one, and a "default" certificate like a gateway's.

// @peculiar/x509 needs the Reflect metadata API before it loads
import 'reflect-metadata'

import * as x509 from '@peculiar/x509'

// the sim provider's key and certificate helpers (importing them gives @peculiar/x509 Node's crypto)
import { generate, keyPem, serial, SIGNING_ALG as ALG } from '../../../../src/providers/sim/pki.js'

const DAY = 24 * 60 * 60 * 1000

export interface Pem {
  cert: string
  key: string
}

export interface TestCa extends Pem {
  issue(names: string[], opts?: { cn?: string; notBefore?: Date; notAfter?: Date }): Promise<Pem>
}

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
