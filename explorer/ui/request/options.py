"""A request's options under its JSON: sync and debug, Defender, and the advanced ones.

Defender's flags are three-state (the project's default, on, off): a flag the user did not
set must stay unset, so StackOne's project setting applies.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.request import DEFAULT_TIMEOUT, DefenderConfig, RpcRequest

_DEFENDER_FLAGS = (
    ("enabled", "Defender"),
    ("block_high_risk", "Block high risk"),
    ("use_tier1_classification", "Tier 1 rules"),
    ("use_tier2_classification", "Tier 2 classifier"),
)


class TriStateCombo(QComboBox):
    """Project default / On / Off: an unset flag must stay unset, so a checkbox will not do."""

    def __init__(self, default_text: str = "Project default", parent: QWidget | None = None):
        super().__init__(parent)
        self.addItem(default_text, None)
        self.addItem("On", True)
        self.addItem("Off", False)

    def value(self) -> bool | None:
        data = self.currentData()
        return data if isinstance(data, bool) else None

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[value])


class RequestOptions(QWidget):
    """The options row, the Defender group and the advanced options (folded by default).

    Signals:
        changed(): the user changed an option.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sync_check = QCheckBox("S&ync")
        self.sync_check.setToolTip("Add ?sync=true: read from StackOne's synced copy")
        self.debug_check = QCheckBox("&Debug")
        self.debug_check.setToolTip("Add ?debug=true: ask StackOne for debug output")
        row = QHBoxLayout()
        row.addWidget(self.sync_check)
        row.addWidget(self.debug_check)
        row.addStretch(1)
        self.options_row = row  # add-ons (discovery's agent view) sit at its right end

        self.defender_box = QGroupBox("Defender (prompt-injection protection)")
        self.defender_grid = QGridLayout(self.defender_box)
        self.defender_combos: dict[str, TriStateCombo] = {}
        self._defender_pairs: list[tuple[QLabel, TriStateCombo]] = []
        for flag, text in _DEFENDER_FLAGS:
            combo = TriStateCombo()
            combo.setAccessibleName(text)
            label = QLabel(text)
            label.setBuddy(combo)
            self.defender_combos[flag] = combo
            self._defender_pairs.append((label, combo))
        # Two label/choice pairs a row; in a narrow editor each label goes above its choice,
        # so "Project default" still reads whole. The box's minimum is the narrow one.
        self._defender_narrow: bool | None = None
        self.arrange_defender(narrow=True)
        self.defender_box.setMinimumWidth(self.defender_box.minimumSizeHint().width())
        self.arrange_defender(narrow=False)
        self.defender_wide_width = self.defender_box.minimumSizeHint().width()

        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText("Advan&ced options")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.toggled.connect(self._toggle_advanced)
        self.advanced_box = QWidget()
        advanced = QFormLayout(self.advanced_box)
        advanced.setContentsMargins(16, 0, 0, 0)
        self.defender_enabled_combo = TriStateCombo("Not sent")
        self.defender_enabled_combo.setToolTip(
            "defender_enabled is deprecated by StackOne; prefer the Defender group above"
        )
        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setRange(1, 600)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setValue(DEFAULT_TIMEOUT)
        self.timeout_spin.setToolTip("How long to wait for StackOne before giving up")
        advanced.addRow("defender_enabled (deprecated)", self.defender_enabled_combo)
        advanced.addRow("Request timeout", self.timeout_spin)
        self.advanced_box.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.defender_box)
        layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced_box)

        for check in (self.sync_check, self.debug_check):
            check.toggled.connect(lambda _on: self.changed.emit())
        for combo in (*self.defender_combos.values(), self.defender_enabled_combo):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.timeout_spin.valueChanged.connect(lambda _value: self.changed.emit())

    def tab_chain(self) -> list[QWidget]:
        return [
            self.sync_check,
            self.debug_check,
            *self.defender_combos.values(),
            self.advanced_toggle,
            self.defender_enabled_combo,
            self.timeout_spin,
        ]

    def load(self, request: RpcRequest, default_timeout: float) -> None:
        """Show ``request``'s options; the advanced ones unfold when one is not the default."""
        self.sync_check.setChecked(request.sync)
        self.debug_check.setChecked(request.debug)
        for flag, combo in self.defender_combos.items():
            combo.set_value(getattr(request.defender, flag))
        self.defender_enabled_combo.set_value(request.defender_enabled)
        self.timeout_spin.setValue(request.timeout)
        if request.defender_enabled is not None or request.timeout not in (
            DEFAULT_TIMEOUT,
            default_timeout,
        ):
            self.advanced_toggle.setChecked(True)

    def values(self) -> dict[str, Any]:
        """The options as ``RpcRequest`` fields."""
        return {
            "defender": DefenderConfig(
                **{flag: combo.value() for flag, combo in self.defender_combos.items()}
            ),
            "defender_enabled": self.defender_enabled_combo.value(),
            "sync": self.sync_check.isChecked(),
            "debug": self.debug_check.isChecked(),
            "timeout": float(self.timeout_spin.value()),
        }

    def arrange_defender(self, *, narrow: bool) -> None:
        """Defender's labels beside their choices, or above them in a narrow editor."""
        if narrow == self._defender_narrow:
            return
        self._defender_narrow = narrow
        grid = self.defender_grid
        for index, (label, combo) in enumerate(self._defender_pairs):
            grid.removeWidget(label)
            grid.removeWidget(combo)
            row, column = divmod(index, 2)
            if narrow:  # the label above its choice, two choices a row
                grid.addWidget(label, row * 2, column)
                grid.addWidget(combo, row * 2 + 1, column)
            else:  # label, choice, label, choice
                grid.addWidget(label, row, column * 2)
                grid.addWidget(combo, row, column * 2 + 1)
        for column in range(4):
            stretch = (column < 2) if narrow else (column % 2 == 1)
            grid.setColumnStretch(column, int(stretch))

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced_box.setVisible(shown)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
