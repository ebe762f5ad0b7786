"""Pasting a curl command: asking for it, reading it, loading it into the editor.

The editor (Ctrl+I) and the collections pane ("New request from curl…") both take pasted
commands; they read them the same way and say the same about a key found in one. A key in a
command is never written anywhere: the editor offers to keep it in memory for this run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal

from explorer.core.errors import ExplorerError
from explorer.core.limits import DEFAULT_BODY_LIMIT
from explorer.ui.jobs import RenderJob
from explorer.ui.widgets.modal import run_modal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from explorer.core.curl import CurlImport
    from explorer.ui.profiles.selector import ProfileSelector
    from explorer.ui.request.editor import RequestEditor
    from explorer.ui.widgets.banner import Banner

_R = TypeVar("_R")

KEY_NOT_SAVED = (
    "The command contained an API key; it was not saved anywhere. Keep keys in a profile "
    "(Manage profiles)."
)


def ask_curl_command(parent: QWidget, title: str = "Import curl") -> str | None:
    """A pasted curl command; ``None`` when cancelled or left empty."""
    from explorer.ui.request.curl_dialog import CurlDialog  # see the module's docstring

    dialog = CurlDialog(title, parent)
    command = dialog.edit.toPlainText() if run_modal(dialog) else ""
    return command if command.strip() else None


def import_notes(imported: CurlImport) -> list[str]:
    """What to tell the user about an import: a key found (and not saved) first, then every
    option that was read but ignored."""
    return ([KEY_NOT_SAVED] if imported.api_key else []) + list(imported.warnings)


class CurlReader:
    """Reads pasted commands; one reading its body from a file (``-d @file``) is read on the
    thread pool, since the disk may be slow."""

    def __init__(self, pool: QThreadPool | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()
        self._pending: list[QObject] = []  # signals of reads in flight: the pool deletes jobs

    def read(
        self,
        command: str,
        then: Callable[[CurlImport | Exception], _R],
        *,
        max_size: int = DEFAULT_BODY_LIMIT,
    ) -> _R | None:
        """``then(result)`` with the ``CurlImport`` or the error, returning what it returns;
        for a command reading a body file, later (when read) and ``None`` now."""
        # Imported at the first paste, not with the window (start-up: ~5 ms with shlex).
        from explorer.core.curl import CurlImport, from_curl, reads_files

        if reads_files(command):
            job = RenderJob(0, lambda: from_curl(command, max_size=max_size))
            signals = job.signals

            def done(_generation: int, result: object) -> None:
                self._pending.remove(signals)
                assert isinstance(result, CurlImport | Exception)
                then(result)

            signals.done.connect(done)
            self._pending.append(signals)
            self._pool.start(job)
            return None
        try:
            imported: CurlImport | Exception = from_curl(command, max_size=max_size)
        except ExplorerError as exc:
            imported = exc
        return then(imported)


class CurlImporter(QObject):
    """Loads a pasted curl command into an editor (``editor()`` picks it when the command is
    read: the window opens a tab for it), with the selected profile's base URL.

    Signals:
        loaded(): the editor holds the imported request (no saved request is open any more).
        message(str, int): a status-bar note and how many milliseconds it shows.
    """

    loaded = Signal()
    message = Signal(str, int)

    def __init__(
        self,
        editor: Callable[[], RequestEditor],
        profiles: ProfileSelector,
        banner: Banner,
        *,
        body_limit: Callable[[], int],
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._profiles = profiles
        self._banner = banner
        self._body_limit = body_limit
        self._reader = CurlReader(pool)

    def ask(self) -> None:
        command = ask_curl_command(self._banner.window())
        if command is not None:
            self.import_text(command)

    def import_text(self, command: str) -> bool:
        """Load a pasted curl command. A key found in it is never stored in a file.

        A command reading its body from a file (``-d @file``) is read on the thread pool:
        it loads when that is done, and this returns True.
        """
        from explorer.core.curl import reads_files

        if reads_files(command):
            self.message.emit("Reading the curl command's body file…", 5000)
        done = self._reader.read(command, self._load, max_size=self._body_limit())
        return True if done is None else done

    def _load(self, imported: CurlImport | Exception) -> bool:
        if isinstance(imported, Exception):
            self._banner.show_message(f"That curl command could not be imported: {imported}")
            return False
        profile = self._profiles.current()
        editor = self._editor()
        editor.load_request(imported.request)
        if profile is not None:
            editor.set_base_url(profile.base_url)
        self.loaded.emit()
        notes = import_notes(imported)
        if profile is not None and imported.request.base_url.rstrip("/") != profile.base_url.rstrip(
            "/"
        ):
            notes.append(
                f"The command targets {imported.request.base_url}; the profile "
                f"'{profile.name}' sends to {profile.base_url}."
            )
        key = imported.api_key
        if key and profile is not None:
            name = profile.name

            def use_key() -> None:
                self._profiles.session_keys.set(name, key)
                self.message.emit(f"Using that key for '{name}' until you quit", 5000)

            self._banner.show_message(" ".join(notes), f"Use it for '{name}' this run", use_key)
        elif notes:
            self._banner.show_message("Imported. " + " ".join(notes))
        self.message.emit("Imported the curl command", 5000)
        return True
