#!/usr/bin/env bash
# Build (once) and cache the real binaries used by the local Kubernetes simulation:
#   kube-apiserver, kube-controller-manager, kube-scheduler  (k8s.io/kubernetes, via test/harness/k8s)
#   etcd, etcdctl                                            (go.etcd.io/etcd, via test/harness/etcd)
#   kwok                                                     (go install sigs.k8s.io/kwok/cmd/kwok@...)
#   helm                                                     (go install helm.sh/helm/v3/cmd/helm@...)
#   kwok-stages.yaml                                         (kwok's own node/pod stages, for kwok --config)
# Everything is built from source through the Go module proxy; nothing is downloaded otherwise.
#
# Usage:
#   BIN=$(scripts/sim-binaries.sh)          build if needed; stdout's last line is the bin dir
#   scripts/sim-binaries.sh --print-dir     print the bin dir that would be used, build nothing
#   scripts/sim-binaries.sh --check         exit 0 (and print the bin dir) if the cache is complete, else exit 1
#   scripts/sim-binaries.sh --force         rebuild even if the cache is complete
#   scripts/sim-binaries.sh --update-modules
#                                           regenerate test/harness/{k8s,etcd}/go.{mod,sum} from
#                                           test/harness/versions.env (after bumping K8S/ETCD versions)
# Environment:
#   BAF_SIM_CACHE   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/baf-action/sim)
#   GOCACHE, GOMODCACHE, GOPROXY are honoured as usual.
# Progress goes to stderr; stdout carries only the bin dir path.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd -P)
HARNESS_DIR=$REPO_ROOT/test/harness
K8S_MOD_DIR=$HARNESS_DIR/k8s
ETCD_MOD_DIR=$HARNESS_DIR/etcd

# Bump when the build recipe below changes (flags, binary set): invalidates existing caches.
RECIPE=2

# Pinned versions: K8S_VERSION, K8S_BUILD_DATE, ETCD_VERSION, KWOK_VERSION, HELM_VERSION.
# shellcheck source=../test/harness/versions.env
source "$HARNESS_DIR/versions.env"
: "${K8S_VERSION:?}" "${K8S_BUILD_DATE:?}" "${ETCD_VERSION:?}" "${KWOK_VERSION:?}" "${HELM_VERSION:?}"

CACHE_ROOT=${BAF_SIM_CACHE:-${XDG_CACHE_HOME:-${HOME:?}/.cache}/baf-action/sim}
KEY="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_helm-${HELM_VERSION}"
DEST=$CACHE_ROOT/$KEY
BIN_DIR=$DEST/bin
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd etcdctl kwok helm)
# Extra (non-executable) files in the bin dir.
FILES=(kwok-stages.yaml)
# kwok's "fast" node/pod lifecycle (initialize, heartbeat with lease, ready, complete, delete).
KWOK_STAGE_FILES=(node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
  pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml)

log() { printf '[sim-binaries] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Everything that determines the cache content. Cheap (no go invocation) so the warm path stays fast.
fingerprint() {
  printf 'recipe=%s\n' "$RECIPE"
  printf 'K8S_VERSION=%s\nK8S_BUILD_DATE=%s\nETCD_VERSION=%s\nKWOK_VERSION=%s\nHELM_VERSION=%s\n' \
    "$K8S_VERSION" "$K8S_BUILD_DATE" "$ETCD_VERSION" "$KWOK_VERSION" "$HELM_VERSION"
  local f sum
  for f in k8s/go.mod k8s/go.sum etcd/go.mod etcd/go.sum; do
    sum=$(cksum <"$HARNESS_DIR/$f")
    printf '%s=%s\n' "$f" "${sum// /:}"
  done
}

is_complete() {
  [[ -f $DEST/.complete ]] || return 1
  [[ "$(<"$DEST/.complete")" == "$(fingerprint)" ]] || return 1
  local b
  for b in "${BINARIES[@]}"; do [[ -x $BIN_DIR/$b ]] || return 1; done
  for b in "${FILES[@]}"; do [[ -s $BIN_DIR/$b ]] || return 1; done
}

# --------------------------------------------------------------------------------------------
# --update-modules: (re)generate the wrapper modules from versions.env. Writes into the repo.
# --------------------------------------------------------------------------------------------
update_modules() {
  export GOTOOLCHAIN=auto GOWORK=off GOFLAGS=-mod=mod
  local kgomod minor staging goline godebug etcd_pin m
  kgomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [[ -f $kgomod ]] || die "could not download k8s.io/kubernetes@$K8S_VERSION go.mod"
  minor=${K8S_VERSION#v1.}            # 35.4
  staging=$(awk '$2=="=>" && $3 ~ /^\.\/staging\/src\// {print $1}' "$kgomod")
  [[ -n $staging ]] || die "no staging replaces found in $kgomod"
  goline=$(awk '$1=="go" {print $2; exit}' "$kgomod")
  godebug=$(sed -n 's/^godebug \([^ (]*=[^ ]*\)$/\1/p' "$kgomod" | sort -u)
  etcd_pin=$(awk '$1=="go.etcd.io/etcd/server/v3" {print $2; exit}' "$kgomod")
  [[ $etcd_pin == "$ETCD_VERSION" ]] ||
    log "WARNING: k8s.io/kubernetes@$K8S_VERSION pins etcd server $etcd_pin, versions.env has ETCD_VERSION=$ETCD_VERSION"

  log "regenerating $K8S_MOD_DIR (go $goline, $(wc -w <<<"$staging") staging modules -> v0.$minor)"
  (
    cd "$K8S_MOD_DIR"
    rm -f go.mod go.sum
    go mod init baf-action/test/harness/k8s 2>/dev/null
    go mod edit -go="$goline"
    for m in $godebug; do go mod edit -godebug="$m"; done
    for m in $staging; do go mod edit -replace "$m=$m@v0.$minor"; done
    go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION"
    go mod tidy
  )
  local egomod egoline
  egomod=$(go mod download -json "go.etcd.io/etcd/server/v3@$ETCD_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  egoline=$(awk '$1=="go" {print $2; exit}' "$egomod")
  [[ $egoline == *.*.* ]] || egoline=$egoline.0
  log "regenerating $ETCD_MOD_DIR (go $egoline, etcd $ETCD_VERSION)"
  (
    cd "$ETCD_MOD_DIR"
    rm -f go.mod go.sum
    go mod init baf-action/test/harness/etcd 2>/dev/null
    go mod edit -go="$egoline"
    go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION" "go.etcd.io/etcd/etcdctl/v3@$ETCD_VERSION"
    go mod tidy
  )
  log "done; commit test/harness/{k8s,etcd}/go.{mod,sum}"
}

# --------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------
TMP=""
CHILD=""
cleanup() { if [[ -n $TMP && -d $TMP ]]; then rm -rf -- "$TMP"; fi; }
on_signal() {
  if [[ -n $CHILD ]]; then kill -TERM -- "-$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
  printf '\n' >&2
  log "interrupted; nothing was published to $DEST"
  exit "$1"
}

TIME_CMD=()
SUMMARY=()

# step NAME WORKDIR CMD... : run one build step, log output to $TMP/logs/NAME.log, report elapsed time.
step() {
  local name=$1 dir=$2; shift 2
  local logf=$TMP/logs/$name.log rssf=$TMP/logs/$name.rss t0=$SECONDS rc=0 rss=""
  printf '[sim-binaries] %-24s ' "$name" >&2
  local cmd=("$@")
  if ((${#TIME_CMD[@]})); then cmd=("${TIME_CMD[@]}" -o "$rssf" "$@"); fi
  # Run in the background in its own process group (set -m) so that a TERM/INT sent to this script
  # is handled at once and takes the whole go build tree down with it (see on_signal).
  set -m
  (cd "$dir" && exec "${cmd[@]}") >"$logf" 2>&1 9>&- &
  CHILD=$!
  set +m
  wait "$CHILD" || rc=$?
  CHILD=""
  local dt=$((SECONDS - t0))
  if ((rc != 0)); then
    printf 'FAILED after %ss (exit %s)\n' "$dt" "$rc" >&2
    tail -n 60 "$logf" >&2
    die "build of $name failed (full log above, last 60 lines)"
  fi
  if [[ -s $rssf ]]; then rss=$(tail -n 1 "$rssf"); rss="peak RSS $((rss / 1024)) MiB"; fi
  printf 'ok  %4ss  %s\n' "$dt" "$rss" >&2
  SUMMARY+=("$name ${dt}s ${rss}")
}

build_all() {
  command -v go >/dev/null || die "go not found in PATH"
  grep -Eq "^[[:space:]]*k8s.io/kubernetes $K8S_VERSION( |$)" "$K8S_MOD_DIR/go.mod" ||
    die "test/harness/k8s/go.mod does not require k8s.io/kubernetes $K8S_VERSION; run $0 --update-modules"
  grep -Eq "^[[:space:]]*go.etcd.io/etcd/server/v3 $ETCD_VERSION( |$)" "$ETCD_MOD_DIR/go.mod" ||
    die "test/harness/etcd/go.mod does not require go.etcd.io/etcd/server/v3 $ETCD_VERSION; run $0 --update-modules"


  # GNU time gives the peak RSS of the largest process in each step (usually the linker).
  if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    TIME_CMD=(/usr/bin/time -f %M)
  fi

  mkdir -p "$TMP/bin" "$TMP/logs"
  local t_all=$SECONDS b

  # Kubernetes control plane. Same -X set as k/k's hack/lib/version.sh (minus gitCommit: no VCS here).
  local major=${K8S_VERSION#v}; major=${major%%.*}
  local kminor=${K8S_VERSION#v*.}; kminor=${kminor%%.*}
  local kld="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    kld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$kminor"
    kld+=" -X $pkg.gitTreeState=clean -X $pkg.gitCommit= -X $pkg.buildDate=$K8S_BUILD_DATE"
  done
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    step "$b" "$K8S_MOD_DIR" go build -mod=readonly -trimpath -ldflags "$kld" -o "$TMP/bin/$b" "k8s.io/kubernetes/cmd/$b"
  done

  # etcd (+ etcdctl, cheap) at the version k/k pins.
  step etcd "$ETCD_MOD_DIR" go build -mod=readonly -trimpath -ldflags "-s -w" -o "$TMP/bin/etcd" go.etcd.io/etcd/server/v3
  step etcdctl "$ETCD_MOD_DIR" go build -mod=readonly -trimpath -ldflags "-s -w" -o "$TMP/bin/etcdctl" go.etcd.io/etcd/etcdctl/v3

  # kwok: plain go install of the pinned tag (its go.mod has no replaces); consts.Version defaults to the tag.
  step kwok "$TMP" env GOBIN="$TMP/bin" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  # kwok >= v0.8 no longer has built-in default stages ("no stages found" without --config): ship
  # kwok's own node/pod stages from the same module version as bin/kwok-stages.yaml (--config=...).
  local kdir sf
  kdir=$(cd "$TMP" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  for sf in "${KWOK_STAGE_FILES[@]}"; do
    [[ -f $kdir/kustomize/stage/$sf ]] || die "sigs.k8s.io/kwok@$KWOK_VERSION has no kustomize/stage/$sf"
    printf -- '---\n'
    cat "$kdir/kustomize/stage/$sf"
  done >"$TMP/bin/kwok-stages.yaml"

  # helm: release-style ldflags (see helm's Makefile) so `helm version` and the default
  # Capabilities.KubeVersion / lint k8s version are right. The k8s minor comes from helm's client-go.
  local hgomod hk8s hmajor hminor
  hgomod=$(cd "$TMP" && go mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  hk8s=$(awk '$1=="k8s.io/client-go" {print $2; exit}' "$hgomod")   # v0.37.0
  [[ $hk8s =~ ^v0\.([0-9]+)\. ]] || die "cannot read k8s.io/client-go version from helm go.mod ($hgomod)"
  hmajor=1 hminor=${BASH_REMATCH[1]}
  local hld="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  hld+=" -X helm.sh/helm/v3/internal/version.metadata= -X helm.sh/helm/v3/internal/version.gitCommit="
  hld+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    hld+=" -X $pkg.k8sVersionMajor=$hmajor -X $pkg.k8sVersionMinor=$hminor"
  done
  step helm "$TMP" env GOBIN="$TMP/bin" go install -trimpath -ldflags "$hld" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"

  for b in "${BINARIES[@]}"; do [[ -x $TMP/bin/$b ]] || die "missing $b after build"; done
  for b in "${FILES[@]}"; do [[ -s $TMP/bin/$b ]] || die "missing $b after build"; done
  log "all binaries built in $((SECONDS - t_all))s"
  {
    printf 'built_at=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'go=%s\n' "$(go env GOVERSION)"
    printf 'total=%ss\n' "$((SECONDS - t_all))"
    printf '%s\n' "${SUMMARY[@]}"
  } >"$TMP/build-info.txt"
  fingerprint >"$TMP/.complete"
}

# --------------------------------------------------------------------------------------------
mode=build
case "${1:-}" in
  "") ;;
  --print-dir) mode=print ;;
  --check) mode=check ;;
  --force) mode=force ;;
  --update-modules) mode=update ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
  *) die "unknown argument: $1 (see --help)" ;;
esac
(($# <= 1)) || die "expected at most one argument"

case $mode in
  print) printf '%s\n' "$BIN_DIR"; exit 0 ;;
  check) if is_complete; then printf '%s\n' "$BIN_DIR"; exit 0; else exit 1; fi ;;
  update) update_modules; exit 0 ;;
esac

# Warm path: no go, no locking.
if [[ $mode == build ]] && is_complete; then
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
# Serialise concurrent builders of the same key (if flock is available), then re-check.
if command -v flock >/dev/null; then
  exec 9>"$CACHE_ROOT/.$KEY.lock"
  if ! flock -n 9; then
    log "another build of $KEY is running; waiting for it"
    flock 9
    if [[ $mode == build ]] && is_complete; then printf '%s\n' "$BIN_DIR"; exit 0; fi
  fi
  LOCKED=1
fi

trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
# Leftovers of builds that were killed hard (SIGKILL, power loss). Safe to remove only while we hold
# the lock; without flock, leave them alone (they are never mistaken for a cache: no .complete).
if [[ ${LOCKED:-} == 1 ]]; then rm -rf -- "$CACHE_ROOT/.tmp.$KEY."* "$CACHE_ROOT/.old.$KEY."*; fi
TMP=$(mktemp -d "$CACHE_ROOT/.tmp.$KEY.XXXXXX")
# Static, host-platform binaries; fetch newer toolchains from the proxy if a module asks for one.
export GOTOOLCHAIN=auto CGO_ENABLED=0 GOWORK=off
unset GOOS GOARCH
log "building into $DEST (this takes a while the first time; Go $(go env GOVERSION), GOCACHE $(go env GOCACHE))"
build_all
chmod 755 "$TMP"

# Atomic publish: rename(2) of a fully built directory within the same filesystem.
if [[ -e $DEST ]]; then
  old=$(mktemp -d "$CACHE_ROOT/.old.$KEY.XXXXXX")
  mv -- "$DEST" "$old/"
  rm -rf -- "$old"
fi
mv -- "$TMP" "$DEST"
TMP=""
printf '%s\n' "$BIN_DIR"
