"""Running the editor's request across many accounts from the window.

The batch is ``explorer.run.accounts.AccountRun`` (throttled under StackOne's rate limit,
``Retry-After`` obeyed, cancellable) on a pool thread of its own, beside a single Send. The
production guard asks once for the whole batch, listing the production accounts it writes
to (and any account that is not active or not known). Each account's exchanges go into the
history as its row completes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Unpack

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from explorer.core.client import CancelToken, RpcClient
from explorer.core.discovery import Account, Listing
from explorer.core.errors import InvalidRequest
from explorer.core.request import RpcRequest
from explorer.core.variables import UnresolvedVariables
from explorer.run.accounts import AccountRow, AccountRun
from explorer.ui.accounts.dialog import AccountRunDialog
from explorer.ui.batch import BatchControl, Parts
from explorer.ui.jobs import ProgressJob, Report
from explorer.ui.request.editor import describe_issue
from explorer.ui.widgets.after_paint import AfterPaint

if TYPE_CHECKING:
    from explorer.core.guard import AccountBook, Target
    from explorer.store.profiles import Profile
    from explorer.ui.discovery.service import DiscoveryFailure
    from explorer.ui.request.editor import RequestEditor

# Fills ``{{variables}}``: the request to send and the secret values that went into it.
Resolver = Callable[[RpcRequest], tuple[RpcRequest, list[str]]]


def _no_variables(request: RpcRequest) -> tuple[RpcRequest, list[str]]:
    return request, []


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
            return key is not None and self._guarded(request, chosen, profile, key, per_minute)

        return self._reading(profile.name, with_key)

    def _guarded(
        self,
        request: RpcRequest,
        chosen: Sequence[Account | str],
        profile: Profile,
        key: str,
        per_minute: int,
    ) -> bool:
        """Go on once the key is read: through the production guard, then run."""
        request = request.copy(base_url=profile.base_url)
        guard = self._guard
        ids = [a.id if isinstance(a, Account) else a for a in chosen]

        def build(book: AccountBook) -> list[Target]:
            return [guard.target(book, request.action, account_id) for account_id in ids]

        count = len(ids)
        return guard.request(
            scope=request.base_url,
            profile=profile.name,
            build=build,
            go=lambda: self._start(request, chosen, profile, key, per_minute),
            what=f"'{request.action}' on {count} account{'s' if count != 1 else ''}",
            total=count,
        )

    def _start(
        self,
        request: RpcRequest,
        chosen: Sequence[Account | str],
        profile: Profile,
        key: str,
        per_minute: int,
    ) -> bool:
        dialog = self._dialog()
        dialog.where = profile.base_url  # the profile may have changed since the window opened
        token = self._token = CancelToken()
        batch = AccountRun(
            self._client,
            request,
            chosen,
            api_key=key,
            profile=profile.name,
            per_minute=per_minute,
            cancel=token,
            secrets=self._secrets,
        )
        recorded: set[int] = set()

        def work(report: Report) -> list[AccountRow]:
            batch.progress = report
            return batch.run()

        job = ProgressJob(work)
        job.signals.setParent(dialog)  # outlives the auto-deleted job while reports queue
        job.signals.progress.connect(lambda index, row: self._on_row(index, row, recorded))
        job.signals.done.connect(lambda result: self._on_done(batch, result, recorded))
        dialog.start(batch.rows, [a for a in chosen if isinstance(a, Account)])
        # The sending threads start once the results page has painted: started with it,
        # they compete with its first paint for the GIL.
        self._after_paint.call(lambda: self.pool.start(job))
        return True

    def _on_row(self, index: int, row: AccountRow, recorded: set[int]) -> None:
        if self.dialog is not None:
            self.dialog.update_row(index, row)
        self._record(index, row, recorded)

    def _record(self, index: int, row: AccountRow, recorded: set[int]) -> None:
        """Add a finished row's exchanges to the history, once."""
        if row.done and index not in recorded:
            recorded.add(index)
            for exchange in row.sent:
                self._history_pane.add(exchange, self._secrets, select=False)

    def _on_done(self, batch: AccountRun, result: object, recorded: set[int]) -> None:
        self._token = None
        for index, row in enumerate(batch.rows):  # the dialog's rows: all at once, below
            self._record(index, row, recorded)
        problem = "" if isinstance(result, list) else f"The run stopped: {result}"
        if self.dialog is not None:
            self.dialog.finish(batch.rows, problem)
        ok = sum(r.outcome == "ok" for r in batch.rows)
        action = batch.request.action
        self.message.emit(f"Ran {action} on {len(batch.rows)} accounts: {ok} succeeded", 10_000)
        self.finished.emit(batch.rows)

    def cancel(self) -> None:
        if self.cancel_reading():
            if self.dialog is not None:
                self.dialog.set_reading_key(False)
            return
        if self._token is not None:
            self._token.cancel()
            self.message.emit("Cancelling the run across accounts…", 3000)
