// `up`, `probe`, `report`, `down`: the pipeline phases, from the same library the actions use.
// The pipeline and the report load when a command runs: `baf validate` must not pay for the
// Kubernetes client.

import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

import { UsageError } from '../../errors.js'
import type { ChartSource } from '../../model/network.js'
import { defaultNetworkFile } from '../../paths.js'
import { chartSourceFlag, chartSourceOption } from './chart-source.js'
import { ENDPOINT_SCHEMES, endpointReport, endpointSpec } from '../../probe/endpoint.js'
import { parseResolver, probeOptions } from '../../probe/options.js'
import { runProbe } from '../../probe/probe.js'
import { probeState, RUNNERS } from '../../probe/run.js'
import type { RunnerKind } from '../../probe/run.js'
import { CLOUD_PROVIDERS, PROVIDER_NAMES } from '../../providers/provider.js'
import { readState } from '../../state/state.js'
import type { ProviderName } from '../../providers/provider.js'
import type { Logger } from '../../log/logger.js'
import type { Command } from './command.js'

export function providerOption(value: unknown): ProviderName {
  if (!(PROVIDER_NAMES as readonly unknown[]).includes(value)) throw new UsageError(`--provider must be one of ${PROVIDER_NAMES.join(', ')} (got "${String(value)}")`)
  return value as ProviderName
}

const stateDirOption = { 'state-dir': { type: 'string' as const, default: '.baf' } }

export const up: Command = {
  usage: `usage: baf up [FILE] [--provider sim|kind|existing|eks|aks|gke] [--state-dir DIR] [--keep] [--seed S] [--chart-source baf|bevel]
       baf up [FILE] --provider existing [--kubeconfig PATH] --pr N [--ttl DURATION] [--repo OWNER/REPO] [--sha SHA]

Runs the whole pipeline: validate, plan, provision, deploy, probe, report. When a phase fails,
diagnostics are collected into DIR/diagnostics and the clusters are removed unless --keep.
FILE defaults to the embedded two-cluster Besu example; DIR defaults to .baf/. --seed makes
keys and genesis reproducible (else the file's baf.seed, else random); --chart-source bevel
deploys Bevel's published Besu charts instead of baf-action's (docs/bevel-charts.md).

With --pr the network is PR N's preview on the existing clusters of the kubeconfig: each
organisation in namespace <namespace>-prN labelled with the PR, the repository, the commit and an
expiry (--ttl, default 6h), host names <node>.prN.<suffix>, gateway TCP ports moved to a block no
other preview holds. It stays after the run; "baf down --pr N" or "baf sweep" removes it. With
--repo and GITHUB_TOKEN set, a closed PR is refused before anything is created.`,
  options: {
    provider: { type: 'string', default: 'sim' },
    keep: { type: 'boolean', default: false },
    kubeconfig: { type: 'string' },
    pr: { type: 'string' },
    ttl: { type: 'string', default: '6h' },
    repo: { type: 'string' },
    sha: { type: 'string' },
    seed: { type: 'string' },
    ...chartSourceFlag,
    ...stateDirOption
  },
  async run({ values, positionals, log }) {
    if (positionals.length > 1) throw new UsageError('give one network file')
    const provider = providerOption(values.provider)
    const chartSource = chartSourceOption(values['chart-source'])
    const seed = values.seed === undefined ? undefined : String(values.seed)
    if (values.kubeconfig !== undefined) {
      if (provider !== 'existing') throw new UsageError('--kubeconfig goes with --provider existing')
      process.env.BAF_KUBECONFIG = String(values.kubeconfig)
    }
    const networkFile = positionals[0] ?? defaultNetworkFile()
    const stateDir = String(values['state-dir'])
    if (values.pr !== undefined) return previewUpCommand(values, networkFile, stateDir, provider, log, { seed, chartSource })
    for (const flag of ['repo', 'sha'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --pr`)
    const { up: bringUp } = await import('../../pipeline/pipeline.js')
    // Ctrl-C finishes the current phase, then tears down (unless --keep); a second one stops at once
    const interrupt = new AbortController()
    const onSignal = (): void => {
      if (interrupt.signal.aborted) process.exit(130)
      log.warning(`interrupted: the current phase finishes, then ${values.keep ? 'the run stops (--keep)' : 'everything is torn down'}; interrupt again to stop at once`)
      interrupt.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    try {
      await bringUp({ networkFile, provider, stateDir, keep: Boolean(values.keep), seed, chartSource, log, signal: interrupt.signal })
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    return interrupt.signal.aborted ? 130 : 0
  }
}

function usageCheck<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`)
  }
}

/** A GitHub client from GITHUB_TOKEN (and GITHUB_API_URL), when both a token and a repository are given. */
async function githubFromEnv(repo: string | undefined, log: Logger): Promise<import('../../github/client.js').GitHubClient | undefined> {
  const token = process.env.GITHUB_TOKEN ?? process.env.GH_TOKEN
  if (!repo || !token) return undefined
  const { GitHubClient } = await import('../../github/client.js')
  return GitHubClient.create({ token, baseUrl: process.env.GITHUB_API_URL, log })
}

async function previewUpCommand(
  values: Record<string, string | boolean | undefined>,
  networkFile: string,
  stateDir: string,
  provider: string,
  log: Logger,
  deploy: { seed?: string; chartSource?: ChartSource }
): Promise<number> {
  if (provider !== 'existing') throw new UsageError('--pr deploys a preview on long-lived clusters: use --provider existing with --kubeconfig (cloud clusters made per run carry a baf-ttl tag instead)')
  if (values.keep) throw new UsageError('--keep is implied by --pr: a preview always stays after the run')
  const [{ checkPr, parseDuration, repoLabel }, { previewUp }, { requireOpen }] = await Promise.all([import('../../preview/preview.js'), import('../../preview/up.js'), import('../../preview/github.js')])
  const pr = usageCheck(() => checkPr(String(values.pr)))
  const ttlSeconds = usageCheck(() => parseDuration(String(values.ttl)))
  const repo = values.repo === undefined ? undefined : String(values.repo)
  usageCheck(() => repoLabel(repo, 'repo'))
  const sha = values.sha === undefined ? undefined : String(values.sha)
  if (sha !== undefined && !/^[0-9a-f]{7,40}$/i.test(sha)) throw new UsageError(`--sha must be a commit id (got "${sha}")`)
  const github = await githubFromEnv(repo, log)
  if (!github) log.info(`PR #${pr}'s state is not checked: ${repo ? 'set GITHUB_TOKEN' : 'give --repo OWNER/REPO and set GITHUB_TOKEN'} to refuse closed PRs`)
  await previewUp({ networkFile, stateDir, target: { pr, repo, sha, ttlSeconds }, ...deploy, log, checkOpen: github && repo ? requireOpen(github, repo, pr) : undefined })
  return 0
}

export const down: Command = {
  usage: `usage: baf down [--state-dir DIR]
       baf down --pr N [--kubeconfig PATH] [--repo OWNER/REPO] [--context NAME]

Collects diagnostics into DIR/diagnostics, then deletes every cluster the state in DIR records.
With --pr: removes PR N's preview (its labelled namespaces and its gateway ports) from every
context of the kubeconfig (or the one named), whichever run made it.`,
  options: { ...stateDirOption, pr: { type: 'string' }, kubeconfig: { type: 'string' }, repo: { type: 'string' }, context: { type: 'string', multiple: true } },
  async run({ values, positionals, log }) {
    if (positionals.length > 0) throw new UsageError('down reads the state directory (or --pr) and takes no file')
    if (values.pr === undefined) {
      for (const flag of ['kubeconfig', 'repo', 'context'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --pr`)
      const { down: tearDown } = await import('../../pipeline/pipeline.js')
      await tearDown(String(values['state-dir']), log)
      return 0
    }
    const [{ checkPr, repoLabel }, { previewDown }] = await Promise.all([import('../../preview/preview.js'), import('../../preview/reclaim.js')])
    const pr = usageCheck(() => checkPr(String(values.pr)))
    const repo = values.repo === undefined ? undefined : String(values.repo)
    usageCheck(() => repoLabel(repo, 'repo'))
    await previewDown({ kubeconfig: kubeconfigOption(values.kubeconfig), pr, repo, contexts: values.context as string[] | undefined, workDir: String(values['state-dir']), log })
    return 0
  }
}

function kubeconfigOption(v: unknown): string {
  if (typeof v === 'string' && v) return v
  const env = process.env.BAF_KUBECONFIG || process.env.KUBECONFIG?.split(':').find(Boolean)
  if (env) return env
  return join(homedir(), '.kube', 'config')
}

export const sweep: Command = {
  usage: `usage: baf sweep [--kubeconfig PATH] [--repo OWNER/REPO] [--context NAME] [--provider eks|aks|gke] [--dry-run] [--json]

Reclaims PR previews that nobody tore down: in every context of the kubeconfig, the namespaces
baf-action labelled whose expiry passed or, with --repo and GITHUB_TOKEN, whose PR is closed.
With --provider (repeatable), also the eks, aks or gke clusters past their baf-ttl tag (the
cloud CLI must be logged in; BAF_REGION and friends as for "baf up"); with --provider and no
--kubeconfig, only those. Each reclaim is a warning (a teardown path did not run). Nothing without
baf-action's labels or tag is touched. --dry-run only says what it would delete; --json prints
the list with the reasons.`,
  options: {
    kubeconfig: { type: 'string' },
    repo: { type: 'string' },
    context: { type: 'string', multiple: true },
    provider: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    ...stateDirOption
  },
  async run({ values, positionals, log }) {
    if (positionals.length > 0) throw new UsageError('sweep takes no file')
    const clouds = ((values.provider as string[] | undefined) ?? []).map(p => {
      if (!(CLOUD_PROVIDERS as readonly string[]).includes(p)) throw new UsageError(`--provider must be one of ${CLOUD_PROVIDERS.join(', ')} (got "${p}"): only cloud clusters carry a baf-ttl tag`)
      return p as (typeof CLOUD_PROVIDERS)[number]
    })
    const [{ repoLabel }, { sweep: sweepPreviews, sweepClouds }, { closedReason, deactivateDeployments }] = await Promise.all([import('../../preview/preview.js'), import('../../preview/reclaim.js'), import('../../preview/github.js')])
    const repo = values.repo === undefined ? undefined : String(values.repo)
    usageCheck(() => repoLabel(repo, 'repo'))
    const dryRun = Boolean(values['dry-run'])
    const reclaimed: import('../../preview/reclaim.js').Reclaim[] = []
    if (values.kubeconfig !== undefined || clouds.length === 0) {
      const github = await githubFromEnv(repo, log)
      if (repo && !github) log.warning(`GITHUB_TOKEN is not set: previews of ${repo} are judged by their expiry alone`)
      reclaimed.push(
        ...(await sweepPreviews({
          kubeconfig: kubeconfigOption(values.kubeconfig),
          repo,
          closedReason: github && repo ? closedReason(github, repo) : undefined,
          onReclaimed: github && repo ? deactivateDeployments(github, repo, log) : undefined,
          dryRun,
          contexts: values.context as string[] | undefined,
          workDir: String(values['state-dir']),
          log
        }))
      )
    }
    if (clouds.length > 0) {
      const { cloudProviderFor } = await import('../../providers/registry.js')
      reclaimed.push(...(await sweepClouds(await Promise.all(clouds.map(cloudProviderFor)), { dryRun, log })))
    }
    if (values.json) process.stdout.write(JSON.stringify(reclaimed, null, 2) + '\n')
    return 0
  }
}

function intOption(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a whole number of at least 1 (got "${String(v)}")`)
  return Number(v)
}

function resolverOption(v: unknown): string | undefined {
  if (v === undefined) return undefined
  try {
    return parseResolver(String(v))
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`)
  }
}

/** `baf probe --endpoint URL`: one path, printed layer by layer (or as JSON); exit 0 pass, 1 fail */
async function probeEndpoint(values: Record<string, string | boolean | undefined>): Promise<number> {
  const url = String(values.endpoint)
  const expect = values.expect ?? 'allow'
  if (expect !== 'allow' && expect !== 'deny') throw new UsageError(`--expect must be allow or deny (got "${String(expect)}")`)
  let spec
  try {
    spec = endpointSpec(url, { address: values.address as string | undefined, sni: values.sni as string | undefined, expect, platform: values.platform as string | undefined, minPeers: intOption(values, 'min-peers') })
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  const timeoutMs = intOption(values, 'timeout-ms')
  const ca = values.ca === undefined ? undefined : await readFile(String(values.ca), 'utf8').catch(e => Promise.reject(new UsageError(`--ca ${String(values.ca)}: ${(e as Error).message}`)))
  const opts = probeOptions({ resolver: resolverOption(values.resolver), ca, connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs, samples: intOption(values, 'samples') })
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(), opts.deadlineMs)
  const result = await runProbe(spec, opts, deadline.signal).finally(() => clearTimeout(timer))
  const report = endpointReport(url, result)
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
  else {
    process.stdout.write(`${url} (expect ${report.expect}): ${report.verdict}\n`)
    for (const l of report.layers) process.stdout.write(`  ${l.layer.padEnd(8)} ${l.status.padEnd(4)} ${String(l.ms).padStart(8)} ms  ${l.detail ?? ''}${l.hint ? `\n${' '.repeat(29)}hint: ${l.hint}` : ''}\n`)
  }
  return report.verdict === 'pass' ? 0 : 1
}

/** `baf probe --network FILE`: the probes of FILE's plan, on the clusters the state records */
export const probe: Command = {
  usage: `usage: baf probe [--state-dir DIR] [--network FILE] [--runner runner|in-cluster] [--resolver IP[:PORT]]
                 [--ca FILE] [--timeout-seconds N] [--concurrency N] [--samples N] [--image IMAGE] [--namespace NS] [--json]
       baf probe --endpoint URL [--address IP] [--sni NAME] [--ca FILE] [--resolver IP[:PORT]] [--expect allow|deny]
                 [--timeout-ms N] [--samples N] [--platform besu|quorum|geth|fabric] [--min-peers N] [--json]

The first form probes every path the plan lists (DNS, TCP, TLS/SNI, protocol, DLT; expected
denials pass when denied) from this machine or, with --runner in-cluster, from a Job in each
source cluster. The paths come from the plan stored in DIR; with --network FILE, FILE is
validated and planned again and its paths are probed instead (every cluster it plans must be one
DIR records). Results go to DIR/probes/results.json and junit.xml and into the state; one line
per failure: src -> dst:port [layer] message (hint). Exit 1 when a required probe fails.

The second form probes one endpoint, URL one of ${ENDPOINT_SCHEMES.map(s => `${s}://`).join(', ')}.
--address connects to that IP (skipping DNS) with the URL's name as SNI and Host. Exit 0 when the
verdict is pass, 1 when it is fail; --json prints {endpoint, expect, verdict, layers}.`,
  options: {
    ...stateDirOption,
    network: { type: 'string' },
    runner: { type: 'string', default: 'runner' },
    resolver: { type: 'string' },
    ca: { type: 'string' },
    'timeout-seconds': { type: 'string' },
    concurrency: { type: 'string' },
    samples: { type: 'string' },
    image: { type: 'string' },
    namespace: { type: 'string' },
    json: { type: 'boolean', default: false },
    endpoint: { type: 'string' },
    address: { type: 'string' },
    sni: { type: 'string' },
    expect: { type: 'string' },
    'timeout-ms': { type: 'string' },
    platform: { type: 'string' },
    'min-peers': { type: 'string' }
  },
  async run({ values, positionals, log }) {
    if (positionals.length > 0) throw new UsageError('probe reads the state directory (or --endpoint URL) and takes no file')
    if (values.endpoint !== undefined) return probeEndpoint(values)
    const runner = String(values.runner)
    if (!(RUNNERS as readonly string[]).includes(runner)) throw new UsageError(`--runner must be one of ${RUNNERS.join(', ')} (got "${runner}")`)
    const stateDir = String(values['state-dir'])
    const { PlanNotInState, replannedProbes } = await import('../../probe/replan.js')
    const specs =
      values.network === undefined
        ? undefined
        : await replannedProbes(String(values.network), stateDir, log).catch((e: unknown) => {
            throw e instanceof PlanNotInState ? new UsageError(`--network ${e.message}`) : e
          })
    const seconds = intOption(values, 'timeout-seconds')
    const result = await probeState({
      stateDir,
      specs,
      runner: runner as RunnerKind,
      options: { resolver: resolverOption(values.resolver), deadlineMs: seconds === undefined ? undefined : seconds * 1000, concurrency: intOption(values, 'concurrency'), samples: intOption(values, 'samples') },
      caFile: values.ca as string | undefined,
      image: values.image as string | undefined,
      namespace: values.namespace as string | undefined,
      log
    })
    if (values.json) process.stdout.write(JSON.stringify(result.run, null, 2) + '\n')
    log.info(`results: ${result.resultsPath}; JUnit: ${result.junitPath}`)
    return result.run.verdict === 'fail' ? 1 : 0
  }
}

export const report: Command = {
  usage: `usage: baf report [--state-dir DIR] [--out DIR2]

Writes report.md (the PR comment, within GitHub's 65,536-character limit), report.json and
report.html (everything, with the Mermaid diagram drawn offline) from the state "baf up" wrote in
DIR (default .baf/), into DIR2 (default DIR). Prints the verdict line on stdout.`,
  options: { ...stateDirOption, out: { type: 'string' } },
  async run({ values, positionals, log }) {
    if (positionals.length > 0) throw new UsageError('report reads the state directory and takes no file')
    const stateDir = String(values['state-dir'])
    const { writeReport } = await import('../../report/write.js')
    const written = await writeReport(await readState(stateDir), { outDir: values.out ? String(values.out) : stateDir })
    for (const path of Object.values(written.paths)) log.info(`wrote ${path}`)
    if (!written.mermaid) log.warning('the Mermaid bundle was not found: report.html shows the diagram as text')
    if (written.markdown.cut.length > 0) log.info(`report.md was shortened to fit a PR comment: ${written.markdown.cut.join('; ')}`)
    process.stdout.write(`${written.markdown.markdown.split('\n')[0].replace(/^#+ /, '')}\n`)
    return 0
  }
}
