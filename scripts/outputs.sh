#!/usr/bin/env bash
# The stack's outputs, or a line saying there is no stack yet; extra arguments go to `pulumi stack output`.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${STACK:-dev}
if ! pulumi stack select "$stack" --non-interactive >/dev/null 2>&1; then
	echo "No stack '$stack' yet, so no outputs: 'make up' deploys it."
	exit 0
fi
pulumi stack output --stack "$stack" "$@"
