#!/usr/bin/env bash
# Readies the sandbox stack for `make up` and `make preview`: selects STACK (default dev), creating it
# when missing. A stack with no fdipsec:apiUrl is pointed at the local emulator, with the emulator's
# Frontdoor and its demo token (a secret, so it never reaches state in plain text); the emulator is
# started whenever the stack points at it. A stack pointed elsewhere (the real API) is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${STACK:-dev}
local_url="http://127.0.0.1:${FDIPSEC_EMULATOR_PORT:-18731}/frontdoor"
# The emulator's default Frontdoor (fdipsec_pulumi.client.models.DEFAULT_FRONTDOOR_ID).
local_frontdoor=3d6d2b6e-6c7a-4a7f-8c3d-9a9d2e1f0b1c

pulumi stack select --create "$stack" --non-interactive
api_url=$(pulumi config get fdipsec:apiUrl 2>/dev/null || true)
if [[ -z $api_url ]]; then
	api_url=$local_url
	pulumi config set fdipsec:apiUrl "$local_url"
	pulumi config set fdipsec:frontdoorId "$local_frontdoor"
fi
if [[ $api_url == "$local_url" ]]; then
	scripts/emulator.sh start
	if ! pulumi config get fdipsec:token >/dev/null 2>&1; then
		pulumi config set --secret fdipsec:token fdipsec-local-token
	fi
fi
