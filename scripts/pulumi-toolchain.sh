#!/usr/bin/env bash
# Makes a Pulumi CLI available and prints the directory that holds it (and its helpers) on stdout.
# On stderr it says, in one line, which CLI it chose and why.
#
# A `pulumi` on PATH is used when it is at least as new as the pip SDK (PULUMI_SDK_VERSION): an older
# engine may not understand what the SDK's dynamic-provider host sends. It also needs both
# `pulumi-language-python` and `pulumi-resource-pulumi-python` beside it or on PATH: those are the two
# helpers a Python stack with dynamic providers runs.
#
# Otherwise the CLI (PULUMI_CLI_VERSION) is built from the Go module proxy into
# ~/.cache/fdipsec-pulumi/<key>/bin, keyed by the CLI version, the SDK version and a hash of our build
# inputs, so each machine builds it once. The Go it needs is the `go` directive of
# tools/pulumi-build/go.mod, and nowhere else.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cli_version=${PULUMI_CLI_VERSION:?}
sdk_version=${PULUMI_SDK_VERSION:?}
build_dir="$here/tools/pulumi-build"

say() { printf 'pulumi-toolchain: %s\n' "$*" >&2; }

# version_ge A B: A >= B for dotted versions (a leading "v" and any "-suffix" ignored).
version_ge() {
	local a=${1#v} b=${2#v}
	a=${a%%-*} b=${b%%-*}
	[[ $(printf '%s\n%s\n' "$a" "$b" | sort -V | head -n1) == "$b" ]]
}

# Why a pulumi on PATH is not used, or nothing when it is usable.
path_cli_refusal() {
	local bin dir reported helper
	bin=$(command -v pulumi 2>/dev/null) || { echo "no pulumi on PATH"; return; }
	dir=$(dirname "$bin")
	reported=$("$bin" version 2>/dev/null | head -n1) || { echo "$bin does not run"; return; }
	if ! [[ $reported =~ ^v?3\.[0-9]+\.[0-9]+ ]] || ! version_ge "$reported" "$sdk_version"; then
		echo "$bin reports version '${reported}', not at least the pip SDK's $sdk_version"
		return
	fi
	for helper in pulumi-language-python pulumi-resource-pulumi-python; do
		if ! [[ -x $dir/$helper ]] && ! command -v "$helper" >/dev/null; then
			echo "$bin ($reported) has no $helper beside it or on PATH"
			return
		fi
	done
}

if [[ ${FDIPSEC_BUILD_PULUMI:-} == 1 ]]; then
	why="FDIPSEC_BUILD_PULUMI=1"
else
	why=$(path_cli_refusal)
	if [[ -z $why ]]; then
		existing=$(command -v pulumi)
		say "Pulumi CLI $("$existing" version) found on PATH at $existing (at least the pip SDK $sdk_version, with both Python helpers)"
		dirname "$existing"
		exit 0
	fi
fi

key=$(cat "$build_dir/go.mod" "$build_dir/go.sum" "$build_dir"/langhost/*.go "$0" | sha256sum | cut -c1-12)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/fdipsec-pulumi
target="$cache_root/pulumi-v$cli_version-sdk$sdk_version-$key"
if [[ -f $target/.complete ]]; then
	say "Pulumi CLI v$cli_version built earlier from the Go module proxy, in $target ($why)"
	echo "$target/bin"
	exit 0
fi

go_needed=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$build_dir/go.mod")
if ! command -v go >/dev/null; then
	say "no usable Pulumi CLI ($why) and no Go to build v$cli_version: install Go $go_needed or newer, or a Pulumi CLI v$sdk_version or newer with pulumi-language-python and pulumi-resource-pulumi-python"
	exit 1
fi
go_have=$(GOTOOLCHAIN=local go env GOVERSION)
if ! version_ge "${go_have#go}" "$go_needed"; then
	say "building Pulumi CLI v$cli_version needs Go $go_needed or newer; this machine has ${go_have#go} ($why)"
	exit 1
fi

say "Pulumi CLI v$cli_version: building it from the Go module proxy into $target, once per machine ($why)"
work=$(mktemp -d "$cache_root.build.XXXXXX" 2>/dev/null || { mkdir -p "$cache_root" && mktemp -d "$cache_root.build.XXXXXX"; })
trap 'rm -rf "$work"' EXIT
cp -r "$build_dir"/. "$work/src"
mkdir -p "$work/bin"
(
	cd "$work/src"
	export GOFLAGS=-mod=readonly GOTOOLCHAIN=local
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
say "built $("$target/bin/pulumi" version) ($(du -sh "$target" | cut -f1))"
echo "$target/bin"
