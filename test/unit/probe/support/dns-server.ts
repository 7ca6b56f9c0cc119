// A small authoritative DNS server over UDP for unit tests and the bench (dnsmasq serves the
// integration tests): A records from a map, NXDOMAIN for anything else, an optional delay.

import { createSocket } from 'node:dgram'

export interface DnsServer {
  address: string
  port: number
  /** `IP:PORT` for ProbeOptions.resolver */
  resolver: string
  queries: number
  close(): Promise<void>
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = []
  let i = offset
  while (i < msg.length && msg[i] !== 0) {
    labels.push(msg.subarray(i + 1, i + 1 + msg[i]).toString('ascii'))
    i += msg[i] + 1
  }
  return { name: labels.join('.').toLowerCase(), end: i + 1 }
}

export async function dnsServer(address: string, records: Record<string, string>, delayMs = 0): Promise<DnsServer> {
  const socket = createSocket('udp4')
  const timers = new Set<NodeJS.Timeout>()
  const server: DnsServer = {
    address,
    port: 0,
    resolver: '',
    queries: 0,
    close: () =>
      new Promise(resolve => {
        for (const t of timers) clearTimeout(t)
        socket.close(() => resolve())
      })
  }
  socket.on('message', (msg, rinfo) => {
    server.queries++
    const { name, end } = readName(msg, 12)
    const qtype = msg.readUInt16BE(end)
    const question = msg.subarray(12, end + 4)
    const ip = records[name] ?? Object.entries(records).find(([k]) => k.startsWith('*.') && name.endsWith(k.slice(1)))?.[1]
    const header = Buffer.alloc(12)
    header.writeUInt16BE(msg.readUInt16BE(0), 0)
    // response, authoritative, recursion desired+available; rcode 3 = NXDOMAIN
    header.writeUInt16BE(ip ? 0x8580 : 0x8583, 2)
    header.writeUInt16BE(1, 4)
    const answers: Buffer[] = []
    if (ip && qtype === 1) {
      const rr = Buffer.alloc(16)
      rr.writeUInt16BE(0xc00c, 0)
      rr.writeUInt16BE(1, 2)
      rr.writeUInt16BE(1, 4)
      rr.writeUInt32BE(5, 6)
      rr.writeUInt16BE(4, 10)
      ip.split('.').forEach((b, i) => rr.writeUInt8(Number(b), 12 + i))
      answers.push(rr)
    }
    header.writeUInt16BE(answers.length, 6)
    const reply = Buffer.concat([header, question, ...answers])
    const send = (): void => socket.send(reply, rinfo.port, rinfo.address)
    if (delayMs > 0) {
      const t = setTimeout(() => {
        timers.delete(t)
        send()
      }, delayMs)
      timers.add(t)
    } else send()
  })
  await new Promise<void>(resolve => socket.bind(0, address, () => resolve()))
  server.port = socket.address().port
  server.resolver = `${address}:${server.port}`
  return server
}
