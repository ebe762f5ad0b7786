"""Starting the app: ``--smoke``, ``--demo``, damaged files, and no key left on disk."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.__main__ import main
from explorer.core.request import RpcRequest
from explorer.demo import DEMO_ACCOUNT_ID, EXAMPLE_REQUEST, DemoServer
from explorer.store.credentials import MemoryCredentials
from explorer.store.history import HistoryStore
from explorer.store.paths import AppPaths
from explorer.store.profiles import Profile, ProfileStore
from explorer.store.settings import Settings
from explorer.ui.history import export
from explorer.ui.mainwindow.window import MainWindow
from tests.ui.driving import send_and_wait

pytestmark = pytest.mark.gui

CANARY = "canary-secret-XYZ"


def start_app(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m explorer`` as the packaging checks do, in its own process.

    ``--smoke`` runs a whole QApplication life (exec, quit on first paint); in this process
    that would share the test session's QApplication with every later test.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_smoke_exits_zero_after_first_paint(tmp_path: Path) -> None:
    done = start_app("--smoke", "--home", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "config" / "settings.json").is_file()


def test_demo_smoke_starts_the_demo_profile(tmp_path: Path) -> None:
    done = start_app("--demo", "--smoke", "--home", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "Demo server on http://127.0.0.1:" in done.stderr
    settings = json.loads((tmp_path / "config" / "settings.json").read_text())
    assert settings["last_request"]["action"] == EXAMPLE_REQUEST["action"]
    assert settings["last_request"]["account_id"] == DEMO_ACCOUNT_ID
    # The demo key lives in memory only.
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"demo_live_key" not in path.read_bytes()


def test_the_demo_profile_lives_for_the_demo_run_only(qapp: QApplication, tmp_path: Path) -> None:
    """``--demo`` neither saves its loopback profile, nor replaces the user's own "Demo",
    nor becomes the profile a normal start opens with."""
    config = tmp_path / "config"
    profiles = ProfileStore(config / "profiles.json")
    profiles.upsert(Profile("Work", base_url="https://api.stackone.com", account_id="acct_w"))
    profiles.upsert(Profile("Demo", base_url="https://demo.example.com", account_id="mine"))
    profiles.save()
    Settings(config / "settings.json").set("last_profile", "Work")
    before = (config / "profiles.json").read_text()

    demo_run = start_app("--demo", "--smoke", "--home", str(tmp_path))
    assert demo_run.returncode == 0, demo_run.stderr
    assert (config / "profiles.json").read_text() == before
    assert json.loads((config / "settings.json").read_text())["last_profile"] == "Work"

    seen: list[tuple[str, list[str]]] = []

    def look() -> None:
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow))
        names = [
            window.profile_selector.combo.itemText(i)
            for i in range(window.profile_selector.combo.count())
        ]
        seen.append((window.profile_selector.current().name, names))  # type: ignore[union-attr]
        window.close()

    QTimer.singleShot(0, look)
    assert main(["--home", str(tmp_path)]) == 0
    assert seen == [("Work", ["Work", "Demo"])]


def test_demo_window_shows_the_built_in_profile_beside_the_users_demo(
    qapp: QApplication, tmp_path: Path
) -> None:
    profiles = ProfileStore(tmp_path / "config" / "profiles.json")
    profiles.upsert(Profile("Demo", base_url="https://demo.example.com", account_id="mine"))
    profiles.save()
    seen: list[tuple[str, str, list[str]]] = []

    def look() -> None:
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow))
        combo = window.profile_selector.combo
        current = window.profile_selector.current()
        assert current is not None
        seen.append(
            (current.name, current.base_url, [combo.itemText(i) for i in range(combo.count())])
        )
        window.close()

    QTimer.singleShot(0, look)
    assert main(["--demo", "--home", str(tmp_path)]) == 0
    name, url, names = seen[0]
    assert name == "Demo (built-in server)" and url.startswith("http://127.0.0.1:")
    assert names == ["Demo", "Demo (built-in server)"]
    assert ProfileStore(tmp_path / "config" / "profiles.json").names() == ["Demo"]


def test_demo_window_sends_the_example(qapp: QApplication, tmp_path: Path) -> None:
    """The README's run command: the example request is ready and gets a 200."""
    seen: list[int] = []

    def drive() -> None:
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow))

        def done(exchange: object) -> None:
            response = getattr(exchange, "response", None)
            seen.append(response.status if response is not None else -1)
            window.close()

        window.send_control.finished.connect(done)
        assert window.send_control.send()

    QTimer.singleShot(0, drive)
    assert main(["--demo", "--home", str(tmp_path)]) == 0
    assert seen == [200]
    assert HistoryStore(tmp_path / "data" / "history").entries()[0].status == 200


def test_damaged_files_are_reported_not_fatal(qapp: QApplication, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir(parents=True)
    (config / "settings.json").write_text('{"history_limit": 5,,}')
    (config / "profiles.json").write_text("not json at all")
    history = tmp_path / "data" / "history"
    history.mkdir(parents=True)
    (history / "index.jsonl").write_text("{broken line\n")
    messages: list[str] = []

    def look() -> None:
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow))
        messages.append(window.banner.text())
        # The old history moves in on the thread that reads its rows; the pane tells.
        window.history_pane.wait_for_loads()
        messages.append(window.history_pane.error_label.text())
        window.close()

    QTimer.singleShot(0, look)
    assert main(["--home", str(tmp_path)]) == 0
    assert "settings.json" in messages[0] and "profiles.json" in messages[0]
    assert "History" in messages[1] and "1 damaged line(s)" in messages[1]


def test_no_file_contains_the_api_key_after_a_journey(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = AppPaths(tmp_path / "home").ensure()
    with DemoServer(api_key=CANARY, rate_limit_retry_after=1) as server:
        profiles = ProfileStore(home.profiles_file)
        profiles.upsert(Profile("Canary", base_url=server.url, account_id=DEMO_ACCOUNT_ID))
        profiles.save()
        session = MemoryCredentials()
        session.set("Canary", CANARY)
        window = MainWindow(
            settings=Settings(home.settings_file),
            profiles=profiles,
            credentials=MemoryCredentials(),
            session_keys=session,
            history=HistoryStore(home.history_dir),
        )
        qtbot.addWidget(window)
        window.show()

        def send(*, guarded: bool = False, **fields: object) -> None:
            request = RpcRequest.from_dict({**EXAMPLE_REQUEST, **fields})
            window.editor.load_request(request)
            window.editor.set_base_url(server.url)
            send_and_wait(qtbot, window, guarded=guarded)  # yes to the guard's question

        send()
        send(
            guarded=True,
            action="greenhouse_create_candidate",
            account_id="acct_greenhouse_demo",
            body={},
        )
        send(
            action="documents_download_file",
            account_id="acct_drive_demo",
            path={"id": "file_onboarding"},
        )
        # The user even types the key into the request headers: it is stored redacted.
        send(headers={"Authorization": f"Basic {CANARY}"})
        window.curl_importer.import_text(
            f"curl -X POST {server.url}/actions/rpc -u '{CANARY}:' -H 'x-account-id: a' "
            '--data-raw \'{"action": "bamboohr_list_employees"}\''
        )
        entries = window.history.rows()
        export.save_entries(window.history, home.data_dir / "export.json", entries, fmt="json")
        export.save_entries(window.history, home.data_dir / "export.har", entries, fmt="har")
        window.close()

    encoded = base64.b64encode(f"{CANARY}:".encode())
    files = [p for p in home.home.rglob("*") if p.is_file()]
    assert len(files) >= 5  # settings, profiles, the history database, the exports
    for path in files:
        data = path.read_bytes()
        assert CANARY.encode() not in data, path
        assert encoded not in data, path


def test_a_normal_start_suggests_the_demo_actions_once_the_window_is_up(
    qapp: QApplication, tmp_path: Path
) -> None:
    """The demo's action names are offered without ``--demo`` too (added after start-up)."""
    seen: list[bool] = []

    def look(tries: int = 200) -> None:
        # The visible one: a closed window of an earlier test may still be among them.
        shown = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not shown:
            if tries:
                QTimer.singleShot(10, lambda: look(tries - 1))
            else:
                qapp.quit()  # never hang the suite: the assertion below fails instead
            return
        window = shown[0]
        model = window.editor.action_completer.model()
        known = [model.index(row, 0).data() for row in range(model.rowCount())]
        if "bamboohr_list_employees" not in known and tries:
            QTimer.singleShot(10, lambda: look(tries - 1))
            return
        seen.append("bamboohr_list_employees" in known)
        window.close()

    QTimer.singleShot(0, look)
    assert main(["--home", str(tmp_path)]) == 0
    assert seen == [True]
