#!/usr/bin/env bash
# Destroys the stack if there is one, then stops the emulator if `make up` started it.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${STACK:-dev}
local_url="http://127.0.0.1:${FDIPSEC_EMULATOR_PORT:-18731}/frontdoor"
if pulumi stack select "$stack" --non-interactive >/dev/null 2>&1; then
	api_url=$(pulumi config get fdipsec:apiUrl 2>/dev/null || true)
	if [[ $api_url == "$local_url" ]]; then
		scripts/emulator.sh start
	fi
	pulumi destroy --yes --stack "$stack"
else
	echo "No stack '$stack': nothing to destroy."
fi
scripts/emulator.sh stop
