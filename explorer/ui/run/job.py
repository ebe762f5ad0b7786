"""A collection run on a pool thread, its progress back by signal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Signal

from explorer.core.client import CancelToken, RpcClient
from explorer.store.profiles import Profile
from explorer.ui.jobs import hand_back, let_go

if TYPE_CHECKING:
    from explorer.run.engine import RunResult
    from explorer.store.collections import SavedRequest


class _RunSignals(QObject):
    """Lives on the UI thread (kept by the receiver); the run job emits through it.

    Signals:
        progress(int, object): the index of a saved request and its ``RunResult``, or
            ``None`` just before it is sent.
        finished(object): the list of ``RunResult`` (the results so far after a cancel).
    """

    progress = Signal(int, object)
    finished = Signal(object)


class CollectionRunJob(QRunnable):
    """Runs saved requests in order with ``explorer.run.engine.run_requests`` on a pool thread.

    The command-line runner and the window share that one function, so a run gives the same
    results in both. ``progress(index, result)`` arrives before (result ``None``) and after
    each request; ``finished(results)`` once at the end, also after a cancel (with the results
    so far). Cancel through the ``CancelToken`` passed in.
    """

    def __init__(
        self,
        client: RpcClient,
        requests: Sequence[SavedRequest],
        *,
        api_key: str,
        values: Mapping[str, str],
        profile: Profile | None,
        masked: Iterable[str],
        token: CancelToken,
        given: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        let_go()  # made on the UI thread
        self.signals = _RunSignals()
        self._client = client
        self._requests = list(requests)
        self._api_key = api_key
        self._values = dict(values)
        self._profile = profile
        self._masked = list(masked)
        self._token = token
        self._given = list(given)

    def run(self) -> None:
        # The engine is only needed once a run starts: not at start-up.
        from explorer.run.engine import RunResult, run_requests

        done: list[RunResult] = []  # what progress reported, should run_requests fail

        def progress(index: int, _saved: SavedRequest, result: RunResult | None) -> None:
            if result is not None:
                done.append(result)
            self.signals.progress.emit(index, result)

        try:
            results = run_requests(
                self._requests,
                client=self._client,
                api_key=self._api_key,
                values=self._values,
                profile=self._profile,
                masked=self._masked,
                progress=progress,
                cancel=self._token,
                given=self._given,
            )
        except Exception as exc:  # a bug must still end the run visibly
            results = list(done)
            if len(results) < len(self._requests):
                saved = self._requests[len(results)]
                results.append(RunResult.crashed(saved, exc))
        self.signals.finished.emit(results)
        hand_back(self)
