/** The Besu node image, tagged with the network's `version`: what charts/besu-node and Bevel's besu-node run. */
export const BESU_IMAGE = 'hyperledger/besu'
