"""What the window remembers between runs: its geometry and panes, and the request being
edited. Never a key: secret header values are redacted by the one shared rule."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray

from explorer.core.request import OBJECT_FIELDS, RpcRequest
from explorer.core.secrets import redact_header_object
from explorer.store.settings import Settings

if TYPE_CHECKING:
    from explorer.store.profiles import Profile
    from explorer.ui.mainwindow.window import MainWindow
    from explorer.ui.request.editor import RequestEditor

# Splitter sizes above this are a damaged settings file, not a screen.
MAX_PANE = 100_000


def restore_layout(window: MainWindow) -> None:
    """Geometry, toolbars and pane sizes as they were; a first size fitting the screen."""
    settings = window.settings
    geometry = _decode(settings.get("window_geometry"))
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        first_size(window)
    state = _decode(settings.get("window_state"))
    if state is not None:
        window.restoreState(state)
    splitters = settings.get("splitters") or {}
    if not isinstance(splitters, dict):
        return
    if splitters.get("below") is True:
        window.stack_action.setChecked(True)
        window.toggle_stacking()
    for key, splitter in (("outer", window.outer_splitter), ("inner", window.inner_splitter)):
        sizes = splitters.get(key)
        if isinstance(sizes, list) and all(isinstance(s, int) and 0 <= s < MAX_PANE for s in sizes):
            splitter.setSizes(sizes)


def first_size(window: MainWindow) -> None:
    """1400x860, or the screen's free area if smaller (a 1024x700 laptop), with the panes in
    proportion: history a fifth, editor and response sharing the rest."""
    width, height = 1400, 860
    screen = window.screen()
    if screen is not None:
        free = screen.availableGeometry()
        width, height = min(width, free.width()), min(height, free.height())
    window.resize(width, height)
    side = max(220, min(320, round(width * 0.215)))
    window.outer_splitter.setSizes([side, width - side])
    window.inner_splitter.setSizes([(width - side) // 2, (width - side) // 2])


def save_layout(window: MainWindow) -> None:
    settings = window.settings
    settings.set("window_geometry", _encode(window.saveGeometry()))
    settings.set("window_state", _encode(window.saveState()))
    settings.set(
        "splitters",
        {
            "outer": window.outer_splitter.sizes(),
            "inner": window.inner_splitter.sizes(),
            "below": window.stack_action.isChecked(),
        },
    )


def restore_draft(
    editor: RequestEditor, settings: Settings, profile: Profile | None, default_timeout: float
) -> None:
    """The request being edited when the app was closed, sent to ``profile``'s base URL."""
    last = settings.get("last_request")
    request = None
    if isinstance(last, dict):
        try:
            request = RpcRequest.from_dict(last)
        except ValueError:
            request = None
    if request is not None:
        editor.load_request(request)
        editor.set_base_url(profile.base_url if profile else request.base_url)
    else:
        editor.options.timeout_spin.setValue(default_timeout)
    drafts = settings.get("last_request_drafts")
    if isinstance(drafts, dict):
        editor.load_drafts({k: v for k, v in drafts.items() if k != "headers"})


def save_draft(editor: RequestEditor, settings: Settings) -> None:
    """The request being edited, its unparsed texts too, without a secret header value."""
    settings.set("last_request", _without_secrets(editor.draft_request().to_dict()))
    drafts = {k: v for k, v in editor.draft_texts().items() if k in OBJECT_FIELDS}
    drafts.pop("headers", None)  # headers may hold a token: only the parsed, redacted form
    settings.set("last_request_drafts", drafts or None)


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: Any) -> QByteArray | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return QByteArray(base64.b64decode(text))
    except ValueError:
        return None


def _without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    """The draft for settings.json with secret header values redacted by the one shared rule
    (``is_secret_header``), so a provider key named ``X-Api-Token`` is hidden too."""
    headers = data.get("headers")
    if isinstance(headers, dict):
        data["headers"] = redact_header_object(headers)
    return data
