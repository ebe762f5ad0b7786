"""A request's options under its JSON: sync and debug, Defender, and the advanced ones.

Defender's flags are three-state (the project's default, on, off): a flag the user did not
set must stay unset, so StackOne's project setting applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.request import DEFAULT_TIMEOUT, DefenderConfig, RpcRequest

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDoubleSpinBox

# The request timeout's field: its range and precision, which it rounds a value to.
TIMEOUT_RANGE = (1.0, 600.0)
TIMEOUT_DECIMALS = 1

_DEFENDER_FLAGS = (
    ("enabled", "Defender"),
    ("block_high_risk", "Block high risk"),
    ("use_tier1_classification", "Tier 1 rules"),
    ("use_tier2_classification", "Tier 2 classifier"),
)


def tri_state_combo(default_text: str = "Project default") -> QComboBox:
    """Project default / On / Off: an unset flag must stay unset, so a checkbox will not do.

    Qt's own combo box, not a subclass: a Python subclass makes every virtual call into it
    (each paint, size hint and event) look for a Python override first.
    """
    combo = QComboBox()
    combo.addItem(default_text, None)
    combo.addItem("On", True)
    combo.addItem("Off", False)
    return combo


def tri_state(combo: QComboBox) -> bool | None:
    """The choice of a ``tri_state_combo``: ``None`` for the default."""
    data = combo.currentData()
    return data if isinstance(data, bool) else None


def set_tri_state(combo: QComboBox, value: bool | None) -> None:
    combo.setCurrentIndex({None: 0, True: 1, False: 2}[value])


class RequestOptions(QWidget):
    """The options row, the Defender group and the advanced options (folded by default, and
    built when first unfolded or asked for: until then their values are kept here).

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
        self.defender_combos: dict[str, QComboBox] = {}
        self._defender_pairs: list[tuple[QLabel, QComboBox]] = []
        for flag, text in _DEFENDER_FLAGS:
            combo = tri_state_combo()
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
        # Folded, the advanced options are not in the window's first frame: built when first
        # unfolded (or asked for), their values kept here until then.
        self._advanced: tuple[QWidget, QComboBox, QDoubleSpinBox] | None = None
        self._defender_enabled: bool | None = None
        self._timeout = DEFAULT_TIMEOUT

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(row)
        self._layout.addWidget(self.defender_box)
        self._layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)

        for check in (self.sync_check, self.debug_check):
            check.toggled.connect(lambda _on: self.changed.emit())
        for combo in self.defender_combos.values():
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())

    @property
    def advanced_box(self) -> QWidget:
        """The advanced options (built now if they were not yet)."""
        return self._built_advanced()[0]

    @property
    def defender_enabled_combo(self) -> QComboBox:
        return self._built_advanced()[1]

    @property
    def timeout_spin(self) -> QDoubleSpinBox:
        return self._built_advanced()[2]

    def _built_advanced(self) -> tuple[QWidget, QComboBox, QDoubleSpinBox]:
        if self._advanced is None:
            from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout

            box = QWidget()
            advanced = QFormLayout(box)
            advanced.setContentsMargins(16, 0, 0, 0)
            combo = tri_state_combo("Not sent")
            combo.setToolTip(
                "defender_enabled is deprecated by StackOne; prefer the Defender group above"
            )
            set_tri_state(combo, self._defender_enabled)
            spin = QDoubleSpinBox()
            spin.setRange(*TIMEOUT_RANGE)
            spin.setDecimals(TIMEOUT_DECIMALS)
            spin.setSuffix(" s")
            spin.setValue(self._timeout)
            spin.setToolTip("How long to wait for StackOne before giving up")
            advanced.addRow("defender_enabled (deprecated)", combo)
            advanced.addRow("Request timeout", spin)
            self._layout.addWidget(box)
            box.setVisible(self.advanced_toggle.isChecked())
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
            spin.valueChanged.connect(lambda _value: self.changed.emit())
            # Tab goes from the toggle into them, then on to what came after the toggle.
            QWidget.setTabOrder(self.advanced_toggle, combo)
            QWidget.setTabOrder(combo, spin)
            self._advanced = (box, combo, spin)
        return self._advanced

    def tab_chain(self) -> list[QWidget]:
        advanced = list(self._advanced[1:]) if self._advanced is not None else []
        return [
            self.sync_check,
            self.debug_check,
            *self.defender_combos.values(),
            self.advanced_toggle,
            *advanced,
        ]

    def load(self, request: RpcRequest, default_timeout: float) -> None:
        """Show ``request``'s options; the advanced ones unfold when one is not the default."""
        self.sync_check.setChecked(request.sync)
        self.debug_check.setChecked(request.debug)
        for flag, combo in self.defender_combos.items():
            set_tri_state(combo, getattr(request.defender, flag))
        unfold = request.defender_enabled is not None or request.timeout not in (
            DEFAULT_TIMEOUT,
            default_timeout,
        )
        if self._advanced is None and not unfold and _kept_as_is(request.timeout):
            changed = (request.defender_enabled, request.timeout) != (
                self._defender_enabled,
                self._timeout,
            )
            self._defender_enabled, self._timeout = request.defender_enabled, request.timeout
            if changed:
                self.changed.emit()  # as the fields would say
            return
        set_tri_state(self.defender_enabled_combo, request.defender_enabled)
        self.timeout_spin.setValue(request.timeout)  # which rounds it to the field's precision
        if unfold:
            self.advanced_toggle.setChecked(True)

    def values(self) -> dict[str, Any]:
        """The options as ``RpcRequest`` fields."""
        advanced = self._advanced
        enabled = self._defender_enabled if advanced is None else tri_state(advanced[1])
        return {
            "defender": DefenderConfig(
                **{flag: tri_state(combo) for flag, combo in self.defender_combos.items()}
            ),
            "defender_enabled": enabled,
            "sync": self.sync_check.isChecked(),
            "debug": self.debug_check.isChecked(),
            "timeout": self._timeout if advanced is None else float(advanced[2].value()),
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


def _kept_as_is(timeout: float) -> bool:
    """Whether the timeout field would hold ``timeout`` unchanged (in its range, at its
    precision): then it can wait here until the field is built."""
    low, high = TIMEOUT_RANGE
    return low <= timeout <= high and round(timeout, TIMEOUT_DECIMALS) == timeout
