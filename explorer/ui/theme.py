"""Light and dark appearance that follows the desktop, for widgets and for highlighted JSON.

Qt's Fusion style looks the same on every platform, so the app uses it and paints it with an
explicit light or dark palette chosen from the system colour scheme. Widgets that draw colour
themselves (pygments highlighting, status codes in the history) ask ``is_dark()`` or take the
colours from here, so one place decides what "dark" looks like.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# A dynamic property on the application: "dark"/"light" when the user (or --theme) forced one.
_OVERRIDE_PROPERTY = "stackoneThemeOverride"
# A dynamic property on the application: set when it was made with Fusion (``FUSION_ARGUMENTS``),
# so choosing the style needs no ``app.style()``: a QStyle reaching Python makes PySide create
# QStyle's 11 enum classes (~6 ms) before the first paint.
FUSION_PROPERTY = "stackoneFusion"
FUSION_ARGUMENTS = ("-style", "fusion")

# Fusion's own light palette (``QStyleFactory.create("Fusion").standardPalette()``, Qt 6),
# written out for the same reason: role -> (active and inactive, disabled); a test checks it
# against the style's.
_FUSION_LIGHT: dict[str, tuple[str, str]] = {
    "WindowText": ("#000000", "#bebebe"),
    "Button": ("#efefef", "#efefef"),
    "Light": ("#ffffff", "#ffffff"),
    "Text": ("#000000", "#bebebe"),
    "BrightText": ("#ffffff", "#ffffff"),
    "ButtonText": ("#000000", "#bebebe"),
    "Base": ("#ffffff", "#efefef"),
    "Window": ("#efefef", "#efefef"),
    "Highlight": ("#308cc6", "#919191"),
    "HighlightedText": ("#ffffff", "#ffffff"),
    "Link": ("#0000ff", "#0000ff"),
    "LinkVisited": ("#ff00ff", "#ff00ff"),
    "AlternateBase": ("#f7f7f7", "#f7f7f7"),
    "ToolTipBase": ("#ffffdc", "#ffffdc"),
    "ToolTipText": ("#000000", "#000000"),
    "PlaceholderText": ("#80000000", "#80000000"),
    "Accent": ("#308cc6", "#919191"),
}
# The greys Fusion derives with lighter()/darker(), kept to 16 bits a channel as Qt has them.
_FUSION_LIGHT_GREYS: dict[str, tuple[int, int]] = {
    "Midlight": (51972, 51972),
    "Dark": (40948, 48830),
    "Mid": (47248, 47248),
    "Shadow": (30331, 45496),
}


def _grey(level: int) -> QColor:
    return QColor.fromRgba64(level, level, level)


LIGHT_PYGMENTS_STYLE = "default"
DARK_PYGMENTS_STYLE = "github-dark"

# Status colours, readable on the matching base colour (WCAG AA for normal text or close to it).
_STATUS_COLOURS: dict[str, tuple[str, str]] = {
    #        light       dark
    "2xx": ("#1a7f37", "#3fb950"),
    "3xx": ("#0969da", "#58a6ff"),
    "4xx": ("#b35900", "#e3a03a"),
    "5xx": ("#cf222e", "#f85149"),
    "none": ("#8250df", "#bc8cff"),
}


def _app(app: QGuiApplication | None) -> QGuiApplication | None:
    instance = app or QApplication.instance()
    return instance if isinstance(instance, QGuiApplication) else None


def _override(app: QGuiApplication) -> bool | None:
    value = app.property(_OVERRIDE_PROPERTY)
    if value == "dark":
        return True
    if value == "light":
        return False
    return None


def _palette_is_dark(palette: QPalette) -> bool:
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def is_dark(app: QGuiApplication | None = None) -> bool:
    """Whether the app is (or should be) dark.

    A theme forced with ``apply_theme(app, dark=...)`` wins; then the system colour scheme
    (``QStyleHints.colorScheme()``, Qt >= 6.5); when the platform does not say (offscreen, older
    desktops), the palette decides: dark when the window is darker than its text. Without an
    application nothing is drawn yet: light.
    """
    app = _app(app)
    if app is None:
        return False
    forced = _override(app)
    if forced is not None:
        return forced
    hints = app.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    return _palette_is_dark(app.palette())


def light_palette() -> QPalette:
    """Fusion's own light palette: the familiar default, nothing to tune."""
    p = QPalette()
    group = QPalette.ColorGroup
    colours = {name: (QColor(a), QColor(d)) for name, (a, d) in _FUSION_LIGHT.items()}
    colours |= {name: (_grey(a), _grey(d)) for name, (a, d) in _FUSION_LIGHT_GREYS.items()}
    for name, (active, disabled) in colours.items():
        role = getattr(QPalette.ColorRole, name, None)
        if role is None:  # a role this Qt does not have (Accent is Qt >= 6.6)
            continue
        p.setColor(group.Active, role, active)
        p.setColor(group.Inactive, role, active)
        p.setColor(group.Disabled, role, disabled)
    return p


def dark_palette() -> QPalette:
    """A calm dark palette; disabled text stays legible, links and highlights keep contrast."""
    # Fusion derives frame and check-box outlines from Window (darker) and Button (lighter):
    # a window a step above the text fields keeps those outlines visible.
    window = QColor("#2d2f34")
    base = QColor("#1d1f23")
    alternate = QColor("#24262b")
    text = QColor("#e6e6e6")
    dim = QColor("#8b929b")
    button = QColor("#3a3d44")
    highlight = QColor("#2f6fcf")

    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, window)
    p.setColor(role.WindowText, text)
    p.setColor(role.Base, base)
    p.setColor(role.AlternateBase, alternate)
    p.setColor(role.ToolTipBase, button)
    p.setColor(role.ToolTipText, text)
    p.setColor(role.PlaceholderText, dim)
    p.setColor(role.Text, text)
    p.setColor(role.Button, button)
    p.setColor(role.ButtonText, text)
    p.setColor(role.BrightText, QColor("#ff6b6b"))
    p.setColor(role.Link, QColor("#58a6ff"))
    p.setColor(role.LinkVisited, QColor("#bc8cff"))
    p.setColor(role.Highlight, highlight)
    p.setColor(role.HighlightedText, QColor("#ffffff"))
    p.setColor(role.Light, QColor("#4a4e56"))
    p.setColor(role.Midlight, QColor("#3f434a"))
    p.setColor(role.Mid, QColor("#2a2c31"))
    p.setColor(role.Dark, QColor("#15161a"))
    p.setColor(role.Shadow, QColor("#000000"))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(disabled, r, dim)
    p.setColor(disabled, role.Highlight, QColor("#3a3d44"))
    p.setColor(disabled, role.HighlightedText, dim)
    return p


def apply_theme(app: QApplication, *, dark: bool | None = None) -> None:
    """Fusion style with a light or dark palette.

    Args:
        app: the application to style.
        dark: force dark (``True``) or light (``False``), e.g. for screenshots; ``None``
            follows the system and keeps following it when a ``ThemeWatcher`` is running.
    """
    app.setProperty(_OVERRIDE_PROPERTY, None if dark is None else ("dark" if dark else "light"))
    if not app.property(FUSION_PROPERTY) and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    if dark is None:
        # Judge the system's own palette, not the one we may have installed earlier.
        hints = app.styleHints()
        scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
        if scheme == Qt.ColorScheme.Dark:
            dark = True
        elif scheme == Qt.ColorScheme.Light:
            dark = False
        else:
            dark = _palette_is_dark(app.palette())
    app.setPalette(dark_palette() if dark else light_palette())


def pygments_style(dark: bool) -> str:
    """The pygments style name for highlighted JSON on a light or dark background."""
    return DARK_PYGMENTS_STYLE if dark else LIGHT_PYGMENTS_STYLE


def status_colour(status_class: str, dark: bool) -> QColor:
    """The colour for a status class (``"2xx"``.. ``"5xx"``, ``"none"``) on this background."""
    light_hex, dark_hex = _STATUS_COLOURS.get(status_class, _STATUS_COLOURS["none"])
    return QColor(dark_hex if dark else light_hex)


class ThemeWatcher(QObject):
    """Re-applies the theme when the desktop switches between light and dark.

    The palette is updated before ``changed`` is emitted, so listeners only need to refresh what
    the palette does not cover (for example text already highlighted by pygments). Nothing
    happens while a theme is forced with ``apply_theme(app, dark=...)``.

    Signals:
        changed(bool): the new ``is_dark()`` value, emitted only when it actually flips.
    """

    changed = Signal(bool)

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else app)
        self._app = app
        self._dark = is_dark(app)
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_scheme_changed)

    @property
    def dark(self) -> bool:
        """The last value seen (what the app shows now)."""
        return self._dark

    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if _override(self._app) is not None:
            return
        if scheme == Qt.ColorScheme.Dark:
            dark = True
        elif scheme == Qt.ColorScheme.Light:
            dark = False
        else:
            return  # "unknown" says nothing new: keep what we show
        self._app.setPalette(dark_palette() if dark else light_palette())
        if dark != self._dark:
            self._dark = dark
            self.changed.emit(dark)
