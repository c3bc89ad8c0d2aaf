#!/usr/bin/env bash
# Starts or stops the local Frontdoor emulator that `make up` uses: loopback only, state kept in
# .emulator/state.db (FDIPSEC_EMULATOR_DIR) so a restart keeps the tunnels the stack's state refers to.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${FDIPSEC_EMULATOR_PORT:-18731}
dir=${FDIPSEC_EMULATOR_DIR:-.emulator}
pidfile=$dir/emulator.pid

running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

answering() {
	python3 - "$port" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/_emulator/config", timeout=1)
except Exception:
    sys.exit(1)
PY
}

case ${1:-} in
start)
	if answering; then exit 0; fi
	mkdir -p "$dir"
	nohup .venv/bin/python -m fdipsec_pulumi.emulator --host 127.0.0.1 --port "$port" \
		--state-file "$dir/state.db" --tunnel-delay 3 --share-delay 1 --delete-delay 1 \
		>>"$dir/emulator.log" 2>&1 &
	echo $! >"$pidfile"
	for _ in $(seq 100); do
		if answering; then
			echo "Frontdoor emulator listening on http://127.0.0.1:$port/frontdoor (log: $dir/emulator.log)"
			exit 0
		fi
		running || break
		sleep 0.1
	done
	echo "the emulator did not start; see $dir/emulator.log" >&2
	tail -n 20 "$dir/emulator.log" >&2 || true
	exit 1
	;;
stop)
	if running; then
		kill "$(cat "$pidfile")"
		# Gone before we return, so a `make up` right after starts a fresh one rather than finding this.
		for _ in $(seq 100); do
			running || break
			sleep 0.1
		done
		echo "Frontdoor emulator stopped"
	fi
	rm -f "$pidfile"
	;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
