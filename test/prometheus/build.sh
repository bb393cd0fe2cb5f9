#!/usr/bin/env bash
# Builds the unmodified upstream Prometheus server and promtool from the Go module proxy (module
# github.com/prometheus/prometheus, pinned in go.mod) for the simulate --prometheus tests. Service discovery
# plugins are left out (build tag remove_all_sd): the tests scrape nothing, they read a TSDB block. The
# result is cached by go.mod/go.sum, the Go version and the flags, like test/cluster/build.sh, so a second
# run rebuilds nothing. Prints the binary directory last.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

TAGS=remove_all_sd
want=(prometheus promtool)
key=$( (cat go.mod go.sum; go env GOVERSION; echo "$TAGS" "${want[*]}" recipe=1) | sha256sum | cut -c1-16)
cache=${KUBECTL_CPA_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-cpa-e2e}
bin="$cache/prometheus-$key"

cache_hit() {
  for b in "${want[@]}"; do [ -x "$bin/$b" ] || return 1; done
  echo "prometheus: cache hit ($bin)" >&2
  echo "$bin"
}
cache_hit && exit 0
mkdir -p "$cache"
exec 9>"$cache/.prometheus-build.lock"
if ! flock -n 9; then
  echo "prometheus: another build is running, waiting for it" >&2
  flock 9
fi
cache_hit && exit 0

export CGO_ENABLED=0 GOFLAGS="-modcacherw -buildvcs=false"
tmp="$bin.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
echo "prometheus: downloading modules and building prometheus + promtool (first run on a machine)" >&2
go mod download
go build -trimpath -tags "$TAGS" -ldflags "-s -w" -o "$tmp/" \
  github.com/prometheus/prometheus/cmd/prometheus \
  github.com/prometheus/prometheus/cmd/promtool
echo "prometheus: built in $(( $(date +%s) - start ))s" >&2
rm -rf "$bin"
mv "$tmp" "$bin"
trap - EXIT
echo "$bin"
