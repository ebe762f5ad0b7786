"""Opening the history imports only what a home of today needs.

The old layout's migration (``history_legacy``: its reader, its dataclass, its batches) is
needed once, by a home still holding ``index.jsonl``; every other start paid for importing it
before the window's first paint. Run in a fresh interpreter: what a test imported earlier
would otherwise be in ``sys.modules`` already.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from explorer.core.exchange import Exchange
from explorer.store.history import HistoryStore
from tests.store.legacy_home import LegacyHome

MakeExchange = Callable[..., Exchange]

OPEN = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from explorer.store.history import HistoryStore
    store = HistoryStore(Path(sys.argv[1]), lazy=True)
    print(len(store), [row.action for row in store.newest(5)])
    store.load_rows()
    print(len(store.rows()), "explorer.store.history_legacy" in sys.modules)
    """
)


def open_elsewhere(folder: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", OPEN, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.splitlines()


def test_a_home_of_today_opens_without_the_old_layouts_migration(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    folder = tmp_path / "history"
    store = HistoryStore(folder)
    store.add(make_exchange("bamboohr_list_employees"))
    store.close()
    assert open_elsewhere(folder) == ["1 ['bamboohr_list_employees']", "1 False"]
    assert open_elsewhere(tmp_path / "new") == ["0 []", "0 False"]  # a first start


def test_an_old_home_is_still_moved_in_when_its_rows_are_read(
    tmp_path: Path, make_exchange: MakeExchange
) -> None:
    folder = tmp_path / "history"
    LegacyHome(folder).add(make_exchange("greenhouse_list_jobs"))
    # A lazy store moves it where it reads its rows: nothing to list until then.
    assert open_elsewhere(folder) == ["0 []", "1 True"]
    assert [row.action for row in HistoryStore(folder).rows()] == ["greenhouse_list_jobs"]
    assert not (folder / "index.jsonl").exists()
