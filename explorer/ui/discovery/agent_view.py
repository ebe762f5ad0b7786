"""The request "as an agent sends it", both ways, beside the explorer's own request.

Left: the MCP ``tools/call`` of the request as a model would make it (``flat_prefixed``
arguments), editable, so an agent's call copied from a log can be pasted and loaded into the
editor. Right: the ``POST /actions/rpc`` StackOne's agent SDK sends for that call. Below: what
differs from the request the explorer sends. The conversions live in ``explorer.core.agent``;
this window only shows them.
"""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.core.agent import (
    agent_envelope,
    agent_http_headers,
    differences,
    flat_arguments,
    request_from_arguments,
    split_arguments,
)
from explorer.core.request import RpcRequest
from explorer.ui.request.editor import RequestEditor
from explorer.ui.widgets.json_editor import JsonEditor, pretty


class AgentView(QDialog):
    """A window beside the editor; it reads the editor when opened and writes it on request."""

    def __init__(self, editor: RequestEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agentView")
        self.setWindowTitle("As an agent sends it")
        self.setModal(False)
        self.resize(1040, 620)
        self._editor = editor
        self._updating = False

        intro = QLabel(
            "StackOne's agent SDK (stackone-ai) discovers actions over MCP with "
            "<code>param-style=flat_prefixed</code>: a model calls a tool with flat arguments, "
            "and the SDK turns them into its own RPC envelope. Edit or paste a tool call on the "
            "left; <b>Load into editor</b> makes it the request."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)

        self.tool_call_edit = JsonEditor(placeholder='{"name": "...", "arguments": {...}}')
        self.tool_call_edit.setAccessibleName("MCP tool call JSON")
        self.tool_call_edit.textChanged.connect(self._on_tool_call_edited)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("agentProblem")
        self.problem_label.setStyleSheet("color: #d1242f;")
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(False)
        left = QGroupBox("MCP tools/call (flat_prefixed arguments)")
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.tool_call_edit)
        left_layout.addWidget(self.problem_label)

        self.wire_view = QPlainTextEdit()
        self.wire_view.setReadOnly(True)
        self.wire_view.setObjectName("agentWire")
        self.wire_view.setAccessibleName("The RPC request the agent sends")
        self.wire_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        right = QGroupBox("POST /actions/rpc as stackone-ai sends it")
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.wire_view)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([480, 560])

        self.differences_label = QLabel()
        self.differences_label.setObjectName("agentDifferences")
        self.differences_label.setWordWrap(True)
        self.differences_label.setTextFormat(Qt.TextFormat.RichText)
        self.differences_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        differences_box = QGroupBox("How it differs from the explorer's request")
        QVBoxLayout(differences_box).addWidget(self.differences_label)

        self.load_button = QPushButton("&Load into editor")
        self.load_button.setToolTip(
            "Replace the editor's action, Path, Query, Headers and Body with this tool call "
            "(the account and target stay; Defender and sync/debug are cleared, as the agent "
            "sends none)"
        )
        self.load_button.clicked.connect(self.load_into_editor)
        self.copy_call_button = QPushButton("Copy tool &call")
        self.copy_call_button.clicked.connect(lambda: self._copy(self.tool_call_edit.toPlainText()))
        self.copy_wire_button = QPushButton("Copy &agent request")
        self.copy_wire_button.clicked.connect(lambda: self._copy(self.wire_view.toPlainText()))
        self.reset_button = QPushButton("&Reset from editor")
        self.reset_button.clicked.connect(self.refresh_from_editor)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        for button in (
            self.load_button,
            self.reset_button,
            self.copy_call_button,
            self.copy_wire_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(differences_box)
        layout.addLayout(row)

    # -- both ways ------------------------------------------------------------------------------
    def refresh_from_editor(self) -> None:
        """Show the editor's request as the agent's tool call (JSON that does not parse in the
        editor is left out, as it would be on Send)."""
        request = self._editor.draft_request()
        call = {"name": request.action, "arguments": flat_arguments(request)}
        self._updating = True
        try:
            self.tool_call_edit.setPlainText(pretty(call))
        finally:
            self._updating = False
        self._show(request)

    def tool_call_request(self) -> RpcRequest | None:
        """The request the tool call on the left stands for, or ``None`` if it does not parse."""
        parsed = self._parse()
        if parsed is None:
            return None
        name, arguments = parsed
        return request_from_arguments(name, arguments, self._editor.draft_request())

    def load_into_editor(self) -> bool:
        request = self.tool_call_request()
        if request is None:
            return False
        self._editor.load_request(request)
        return True

    # -- internals ------------------------------------------------------------------------------
    def _parse(self) -> tuple[str, dict[str, Any]] | None:
        text = self.tool_call_edit.toPlainText()
        try:
            value = json.loads(text)
        except ValueError as exc:
            self._problem(f"The tool call is not JSON: {exc}")
            return None
        if not isinstance(value, dict):
            self._problem('The tool call must be an object: {"name": ..., "arguments": ...}')
            return None
        # An MCP message pasted whole: its params are the call.
        if isinstance(value.get("params"), dict) and "name" in value["params"]:
            value = value["params"]
        name = value.get("name")
        arguments = value.get("arguments", {})
        if not isinstance(name, str) or not name.strip():
            self._problem('"name" must be the tool (action) name.')
            return None
        if not isinstance(arguments, dict):
            self._problem('"arguments" must be an object.')
            return None
        self.problem_label.setVisible(False)
        return name.strip(), arguments

    def _problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(True)
        self.load_button.setEnabled(False)

    def _on_tool_call_edited(self) -> None:
        if self._updating:
            return
        parsed = self._parse()
        if parsed is None:
            return
        name, arguments = parsed
        parts = split_arguments(arguments)
        # Compare with the editor's own settings (Defender, sync...), the call's inputs.
        request = self._editor.draft_request().copy(
            action=name,
            path=parts["path"] or None,
            query=parts["query"] or None,
            headers=parts["headers"] or None,
            body=parts["body"] or None,
        )
        self._show(request)

    def _show(self, request: RpcRequest) -> None:
        self.load_button.setEnabled(bool(request.action))
        headers = "\n".join(f"{k}: {v}" for k, v in agent_http_headers(request))
        url = request.base_url.rstrip("/") + "/actions/rpc"
        self.wire_view.setPlainText(f"POST {url}\n{headers}\n\n{pretty(agent_envelope(request))}")
        items = "".join(f"<li>{html.escape(note)}</li>" for note in differences(request))
        self.differences_label.setText(f"<ul style='margin: 0'>{items}</ul>")

    def _copy(self, text: str) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(text)
