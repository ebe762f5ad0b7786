"""Compare and filter on big bodies: the work the window hands to a helper process.

Two 10 MB list responses (records with nested objects, matched by ``id``) that differ in a
changed field, a removed and an inserted record, a new cursor, and a volatile ``updated_at``
in every record. Each row times one call in this process, parsing included where the window
would parse:

* ``compare``: ``compare_exchanges`` with no ignore rules (every ``updated_at`` reported);
* ``compare, ignore $.data[*].updated_at`` / ``$..updated_at``: the ignore list evaluated on
  both sides (a descendant query walks the whole document in pure Python);
* ``filter JSONPath`` / ``filter jq``: one record picked out of a 10 MB body.

No target for these: they run off the UI thread with progress; the numbers say how long the
progress bar shows. The stall target applies to how the window runs them: the last rows do the
comparison again as a window hands it off - from a pool thread (``RenderJob``) to a helper
process (``core.process_pool.run_in_process``), the two exchanges as parcels (record and body
bytes) and the result back in brief (``core.compare_pages``: counts and the first page of
changes) - with a 5 ms heartbeat on the UI thread, so the longest UI stall while a 10 MB diff
runs is measured (the helper process is started before, as the window's first big response
would have). The ``compare window`` rows do it as a user does: ``CompareControl``
compares two entries of a real ``HistoryStore`` (written once, in a temporary folder), as
Ctrl+Shift+M does, timed until the comparison is shown, with the UI's longest stall from the
moment the window is built until 300 ms after.
"""

from __future__ import annotations

import argparse
import copy
import json
from functools import partial
from typing import TYPE_CHECKING, Any

from benchmarks.measure import STALL_TARGET_MS, Metric, now_ms, table
from explorer.core.compare import IgnoreRules, compare_exchanges
from explorer.core.exchange import Exchange
from explorer.core.filters import JQ, JSONPATH, run_filter
from explorer.core.request import RpcRequest
from explorer.core.response import read_response

if TYPE_CHECKING:
    from explorer.ui.compare.window import CompareWindow


def _records(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"emp_{i:06d}",
            "first_name": f"First{i}",
            "work_email": f"person{i}@example.com",
            "salary": 40_000 + (i * 37) % 90_000,
            "tags": [f"t{i % 7}", f"t{i % 5}"],
            "home_location": {"city": ("Berlin", "London")[i % 2], "zip": f"{i % 99999:05d}"},
            "updated_at": "2025-01-01T00:00:00Z",
        }
        for i in range(count)
    ]


def _documents(mb: float) -> tuple[bytes, bytes]:
    per_record = len(json.dumps(_records(1)[0])) + 2
    records = _records(int(mb * 1024 * 1024) // per_record + 1)
    changed = copy.deepcopy(records)
    changed[500]["salary"] = -1
    changed.pop(1000)
    changed.insert(len(changed) // 2, {"id": "emp_new"})
    for record in changed:
        record["updated_at"] = "2026-01-01T00:00:00Z"
    left = {"data": records, "next": "c1"}
    right = {"data": changed, "next": "c2"}
    return json.dumps(left).encode(), json.dumps(right).encode()


def _exchange(body: bytes) -> Exchange:
    response = read_response(200, [("content-type", "application/json")], body, reason="OK")
    return Exchange(request=RpcRequest(action="a", account_id="b"), response=response)


def off_the_ui_thread(left: Exchange, right: Exchange, runs: int) -> list[Metric]:
    """The comparison as the window runs it, timed with the UI thread's longest stall."""
    from PySide6.QtCore import QThreadPool

    from benchmarks.measure import Heartbeat, application, run_loop_until, settle
    from explorer.core.compare import parcel
    from explorer.core.compare_pages import brief
    from explorer.core.process_pool import run_in_process
    from explorer.ui.jobs import RenderJob

    application()
    pool = QThreadPool()
    heartbeat = Heartbeat()
    heartbeat.start()
    metrics: list[Metric] = []

    def once(call: Any, took: Metric, stall: Metric) -> Any:
        results: list[Any] = []
        job = RenderJob(0, lambda: run_in_process(call))
        job.signals.done.connect(lambda _generation, result: results.append(result))
        start = now_ms()
        pool.start(job)
        if not run_loop_until(heartbeat, lambda: bool(results), timeout_ms=600_000):
            raise SystemExit("the helper process never answered")
        done = now_ms()
        settle(heartbeat, 200)
        took.add(done - start)
        stall.add(heartbeat.longest(start, now_ms()))
        return results[0]

    # The helper process starts, as it would have for the window's first big response.
    once(partial(json.loads, "[]"), Metric("warm-up"), Metric("warm-up"))
    for label, rules in (
        ("", IgnoreRules()),
        (", ignore $..updated_at", IgnoreRules(body=["$..updated_at"])),
    ):
        took = Metric(f"compare in brief{label} in a helper process, from a pool thread")
        stall = Metric("  longest UI stall meanwhile", target=STALL_TARGET_MS)
        for run in range(runs):
            call = partial(brief, parcel(left), parcel(right), key=str(run), ignore=rules)
            result = once(call, took, stall)
            if isinstance(result, BaseException) or not result.comparison.body:
                raise SystemExit(f"the helper process's compare failed: {result!r}")
        metrics += [took, stall]
    heartbeat.stop()
    pool.waitForDone()
    return metrics


def _idle(window: CompareWindow) -> bool:
    return not window.job.is_busy()


def in_the_window(left_body: bytes, right_body: bytes, runs: int) -> list[Metric]:
    """The comparison as a user gets it: two history entries compared in a ``CompareWindow``."""
    import tempfile
    from pathlib import Path

    from PySide6.QtWidgets import QWidget

    from benchmarks.measure import Heartbeat, application, run_loop_until, settle
    from explorer.store.baselines import BaselineStore
    from explorer.store.history import HistoryStore
    from explorer.ui.compare.control import CompareControl
    from explorer.ui.helper_jobs import stop_helpers

    application()
    metrics: list[Metric] = []
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as folder:
        history = HistoryStore(Path(folder) / "history")
        for body in (left_body, right_body):
            history.add(_exchange(body))
        rules = BaselineStore(Path(folder) / "baselines")
        host = QWidget()
        control = CompareControl(history, rules, host)
        heartbeat = Heartbeat()
        heartbeat.start()
        for label, ignore in (
            ("", IgnoreRules()),
            (", ignore $..updated_at", IgnoreRules(body=["$..updated_at"])),
        ):
            rules.set_ignore_rules("a", ignore)
            took = Metric(f"compare window{label}: two history entries to the changes shown")
            stall = Metric("  longest UI stall meanwhile", target=STALL_TARGET_MS)
            for run in range(runs + 1):  # the first run starts the helper process: not counted
                settle(heartbeat, 100)
                start = now_ms()
                window = control.compare_entries(history.rows())  # as Ctrl+Shift+M does
                opened = now_ms()  # (building the window itself is not the diff's stall)
                assert window is not None
                shown = run_loop_until(heartbeat, partial(_idle, window), timeout_ms=600_000)
                done = now_ms()
                if not shown or window.comparison is None or not window.body_model.rowCount():
                    raise SystemExit(f"the window's compare failed: {window.error_label.text()}")
                settle(heartbeat, 300)
                if run > 0:
                    took.add(done - start)
                    stall.add(heartbeat.longest(opened, now_ms()))
                window.close()
                window.deleteLater()
                settle(heartbeat, 100)
            metrics += [took, stall]
        heartbeat.stop()
        stop_helpers()
        host.deleteLater()
        history.close()
    return metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument(
        "--window-only", action="store_true", help="only the compare window's rows (quicker)"
    )
    args = parser.parse_args(argv)
    left_body, right_body = _documents(args.mb)
    if args.window_only:
        print(
            table(
                f"Compare window ({args.runs} runs)",
                in_the_window(left_body, right_body, args.runs),
            )
        )
        return
    left, right = _exchange(left_body), _exchange(right_body)
    size = f"{len(left_body) / 1e6:.1f} MB"
    cases = {
        f"compare two {size} bodies": IgnoreRules(),
        "compare, ignore $.data[*].updated_at": IgnoreRules(body=["$.data[*].updated_at"]),
        "compare, ignore $..updated_at": IgnoreRules(body=["$..updated_at"]),
    }
    metrics = {name: Metric(name) for name in cases}
    filters = {
        f"filter JSONPath over {size} (parse included)": (
            JSONPATH,
            "$.data[?@.id == 'emp_000777'].work_email",
        ),
        f"filter jq over {size} (parse included)": (
            JQ,
            '.data[] | select(.id == "emp_000777") | .work_email',
        ),
    }
    metrics |= {name: Metric(name) for name in filters}
    for _ in range(args.runs):
        for name, rules in cases.items():
            start = now_ms()
            result = compare_exchanges(left, right, ignore=rules)
            metrics[name].add(now_ms() - start)
            if not result.body:
                raise SystemExit(f"{name}: found no change")
        for name, (language, expression) in filters.items():
            start = now_ms()
            found = run_filter(language, expression, left_body)
            metrics[name].add(now_ms() - start)
            if found.values != ["person777@example.com"]:
                raise SystemExit(f"{name}: wrong result {found.values[:3]}")
    # Fresh exchanges: the runs above parsed the bodies, and a window's exchanges arrive unparsed.
    fresh = _exchange(left_body), _exchange(right_body)
    rows = list(metrics.values()) + off_the_ui_thread(*fresh, args.runs)
    rows += in_the_window(left_body, right_body, args.runs)
    print(table(f"Compare and filter ({args.runs} runs)", rows))


if __name__ == "__main__":
    main()
