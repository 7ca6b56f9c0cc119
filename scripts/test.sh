#!/usr/bin/env bash
# The README's test command. On a fresh machine it installs what the tests need (npm packages,
# headless Chromium, the sim control-plane binaries), then type-checks, verifies that
# dist/ is fresh, and runs every test. Ends with one "N passed, N failed, N skipped" line.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }
started=$(date +%s)

step "npm ci"
# jest's resolver lists a native binding per platform as optional dependencies; a registry mirror
# that serves only some platforms leaves the others out of the lock, and npm ci then refuses the
# lock. npm install installs the same locked versions and skips what the platform does not need.
if ! npm ci --no-audit --no-fund --loglevel=error 2>/dev/null; then
  echo "npm ci refused the lock file (optional platform packages missing from this registry); installing the locked versions with npm install" >&2
  npm install --no-audit --no-fund --loglevel=error
fi

step "headless Chromium for the report's diagram test (Debian's chromium; skipped when a Chromium or Chrome is there)"
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # the emoji font only makes the kept screenshot show the report's icons
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
fi

step "HAProxy and dnsmasq for the probe tests (Debian's; skipped when both are there)"
# both live in /usr/sbin, which a non-root PATH may lack
have_sbin() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if ! have_sbin haproxy || ! have_sbin dnsmasq; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # the tests start both by hand on loopback addresses; the packages' services stay stopped
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq haproxy dnsmasq >/dev/null
fi

step "sim control-plane binaries (built once from the Go module proxy, then cached)"
sim_started=$(date +%s)
BAF_SIM_BIN=$(bash scripts/sim-binaries.sh | tail -n 1)
export BAF_SIM_BIN
echo "sim binaries ready in $(( $(date +%s) - sim_started ))s: $BAF_SIM_BIN" >&2

step "typecheck"
npm run --silent typecheck

step "dist/ freshness"
npm run --silent check-dist

step "tests"
results=$(mktemp)
status=0
NODE_OPTIONS=--experimental-vm-modules NODE_NO_WARNINGS=1 npx jest --ci --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
  const failedSuites = r.testResults.filter(s => s.status === "failed" && s.assertionResults.length === 0).length
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed, ${r.numPendingTests} skipped`)
' "$results"
rm -f "$results"
echo "total $(( $(date +%s) - started ))s" >&2
exit "$status"
