"""Carrying a value from a response to the next request: "Set variable…".

A right-click on a value in a response (``core.json_position`` says which) asks for a
variable name and where to keep it. By default the value lives for this session only
(``EnvironmentChoice.set_session``): customer data must not end up in a collection committed
to git. Keeping it in the active environment is an explicit choice that says it will be
written to ``collection.json``; a secret-looking value (by its name, ``core.secrets``' rule)
goes to the OS keyring as a secret variable instead, and the dialog says so.

When the tab holds a saved request, the same value can be declared a capture of it
(``core.captures``): then every run takes it afresh from the response, and only the name and
the path are written to the request's file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.captures import Capture
from explorer.core.json_position import PickedValue
from explorer.core.secrets import REDACTED, is_secret_header
from explorer.ui.jobs import BlockingCall
from explorer.ui.widgets.elided_label import ElidedLabel

if TYPE_CHECKING:
    from explorer.store.collections import SavedRequest
    from explorer.ui.collections.pane import CollectionsPane

SESSION = "session"
ENVIRONMENT = "environment"
# How long a value is shown in the dialog before it is cut (the tooltip has it all).
SHOWN_CHARS = 120


@dataclass(frozen=True)
class Carried:
    """What the user chose: the name, where it is kept, whether to capture it too."""

    name: str
    value: str
    where: str  # SESSION or ENVIRONMENT
    secret: bool
    capture: bool


def variable_name(key: str) -> str:
    """A suggested name from a member name: ``first name`` -> ``first_name``."""
    name = "_".join(key.split()).replace("{", "").replace("}", "")
    return name or "value"


class SetVariableDialog(QDialog):
    """Name the value and choose where it is kept; session only unless chosen otherwise."""

    def __init__(
        self,
        picked: PickedValue,
        *,
        environment: str,
        saved: SavedRequest | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.picked = picked
        self.setWindowTitle("Set variable")
        self.name_edit = QLineEdit(variable_name(picked.key))
        self.name_edit.setValidator(QRegularExpressionValidator(r"[^{}\s]+"))
        self.name_edit.setAccessibleName("Variable name")
        self.name_edit.setToolTip("Used as {{name}} in any request")
        self.value_label = ElidedLabel()
        self.value_label.setAccessibleName("Value")
        self.path_label = QLabel(picked.path)
        self.path_label.setAccessibleName("Where in the response")

        self.session_radio = QRadioButton("This &session only: kept in memory, saved nowhere")
        self.environment_radio = QRadioButton()
        self.environment_radio.setEnabled(bool(environment))
        self._environment = environment
        group = QButtonGroup(self)
        for radio in (self.session_radio, self.environment_radio):
            group.addButton(radio)
        self.session_radio.setChecked(True)
        self.secret_note = QLabel()
        self.secret_note.setWordWrap(True)
        self.capture_check = QCheckBox()
        self.capture_check.setVisible(saved is not None)
        if saved is not None:
            self.capture_check.setText(
                f"Also &capture it on every run of '{saved.name}' (only the name and the path "
                "are saved in its file)"
            )

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Set")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("Value:", self.value_label)
        form.addRow("From:", self.path_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.session_radio)
        layout.addWidget(self.environment_radio)
        layout.addWidget(self.secret_note)
        layout.addWidget(self.capture_check)
        layout.addWidget(buttons)
        self.name_edit.textChanged.connect(lambda _text: self._update())
        self._update()
        self.name_edit.selectAll()
        self.name_edit.setFocus()

    def secret(self) -> bool:
        """Whether the value is hidden and kept in the keyring: by its name or its member's."""
        return is_secret_header(self.name_edit.text()) or is_secret_header(self.picked.key)

    def _update(self) -> None:
        secret = self.secret()
        shown = REDACTED if secret else self.picked.value
        self.value_label.setText(shown[:SHOWN_CHARS])
        self.value_label.setToolTip(shown)
        env = self._environment
        if not env:
            words = "The active en&vironment (choose one in the Collections pane first)"
        elif secret:
            words = f"The en&vironment '{env}': a secret variable, kept in the OS keyring"
        else:
            words = f"The en&vironment '{env}': saved in the collection's collection.json"
        self.environment_radio.setText(words)
        self.secret_note.setText(
            "This looks like a secret: it is hidden on screen, in the history and in run "
            "results, and never written to a collection file."
            if secret
            else ""
        )
        self.secret_note.setVisible(secret)
        self.ok_button.setEnabled(bool(self.name_edit.text().strip()))

    def carried(self) -> Carried:
        return Carried(
            name=self.name_edit.text().strip(),
            value=self.picked.value,
            where=ENVIRONMENT if self.environment_radio.isChecked() else SESSION,
            secret=self.secret(),
            capture=not self.capture_check.isHidden() and self.capture_check.isChecked(),
        )


def carry(
    pane: CollectionsPane,
    carried: Carried,
    picked: PickedValue,
    saved: SavedRequest | None,
    say: Callable[[str], None],
) -> None:
    """Keep the value where the user chose (and declare the capture); ``say`` gets the status
    message. A secret value is written to the OS keyring on a thread of its own (a locked
    keyring waits for its password): ``say`` hears "Saving…" first, then how it ended, and
    the file names the variable only once its value is in the keyring."""
    choice = pane.environment
    if carried.where != ENVIRONMENT:
        choice.set_session(carried.name, carried.value, secret=carried.secret)
        say(_finish(pane, carried, picked, saved, f"{{{{{carried.name}}}}} set for this session"))
        return
    store = pane.current_store()
    environment = choice.name()
    if store is None or environment not in store.collection.environments:
        say("Not set: the active environment's collection is not selected.")
        return
    name = carried.name
    where = "the OS keyring" if carried.secret else "collection.json"
    said = f"{{{{{name}}}}} saved in the environment '{environment}' ({where})"
    entry = store.secret_key(environment, name)
    was_secret = name in store.collection.environments[environment].secrets
    changes: list[tuple[str, str | None]] = (
        [(entry, carried.value)] if carried.secret else [(entry, None)] if was_secret else []
    )

    def write_file() -> None:
        set_it = lambda: store.set_variable(  # noqa: E731
            environment, name, carried.value, secret=carried.secret, keyring=False
        )
        if pane.guard(set_it):
            say(_finish(pane, carried, picked, saved, said))
        else:
            say("Not set: see the note in the Collections pane.")

    if not changes:
        write_file()
        return
    call = BlockingCall(pane)

    def written(result: object) -> None:
        call.deleteLater()
        if isinstance(result, BaseException):
            pane.show_notice(f"{{{{{name}}}}} was not saved: {result}")
            say(f"Not set: the OS keyring refused {{{{{name}}}}} (see the Collections pane).")
        else:
            write_file()

    say(f"Saving {{{{{name}}}}} to the OS keyring… (if it asks for its password, answer it)")
    call.start(lambda: store.write_secrets(changes), written)


def _finish(
    pane: CollectionsPane,
    carried: Carried,
    picked: PickedValue,
    saved: SavedRequest | None,
    said: str,
) -> str:
    """The capture too, if asked; the status message."""
    if carried.secret:
        said += "; it looks like a secret, so it is hidden everywhere"
    if carried.capture and saved is not None:
        capture = Capture(carried.name, picked.path)
        kept = [c for c in saved.captures if c.name != capture.name]
        saved.captures = [*kept, capture]
        if pane.save_captures(saved):
            said += f"; '{saved.name}' captures it on every run"
    return said
