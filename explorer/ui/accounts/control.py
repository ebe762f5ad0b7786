"""Running the editor's request across many accounts from the window.

The batch is ``explorer.run.accounts.AccountRun`` (throttled under StackOne's rate limit,
``Retry-After`` obeyed, cancellable) on a pool thread of its own, beside a single Send. The
production guard asks once for the whole batch, listing the production accounts it writes
to (and any account that is not active or not known). Finished accounts' exchanges go into
the history in batches (``RECORD_EVERY_MS``): one transaction and one repaint of the history
list a batch. The run is reported finished (its dialog, the status bar, ``finished``) only
once every account's exchanges are on disk; a crash mid-run loses at most the accounts that
finished in the last ``RECORD_EVERY_MS`` and the batch being written (as a crash loses a
single Send whose entry is still being written), never an entry already listed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Unpack

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from explorer.core.client import CancelToken, RpcClient
from explorer.core.discovery import Account, Listing
from explorer.core.errors import InvalidRequest
from explorer.core.request import RpcRequest
from explorer.core.variables import UnresolvedVariables
from explorer.run.accounts import AccountRow, AccountRun
from explorer.ui.accounts.dialog import AccountRunDialog
from explorer.ui.batch import BatchControl
from explorer.ui.delivery import Delivery
from explorer.ui.jobs import ProgressJob, Report
from explorer.ui.request.editor import describe_issue
from explorer.ui.widgets.after_paint import AfterPaint

if TYPE_CHECKING:
    from explorer.core.exchange import Exchange
    from explorer.core.guard import AccountBook, Target
    from explorer.store.profiles import Profile
    from explorer.ui.batch import Parts
    from explorer.ui.discovery.results import DiscoveryFailure
    from explorer.ui.request.editor import RequestEditor

# A run's finished accounts go into the history together, at most this often: one
# transaction and one repaint of the history list a batch, not one an account.
RECORD_EVERY_MS = 250

# Fills ``{{variables}}``: the request to send and the secret values that went into it.
Resolver = Callable[[RpcRequest], tuple[RpcRequest, list[str]]]


def _no_variables(request: RpcRequest) -> tuple[RpcRequest, list[str]]:
    return request, []


@dataclass(frozen=True)
class RunPlan:
    """What a run is started with, carried from the key's read through the guard's
    question to the start."""

    request: RpcRequest
    chosen: tuple[Account | str, ...]
    profile: Profile
    key: str = field(repr=False)  # never in a repr, a log line or a traceback
    per_minute: int


class AccountRunControl(BatchControl):
    """Opens the "Run across accounts" window for the editor's request and runs the batch;
    one batch at a time.

    Signals:
        message(str, int): a status-bar note and how many milliseconds it shows.
        open_requested(object): the ``Exchange`` of a row to show in the response view.
        compare_requested(object, object): two rows' ``Exchange``s to compare: the one hook
            the compare window connects to.
        finished(object): the list of ``AccountRow``s once a batch has ended.
    """

    open_requested = Signal(object)
    compare_requested = Signal(object, object)
    finished = Signal(object)

    def __init__(
        self, client: RpcClient, *, resolve: Resolver | None = None, **parts: Unpack[Parts]
    ) -> None:
        super().__init__(client, **parts)
        self._resolve = resolve or _no_variables
        self.dialog: AccountRunDialog | None = None
        self._request: RpcRequest | None = None
        self._secrets: list[str] = []
        self._after_paint = AfterPaint(self)
        # The run in progress, its rows already given to the history, and the exchanges
        # of rows finished since its last batch.
        self._batch: AccountRun | None = None
        self._recorded: set[int] = set()
        self._unwritten: list[Exchange] = []
        self._record_timer = QTimer(self)
        self._record_timer.setSingleShot(True)
        self._record_timer.setInterval(RECORD_EVERY_MS)
        self._record_timer.timeout.connect(self._write)
        service = self._guard.service
        service.accounts_loaded.connect(self._on_accounts)
        service.failed.connect(self._on_failed)

    @property
    def running(self) -> bool:
        return self._token is not None

    # -- opening -------------------------------------------------------------------------------
    def open_from(self, editor: RequestEditor) -> AccountRunDialog | None:
        """The window for the editor's request as it is now (valid, variables filled)."""
        if self.running and self.dialog is not None:
            self.message.emit("A run across accounts is in progress: cancel it first.", 5000)
            self._raise(self.dialog)
            return self.dialog
        try:
            request = editor.to_request()
        except InvalidRequest as exc:
            self.message.emit("Can't run yet: " + describe_issue(exc.issues[0]), 8000)
            return None
        try:
            request, self._secrets = self._resolve(request)
        except UnresolvedVariables as exc:
            self.message.emit(f"Can't run yet: {exc}", 8000)
            return None
        profile = self._profiles.current()
        if profile is None:
            self._profiles.ask_for_profile("running a request across accounts")
            return None
        self._request = request
        dialog = self._dialog()
        dialog.set_request(request, profile.base_url)
        self._show_accounts(dialog)
        dialog.back_to_accounts()
        self._raise(dialog)
        return dialog

    def _dialog(self) -> AccountRunDialog:
        if self.dialog is None:
            dialog = AccountRunDialog(self._window)
            dialog.run_requested.connect(lambda args: self.run(*args))
            dialog.cancel_requested.connect(self.cancel)
            dialog.open_requested.connect(self.open_requested)
            dialog.compare_requested.connect(self.compare_requested)
            dialog.message.connect(lambda text: self.message.emit(text, 5000))
            self.dialog = dialog
        return self.dialog

    @staticmethod
    def _raise(dialog: QWidget) -> None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _show_accounts(self, dialog: AccountRunDialog) -> None:
        service = self._guard.service
        listing = service.accounts()
        if listing is not None:
            status = "" if listing.complete else "Only the first pages of accounts were listed."
            dialog.set_accounts(list(listing), status)
        elif service.accounts_loading() or service.busy():
            dialog.set_accounts(None, "Loading the profile's accounts…")
        else:
            service.load_accounts()
            dialog.set_accounts(None, "Loading the profile's accounts…")

    def _on_accounts(self, listing: Listing[Account]) -> None:
        if self.dialog is not None and not self.running:
            self.dialog.set_accounts(list(listing))

    def _on_failed(self, failure: DiscoveryFailure) -> None:
        if failure.kind == "accounts" and self.dialog is not None:
            self.dialog.set_accounts(
                None, f"{failure.text}. Type the account ids below to run on them anyway."
            )

    # -- running -------------------------------------------------------------------------------
    def run(self, chosen: Sequence[Account | str], per_minute: int) -> bool:
        """Send the request to ``chosen`` after the guard's one question (if it asks)."""
        request, profile = self._request, self._profiles.current()
        if request is None or profile is None or not chosen or self.running:
            return False
        if self._keyring.busy:
            return False
        if self.dialog is not None:
            self.dialog.set_reading_key(True)

        def with_key(key: str | None) -> bool:
            if self.dialog is not None:
                self.dialog.set_reading_key(False)
            if key is None:
                return False
            return self._guarded(RunPlan(request, tuple(chosen), profile, key, per_minute))

        return self._reading(profile.name, with_key)

    def _guarded(self, plan: RunPlan) -> bool:
        """Go on once the key is read: through the production guard, then run."""
        plan = replace(plan, request=plan.request.copy(base_url=plan.profile.base_url))
        request, guard = plan.request, self._guard
        ids = [a.id if isinstance(a, Account) else a for a in plan.chosen]

        def build(book: AccountBook) -> list[Target]:
            return [guard.target(book, request.action, account_id) for account_id in ids]

        count = len(ids)
        return guard.request(
            scope=request.base_url,
            profile=plan.profile.name,
            build=build,
            go=lambda: self._start(plan),
            what=f"'{request.action}' on {count} account{'s' if count != 1 else ''}",
            total=count,
        )

    def _start(self, plan: RunPlan) -> bool:
        dialog = self._dialog()
        dialog.where = plan.profile.base_url  # the profile may have changed since it opened
        token = self._token = CancelToken()
        batch = self._batch = AccountRun(
            self._client,
            plan.request,
            plan.chosen,
            api_key=plan.key,
            profile=plan.profile.name,
            per_minute=plan.per_minute,
            cancel=token,
            secrets=self._secrets,
        )
        self._recorded = set()
        self._unwritten = []

        def work(report: Report) -> list[AccountRow]:
            batch.progress = report
            return batch.run()

        job = ProgressJob(work)
        reports = Delivery(job.signals, dialog)  # while the dialog lives
        reports.on(job.signals.progress, self._on_row)
        reports.on(job.signals.done, lambda result: self._on_done(batch, result))
        dialog.start(batch.rows, [a for a in plan.chosen if isinstance(a, Account)])
        # The sending threads start once the results page has painted: started with it,
        # they compete with its first paint for the GIL.
        self._after_paint.call(lambda: self.pool.start(job))
        return True

    def _on_row(self, index: int, row: AccountRow) -> None:
        if self.dialog is not None:
            self.dialog.update_row(index, row)
        if self._take(index, row) and not self._record_timer.isActive():
            self._record_timer.start()

    def _take(self, index: int, row: AccountRow) -> bool:
        """Keep a finished row's exchanges for the history's next batch, once."""
        if not row.done or index in self._recorded:
            return False
        self._recorded.add(index)
        self._unwritten.extend(row.sent)
        return True

    def _write(self, then: Callable[[], object] | None = None) -> None:
        """The exchanges kept since the last batch into the history, in one write;
        ``then`` once they (and every batch before) are on disk."""
        self._record_timer.stop()
        exchanges, self._unwritten = self._unwritten, []
        if exchanges or then is not None:
            self._history_pane.add_many(exchanges, self._secrets, then=then)

    def _on_done(self, batch: AccountRun, result: object) -> None:
        if batch is not self._batch:
            return  # reported already (the window closed first)
        for index, row in enumerate(batch.rows):
            self._take(index, row)
        # The run is reported finished once every account's exchanges are in the history,
        # and after the history's list has painted them (not both in one turn).
        self._write(then=lambda: self._after_paint.call(lambda: self._finish(batch, result)))

    def _finish(self, batch: AccountRun, result: object) -> None:
        self._token = self._batch = None
        problem = "" if isinstance(result, list) else f"The run stopped: {result}"
        if self.dialog is not None:
            self.dialog.finish(batch.rows, problem)
        ok = sum(r.outcome == "ok" for r in batch.rows)
        action = batch.request.action
        self.message.emit(f"Ran {action} on {len(batch.rows)} accounts: {ok} succeeded", 10_000)
        self.finished.emit(batch.rows)

    def shutdown(self) -> None:
        """Cancel the run and wait for its thread (on window close), then hand every
        finished account's exchanges to the history (the window writes them before it
        goes), those whose report is still queued included."""
        super().shutdown()
        batch, self._batch = self._batch, None
        if batch is not None:
            for index, row in enumerate(batch.rows):
                self._take(index, row)
            self._write()

    def cancel(self) -> None:
        if self.cancel_reading():
            if self.dialog is not None:
                self.dialog.set_reading_key(False)
            return
        if self._token is not None:
            self._token.cancel()
            self.message.emit("Cancelling the run across accounts…", 3000)
