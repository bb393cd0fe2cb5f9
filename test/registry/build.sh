#!/usr/bin/env bash
# Builds the unmodified upstream image tools the image test uses: the reference OCI registry (distribution's
# cmd/registry) and crane (go-containerregistry), from the Go module proxy, into a cache directory keyed by
# go.mod/go.sum, so that a second run on the same machine rebuilds nothing. Prints the binary directory last.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

want=(registry crane)
# The key covers what decides the bytes of the binaries (modules, Go version, flags, the list).
key=$( (cat go.mod go.sum; go env GOVERSION; echo "-s -w" "${want[*]}" recipe=1) | sha256sum | cut -c1-16)
cache=${KUBECTL_CPA_REGISTRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-cpa-registry}
bin="$cache/bin-$key"

cache_hit() {
  for b in "${want[@]}"; do [ -x "$bin/$b" ] || return 1; done
  echo "registry tools: cache hit ($bin)" >&2
  echo "$bin"
}
cache_hit && exit 0
# One build at a time per cache: a second caller waits, then reuses the result.
mkdir -p "$cache"
exec 9>"$cache/.build.lock"
if ! flock -n 9; then
  echo "registry tools: another build is running, waiting for it" >&2
  flock 9
fi
cache_hit && exit 0

export CGO_ENABLED=0 GOFLAGS="-modcacherw -buildvcs=false"
tmp="$bin.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
start=$(date +%s)
step() { echo "registry tools: [$(( $(date +%s) - start ))s] $*" >&2; }
trap 'rm -rf "$tmp"' EXIT
step "downloading modules"
go mod download
step "building registry and crane"
go build -trimpath -ldflags "-s -w" -o "$tmp/registry" github.com/distribution/distribution/v3/cmd/registry
go build -trimpath -ldflags "-s -w" -o "$tmp/crane" github.com/google/go-containerregistry/cmd/crane
rm -rf "$bin"
mv "$tmp" "$bin"
trap - EXIT
step "done: $bin"
echo "$bin"
