// Generates a Besu network.yaml with N organisations spread over a few clusters, in Bevel's layout.

export function generateNetwork(orgs, clusters = 5) {
  const lines = [
    'network:',
    '  type: besu',
    '  version: 23.10.2',
    '  env: { type: bench, proxy: ambassador, ambassadorPorts: { portRange: { from: 15000, to: 20000 } } }',
    '  config: { consensus: qbft, transaction_manager: none }',
    '  organizations:'
  ]
  const portInCluster = new Map()
  for (let i = 0; i < orgs; i++) {
    const cluster = i % clusters
    let port = portInCluster.get(cluster) ?? 15000
    const validator = i < 4
    lines.push(
      '    - organization:',
      `      name: org-${i}`,
      `      type: ${validator ? 'validator' : 'member'}`,
      `      external_url_suffix: org-${i}.bench.test`,
      `      k8s: { context: cluster-${cluster}, config_file: /dev/null }`,
      '      vault: { url: "http://vault:8200", root_token: "bench-token" }',
      '      services:',
      `        ${validator ? 'validators' : 'peers'}:`,
      `        - ${validator ? 'validator' : 'peer'}:`,
      `          name: node-${i}`,
      `          bootnode: ${i === 0}`,
      `          p2p: { port: 30303, ambassador: ${port++} }`,
      `          rpc: { port: 8545, ambassador: ${port++} }`,
      '          ws: { port: 8546 }',
      '          metrics: { enabled: true, port: 9545 }'
    )
    portInCluster.set(cluster, port)
  }
  return lines.join('\n') + '\n'
}
