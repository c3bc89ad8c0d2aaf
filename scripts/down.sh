#!/usr/bin/env bash
# Destroys the stack, then stops the emulator if `make up` started it.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${STACK:-dev}
if pulumi stack select "$stack" --non-interactive 2>/dev/null; then
	api_url=$(pulumi config get fdipsec:apiUrl 2>/dev/null || true)
	local_url="http://127.0.0.1:${FDIPSEC_EMULATOR_PORT:-18731}/frontdoor"
	if [[ -z $api_url || $api_url == "$local_url" ]]; then
		scripts/emulator.sh start
	fi
	pulumi destroy --yes --stack "$stack"
fi
scripts/emulator.sh stop
