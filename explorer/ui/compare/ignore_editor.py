"""The ignore list of one action: the volatile fields and headers a comparison leaves out.

Body fields are RFC 9535 JSONPath queries (``$.data[*].updated_at``, ``$..request_id``), one a
line; headers are names or globs (``x-ratelimit-*``), one a line. A query that is not valid
JSONPath is named with its line and the reason, and nothing is saved until every line is
valid. "Ignore this field" in the comparison adds a line here. Two actions compared have no
list of their own: the lines then apply to that comparison only and are not saved.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.compare import IgnoreRules
from explorer.core.filters import FilterError, JsonPath
from explorer.ui.widgets.banner import PROBLEM_RGB, tinted_label
from explorer.ui.widgets.json_editor import monospace_font


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class IgnoreEditor(QWidget):
    """Two lists (body queries, header globs), their errors, and Apply.

    Signals:
        applied(object): the new, valid ``IgnoreRules`` (the caller saves and compares again).
    """

    applied = Signal(object)

    def __init__(
        self,
        action: str,
        parent: QWidget | None = None,
        *,
        across: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._rules = IgnoreRules()
        if across is not None:
            text = (
                f"<b>{across[0]}</b> and <b>{across[1]}</b> are different actions: neither's "
                "ignore list is applied. Fields and headers left out here are for this "
                "comparison only and are not saved. One a line."
            )
        else:
            where = f"<b>{action}</b>" if action else "this comparison"
            text = (
                f"Left out when comparing responses of {where}: fields that change on every "
                "call (timestamps, request ids, cursors). One a line."
            )
        self.intro = QLabel(text)
        self.intro.setWordWrap(True)
        self.body_edit = QPlainTextEdit()
        self.body_edit.setFont(monospace_font())
        self.body_edit.setPlaceholderText("$.data[*].updated_at\n$..request_id")
        self.body_edit.setAccessibleName("Ignored body fields")
        self.body_edit.setAccessibleDescription("RFC 9535 JSONPath queries, one a line")
        self.header_edit = QPlainTextEdit()
        self.header_edit.setFont(monospace_font())
        self.header_edit.setAccessibleName("Ignored headers")
        self.header_edit.setAccessibleDescription("Header names or globs such as x-ratelimit-*")
        for edit in (self.body_edit, self.header_edit):
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self._on_edited)
        self.error_label = tinted_label(PROBLEM_RGB)
        self.apply_button = QPushButton(
            "Compare again" if across is not None else "Save and compare again"
        )
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.reset_button = QPushButton("Undo edits")
        self.reset_button.setEnabled(False)
        self.reset_button.clicked.connect(lambda: self.set_rules(self._rules))
        form = QFormLayout()
        form.addRow("Body fields (JSONPath):", self.body_edit)
        form.addRow("Headers:", self.header_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    def rules(self) -> IgnoreRules:
        """The rules last applied (or set)."""
        return IgnoreRules(list(self._rules.body), list(self._rules.headers))

    def set_rules(self, rules: IgnoreRules) -> None:
        self._rules = IgnoreRules(list(rules.body), list(rules.headers))
        self.body_edit.setPlainText("\n".join(rules.body))
        self.header_edit.setPlainText("\n".join(rules.headers))
        self._on_edited()

    def add_body(self, query: str) -> None:
        """Add a field query (unless it is there) and apply."""
        if query not in _lines(self.body_edit):
            self.body_edit.setPlainText("\n".join([*_lines(self.body_edit), query]))
        self.apply()

    def add_header(self, name: str) -> None:
        if name.lower() not in (h.lower() for h in _lines(self.header_edit)):
            self.header_edit.setPlainText("\n".join([*_lines(self.header_edit), name.lower()]))
        self.apply()

    def problems(self) -> list[str]:
        """Each invalid query, with its line: empty when all are valid."""
        found = []
        for number, query in enumerate(_lines(self.body_edit), start=1):
            try:
                JsonPath(query)
            except FilterError as exc:
                found.append(f"Line {number} ({query}): {exc}")
        return found

    def apply(self) -> bool:
        """Emit ``applied`` with the edited rules, unless one is invalid (then say which)."""
        problems = self.problems()
        if problems:
            self._show_problems(problems)
            return False
        self._rules = IgnoreRules(_lines(self.body_edit), _lines(self.header_edit))
        self._on_edited()
        self.applied.emit(self.rules())
        return True

    def _on_edited(self) -> None:
        edited = (_lines(self.body_edit), _lines(self.header_edit)) != (
            self._rules.body,
            self._rules.headers,
        )
        self.apply_button.setEnabled(edited)
        self.reset_button.setEnabled(edited)
        self._show_problems(self.problems())

    def _show_problems(self, problems: list[str]) -> None:
        self.error_label.setText("\n".join(problems))
        self.error_label.setVisible(bool(problems))
