"""Read a running explorer through AT-SPI, as Orca does, and print what it finds as JSON.

Run by ``test_atspi.py`` with the system's Python (Debian's ``python3-pyatspi``; it is not in
the project's venv), inside the same D-Bus session as the app:

    /usr/bin/python3 tests/ui/atspi_probe.py --pid PID

It waits for the app's window, lists every object of the tree (role,
name, labels from "labelled-by" relations, showing or not), presses the editor's Send button
through its AT-SPI action (what a screen reader's "activate" does), collects the
announcements that follow until one reports the response's status, and lists the tree again.
Rows and cells inside tables, trees and lists are not listed: they are named by their text.

The window changes while it is read: discovery fills in its lists after the first paint, the
response fills in the views after the announcement. An object the app removes while it is
walked answers "The application no longer exists" (libatspi disposes it on the app's
``RemoveAccessible``, and a disposed object has no application), so a walk that meets one
starts over, and a tree is reported once two walks in a row find the same tree (the window
has settled), not after a fixed sleep: on a loaded machine the app may take longer than any
sleep. ``--timeout`` only guards against a hang.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import pyatspi
from gi.repository import GLib

# pyatspi has no type information: its accessible objects and events are Any.
Accessible = Any

ITEM_OWNERS = {"table", "tree", "tree table", "list", "combo box", "list box"}


def find_app(pid: int, timeout: float) -> Accessible:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            try:
                if app is not None and app.get_process_id() == pid and app.childCount:
                    return app
            except GLib.Error:
                continue
        time.sleep(0.2)
    raise SystemExit(f"no accessible application with pid {pid} after {timeout} s")


def describe(acc: Accessible, path: str) -> dict[str, object]:
    states = acc.getState()
    labels = []
    for relation in acc.getRelationSet():
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            labels += [
                relation.getTarget(i).name
                for i in range(relation.getNTargets())
                if relation.getTarget(i) is not None
            ]
    return {
        "role": acc.getRoleName(),
        "name": acc.name,
        "description": acc.description,
        "labels": labels,
        "showing": states.contains(pyatspi.STATE_SHOWING),
        "enabled": states.contains(pyatspi.STATE_ENABLED),
        "path": path,
    }


def walk(acc: Accessible, path: str = "") -> list[dict[str, object]]:
    node = describe(acc, path)
    here = f"{path}/{node['role']}"
    nodes = [node]
    if node["role"] in ITEM_OWNERS:
        return nodes
    for index in range(acc.childCount):
        child = acc.getChildAtIndex(index)
        if child is not None:
            nodes += walk(child, here)
    return nodes


def press_send(app: Accessible) -> bool:
    """Activate the editor's Send button (the one outside the toolbar)."""
    stack = [app]
    while stack:
        acc = stack.pop()
        role = acc.getRoleName()
        if role == "push button" and acc.name == "Send" and acc.parent.getRoleName() != "tool bar":
            action = acc.queryAction()
            return bool(action.doAction(0))
        if role not in ITEM_OWNERS:
            stack += [acc.getChildAtIndex(i) for i in range(acc.childCount)]
    return False


Tree = list[dict[str, object]]


def still_running(pid: int) -> None:
    """An object gone because the app itself is gone is no reason to walk again: say so."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        raise SystemExit(f"the app (pid {pid}) exited while it was read: see its log") from None


def settled_walk(app: Accessible, pid: int, ready: Callable[[Tree], bool], timeout: float) -> Tree:
    """The tree once ``ready`` holds for it and two walks in a row found the same tree (the
    last one found, when ``timeout`` passes first)."""
    deadline = time.monotonic() + timeout
    last: Tree | None = None
    while True:
        try:
            nodes = walk(app)
        except GLib.Error:  # an object removed while it was walked: walk again
            still_running(pid)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
            continue
        if (ready(nodes) and nodes == last) or time.monotonic() > deadline:
            return nodes
        last = nodes
        time.sleep(0.2)


def has(role: str, name: str, *, showing: bool = False) -> Callable[[Tree], bool]:
    return lambda nodes: any(
        n["role"] == role and n["name"] == name and (n["showing"] or not showing) for n in nodes
    )


def pressed_send(app: Accessible, pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return press_send(app)
        except GLib.Error:  # an object removed while it was searched: search again
            still_running(pid)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()

    app = find_app(args.pid, args.timeout)
    # The window is filled in when it is shown, and discovery fills in the account and action
    # lists after: the editor's fields are there and the tree no longer changes.
    before = settled_walk(app, args.pid, has("text", "Action"), args.timeout)

    announcements: list[str] = []

    def on_announcement(event: Any) -> None:
        announcements.append(str(event.any_data))

    pyatspi.Registry.registerEventListener(on_announcement, "object:announcement")
    loop = GLib.MainLoop()
    started = time.monotonic()

    def send_then_wait() -> bool:
        if not pressed_send(app, args.pid, args.timeout):
            announcements.append("<no Send button to press>")
            loop.quit()
        return False

    def done_yet() -> bool:
        finished = any(text[:1].isdigit() for text in announcements)  # "200 OK in 4 ms"
        if finished or time.monotonic() - started > args.timeout:
            loop.quit()
            return False
        return True

    GLib.idle_add(send_then_wait)
    GLib.timeout_add(100, done_yet)
    loop.run()
    pyatspi.Registry.deregisterEventListener(on_announcement, "object:announcement")
    # The response fills in its views (the result page is built with the first response).
    ready = has("text", "Response body", showing=True)
    after = settled_walk(app, args.pid, ready, args.timeout)

    json.dump(
        {
            "before": before,
            "announcements": announcements,
            "after": after,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
