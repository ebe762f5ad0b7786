"""A 200 MB response through the real window: peak memory above idle, helper processes included.

Issue 9 item 4's figure: a 200 MB response must cost at most 100 MB of resident memory above
the idle window, counting every helper process (the formatting process, when one runs).
Before the body limit it peaked at 462 MB (2.3 times the body), and a 200 KB gzip expanding
to 200 MB the same.

A stdlib HTTP server on a loopback port (a thread of this process, generating its body as it
sends it, so it holds only a chunk at a time) answers ``POST /actions/rpc``. The real
``MainWindow`` (stores in a temporary home, as ``big_response`` builds it) sends through its
real path: worker thread, response view, history. A sampler thread reads the resident set
(``VmRSS``) of this process and all its descendants every 10 ms from ``/proc``; a case's figure
is its peak minus the idle figure taken just before its send, on a fresh window. Cases:

* ``200 MB JSON``: compact records, sent as they are (``Content-Length``);
* ``200 MB JSON, gzip``: the same, gzip-compressed on the fly (about 10 times smaller);
* ``gzip bomb, 200 MB``: 200 MB of zeros in ~200 KB of gzip (refused: typed error).

Linux only (``/proc``). ``--mb`` changes the size (the smoke test runs it tiny).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from benchmarks.big_response import build_window
from benchmarks.measure import (
    BenchHandler,
    Heartbeat,
    LoopbackServer,
    Metric,
    application,
    run_loop_until,
    settle,
    table,
)

MB = 1024 * 1024
TARGET_MB = 100.0  # issue 9: at most this much above idle for a 200 MB response


def json_chunks(size: int) -> Iterator[bytes]:
    """About ``size`` bytes of compact JSON records, a chunk of ~1 MB at a time."""
    yield b'{"data":['
    sent, number = 0, 0
    while sent < size:
        rows = []
        for _ in range(5_000):
            rows.append(
                json.dumps(
                    {
                        "id": f"emp_{number:08d}",
                        "name": f"First{number} Last{number}",
                        "email": f"first{number}@example.com",
                        "department": ["Engineering", "Sales", "Support"][number % 3],
                        "salary": 50_000 + number % 70_000,
                    },
                    separators=(",", ":"),
                )
            )
            number += 1
        piece = ("," if sent else "") + ",".join(rows)
        data = piece.encode()
        sent += len(data)
        yield data
    yield b"]}"


def zero_chunks(size: int) -> Iterator[bytes]:
    block = b"\0" * MB
    for _ in range(size // MB):
        yield block


def gzipped(chunks: Iterator[bytes], level: int) -> Iterator[bytes]:
    packer = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    for chunk in chunks:
        out = packer.compress(chunk)
        if out:
            yield out
    yield packer.flush()


class StreamingServer(LoopbackServer):
    """Answers ``POST /actions/rpc`` with the case named in the body's ``query.case``."""

    def __init__(self, size: int) -> None:
        def body(case: str) -> tuple[Iterator[bytes], dict[str, str]]:
            if case == "plain":
                return json_chunks(size), {}
            if case == "gzip":
                return gzipped(json_chunks(size), 6), {"content-encoding": "gzip"}
            return gzipped(zero_chunks(size), 9), {"content-encoding": "gzip"}

        class Handler(BenchHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                case = json.loads(self.rfile.read(length))["query"]["case"]
                chunks, headers = body(case)
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("transfer-encoding", "chunked")
                self.send_header("connection", "close")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    for chunk in chunks:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the explorer refused the bomb and closed the connection

        super().__init__(Handler)


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = [pid]
    while pending:
        parent = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as children:
                    kids = [int(k) for k in children.read().split()]
            except OSError:
                continue
            found += kids
            pending += kids
    return found


def total_rss() -> int:
    """Resident memory of this process and every process it started."""
    me = os.getpid()
    return rss_bytes(me) + sum(rss_bytes(pid) for pid in descendants(me))


class Sampler:
    """Samples ``total_rss`` every 10 ms on a thread; ``peak`` since ``reset``."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def reset(self) -> None:
        self.peak = total_rss()

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, total_rss())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def one_case(url: str, case: str, sampler: Sampler, heartbeat: Heartbeat) -> tuple[float, str]:
    """(MB above idle at the peak, what the window showed) for one send on a fresh window."""
    from explorer.core.request import RpcRequest

    with tempfile.TemporaryDirectory() as home:
        window = build_window(Path(home), url)
        window.show()
        window.editor.load_request(
            RpcRequest(action="hris_list", account_id="acct_bench", query={"case": case})
        )
        window.editor.set_base_url(url)
        # The account list first, so the guard lets the send go at once.
        run_loop_until(heartbeat, lambda: window.discovery.accounts() is not None)
        settle(heartbeat, 300)
        idle = total_rss()
        sampler.reset()
        done: list[object] = []
        window.send_control.finished.connect(done.append)
        window.send_control.send()
        run_loop_until(heartbeat, lambda: bool(done), timeout_ms=600_000)
        window.history_pane.flush()
        settle(heartbeat, 500)  # the disk view's index, the history's link
        view = window.response_view
        shown = f"{view.status_label.text()} | {view.size_label.text()}".strip(" |")
        peak = sampler.peak
        window.send_control.shutdown()
        window.close()
        window.deleteLater()
        settle(heartbeat, 100)
    return (peak - idle) / MB, shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mb", type=float, default=200.0, help="the body's size (default 200)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not Path("/proc/self/status").exists():
        print("memory benchmark: needs Linux /proc", file=sys.stderr)
        return 1
    application()
    heartbeat = Heartbeat()
    heartbeat.start()
    sampler = Sampler()
    size = int(args.mb * MB)
    cases = {
        "plain": f"{args.mb:g} MB JSON",
        "gzip": f"{args.mb:g} MB JSON, gzip",
        "bomb": f"gzip bomb, {args.mb:g} MB",
    }
    metrics = {case: Metric(f"{name}: peak above idle", unit="MB") for case, name in cases.items()}
    if args.mb >= 200:
        for metric in metrics.values():
            metric.target = TARGET_MB
    shown: dict[str, str] = {}
    with StreamingServer(size) as server:
        for _ in range(args.runs):
            for case in cases:
                started = time.monotonic()
                above, shown[case] = one_case(server.url, case, sampler, heartbeat)
                metrics[case].add(round(above, 1))
                took = time.monotonic() - started
                print(
                    f"  {cases[case]}: {above:.0f} MB above idle in {took:.1f} s", file=sys.stderr
                )
    sampler.stop()
    print(
        table(
            f"memory: a {args.mb:g} MB response through the window (RSS, helpers included)",
            list(metrics.values()),
        )
    )
    for case, text in shown.items():
        print(f"  {cases[case]} -> {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
