#!/usr/bin/env bash
# The main job: ready the sandbox stack (scripts/stack.sh), deploy, and print the outputs (secrets masked).
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${STACK:-dev}
scripts/stack.sh
pulumi up --yes --stack "$stack"
echo
echo "Stack outputs (secrets are masked; 'make secret-outputs' shows them):"
pulumi stack output --stack "$stack"
