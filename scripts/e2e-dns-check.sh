#!/usr/bin/env bash
# Cross-cluster DNS, checked from inside each cluster (.github/workflows/e2e-kind.yml).
#
# For every cluster recorded in a baf state file, one busybox pod in that cluster resolves a name
# under every cluster's external_url_suffix (each other cluster's, and its own) and the answer must
# be exactly the gateway address of the cluster that owns the suffix: the address the network
# action recorded (gatewayAddress) or, before a network is deployed, the first address of the
# cluster's LoadBalancer pool, which is what the cluster action wires CoreDNS with.
#
# usage: e2e-dns-check.sh [--expect N] [--attempts N] [--sleep SECONDS] [--image IMAGE] STATE_JSON
#   --expect N      fail unless the state records exactly N clusters (so none is silently skipped)
#   --attempts N    pods run per cluster before giving up (CoreDNS restarts after its patch); default 10
#   --sleep S       seconds between attempts; default 6
#   --image IMAGE   image of the pod; default busybox:1.36
# Needs bash, node and kubectl on PATH. Exit status: 0 all resolved, 1 a check failed, 2 bad usage.

set -euo pipefail

usage() {
  sed -n '10,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

expect=''
attempts=10
sleep_seconds=6
image='busybox:1.36'
state=''
while [ $# -gt 0 ]; do
  case "$1" in
    --expect) [ $# -ge 2 ] || usage; expect="$2"; shift 2 ;;
    --attempts) [ $# -ge 2 ] || usage; attempts="$2"; shift 2 ;;
    --sleep) [ $# -ge 2 ] || usage; sleep_seconds="$2"; shift 2 ;;
    --image) [ $# -ge 2 ] || usage; image="$2"; shift 2 ;;
    -h | --help) usage ;;
    -*) echo "e2e-dns-check: unknown option $1" >&2; usage ;;
    *) [ -z "$state" ] || usage; state="$1"; shift ;;
  esac
done
[ -n "$state" ] || usage
for n in "$attempts" "$sleep_seconds" ${expect:+"$expect"}; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "e2e-dns-check: $n is not a whole number" >&2; exit 2; }
done
[ "$attempts" -ge 1 ] || { echo 'e2e-dns-check: --attempts must be at least 1' >&2; exit 2; }
[ -r "$state" ] || { echo "e2e-dns-check: $state: no readable state file" >&2; exit 2; }

# The state as tab-separated lines:
#   cluster <TAB> name <TAB> kubeconfig <TAB> context
#   zone <TAB> suffix <TAB> expected address <TAB> owning cluster
# Suffixes are normalised the way src/dns/coredns.ts does (no "*.", no trailing dot, no cluster.local).
table="$(node -e '
const fs = require("fs")
const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8"))
const clusters = s.clusters || []
const planned = (s.plan && s.plan.clusters) || []
const out = []
for (const c of clusters) {
  if (!c.name || !c.kubeconfig || !c.context) throw new Error(`cluster ${c.name}: no kubeconfig or context in the state`)
  out.push(["cluster", c.name, c.kubeconfig, c.context].join("\t"))
}
for (const p of planned) {
  const c = clusters.find(x => x.name === p.name)
  if (!c) throw new Error(`cluster ${p.name} is planned but the state records no such cluster`)
  const address = c.gatewayAddress || (c.loadBalancerPool || [])[0]
  for (const raw of p.dnsSuffixes || []) {
    const zone = raw.toLowerCase().replace(/^\*\./, "").replace(/\.$/, "")
    if (zone === "cluster.local" || zone.endsWith(".cluster.local")) continue
    if (!address) throw new Error(`cluster ${p.name}: neither a gateway address nor a LoadBalancer pool to serve ${zone}`)
    out.push(["zone", zone, address, p.name].join("\t"))
  }
}
process.stdout.write(out.join("\n") + "\n")
' "$state")"

names=() kubeconfigs=() contexts=()
zones=() addresses=() owners=()
while IFS=$'\t' read -r kind a b c; do
  case "$kind" in
    cluster) names+=("$a"); kubeconfigs+=("$b"); contexts+=("$c") ;;
    zone) zones+=("$a"); addresses+=("$b"); owners+=("$c") ;;
  esac
done <<<"$table"

count=${#names[@]}
if [ "$count" -eq 0 ]; then
  echo "e2e-dns-check: $state records no cluster" >&2
  exit 1
fi
if [ -n "$expect" ] && [ "$count" -ne "$expect" ]; then
  echo "e2e-dns-check: $state records $count cluster(s), expected $expect" >&2
  exit 1
fi
if [ "${#zones[@]}" -eq 0 ]; then
  echo "e2e-dns-check: no cluster serves an external_url_suffix; nothing to resolve" >&2
  exit 1
fi
echo "e2e-dns-check: $count cluster(s), ${#zones[@]} suffix(es)"

# Runs in the pod: for each name, its A records (comma separated) from the cluster's DNS, or "none".
# busybox nslookup prints the server first, then "Name:" and one "Address: IP" line per answer.
# shellcheck disable=SC2016 # expanded by the pod's shell, not here
pod_script='for n in "$@"; do
  a=$(nslookup -type=a "$n" 2>/dev/null | awk '"'"'/^Name:/ { f = 1; next } f { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/) o = o (o == "" ? "" : ",") $i } END { print o }'"'"')
  echo "RESOLVED $n ${a:-none}"
done'

failed=()
for i in "${!names[@]}"; do
  name="${names[$i]}"
  kc=(--kubeconfig "${kubeconfigs[$i]}" --context "${contexts[$i]}")
  # one name under every suffix; the trailing dot keeps the pod's search domains out of it
  queries=()
  others=0
  for j in "${!zones[@]}"; do
    queries+=("baf-dns-check.${zones[$j]}.")
    [ "${owners[$j]}" = "$name" ] || others=$((others + 1))
  done
  if [ "$count" -gt 1 ] && [ "$others" -eq 0 ]; then
    echo "e2e-dns-check: $name: no other cluster's suffix to resolve" >&2
    failed+=("$name")
    continue
  fi
  ok=0
  for attempt in $(seq 1 "$attempts"); do
    pod="baf-dns-check-$i-$attempt-$$"
    output="$(kubectl "${kc[@]}" run "$pod" --rm -i --quiet --restart=Never --image="$image" \
      --pod-running-timeout=3m --command -- sh -c "$pod_script" sh "${queries[@]}" 2>&1)" || true
    kubectl "${kc[@]}" delete pod "$pod" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    bad=()
    report=()
    for j in "${!zones[@]}"; do
      q="baf-dns-check.${zones[$j]}."
      got="$(awk -v q="$q" '$1 == "RESOLVED" && $2 == q && $3 != "none" { print $3 }' <<<"$output" | tail -n 1)"
      if [ "$got" = "${addresses[$j]}" ]; then
        report+=("  ok    $name: $q -> $got (gateway of ${owners[$j]})")
      else
        bad+=("  FAIL  $name: $q -> ${got:-no answer}, expected ${addresses[$j]} (gateway of ${owners[$j]})")
      fi
    done
    if [ "${#bad[@]}" -eq 0 ]; then
      printf '%s\n' "${report[@]}"
      ok=1
      break
    fi
    echo "e2e-dns-check: $name: attempt $attempt/$attempts: ${#bad[@]} name(s) not resolved as expected" >&2
    if [ "$attempt" -lt "$attempts" ]; then
      sleep "$sleep_seconds"
    else
      printf '%s\n' "${bad[@]}" >&2
      echo "e2e-dns-check: $name: last pod output:" >&2
      printf '%s\n' "$output" | sed 's/^/    /' >&2
      echo "e2e-dns-check: $name: CoreDNS Corefile:" >&2
      kubectl "${kc[@]}" -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}' 2>&1 | sed 's/^/    /' >&2 || true
    fi
  done
  [ "$ok" -eq 1 ] || failed+=("$name")
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "e2e-dns-check: cross-cluster DNS failed in: ${failed[*]}" >&2
  exit 1
fi
echo "e2e-dns-check: every cluster resolves every suffix to its owner's gateway"
