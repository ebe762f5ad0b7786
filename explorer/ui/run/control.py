"""Starting a collection run from the window: one at a time, on its own thread.

A run goes beside a single Send (each has its own pool), with the selected profile's key;
its results fill a ``RunDialog`` live and each exchange also goes into the history. The
production guard asks once for the whole run when it writes to production (or sends to
accounts that need a word). Before that, the key and the secret variables the run's requests
use are read from the OS keyring on a thread of their own: the window never waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Unpack

from explorer.core.client import CancelToken, RpcClient
from explorer.ui.batch import BatchControl

if TYPE_CHECKING:
    # The dialog and the collection runner are imported when first used, not at start-up.
    from explorer.core.guard import AccountBook, Target
    from explorer.run.engine import RunResult
    from explorer.run.plan import RunPlan
    from explorer.store.profiles import Profile
    from explorer.ui.batch import Parts
    from explorer.ui.run.dialog import RunDialog


class RunControl(BatchControl):
    """Runs a collection or folder with the selected profile's key; at most one run at once.

    Signals:
        message(str, int): a status-bar note and how many milliseconds it shows.
    """

    def __init__(
        self,
        client: RpcClient,
        *,
        notice: Callable[[str], None] | None = None,
        **parts: Unpack[Parts],
    ) -> None:
        super().__init__(client, **parts)
        self._notice = notice or (lambda text: self.message.emit(text, 10_000))
        self.dialog: RunDialog | None = None

    def run(self, plan: RunPlan) -> RunDialog | None:
        """Run a collection or folder with the current profile's key on a worker thread,
        results live in a ``RunDialog``; each exchange also goes into the history.

        ``None`` is returned while the keyring is read, or the production guard asks once
        for the whole run when it writes to production (or sends to accounts that need a
        word): the dialog opens when they are done, on "yes"."""
        if self._keyring.busy or (self.dialog is not None and self.dialog.running):
            self.message.emit(
                "A collection run is in progress: cancel it or wait for it to end.", 5000
            )
            if self.dialog is not None:
                self.dialog.raise_()
                self.dialog.activateWindow()
            return None
        profile = self._profiles.current()
        if profile is None:
            self._profiles.ask_for_profile("running a collection")
            return None
        read_key, key_slow = self._profiles.key_reader(profile.name)
        from explorer.run.plan import read_secrets, reads_keyring  # loaded when a run starts

        def read() -> tuple[RunPlan, str | BaseException | None]:
            return (plan if plan.secrets_read else read_secrets(plan)), read_key()

        if not (key_slow or reads_keyring(plan)):
            return self._checked(profile, *read())
        self._keyring.start(read, lambda done: self._on_read(profile, done))
        return None

    def _on_read(self, profile: Profile, done: object) -> None:
        if isinstance(done, tuple):
            self._checked(profile, *done)
        else:  # a bug in the read: say it, run nothing
            self._notice(f"Not run: the keyring could not be read: {done}")

    def _checked(
        self, profile: Profile, plan: RunPlan, key: str | BaseException | None
    ) -> RunDialog | None:
        """Go on once the keyring was read: through the production guard, then run."""
        if plan.keyring_error:
            # As on the command line: the requests needing a secret report it unresolved.
            self._notice(
                f"Secret variables of '{plan.environment}' could not be read: {plan.keyring_error}"
            )
        key = self._profiles.explain_key(profile.name, key)
        if key is None:
            return None
        guard = self._guard

        def build(book: AccountBook) -> list[Target]:
            return guard.run_targets(book, plan.requests, plan.target_values(), profile)

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
        from explorer.run.reports import tally
        from explorer.ui.delivery import Delivery
        from explorer.ui.run.dialog import RunDialog
        from explorer.ui.run.job import CollectionRunJob

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
            given=plan.given,
        )
        reports = Delivery(job.signals, dialog)  # while the dialog lives
        reports.on(job.signals.progress, dialog.on_progress)
        reports.on(job.signals.finished, dialog.on_finished)

        scrub = list(plan.secrets)  # and the secret values captured so far in the run

        def to_history(_index: int, result: RunResult | None) -> None:
            if result is None:
                return
            scrub.extend(result.captured_secrets)
            if result.exchange is not None:
                self._history_pane.add(result.exchange, list(scrub), select=False)

        def finished(results: list[RunResult]) -> None:
            self.message.emit(f"Ran {plan.title}: {tally(results, plan.problems)}", 10_000)

        reports.on(job.signals.progress, to_history)
        reports.on(job.signals.finished, finished)
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.show()
        self.pool.start(job)
        return dialog

    def shutdown(self) -> None:
        """Cancel a run in progress and wait for its thread (on window close)."""
        self._keyring.cancel()
        if self.dialog is not None:
            self.dialog.cancel()
        self.pool.waitForDone(3000)
