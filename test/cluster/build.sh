#!/usr/bin/env bash
# Builds the unmodified upstream control-plane programs (kube-apiserver, kube-controller-manager,
# kubectl, etcd, krew) from the Go module proxy into a cache directory keyed by go.mod/go.sum,
# so that a second run on the same machine rebuilds nothing. Prints the binary directory last.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

K8S=v1.37.2
LDFLAGS="-s -w \
 -X k8s.io/component-base/version.gitVersion=$K8S -X k8s.io/component-base/version.gitMajor=1 \
 -X k8s.io/component-base/version.gitMinor=37 -X k8s.io/component-base/version.gitTreeState=clean \
 -X k8s.io/client-go/pkg/version.gitVersion=$K8S -X k8s.io/client-go/pkg/version.gitMajor=1 \
 -X k8s.io/client-go/pkg/version.gitMinor=37"

want=(kube-apiserver kube-controller-manager kubectl etcd kubectl-krew)
# The key covers what decides the bytes of the binaries (modules, Go version, flags, the list), not this
# script's text, so editing comments or progress messages does not force a 15-minute rebuild.
key=$( (cat go.mod go.sum; go env GOVERSION; echo "$LDFLAGS" "${want[*]}" recipe=1) | sha256sum | cut -c1-16)
cache=${KUBECTL_CPA_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-cpa-e2e}
bin="$cache/bin-$key"

cache_hit() {
  for b in "${want[@]}"; do [ -x "$bin/$b" ] || return 1; done
  echo "cluster binaries: cache hit ($bin)" >&2
  echo "$bin"
}
cache_hit && exit 0
# One build at a time per cache: a second caller (another cluster:up, CI) waits, then reuses the result.
mkdir -p "$cache"
exec 9>"$cache/.build.lock"
if ! flock -n 9; then
  echo "cluster binaries: another build is running, waiting for it" >&2
  flock 9
fi
cache_hit && exit 0

export CGO_ENABLED=0 GOFLAGS="-modcacherw -buildvcs=false"
tmp="$bin.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
start=$(date +%s)
step() { echo "cluster binaries: [$(( $(date +%s) - start ))s] $*" >&2; }
# go build prints nothing for many minutes; a heartbeat shows callers (and CI logs) that it is alive.
# The trap kills the pending sleep too, so no orphan keeps our stderr pipe open after we exit.
( trap 'kill "$s" 2>/dev/null; exit 0' TERM; while :; do sleep 60 & s=$!; wait "$s"; step "still building"; done ) &
heartbeat=$!
trap 'kill "$heartbeat" 2>/dev/null; rm -rf "$tmp"' EXIT

step "downloading modules (first run on a machine: about 0.8 GB)"
go mod download
step "building kube-apiserver, kube-controller-manager, kubectl (first run: about 15 min on 2 cores, peak RSS 2.7 GB)"
go build -trimpath -ldflags "$LDFLAGS" -o "$tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kubectl
step "building etcd"
go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3
step "building krew"
go build -trimpath -ldflags "-s -w" -o "$tmp/kubectl-krew" sigs.k8s.io/krew/cmd/krew
rm -rf "$bin"
mv "$tmp" "$bin"
kill "$heartbeat" 2>/dev/null || true
trap - EXIT
step "done: $bin"
echo "$bin"
