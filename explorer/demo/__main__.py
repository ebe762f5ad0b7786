"""``python -m explorer.demo``: run the demo server in the foreground until Ctrl+C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from explorer.core.defender import INSTALL_HINT, library_available, tier2_available
from explorer.demo.accounts import ACCOUNTS
from explorer.demo.defender import warm_up
from explorer.demo.server import DemoServer


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m explorer.demo",
        description="A local StackOne-compatible server for trying the RPC Explorer offline.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser.parse_args(argv)


def exposure_warning(server: DemoServer) -> str | None:
    """A warning when other machines can reach the server: its API key is no secret."""
    if server.is_loopback:
        return None
    return (
        f"Warning: listening on {server.host}, so other machines can reach the demo server, "
        "and its API key is public. Use --host 127.0.0.1 unless you mean it."
    )


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    # Ctrl+C and SIGTERM both mean "stop cleanly and exit 0", even during start-up.
    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    server = DemoServer(args.host, args.port, log=None if args.quiet else log)
    try:
        server.start()
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    warning = exposure_warning(server)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(f"StackOne demo server on {server.url}")
    print(f"API key: {server.api_key}")
    if server.actions_only_key:
        print(f"API key with only the Actions scope: {server.actions_only_key}")
    print("Accounts:")
    for account in ACCOUNTS.values():
        print(
            f"  {account.id:<22} {account.provider:<13} {account.status:<10} {account.type:<11}"
            f" {account.origin_owner_name}"
        )
    if not library_available():
        print(f"Defender: unavailable (stackone-defender is not installed: {INSTALL_HINT})")
    else:
        tiers = "tiers 1 and 2" if tier2_available() else "tier 1 (tier 2 needs its [onnx] extra)"
        print(f"Defender: stackone-defender, {tiers}; loading in the background…")
    print("Press Ctrl+C to stop.", flush=True)
    # As the window does after its first paint: the library (and tier 2's model) loads now,
    # not inside the first screened call, which otherwise waits for it (0.3 s here, seconds
    # on a busy machine).
    warm_up(lambda seconds: print(f"Defender loaded in {seconds:.1f} s.", flush=True))

    while not done.wait(0.5):
        pass
    server.stop()
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
