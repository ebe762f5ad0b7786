"""The Defender check on big bodies: how long the window's helper process is busy with it.

A list of employee notes (each with a ``content`` field, which Defender reads with both tiers)
of the given size, one of them the demo's prompt injection. Rows:

* ``first check in a new helper process``: a spawned process (as the window's) importing the
  library, loading tier 2's classifier and checking a small body: the wait on first use;
* ``tier 1`` / ``tiers 1 and 2``: ``check_response`` over the body in this process (the library
  warm), parsing included, as the helper process runs it.

No target: the window shows progress meanwhile. The time is the library's own (its pure-Python
tier-1 walk, and one classifier pass per text for tier 2), not the explorer's.
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from benchmarks.measure import Metric, now_ms, table
from explorer.core.defender import DefenderSettings
from explorer.core.defender_check import check_response
from explorer.demo.records import INJECTION_TEXT

ACTION = "bamboohr_list_employee_notes"


def notes_body(mb: float) -> bytes:
    """``{"data": [notes...]}`` of about ``mb`` megabytes, the injection in the middle one."""
    note = "Agreed a four-day week trial until the end of June; review with the team lead."
    sample = {"id": "note_000000", "employee_id": "40001", "content": note}
    count = max(1, int(mb * 1024 * 1024) // (len(json.dumps(sample)) + 2))
    data = [
        {"id": f"note_{i:06d}", "employee_id": str(40001 + i % 23), "content": f"{note} #{i}"}
        for i in range(count)
    ]
    data[count // 2]["content"] = INJECTION_TEXT
    return json.dumps({"data": data, "next": None}).encode()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mb", type=float, default=1.0)
    args = parser.parse_args(argv)
    body = notes_body(args.mb)
    size = f"{len(body) / 1e6:.2g} MB"
    cold = Metric("first check in a new helper process (loads tier 2)")
    cases = {
        f"check {size}, tier 1": DefenderSettings(tier2=False),
        f"check {size}, tiers 1 and 2": DefenderSettings(),
    }
    metrics = {name: Metric(name) for name in cases}
    small = notes_body(0.001)
    for _ in range(args.runs):
        start = now_ms()
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            pool.submit(functools.partial(check_response, small, action=ACTION)).result()
            cold.add(now_ms() - start)
        for name, settings in cases.items():
            start = now_ms()
            verdict = check_response(body, settings, action=ACTION)
            metrics[name].add(now_ms() - start)
            if verdict.risk_level != "high" or not verdict.detections:
                raise SystemExit(f"{name}: the injection was not found")
    print(table(f"Defender check ({args.runs} runs)", [cold, *metrics.values()]))


if __name__ == "__main__":
    main()
