"""Starting a collection run from the window: one at a time, on its own thread.

A run goes beside a single Send (each has its own pool), with the selected profile's key;
its results fill a ``RunDialog`` live and each exchange also goes into the history. The
production guard asks once for the whole run when it writes to production (or sends to
accounts that need a word).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from explorer.core.client import CancelToken, RpcClient
from explorer.ui.run.job import CollectionRunJob

if TYPE_CHECKING:
    # The dialog and the collection runner are imported when first used, not at start-up.
    from explorer.core.guard import AccountBook, Target
    from explorer.runner import RunResult
    from explorer.store.profiles import Profile
    from explorer.ui.guard.gate import SendGate
    from explorer.ui.history.pane import HistoryPane
    from explorer.ui.profiles.selector import ProfileSelector
    from explorer.ui.run.dialog import RunDialog
    from explorer.ui.run.plan import RunPlan


class RunControl(QObject):
    """Runs a collection or folder with the selected profile's key; at most one run at once.

    Signals:
        message(str, int): a status-bar note and how many milliseconds it shows.
    """

    message = Signal(str, int)

    def __init__(
        self,
        client: RpcClient,
        *,
        profiles: ProfileSelector,
        history_pane: HistoryPane,
        guard: SendGate,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._client = client
        self._profiles = profiles
        self._history_pane = history_pane
        self._guard = guard
        self._window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.dialog: RunDialog | None = None

    def run(self, plan: RunPlan) -> RunDialog | None:
        """Run a collection or folder with the current profile's key on a worker thread,
        results live in a ``RunDialog``; each exchange also goes into the history.

        The production guard asks once for the whole run when it writes to production (or
        sends to accounts that need a word): ``None`` is returned then, and the dialog opens
        on "yes"."""
        if self.dialog is not None and self.dialog.running:
            self.message.emit(
                "A collection run is in progress: cancel it or wait for it to end.", 5000
            )
            self.dialog.raise_()
            self.dialog.activateWindow()
            return None
        profile = self._profiles.current()
        if profile is None:
            self._profiles.ask_for_profile("running a collection")
            return None
        key = self._profiles.api_key_for(profile.name)
        if key is None:
            return None
        guard = self._guard

        def build(book: AccountBook) -> list[Target]:
            return guard.run_targets(book, plan.requests, plan.values, profile)

        started: list[RunDialog] = []

        def go() -> bool:
            started.append(self._start(plan, profile, key, build(guard.book(profile.name))))
            return True

        guard.request(
            scope=profile.base_url,
            profile=profile.name,
            build=build,
            go=go,
            what=f"'{plan.title}'",
            total=len(plan.requests),
        )
        return started[0] if started else None

    def _start(self, plan: RunPlan, profile: Profile, key: str, targets: list[Target]) -> RunDialog:
        from explorer.runner import summary
        from explorer.ui.run.dialog import RunDialog

        token = CancelToken()
        dialog = RunDialog(plan, where=profile.base_url, token=token, parent=self._window)
        dialog.set_accounts({t.label: t for t in targets})
        job = CollectionRunJob(
            self._client,
            plan.requests,
            api_key=key,
            values=plan.values,
            profile=profile,
            masked=plan.secrets,
            token=token,
        )
        dialog.keep_signals(job.signals)
        job.signals.progress.connect(dialog.on_progress)
        job.signals.finished.connect(dialog.on_finished)

        def to_history(_index: int, result: RunResult | None) -> None:
            if result is not None and result.exchange is not None:
                self._history_pane.add(result.exchange, plan.secrets, select=False)

        def finished(results: list[RunResult]) -> None:
            self.message.emit(
                f"Ran {plan.title}: {summary(results, plan.problems, 0).split(' (')[0]}", 10_000
            )

        job.signals.progress.connect(to_history)
        job.signals.finished.connect(finished)
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.show()
        self.pool.start(job)
        return dialog

    def shutdown(self) -> None:
        """Cancel a run in progress and wait for its thread (on window close)."""
        if self.dialog is not None:
            self.dialog.cancel()
        self.pool.waitForDone(3000)
