#!/usr/bin/env bash
# Makes a Pulumi CLI available and prints the directory that holds it (and its helpers).
#
# A `pulumi` on PATH "meets the pin" when it reports v3.MINOR.x with MINOR >= the pinned CLI minor
# (PULUMI_CLI_VERSION) and has both `pulumi-language-python` and `pulumi-resource-pulumi-python`
# beside it or on PATH: the engine protocol is backwards compatible within major version 3, and those
# are the two helpers a Python stack with dynamic providers needs.
#
# Otherwise the CLI is built from the Go module proxy into ~/.cache/fdipsec-pulumi/<key>/bin, keyed by
# the CLI version, the SDK version and a hash of our build inputs, so each machine builds it once.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cli_version=${PULUMI_CLI_VERSION:?}
sdk_version=${PULUMI_SDK_VERSION:?}
build_dir="$here/tools/pulumi-build"

log() { printf 'pulumi-toolchain: %s\n' "$*" >&2; }

meets_pin() {
	local bin=$1 dir reported minor want
	dir=$(dirname "$bin")
	reported=$("$bin" version 2>/dev/null | head -n1) || return 1
	[[ $reported =~ ^v?3\.([0-9]+)\. ]] || return 1
	minor=${BASH_REMATCH[1]}
	want=$(cut -d. -f2 <<<"$cli_version")
	((minor >= want)) || return 1
	for helper in pulumi-language-python pulumi-resource-pulumi-python; do
		[[ -x $dir/$helper ]] || command -v "$helper" >/dev/null || return 1
	done
}

if [[ ${FDIPSEC_BUILD_PULUMI:-} != 1 ]] && existing=$(command -v pulumi 2>/dev/null) && meets_pin "$existing"; then
	log "using $existing ($("$existing" version))"
	dirname "$existing"
	exit 0
fi

key=$(cat "$build_dir/go.mod" "$build_dir/go.sum" "$build_dir"/langhost/*.go "$0" | sha256sum | cut -c1-12)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/fdipsec-pulumi
target="$cache_root/pulumi-v$cli_version-sdk$sdk_version-$key"
if [[ -f $target/.complete ]]; then
	echo "$target/bin"
	exit 0
fi

if ! command -v go >/dev/null; then
	cat >&2 <<MSG
pulumi-toolchain: no Pulumi CLI >= v$cli_version on PATH, and no Go toolchain to build one.
Install either:
  - the Pulumi CLI v$cli_version or newer (https://www.pulumi.com/docs/install/), with its bundled
    pulumi-language-python and pulumi-resource-pulumi-python helpers on PATH; or
  - Go 1.25 or newer, and run make setup again to build the CLI from the Go module proxy.
MSG
	exit 1
fi

log "building Pulumi CLI v$cli_version into $target (once per machine; this takes a while)"
work=$(mktemp -d "$cache_root.build.XXXXXX" 2>/dev/null || { mkdir -p "$cache_root" && mktemp -d "$cache_root.build.XXXXXX"; })
trap 'rm -rf "$work"' EXIT
cp -r "$build_dir"/. "$work/src"
mkdir -p "$work/bin"
(
	cd "$work/src"
	export GOFLAGS=-mod=readonly
	ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$cli_version"
	go build -trimpath -ldflags "$ldflags" -o "$work/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
	go build -trimpath -ldflags "$ldflags" -o "$work/bin/pulumi-language-python" ./langhost
	# The launcher scripts ship in the Python SDK's Go module at the same version as the pip package.
	sdk_dir=$(go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$sdk_version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
	install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$work/bin/"
	install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$work/bin/"
)
"$work/bin/pulumi" version >/dev/null
touch "$work/bin/.complete"
rm -rf "$target"
mkdir -p "$target"
mv "$work/bin" "$target/bin"
mv "$target/bin/.complete" "$target/.complete"
# Builds for older pins or build inputs are never used again.
find "$cache_root" -mindepth 1 -maxdepth 1 -name 'pulumi-v*' ! -path "$target" -exec rm -rf {} +
log "built $("$target/bin/pulumi" version) ($(du -sh "$target" | cut -f1))"
echo "$target/bin"
