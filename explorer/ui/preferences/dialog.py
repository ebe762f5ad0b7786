"""The Preferences dialog: history size, default request timeout, automatic retry, light or
dark, the body size limit every feature shares (with the history's disk budget), and whether
the production guard also asks about test accounts.

The dialog only edits a ``Preferences`` value (``values``); the window applies it (trims the
history, re-themes, ...) and saves the settings file, so the same code path serves the dialog
and tests. The window imports this module when the dialog first opens.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.core.limits import MAX_BODY_LIMIT, MB, MIN_BODY_LIMIT
from explorer.ui.preferences.values import (
    MAX_HISTORY,
    MAX_TIMEOUT,
    MIN_TIMEOUT,
    THEMES,
    Preferences,
)


class PreferencesDialog(QDialog):
    """Edits a copy of the preferences; ``preferences()`` reads the result after OK."""

    def __init__(self, current: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")

        self.history_spin = QSpinBox()
        self.history_spin.setRange(0, MAX_HISTORY)
        self.history_spin.setSingleStep(100)
        self.history_spin.setSuffix(" entries")
        self.history_spin.setSpecialValueText("Keep no history")
        self.history_spin.setValue(current.history_limit)
        self.history_spin.setToolTip(
            "The oldest entries beyond this are deleted, at once when you lower it"
        )

        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setRange(MIN_TIMEOUT, MAX_TIMEOUT)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setValue(current.default_timeout)
        self.timeout_spin.setToolTip(
            "The timeout a new request starts with; saved requests keep their own"
        )

        self.auto_retry_check = QCheckBox("Retry automatically when the Retry-After wait ends")
        self.auto_retry_check.setToolTip(
            "After a 429 or 408 with Retry-After, send again when the countdown ends "
            "(at most 3 times in a row)"
        )
        self.auto_retry_check.setChecked(current.auto_retry)

        self.guard_test_check = QCheckBox("Also ask before sending to test accounts")
        self.guard_test_check.setToolTip(
            "The production guard asks once per account and session before an action that "
            "writes goes to a production account, and before anything goes to an account "
            "that is not active. Unticked, test accounts are never asked about; production "
            "accounts and accounts of unknown type always are."
        )
        self.guard_test_check.setChecked(current.guard_test_accounts)

        self.open_in_combo = QComboBox()
        self.open_in_combo.addItem("A new tab", True)
        self.open_in_combo.addItem("The current tab (unless it has unsaved edits)", False)
        self.open_in_combo.setCurrentIndex(0 if current.open_in_new_tab else 1)
        self.open_in_combo.setToolTip(
            "Where a saved request or a history entry opens when it is not open in a tab "
            "yet (one that is goes to its tab); an empty tab is always used first"
        )

        self.theme_combo = QComboBox()
        for key, text in THEMES:
            self.theme_combo.addItem(text, key)
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(current.theme)))

        self.body_limit_spin = QSpinBox()
        self.body_limit_spin.setRange(MIN_BODY_LIMIT // MB, MAX_BODY_LIMIT // MB)
        self.body_limit_spin.setSuffix(" MB")
        self.body_limit_spin.setValue(current.body_limit // MB)
        self.body_limit_spin.setToolTip(
            "Response bodies up to this size are held, formatted, searched and kept in the "
            "history; larger ones are streamed to a file, shown from disk and saved whole, "
            "without formatting or search"
        )
        self.budget_spin = QSpinBox()
        self.budget_spin.setRange(10, 1024 * 1024)
        self.budget_spin.setSingleStep(256)
        self.budget_spin.setSuffix(" MB")
        self.budget_spin.setValue(current.history_budget // MB)
        self.budget_spin.setToolTip(
            "The oldest history entries are deleted once their bodies take more than this"
        )

        form = QFormLayout()
        form.addRow("&History size:", self.history_spin)
        form.addRow("History &disk budget:", self.budget_spin)
        form.addRow("&Body size limit:", self.body_limit_spin)
        form.addRow("Default request &timeout:", self.timeout_spin)
        form.addRow("", self.auto_retry_check)
        form.addRow("", self.guard_test_check)
        form.addRow("&Open requests in:", self.open_in_combo)
        form.addRow("&Appearance:", self.theme_combo)
        editors = (
            self.history_spin,
            self.budget_spin,
            self.body_limit_spin,
            self.timeout_spin,
            self.open_in_combo,
            self.theme_combo,
        )
        for editor in editors:
            label = form.labelForField(editor)
            if isinstance(label, QLabel):
                label.setBuddy(editor)

        note = QLabel("Saved in the settings file; API keys are never stored there.")
        note.setWordWrap(True)
        note.setEnabled(False)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def preferences(self) -> Preferences:
        theme = self.theme_combo.currentData()
        return Preferences(
            history_limit=self.history_spin.value(),
            default_timeout=float(self.timeout_spin.value()),
            auto_retry=self.auto_retry_check.isChecked(),
            theme=theme if isinstance(theme, str) else "system",
            body_limit=self.body_limit_spin.value() * MB,
            history_budget=self.budget_spin.value() * MB,
            guard_test_accounts=self.guard_test_check.isChecked(),
            open_in_new_tab=self.open_in_combo.currentData() is not False,
        )
