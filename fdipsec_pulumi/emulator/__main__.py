"""``python -m fdipsec_pulumi.emulator``: the emulator as a standalone local server.

It runs the same ``EmulatorServer`` the tests embed and waits for SIGINT/SIGTERM, so the CLI and the
tests cannot drift apart. The first log line names the base URL (useful with ``--port 0``).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.server import EmulatorServer

logger = logging.getLogger("fdipsec_pulumi.emulator")


def _client(value: str) -> tuple[str, str]:
    client_id, sep, secret = value.partition(":")
    if not sep or not client_id or not secret:
        raise argparse.ArgumentTypeError("expected ID:SECRET")
    return client_id, secret


def _seconds(value: str) -> float:
    seconds = float(value)
    if seconds < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return seconds


def parse_args(
    argv: Sequence[str] | None = None, prog: str = "python -m fdipsec_pulumi.emulator"
) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="A local emulator of the NetFoundry Frontdoor V2 IPsec API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one")
    parser.add_argument(
        "--token", action="append", help="an accepted bearer token; repeatable (default fdipsec-local-token)"
    )
    parser.add_argument(
        "--client",
        action="append",
        type=_client,
        metavar="ID:SECRET",
        help="an OAuth2 client for /oauth/token; repeatable (default fdipsec-local:fdipsec-local-secret)",
    )
    parser.add_argument(
        "--frontdoor-id",
        action="append",
        help=f"a Frontdoor that exists; repeatable (default {DEFAULT_FRONTDOOR_ID})",
    )
    parser.add_argument("--tunnel-delay", type=_seconds, default=0.0, help="seconds from NEW to DEPLOYED")
    parser.add_argument("--share-delay", type=_seconds, default=0.0, help="seconds from NEW to DEPLOYED")
    parser.add_argument(
        "--delete-delay", type=_seconds, default=0.0, help="seconds in DELETING, then in DELETED"
    )
    parser.add_argument("--token-ttl", type=_seconds, default=3600.0, help="lifetime of issued tokens")
    parser.add_argument("--state-file", help="SQLite file that keeps the state across restarts")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, prog: str = "python -m fdipsec_pulumi.emulator") -> int:
    args = parse_args(argv, prog)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    backend = Backend(
        tokens=args.token,
        clients=dict(args.client) if args.client else None,
        frontdoor_ids=args.frontdoor_id,
        tunnel_delay=args.tunnel_delay,
        share_delay=args.share_delay,
        delete_delay=args.delete_delay,
        token_ttl=args.token_ttl,
        state_file=args.state_file,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        server = EmulatorServer(backend, host=args.host, port=args.port)
    except OSError as exc:
        logger.error("cannot listen on %s:%s: %s", args.host, args.port, exc)
        return 1
    logger.info("fdipsec emulator listening; API base URL %s", server.url)
    try:
        stop.wait()
    finally:
        server.stop()
        backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
