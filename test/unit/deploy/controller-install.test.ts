// The upstream gateway controllers cannot be downloaded here: the exact Helm argv and values
// handed over are the contract, checked with a recording Helm runner.

import { readFileSync } from 'node:fs'

import { Helm } from '../../../src/deploy/helm.js'
import type { HelmRunner } from '../../../src/deploy/helm.js'
import { controllerInstall } from '../../../src/deploy/network.js'
import { gatewayFor } from '../../../src/gateways/registry.js'
import { loadNetworkText } from '../../../src/model/load.js'
import { buildPlan } from '../../../src/plan/plan.js'

async function clusterOf(proxy: string) {
  const text = readFileSync('examples/besu-2-clusters.yaml', 'utf8').replace('proxy: ambassador', `proxy: ${proxy}`)
  const r = await loadNetworkText('examples/besu-2-clusters.yaml', text)
  return buildPlan(r.network!).clusters[1]
}

function recorder(): { runner: HelmRunner; calls: { args: string[]; values: unknown; env: NodeJS.ProcessEnv }[] } {
  const calls: { args: string[]; values: unknown; env: NodeJS.ProcessEnv }[] = []
  const runner: HelmRunner = async (args, opts) => {
    const file = args[args.indexOf('--values') + 1]
    calls.push({ args, values: JSON.parse(readFileSync(file, 'utf8')), env: opts.env })
    return { exitCode: 0, stdout: 'STATUS: deployed\nREVISION: 1\n', stderr: '' }
  }
  return { runner, calls }
}

test.each([
  ['haproxy', 'haproxy-ingress', 'https://haproxy-ingress.github.io/charts', '0.14.6', 'ingress-controller'],
  ['nginx', 'ingress-nginx', 'https://kubernetes.github.io/ingress-nginx', '4.11.3', 'ingress-nginx'],
  ['ambassador', 'emissary-ingress', 'https://app.getambassador.io', '8.9.1', 'ambassador']
])('%s: helm upgrade --install of the pinned upstream chart', async (proxy, chart, repo, version, namespace) => {
  const cluster = await clusterOf(proxy)
  const { runner, calls } = recorder()
  const helm = new Helm(runner)
  await helm.upgradeInstall(controllerInstall(gatewayFor(cluster.gateway.kind).controller(cluster)!, '/kube/member.kubeconfig', 300))
  await helm.dispose()
  const args = calls[0].args
  const valuesFile = args[args.indexOf('--values') + 1]
  expect(args).toEqual(['upgrade', '--install', chart, chart, '--namespace', namespace, '--create-namespace', '--kubeconfig', '/kube/member.kubeconfig', '--values', valuesFile, '--timeout', '300s', '--atomic', '--wait', '--repo', repo, '--version', version])
  // Helm runs with a private home: no user repositories or plugins leak in
  expect(calls[0].env.HELM_CONFIG_HOME).toMatch(/baf-helm-/)
})

test('TCP ports of the cluster reach the controllers as their tcp-services maps and Service ports', async () => {
  const values = async (proxy: string) => {
    const cluster = await clusterOf(proxy)
    const { runner, calls } = recorder()
    await new Helm(runner).upgradeInstall(controllerInstall(gatewayFor(cluster.gateway.kind).controller(cluster)!, 'kc', 60))
    return calls[0].values as Record<string, any>
  }
  expect((await values('haproxy')).controller.tcp).toEqual({ '15010': 'member-bes/member-1:30303', '15011': 'member-bes/member-2:30303' })
  expect((await values('nginx')).tcp).toEqual({ '15010': 'member-bes/member-1:30303', '15011': 'member-bes/member-2:30303' })
  expect((await values('nginx')).controller.extraArgs).toEqual({ 'enable-ssl-passthrough': 'true' })
  expect((await values('ambassador')).service.ports).toEqual([
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 },
    { name: 'tcp-15010', port: 15010, targetPort: 15010, protocol: 'TCP' },
    { name: 'tcp-15011', port: 15011, targetPort: 15011, protocol: 'TCP' }
  ])
})

test('a failed first install is uninstalled, a failed upgrade rolled back to the last good revision', async () => {
  const calls: string[][] = []
  const history = (revs: { revision: number; status: string }[]): HelmRunner => async args => {
    calls.push(args)
    if (args[0] === 'history') return { exitCode: 0, stdout: JSON.stringify(revs), stderr: '' }
    return { exitCode: 0, stdout: '', stderr: '' }
  }
  expect(await new Helm(history([{ revision: 1, status: 'failed' }])).recover('v1', 'ns', 'kc')).toBe('uninstalled')
  expect(calls.at(-1)!.slice(0, 2)).toEqual(['uninstall', 'v1'])
  expect(await new Helm(history([{ revision: 1, status: 'superseded' }, { revision: 2, status: 'deployed' }, { revision: 3, status: 'failed' }])).recover('v1', 'ns', 'kc')).toBe('rolled-back')
  expect(calls.at(-1)!.slice(0, 3)).toEqual(['rollback', 'v1', '2'])
})
