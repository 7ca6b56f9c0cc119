// The invalid corpus: one small network.yaml per mistake users make, each with the exact place
// (line, and column where it matters) and a keyword of every diagnostic it must produce. Every
// diagnostic of a case is listed, so a new spurious error or warning fails the test too.
//
// Most cases start from the same minimal Besu network (proxy none, clique, one validator):
//
//    1 network:
//    2   type: besu
//    3   version: 22.10.2
//    4   env:
//    5     proxy: none
//    6   config:
//    7     consensus: clique
//    8   organizations:
//    9     - organization:
//   10       name: org1
//   11       k8s:
//   12         context: c1
//   13       services:
//   14         validators:
//   15           - validator:
//   16             name: v1
//   17             p2p: {port: 30303}

import { describe, expect, test } from '@jest/globals'

import type { Diagnostic } from '../../../src/model/diagnostics.js'
import { load, show, yaml } from './helpers.js'

type Expected = [line: number, col: number | undefined, severity: 'error' | 'warning', message: RegExp]

interface Case {
  name: string
  text: string
  expect: Expected[]
  /** a credential the file holds: it must appear in no message */
  secret?: string
}

const E = (line: number, col: number | undefined, message: RegExp): Expected => [line, col, 'error', message]
const W = (line: number, col: number | undefined, message: RegExp): Expected => [line, col, 'warning', message]

const cases: Case[] = [
  // ---------------------------------------------------------------- YAML syntax
  {
    name: 'YAML: a key indented deeper than its siblings',
    text: yaml`
      network:
        type: besu
         version: 22.10.2
    `,
    expect: [E(3, 4, /bad indentation: "version" is indented deeper/)]
  },
  {
    name: 'YAML: a nested key indented deeper than its siblings',
    text: yaml`
      network:
        type: besu
        env:
          proxy: none
            retry_count: 5
    `,
    expect: [E(5, 7, /bad indentation: "retry_count"/)]
  },
  {
    name: 'YAML: a key without its colon',
    text: yaml`
      network:
        type: besu
        env
          proxy: none
    `,
    expect: [E(3, 3, /"env" has no ":" after its key, so the next line continues it/)]
  },
  {
    name: 'secret: a password line without its colon',
    text: yaml`
      network:
        docker:
          password hunter2-no-colon
          url: ghcr.io
    `,
    expect: [E(3, 5, /^YAML: this line has no ":" after its key/)],
    secret: 'hunter2-no-colon'
  },
  {
    name: 'YAML: items of one mapping at different columns',
    text: yaml`
      network:
        type: besu
        env:
          proxy: none
         retry_count: 5
    `,
    expect: [E(5, 1, /YAML: All mapping items must start at the same column/)]
  },
  {
    name: 'YAML: unclosed double quote',
    text: yaml`
      network:
        type: "besu
        version: 22.10.2
    `,
    expect: [E(2, 9, /the " quote opened here is never closed/)]
  },
  {
    name: 'YAML: unclosed single quote',
    text: yaml`
      network:
        type: besu
        version: '22.10.2
        env: {proxy: none}
    `,
    expect: [E(3, 12, /the ' quote opened here is never closed/)]
  },
  {
    name: 'YAML: unclosed flow mapping',
    text: yaml`
      network:
        type: besu
        env: {proxy: none
        version: 22.10.2
    `,
    expect: [E(3, 8, /the "\{" opened here is never closed; add the closing "\}"/)]
  },
  {
    name: 'YAML: unclosed flow sequence',
    text: yaml`
      network:
        type: besu
        organizations: [org1, org2
    `,
    expect: [E(3, 18, /the "\[" opened here is never closed; add the closing "\]"/)]
  },
  {
    name: 'YAML: duplicate key',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        type: quorum
    `,
    expect: [E(4, 3, /duplicate key "type"/)]
  },
  {
    name: 'YAML: tab used for indentation',
    text: 'network:\n\ttype: besu\n',
    expect: [E(2, 1, /tab is used for indentation; YAML indents with spaces/)]
  },
  {
    name: 'YAML: tab after spaces in the indentation',
    text: 'network:\n  type: besu\n  env:\n  \tproxy: none\n',
    expect: [E(4, 3, /tab is used for indentation/)]
  },
  {
    name: 'YAML: two documents in one file',
    text: yaml`
      network:
        type: besu
      ---
      network:
        type: fabric
    `,
    expect: [E(3, 1, /a second YAML document starts here \("---"\)/)]
  },
  {
    name: 'YAML: unbalanced closing brackets are reported once',
    text: yaml`
      network:
        type: besu
        version: [[1]]]]]]]]
    `,
    expect: [E(3, 17, /Unexpected flow-seq-end token/)]
  },
  {
    name: 'YAML: alias of an anchor that does not exist',
    text: yaml`
      network:
        type: *platform
    `,
    expect: [E(2, 9, /alias "\*platform" refers to no anchor defined before it/)]
  },
  {
    name: 'YAML: alias inside its own anchor',
    text: yaml`
      loop: &a [1, *a]
      network:
        type: besu
    `,
    expect: [E(1, 14, /alias "\*a" is used inside the value anchored as "&a"/)]
  },
  {
    name: 'YAML: a mapping used as a key',
    text: yaml`
      network:
        ? [a, b]
        : 1
        type: besu
    `,
    expect: [E(2, 5, /a mapping key must be a plain string/)]
  },
  {
    name: 'YAML: __proto__ key',
    text: yaml`
      network:
        type: besu
        __proto__:
          polluted: true
    `,
    expect: [E(3, 3, /the key "__proto__" is not allowed/)]
  },
  // ---------------------------------------------------------------- document root and type
  {
    name: 'root: a list',
    text: yaml`
      - network:
          type: besu
    `,
    expect: [E(1, 1, /the document must be a mapping with a top-level "network" key/)]
  },
  {
    name: 'root: a scalar',
    text: 'network\n',
    expect: [E(1, 1, /the document must be a mapping/)]
  },
  {
    name: 'root: an empty file',
    text: '',
    expect: [E(1, 1, /the document must be a mapping/)]
  },
  {
    name: 'root: only comments',
    text: '# a network.yaml\n# to be written\n',
    expect: [E(1, 1, /the document must be a mapping/)]
  },
  {
    name: 'root: no network key',
    text: yaml`
      netwrok:
        type: besu
    `,
    expect: [E(1, 1, /missing the top-level "network" mapping \(found "netwrok" instead\)/)]
  },
  {
    name: 'root: network is a string',
    text: 'network: besu\n',
    expect: [E(1, 10, /"network" must be a mapping holding type, version, env and organizations \(got a string\)/)]
  },
  {
    name: 'root: network is a list',
    text: yaml`
      network:
        - type: besu
    `,
    expect: [E(2, 3, /"network" must be a mapping .* \(got a list\)/)]
  },
  {
    name: 'type: missing',
    text: yaml`
      network:
        version: 22.10.2
    `,
    expect: [E(2, 3, /"network" is missing the required key "type" \(one of: besu, quorum, fabric/)]
  },
  {
    name: 'type: unknown platform',
    text: yaml`
      network:
        type: ethereum
    `,
    expect: [E(2, 9, /unsupported platform "ethereum"; expected one of: besu, quorum, fabric, geth/)]
  },
  {
    name: 'type: a number',
    text: yaml`
      network:
        type: 7
    `,
    expect: [E(2, 9, /unsupported platform 7/)]
  },
  // ---------------------------------------------------------------- structure and types
  {
    name: 'structure: missing version, env and organizations',
    text: yaml`
      network:
        type: besu
        config: {consensus: qbft}
    `,
    expect: [
      E(2, 3, /"network" is missing the required key "env"/),
      E(2, 3, /"network" is missing the required key "organizations"/),
      E(2, 3, /"network" is missing the required key "version"/)
    ]
  },
  {
    name: 'structure: empty organizations',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        organizations: []
    `,
    expect: [E(5, 18, /"organizations" must list at least 1 item/)]
  },
  {
    name: 'structure: organizations as a mapping',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        organizations:
          org1:
            k8s: {context: c1}
    `,
    expect: [E(6, 5, /"organizations" must be a list \(got a mapping\)/)]
  },
  {
    name: 'types: port as a string',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: "30303"}
    `,
    expect: [E(17, 25, /"organizations\[0\]\.services\.validators\[0\]\.p2p\.port" must be an integer \(got "30303"\)/)]
  },
  {
    name: 'types: organisation name as a number',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: 1234
            k8s:
              context: c1
    `,
    expect: [E(10, 13, /"organizations\[0\]\.name" must be a string \(got 1234\)/)]
  },
  {
    name: 'types: retry_count as a word, external_dns outside its values',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
          retry_count: many
          external_dns: yes
        organizations:
          - name: org1
            k8s: {context: c1}
    `,
    expect: [
      E(6, 18, /"env\.retry_count" must be an integer \(got "many"\)/),
      E(7, 19, /"env\.external_dns" must be one of: enabled, disabled \(got "yes"\)/)
    ]
  },
  {
    name: 'ports: 0',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 0}
    `,
    expect: [E(17, 25, /p2p\.port" must be >= 1 \(a port is 1-65535\) \(got 0\)/)]
  },
  {
    name: 'ports: 70000',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
                  rpc:
                    port: 70000
    `,
    expect: [E(19, 21, /rpc\.port" must be <= 65535 \(a port is 1-65535\) \(got 70000\)/)]
  },
  {
    name: 'ports: -1',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303, ambassador: -1}
    `,
    expect: [E(17, 44, /p2p\.ambassador" must be >= 1 \(a port is 1-65535\) \(got -1\)/)]
  },
  {
    name: 'ports: a typo inside a port object',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p:
                    prot: 30303
    `,
    expect: [
      E(18, 15, /"organizations\[0\]\.services\.validators\[0\]\.p2p" is missing the required key "port"/),
      E(18, 15, /unknown key "prot" in "organizations\[0\]\.services\.validators\[0\]\.p2p"; expected one of: port, ambassador/)
    ]
  },
  {
    name: 'k8s: missing',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            type: validator
    `,
    expect: [E(9, 7, /"organizations\[0\]" is missing the required key "k8s"/)]
  },
  {
    name: 'k8s: context missing, and empty',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              config_file: ~/.kube/config
          - organization:
            name: org2
            k8s:
              context: ""
    `,
    expect: [
      E(12, 9, /"organizations\[0\]\.k8s" is missing the required key "context"/),
      E(16, 18, /"organizations\[1\]\.k8s\.context" must not be empty/)
    ]
  },
  // ---------------------------------------------------------------- names
  {
    name: 'names: organisation name with upper case',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: Supplychain
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
    `,
    expect: [E(10, 13, /organisation name "Supplychain" must be a DNS-1123 label: lower-case letters/)]
  },
  {
    name: 'names: organisation name with an underscore',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: supply_chain
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
    `,
    expect: [E(10, 13, /organisation name "supply_chain" must be a DNS-1123 label/)]
  },
  {
    name: 'names: organisation name with a leading dash',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: "-org1"
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
    `,
    expect: [E(10, 13, /organisation name "-org1" must be a DNS-1123 label: .*starting and ending with a letter or digit/)]
  },
  {
    name: 'names: organisation name over 63 characters',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: ${'o'.repeat(64)}
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
    `,
    expect: [E(10, 13, /organisation name "o{64}" is 64 characters long; a DNS-1123 label has at most 63/)]
  },
  {
    name: 'names: organisation name whose namespace exceeds 63 characters',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: ${'o'.repeat(60)}
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
    `,
    expect: [E(10, 13, /makes the namespace "o{60}-bes" longer than 63 characters; shorten the name/)]
  },
  {
    name: 'names: node name with upper case and an underscore',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: Validator_1
                  p2p: {port: 30303}
    `,
    expect: [E(16, 19, /node name "Validator_1" must be a DNS-1123 label/)]
  },
  {
    name: 'names: node name over 53 characters (Helm release)',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: ${'v'.repeat(54)}
                  p2p: {port: 30303}
    `,
    expect: [E(16, 19, /node name "v{54}" is 54 characters long; it becomes a Helm release name, which has at most 53/)]
  },
  {
    name: 'names: node name over 63 characters',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: ${'v'.repeat(70)}
                  p2p: {port: 30303}
    `,
    expect: [E(16, 19, /node name "v{70}" is 70 characters long; a DNS-1123 label has at most 63/)]
  },
  {
    name: 'names: duplicate organisation',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
          - organization:
            name: org1
            k8s:
              context: c1
    `,
    expect: [E(19, 13, /duplicate organisation "org1" \(first defined on line 10\)/)]
  },
  {
    name: 'names: duplicate node in one organisation',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
                - validator:
                  name: v1
                  p2p: {port: 30303}
    `,
    expect: [E(19, 19, /duplicate node "v1" in organisation "org1" \(first defined on line 16\)/)]
  },
  // ---------------------------------------------------------------- gateways and ports
  {
    name: 'ports: the same port twice in one node',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303}
                  rpc: {port: 30303}
    `,
    expect: [E(18, 25, /port 30303 of node "v1" is already used by its "p2p" port/)]
  },
  {
    name: 'gateway: two nodes publish the same port on one cluster',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts: {portRange: {from: 15010, to: 15020}}
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            external_url_suffix: org1.example.com
            k8s: {context: shared}
            services:
              validators:
                - {name: v1, p2p: {port: 30303, ambassador: 15010}}
          - organization:
            name: org2
            external_url_suffix: org2.example.com
            k8s: {context: shared}
            services:
              peers:
                - {name: m1, p2p: {port: 30303, ambassador: 15010}}
    `,
    expect: [E(23, 55, /gateway port 15010 of "m1\.p2p" collides with "v1\.p2p" of "org1" \(line 16\) on cluster shared/)]
  },
  {
    name: 'gateway: the same ports on two different clusters are fine',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts: {portRange: {from: 15010, to: 15020}}
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            external_url_suffix: org1.example.com
            k8s: {context: kind-one}
            services:
              validators:
                - {name: v1, p2p: {port: 30303, ambassador: 15010}, rpc: {port: 8545, ambassador: 15011}}
          - organization:
            name: org2
            external_url_suffix: org2.example.com
            k8s: {context: kind-two}
            services:
              peers:
                - {name: m1, p2p: {port: 30303, ambassador: 15010}, rpc: {port: 8545, ambassador: 15011}}
    `,
    expect: []
  },
  {
    name: 'gateway: with proxy none, repeated ambassador ports are unused and fine (Bevel keeps them)',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s:
              context: c1
            services:
              validators:
                - {name: v1, p2p: {port: 30303, ambassador: 15010}}
                - {name: v2, p2p: {port: 30303, ambassador: 15010}}
    `,
    expect: []
  },
  {
    name: 'ambassador: port outside portRange',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts:
            portRange: {from: 15010, to: 15020}
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            external_url_suffix: org1.example.com
            k8s: {context: c1}
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303, ambassador: 16000}
    `,
    expect: [E(19, 44, /gateway port 16000 of "v1\.p2p" is outside env\.ambassadorPorts \(15010-15020\); add it there/)]
  },
  {
    name: 'ambassador: port outside a ports list',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts:
            ports: [15010, 15011]
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            external_url_suffix: org1.example.com
            k8s: {context: c1}
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303, ambassador: 15010}
                  rpc: {port: 8545, ambassador: 15012}
    `,
    expect: [E(20, 43, /gateway port 15012 of "v1\.rpc" is outside env\.ambassadorPorts \(15010, 15011\)/)]
  },
  {
    name: 'ambassador: port outside the old comma-string form',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts: 15010,15020
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            external_url_suffix: org1.example.com
            k8s: {context: c1}
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303, ambassador: 15011}
    `,
    expect: [E(18, 44, /gateway port 15011 of "v1\.p2p" is outside env\.ambassadorPorts \(15010, 15020\)/)]
  },
  {
    name: 'ambassador: a comma string with a word in it',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts: 15010,p2p
        config:
          consensus: clique
        organizations:
          - name: org1
            external_url_suffix: org1.example.com
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303, ambassador: 15010}}
    `,
    expect: [E(6, 22, /ambassadorPorts "15010,p2p" lists "p2p", which is not a port \(1-65535\)/)]
  },
  {
    name: 'ambassador: a published port but no ambassadorPorts',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            external_url_suffix: org1.example.com
            k8s: {context: c1}
            services:
              validators:
                - validator:
                  name: v1
                  p2p: {port: 30303, ambassador: 15010}
    `,
    expect: [E(17, 44, /gateway port 15010 is not opened: declare it in network\.env\.ambassadorPorts/)]
  },
  {
    name: 'ambassador: portRange from above to',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts:
            portRange:
              from: 15090
              to: 15010
        config:
          consensus: clique
        organizations:
          - name: org1
            external_url_suffix: org1.example.com
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [E(8, 9, /ambassadorPorts\.portRange goes from 15090 down to 15010; "from" must not exceed "to"/)]
  },
  {
    name: 'ambassador: portRange without "to"',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts:
            portRange: {from: 15010}
        organizations:
          - name: org1
            k8s: {context: c1}
    `,
    expect: [E(7, 18, /"env\.ambassadorPorts\.portRange" is missing the required key "to"/)]
  },
  // ---------------------------------------------------------------- proxy and DNS names
  {
    name: 'proxy: istio',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env:
          type: operator
          proxy: istio
        organizations:
          - name: org1
            external_url_suffix: org1.example.com
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, grpc: {port: 7050}}
    `,
    expect: [E(6, 12, /proxy "istio" is not supported; expected one of: haproxy, ambassador, nginx, none \(Istio is used by Bevel only for the Fabric operator path/)]
  },
  {
    name: 'proxy: unknown',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: traefik
        config:
          consensus: clique
        organizations:
          - name: org1
            external_url_suffix: org1.example.com
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [E(5, 12, /proxy "traefik" is not supported; expected one of: haproxy, ambassador, nginx, none/)]
  },
  {
    name: 'proxy: none with organisations on two clusters',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - name: org1
            k8s: {context: kind-one}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
          - name: org2
            k8s: {context: kind-two}
    `,
    expect: [E(5, 12, /proxy "none" cannot connect organisations on 2 clusters \(kind-one, kind-two\)/)]
  },
  {
    name: 'DNS: no external_url_suffix with a proxy',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: haproxy
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [E(10, 13, /organisation "org1" has no external_url_suffix; with proxy "haproxy" other clusters reach its nodes/)]
  },
  {
    name: 'DNS: invalid external_url_suffix',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: haproxy
        config:
          consensus: clique
        organizations:
          - organization:
            name: org1
            external_url_suffix: Bad_Suffix..x
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [E(11, 28, /external_url_suffix "Bad_Suffix\.\.x" has an invalid label "Bad_Suffix"/)]
  },
  {
    name: 'DNS: the same external_url_suffix on two clusters',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: haproxy
        config:
          consensus: clique
        organizations:
          - name: org1
            external_url_suffix: blk.example.com
            k8s: {context: kind-one}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
          - name: org2
            external_url_suffix: blk.example.com
            k8s: {context: kind-two}
            services:
              peers:
                - {name: m1, p2p: {port: 30303}}
    `,
    expect: [E(16, 28, /external_url_suffix "blk\.example\.com" is also used by organisation "org1" on another cluster \(kind-one\)/)]
  },
  {
    name: 'DNS: two nodes with the same public name',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: haproxy
        config:
          consensus: clique
        organizations:
          - name: org1
            external_url_suffix: blk.example.com
            k8s: {context: shared}
            services:
              validators:
                - {name: node1, p2p: {port: 30303}}
          - name: org2
            external_url_suffix: blk.example.com
            k8s: {context: shared}
            services:
              peers:
                - {name: node1, p2p: {port: 30303}}
    `,
    expect: [E(20, 20, /node "node1" of "org2" and node "node1" of "org1" would both be reached as node1\.blk\.example\.com/)]
  },
  // ---------------------------------------------------------------- consensus
  {
    name: 'consensus: unknown',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: pow
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [E(7, 16, /consensus "pow" is not one of besu's: qbft, ibft, ibft2, clique, ethash/)]
  },
  {
    name: 'consensus: missing for besu',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [E(2, 3, /no consensus given: set network\.config\.consensus to one of qbft, ibft/)]
  },
  {
    name: 'consensus: besu without validators',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: qbft
        organizations:
          - name: org1
            type: member
            k8s: {context: c1}
            services:
              peers:
                - {name: m1, p2p: {port: 30303}}
    `,
    expect: [E(9, 5, /a besu network with qbft consensus needs at least one validator/)]
  },
  {
    name: 'consensus: QBFT with 3 validators is a warning',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: qbft
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
                - {name: v2, p2p: {port: 30303}}
                - {name: v3, p2p: {port: 30303}}
    `,
    expect: [W(7, 16, /QBFT with 3 validator\(s\) tolerates no faulty validator; use at least 4/)]
  },
  {
    name: 'consensus: IBFT with 3 validators is a warning',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: ibft
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
                - {name: v2, p2p: {port: 30303}}
                - {name: v3, p2p: {port: 30303}}
    `,
    expect: [W(7, 16, /IBFT with 3 validator\(s\)/)]
  },
  // ---------------------------------------------------------------- Fabric
  {
    name: 'fabric: Raft with an even number of orderers is a warning',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        consensus:
          name: raft
        organizations:
          - name: ord
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, grpc: {port: 7050}}
                - {name: orderer2, grpc: {port: 7050}}
    `,
    expect: [W(6, 5, /Raft with 2 orderers tolerates as many faults as with 1; use an odd number/)]
  },
  {
    name: 'fabric: no orderer',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        consensus:
          name: raft
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              peers:
                - {name: peer0, type: anchor, grpc: {port: 7051}}
    `,
    expect: [E(8, 5, /a Fabric network needs at least one orderer/)]
  },
  {
    name: 'fabric: network orderer with an unknown org_name, and a duplicate',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        orderers:
          - orderer:
            name: orderer1
            org_name: ordr
          - orderer:
            name: orderer1
            org_name: ord
          - orderer:
            name: orderer1
            org_name: ord
        organizations:
          - name: ord
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, consensus: raft, grpc: {port: 7050}}
    `,
    expect: [
      E(8, 17, /org_name "ordr" is no organisation of this network \(known: ord\)/),
      E(13, 13, /duplicate orderer "orderer1" of "ord" \(first at line 10\)/)
    ]
  },
  {
    name: 'fabric: network orderer not among its organisation\'s orderers',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        orderers:
          - orderer:
            name: orderer9
            org_name: ord
        organizations:
          - name: ord
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, consensus: raft, grpc: {port: 7050}}
    `,
    expect: [E(7, 13, /orderer "orderer9" is not among the orderers of organisation "ord"/)]
  },
  {
    name: 'fabric: orderer_org unknown, and one that runs no orderer',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        organizations:
          - name: ord
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, consensus: raft, grpc: {port: 7050}}
          - name: org1
            orderer_org: orderers
            k8s: {context: c1}
            services:
              peers:
                - {name: peer0, type: anchor, grpc: {port: 7051}}
          - name: org2
            orderer_org: org1
            k8s: {context: c1}
            services:
              peers:
                - {name: peer0, type: anchor, grpc: {port: 7051}}
    `,
    expect: [
      E(12, 20, /orderer_org "orderers" is no organisation of this network \(known: ord, org1, org2\)/),
      E(18, 20, /orderer_org "org1" runs no orderer/)
    ]
  },
  {
    name: 'fabric: channel participant, participant peer and orderer that do not exist',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        channels:
          - channel:
            channel_name: allchannel
            orderer:
              name: ordr
            participants:
              - organization:
                name: org1
                peers:
                  - peer:
                    name: peer7
              - organization:
                name: org9
        organizations:
          - name: ord
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, consensus: raft, grpc: {port: 7050}}
          - name: org1
            k8s: {context: c1}
            services:
              peers:
                - {name: peer0, type: anchor, grpc: {port: 7051}}
    `,
    expect: [
      E(9, 15, /channel orderer "ordr" is no organisation of this network/),
      E(15, 21, /peer "peer7" is not a peer of organisation "org1"/),
      E(17, 17, /channel participant "org9" is no organisation of this network/)
    ]
  },
  {
    name: 'fabric: channel orderers list naming an unknown organisation',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        channels:
          - channel:
            channel_name: allchannel
            orderers: [ord, ordr]
            participants:
              - {name: ord}
        organizations:
          - name: ord
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, consensus: raft, grpc: {port: 7050}}
    `,
    expect: [E(8, 23, /channel orderer "ordr" is no organisation of this network/)]
  },
  {
    name: 'fabric: endorser unknown (old form with parallel lists)',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        channels:
          - channel:
            channel_name: allchannel
            participants:
              - {name: ord}
            endorsers:
              name:
                - ord
                - carrier
              corepeerAddress:
                - peer0.ord-net:7051
                - peer0.carrier-net:7051
        organizations:
          - name: ord
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, consensus: raft, grpc: {port: 7050}}
    `,
    expect: [E(13, 13, /endorser "carrier" is no organisation of this network \(known: ord\)/)]
  },
  {
    name: 'fabric: endorser unknown (list form)',
    text: yaml`
      network:
        type: fabric
        version: 2.5.4
        env: {proxy: none}
        channels:
          - channel:
            channel_name: allchannel
            participants:
              - {name: ord}
            endorsers:
              - organization:
                name: ord
              - organization:
                name: carrier
                peers:
                  - peer:
                    name: peer0
                    corepeerAddress: peer0.carrier-net:7051
        organizations:
          - name: ord
            k8s: {context: c1}
            services:
              orderers:
                - {name: orderer1, consensus: raft, grpc: {port: 7050}}
    `,
    expect: [E(14, 17, /endorser "carrier" is no organisation of this network/)]
  },
  // ---------------------------------------------------------------- Ethereum config
  {
    name: 'tessera: tm_nodes naming an unknown node, and a non-URL',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
          transaction_manager: tessera
          tm_nodes:
            - https://carrier.example.com
            - carrier-tessera.carrier-bes
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [
      E(10, 9, /tm_nodes entry "https:\/\/carrier\.example\.com" names "carrier", which is no node of this network/),
      E(11, 9, /tm_nodes entry "carrier-tessera\.carrier-bes" is not a URL; write it as https:\/\/<node>\.<external_url_suffix>/)
    ]
  },
  {
    name: 'accounts: not an address',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
          accounts:
            - "0xfe3b557e8fb62b89f4916b721be55ceb828dbd73"
            - "0x1234"
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [E(10, 9, /account "0x1234" is not a 20-byte hex address/)]
  },
  // ---------------------------------------------------------------- the baf: block
  {
    name: 'baf: clusters naming an unknown context, probe from an unknown cluster',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - name: org1
            k8s: {context: kind-one}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
      baf:
        clusters:
          kind-once:
            name: one
        probes:
          extra:
            - {from: kind-two, host: v1.org1-bes.svc.cluster.local, port: 30303}
    `,
    expect: [
      E(16, 5, /baf\.clusters names context "kind-once", which no organisation uses \(k8s\.context values: kind-one\)/),
      E(20, 16, /probe source "kind-two" is no cluster of this network \(clusters: kind-one\)/)
    ]
  },
  {
    name: 'baf: an unknown key',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
      baf:
        cluster:
          c1: {name: one}
    `,
    expect: [E(15, 3, /unknown key "cluster" in "baf"; expected one of: seed, chart_source, resources, clusters, probes/)]
  },
  {
    name: 'baf: a resource quantity Kubernetes would not accept',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
      baf:
        resources:
          requests: {cpu: 500m, memory: 2 gigs}
    `,
    expect: [E(16, 35, /memory request "2 gigs" is not a Kubernetes quantity \(for example 500m or 2 for CPU, 512Mi or 2Gi for memory\)/)]
  },
  // ---------------------------------------------------------------- warnings
  {
    name: 'version: outside the tested list is a warning',
    text: yaml`
      network:
        type: besu
        version: 24.1.0
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [W(3, 12, /besu 24\.1\.0 is outside the tested versions \(21\.1\.0, .*\); it will be deployed as written/)]
  },
  {
    name: 'version: a number like 23.10 is read as written, not as 23.1',
    text: yaml`
      network:
        type: besu
        version: 23.10
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [W(3, 12, /^besu 23\.10 is outside the tested versions/)]
  },
  {
    name: 'ignored sections: one warning each for vault, gitops and aws, however many organisations',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        config:
          consensus: clique
        organizations:
          - name: org1
            k8s: {context: c1}
            vault: {url: "http://vault:8200", root_token: "s.vaulttoken-one"}
            gitops: {git_url: "https://github.com/o/r.git", password: "ghp_gitopspassword1"}
            aws: {access_key: "AKIAEXAMPLE", secret_key: "aws-secret-key-1"}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
          - name: org2
            k8s: {context: c1}
            vault: {url: "http://vault:8200", root_token: "s.vaulttoken-two"}
            gitops: {git_url: "https://github.com/o/r.git", password: "ghp_gitopspassword2"}
            aws: {access_key: "AKIAEXAMPLE", secret_key: "aws-secret-key-2"}
    `,
    expect: [
      W(11, 7, /"vault" \(in 2 organisation\(s\)\) is ignored: .* deploys without Vault/),
      W(12, 7, /"gitops" \(in 2 organisation\(s\)\) is ignored: .* without Flux\/GitOps/),
      W(13, 7, /"aws" \(in 2 organisation\(s\)\) is ignored: .* without AWS credentials/)
    ],
    secret: 's.vaulttoken-one'
  },
  {
    name: 'docker credentials are a warning',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: none
        docker:
          url: ghcr.io/hyperledger
          username: bevel
          password: "docker-pass-123"
        config:
          consensus: clique
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [W(6, 3, /docker registry credentials are ignored: images are pulled anonymously/)],
    secret: 'docker-pass-123'
  },
  // ---------------------------------------------------------------- secrets with wrong types or values
  {
    name: 'secret: vault given as a string (the token itself)',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        config: {consensus: clique}
        organizations:
          - name: org1
            k8s: {context: c1}
            vault: "hvs.CAESIJ-vault-root-token"
    `,
    expect: [E(9, 14, /"organizations\[0\]\.vault" must be a mapping or empty$/)],
    secret: 'hvs.CAESIJ-vault-root-token'
  },
  {
    name: 'secret: vault.root_token with a YAML error on its line',
    text: yaml`
      network:
        type: besu
        organizations:
          - name: org1
            vault:
              root_token: "hvs.root-token-value" extra
    `,
    expect: [E(6, 44, /Unexpected scalar at node end \(the text is not shown: this line holds a secret\)/)],
    secret: 'hvs.root-token-value'
  },
  {
    name: 'secret: vault.root_token written as an alias',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        organizations:
          - name: org1
            k8s: {context: c1}
            vault:
              root_token: *s3cr3t-root-token
    `,
    expect: [E(9, 21, /^alias refers to no anchor defined before it \(a value starting with "\*" must be quoted\)$/)],
    secret: 's3cr3t-root-token'
  },
  {
    name: 'secret: gitops.password as a block scalar header',
    text: yaml`
      network:
        type: besu
        organizations:
          - name: org1
            gitops:
              password: |gitops-pass-999
    `,
    expect: [E(6, 20, /Block scalar header includes extra characters \(the text is not shown/)],
    secret: 'gitops-pass-999'
  },
  {
    name: 'secret: gitops given as a list',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        config: {consensus: clique}
        organizations:
          - name: org1
            k8s: {context: c1}
            gitops: [ghp_gitops-password-list]
    `,
    expect: [E(9, 15, /"organizations\[0\]\.gitops" must be a mapping or empty$/)],
    secret: 'ghp_gitops-password-list'
  },
  {
    name: 'secret: docker.password with a duplicate key',
    text: yaml`
      network:
        type: besu
        docker:
          password: docker-pass-dup-1
          password: docker-pass-dup-2
    `,
    expect: [E(5, 5, /duplicate key "password"/)],
    secret: 'docker-pass-dup'
  },
  {
    name: 'secret: docker given as a string',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        docker: "user:docker-string-pass"
        config: {consensus: clique}
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [E(5, 11, /"docker" must be a mapping or empty$/)],
    secret: 'docker-string-pass'
  },
  {
    name: 'secret: aws.secret_key with an invalid escape',
    text: yaml`
      network:
        type: besu
        organizations:
          - name: org1
            aws:
              secret_key: "aws\\qsecret-key-escape"
    `,
    expect: [E(6, 25, /Invalid escape sequence \(the text is not shown: this line holds a secret\)/)],
    secret: 'secret-key-escape'
  },
  {
    name: 'secret: aws given as a number',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        config: {consensus: clique}
        organizations:
          - name: org1
            k8s: {context: c1}
            aws: 9876543210123
    `,
    expect: [E(9, 12, /"organizations\[0\]\.aws" must be a mapping or empty$/)],
    secret: '9876543210123'
  },
  {
    name: 'secret: geth_passphrase as a list',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        config: {consensus: clique}
        organizations:
          - name: org1
            k8s: {context: c1}
            services:
              peers:
                - {name: m1, geth_passphrase: [passphrase-in-a-list]}
    `,
    expect: [E(11, 41, /geth_passphrase" must be a string or a number$/)],
    secret: 'passphrase-in-a-list'
  },
  {
    name: 'secret: docker.password as a list and vault.root_token as a number: still only ignored',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env: {proxy: none}
        docker:
          url: ghcr.io/hyperledger
          password: [docker-list-password]
        config: {consensus: clique}
        organizations:
          - name: org1
            k8s: {context: c1}
            vault: {url: "http://vault:8200", root_token: 424242424242}
            services:
              validators:
                - {name: v1, p2p: {port: 30303}}
    `,
    expect: [
      W(5, 3, /docker registry credentials are ignored/),
      W(12, 7, /"vault" \(in 1 organisation\(s\)\) is ignored/)
    ],
    secret: 'docker-list-password'
  },
  // ---------------------------------------------------------------- more of what Bevel writes
  {
    name: 'ambassador: a port list entry of 0 and an unknown key in ambassadorPorts',
    text: yaml`
      network:
        type: besu
        version: 22.10.2
        env:
          proxy: ambassador
          ambassadorPorts:
            ports: [15010, 0]
            range: 15010-15020
        organizations:
          - name: org1
            k8s: {context: c1}
    `,
    expect: [
      E(7, 22, /"env\.ambassadorPorts\.ports\[1\]" must be >= 1 \(a port is 1-65535\) \(got 0\)/),
      E(8, 7, /unknown key "range" in "env\.ambassadorPorts"; expected one of: ports, portRange/)
    ]
  },
  {
    name: 'quorum: Raft needs no validator, only nodes (type: member peers are fine)',
    text: yaml`
      network:
        type: quorum
        version: 23.4.0
        env: {proxy: none}
        config:
          consensus: raft
        organizations:
          - organization:
            name: org1
            k8s: {context: c1}
            services:
              peers:
                - peer:
                  name: m1
                  type: member
                  p2p: {port: 21000}
                  raft: {port: 50401}
    `,
    expect: []
  },
  {
    name: 'quorum: Raft without any node',
    text: yaml`
      network:
        type: quorum
        version: 23.4.0
        env: {proxy: none}
        config:
          consensus: raft
        organizations:
          - organization:
            name: org1
            k8s: {context: c1}
    `,
    expect: [E(8, 5, /a quorum network with raft consensus needs at least one node/)]
  }
]

function matches(d: Diagnostic, [line, col, severity, message]: Expected): boolean {
  return d.line === line && (col === undefined || d.col === col) && d.severity === severity && message.test(d.message)
}

describe('invalid network.yaml corpus', () => {
  test('holds at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60)
    expect(new Set(cases.map(c => c.name)).size).toBe(cases.length)
  })

  test.each(cases.map(c => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await load(c.text)
    const actual = result.diagnostics
    // every expected diagnostic is there, and nothing else
    const unmatched = [...actual]
    const missing: Expected[] = []
    for (const e of c.expect) {
      const i = unmatched.findIndex(d => matches(d, e))
      if (i >= 0) unmatched.splice(i, 1)
      else missing.push(e)
    }
    const report = [
      ...missing.map(([l, col, s, m]) => `missing:    ${l}:${col ?? '*'} ${s} ${m}`),
      ...show(unmatched).map(d => `unexpected: ${d}`)
    ]
    expect(report.join('\n')).toBe('')
    const hasError = c.expect.some(e => e[2] === 'error')
    expect(result.network === undefined).toBe(hasError)
    for (const d of actual) {
      expect(d.file).toBe('network.yaml')
      expect(d.message.length).toBeGreaterThan(0)
    }
    if (c.secret !== undefined) {
      expect(c.text).toContain(c.secret)
      for (const d of actual) expect(d.message).not.toContain(c.secret)
    }
  })

  test('an alias bomb ends in a located error, quickly', async () => {
    const text = yaml`
      a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
      b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
      c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
      d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
      e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
      f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
      g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
      h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
      i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
      network:
        type: besu
        bomb: *i
    `
    const started = Date.now()
    const result = await load(text)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(show(result.diagnostics)).toEqual([
      expect.stringMatching(/^5:8 error aliases expand to more than 10000 values by "\*d" here \(an alias bomb\?\)/)
    ])
  })

  test('values nested thousands of levels deep end in one located error', async () => {
    for (const depth of [300, 5000]) {
      const text = `network:\n  type: besu\n  deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`
      const result = await load(text)
      expect(result.network).toBeUndefined()
      expect(result.diagnostics).toHaveLength(1)
      expect(result.diagnostics[0]).toMatchObject({ line: 3, severity: 'error' })
      expect(result.diagnostics[0].message).toMatch(/nested more than 200 levels deep/)
    }
  })

  test('thousands of ever deeper block lines end in one located error, quickly', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(2 * i + 4)}-`)
    const text = `network:\n  type: besu\n  deep:\n${lines.join('\n')}\n`
    const started = Date.now()
    const result = await load(text)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(show(result.diagnostics)).toEqual(['203:1 error this line is indented by 402 spaces; a network.yaml nests far less (at most 400)'])
  })
})
