// The certificates a sim control plane needs, made by our own code: a cluster CA, the API server's
// serving certificate, one client certificate per component, and the service-account key pair.
// ECDSA P-256 keeps generation fast (milliseconds, where RSA-2048 takes tens).

// @peculiar/x509 resolves its ASN.1 codecs through tsyringe, which needs the Reflect metadata API
import 'reflect-metadata'
import { webcrypto } from 'node:crypto'

import * as x509 from '@peculiar/x509'

type CryptoKey = webcrypto.CryptoKey
type CryptoKeyPair = webcrypto.CryptoKeyPair

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

/** ECDSA P-256 with SHA-256: also what the probe tests' certificates use */
export const SIGNING_ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const ALG = SIGNING_ALG
const DAY = 24 * 60 * 60 * 1000

export interface KeyPairPem {
  cert: string
  key: string
}

export interface ClusterPki {
  ca: KeyPairPem
  apiserver: KeyPairPem
  /** client identities: admin (system:masters), controller-manager, scheduler, kwok */
  clients: Record<string, KeyPairPem>
  serviceAccount: { key: string; pub: string }
}

export async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key)
  return toPem(new Uint8Array(der), 'PRIVATE KEY')
}

async function pubPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('spki', key)
  return toPem(new Uint8Array(der), 'PUBLIC KEY')
}

function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN ${label}-----\n${b64.trim()}\n-----END ${label}-----\n`
}

export function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1')
}

export async function generate(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair
}

/** Escapes a value for an X.500 name string (`O=system:masters` must stay one attribute). */
function dn(cn: string, orgs: string[] = []): string {
  const esc = (v: string): string => v.replace(/([,+"\\<>;=])/g, '\\$1')
  return [`CN=${esc(cn)}`, ...orgs.map(o => `O=${esc(o)}`)].join(', ')
}

export async function createClusterPki(name: string, apiserverSans: { dns: string[]; ips: string[] }, validityDays = 30): Promise<ClusterPki> {
  const now = Date.now()
  const notBefore = new Date(now - 60_000)
  const notAfter = new Date(now + validityDays * DAY)

  const caKeys = await generate()
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: dn(`baf-sim-${name}-ca`),
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey)
    ]
  })

  const issue = async (subject: string, usage: 'server' | 'client', sans?: { dns: string[]; ips: string[] }): Promise<KeyPairPem> => {
    const keys = await generate()
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert)
    ]
    if (sans) {
      extensions.push(new x509.SubjectAlternativeNameExtension([...sans.dns.map(value => ({ type: 'dns' as const, value })), ...sans.ips.map(value => ({ type: 'ip' as const, value }))]))
    }
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: caCert.subject,
      notBefore,
      notAfter,
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALG,
      extensions
    })
    return { cert: cert.toString('pem') + '\n', key: await keyPem(keys.privateKey) }
  }

  const saKeys = await generate()
  return {
    ca: { cert: caCert.toString('pem') + '\n', key: await keyPem(caKeys.privateKey) },
    apiserver: await issue(dn('kube-apiserver'), 'server', apiserverSans),
    clients: {
      admin: await issue(dn('baf-admin', ['system:masters']), 'client'),
      'kube-controller-manager': await issue(dn('system:kube-controller-manager'), 'client'),
      'kube-scheduler': await issue(dn('system:kube-scheduler'), 'client'),
      // kwok updates node and pod status across the cluster, as a kubelet per node would
      kwok: await issue(dn('baf-kwok', ['system:masters']), 'client')
    },
    serviceAccount: { key: await keyPem(saKeys.privateKey), pub: await pubPem(saKeys.publicKey) }
  }
}
