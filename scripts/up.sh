#!/usr/bin/env bash
# The main job: select or create the stack, start the emulator when the stack points at it, deploy,
# and print the outputs (secrets masked).
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${STACK:-dev}
local_url="http://127.0.0.1:${FDIPSEC_EMULATOR_PORT:-18731}/frontdoor"

pulumi stack select --create "$stack" --non-interactive
api_url=$(pulumi config get fdipsec:apiUrl 2>/dev/null || true)
if [[ -z $api_url || $api_url == "$local_url" ]]; then
	scripts/emulator.sh start
	# The emulator's documented demo token; stored as a secret so it never reaches state in plain text.
	if ! pulumi config get fdipsec:token >/dev/null 2>&1; then
		pulumi config set --secret fdipsec:token fdipsec-local-token
	fi
fi
pulumi up --yes --stack "$stack"
echo
echo "Stack outputs (secrets are masked; 'make secret-outputs' shows them):"
pulumi stack output --stack "$stack"
