"""The request editor: every field of an RPC call, validated live as the user types.

The editor only translates between widgets and ``RpcRequest`` (``load_request`` /
``to_request``); what counts as valid is decided by ``explorer.core.request`` so the window,
the runner and the tests all agree. While anything is wrong, Send is disabled and the reason
is written next to it, so the user never has to guess why nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QMargins, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.errors import InvalidRequest, Issue
from explorer.core.request import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    OBJECT_FIELDS,
    FieldIssues,
    JsonObject,
    RpcRequest,
    object_field_issues,
    parse_json_object,
    validate,
)
from explorer.ui.accessibility import name_clear_button, tab_chain
from explorer.ui.request.action_completion import ActionCompletion
from explorer.ui.request.json_page import JsonEditors, JsonPage
from explorer.ui.request.options import RequestOptions
from explorer.ui.theme import is_dark, status_colour
from explorer.ui.widgets.elided_label import ElidedLabel
from explorer.ui.widgets.json_editor import JsonEditor

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCompleter

# How each field is named to the user in messages.
FIELD_LABELS = {
    "action": "Action",
    "account_id": "Account id",
    "connector_profile_id": "Connector profile id",
    "path": "Path",
    "query": "Query",
    "headers": "Headers",
    "body": "Body",
    "base_url": "Base URL (from the profile)",
    "timeout": "Timeout",
}

_TAB_TITLES = {"path": "&Path", "query": "&Query", "headers": "H&eaders", "body": "&Body"}
_PLACEHOLDERS = {
    "path": 'Path parameters, e.g. {"id": "emp_001"}',
    "query": 'Query parameters, e.g. {"page_size": 5}',
    "headers": 'Extra provider headers, e.g. {"x-custom": "1"}',
    "body": 'Request body, e.g. {"first_name": "Ada"}',
}
# Links in a message (go to the error, Retry, Undo) are Tab stops that Enter follows.
LINKS_BY_KEYBOARD = (
    Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
)

SEND_TIP = "Send the request (Ctrl+Enter)"
# A JSON field's error under it.
ERROR_RGB = "#d1242f"

# A field narrower than this text puts the form's labels above the fields (so it reads whole).
TYPICAL_VALUE = "greenhouse_create_candidate"

# The fields a request cannot go without, and the line edit of each.
_REQUIRED = {"action": "action_edit", "account_id": "account_edit"}

# A JSON editor's text as validation read it: the object (``None`` when empty or not JSON),
# its parse issues, and what validation finds in the object (``object_field_issues``).
_Parsed = tuple[JsonObject | None, list[Issue], FieldIssues]


def describe_issue(issue: Issue) -> str:
    """One issue in words, with the field's label and, for JSON, where the problem is."""
    where = f" (line {issue.line}, column {issue.column})" if issue.line else ""
    return f"{FIELD_LABELS.get(issue.field, issue.field)}: {issue.message}{where}"


class JsonTabs:
    """The request's four JSON objects (path, query, headers, body), a tab each with Format
    in the corner: each editor built when its tab is first shown (``json_page``), each text
    parsed once until it changes, and each tab showing what is wrong in it (its title, a
    warning sign, the problem under the editor, the line marked).

    Apart from ``RequestEditor`` (the request as a whole, its validation and Send) because
    what keeps these tabs fast with a big body is state of their own: the parsed texts, and
    what each tab shows, set again only when that changes.
    """

    def __init__(
        self, *, on_edited: Callable[[], None], go_to_error: Callable[[str], None]
    ) -> None:
        self._on_any_edited = on_edited
        # Each JSON editor's text parsed for validation (the object, its parse issues, what
        # validation finds in it), kept until its text changes: a key in another field
        # parses and walks none of them again (a big body took ~30 ms a key).
        self._parsed: dict[str, _Parsed] = {}
        # What each JSON tab shows (title, problem, marked line), and the editors whose text
        # changed since: a tab is set again only when what it shows changes (a tab bar lays
        # its tabs out and takes its mnemonics again for every title set, even the same).
        self._shown: dict[str, tuple[object, ...]] = {}
        self._edited: set[str] = set(OBJECT_FIELDS)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, JsonPage] = {}
        self.errors: dict[str, QLabel] = {}
        for name in OBJECT_FIELDS:
            error = self._error_label()
            # "Line 3, column 5" is a link to the error: Tab reaches it, Enter follows it.
            error.setTextInteractionFlags(LINKS_BY_KEYBOARD)
            error.linkActivated.connect(lambda _link, n=name: go_to_error(n))
            page = JsonPage(
                error,
                name=f"{FIELD_LABELS[name]} (JSON)",
                placeholder=_PLACEHOLDERS[name],
                on_edited=partial(self._on_edited, name),
                before=partial(self._before_editor, name),
            )
            self.pages[name] = page
            self.errors[name] = error
            self.tabs.addTab(page, _TAB_TITLES[name])
        # Asking for one (``json_editors["body"]``) builds it; so does its tab made current
        # (a loaded request shows its first object: built before the window lays it out).
        self.editors: Mapping[str, JsonEditor] = JsonEditors(self.pages)
        self.tabs.currentChanged.connect(lambda index: self.pages[OBJECT_FIELDS[index]].editor)
        self.format_button = QPushButton("For&mat")
        self.format_button.setToolTip("Re-indent the JSON of the current tab (Ctrl+Shift+F)")
        self.tabs.setCornerWidget(self.format_button, Qt.Corner.TopRightCorner)

    def chain(self) -> list[QWidget]:
        """The JSON tabs, Format, each built editor and its error line."""
        chain: list[QWidget] = [self.tabs.tabBar(), self.format_button]
        for name, page in self.pages.items():
            if page.built is not None:
                chain.append(page.built)
            chain.append(self.errors[name])
        return chain

    def _before_editor(self, name: str) -> QWidget:
        """Where Tab comes from to reach ``name``'s editor: just before its error line."""
        chain = self.chain()
        return chain[chain.index(self.errors[name]) - 1]

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        # Red from the label's palette, not a style sheet: one in the first frame costs ~3 ms.
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_RGB))
        label.setPalette(palette)
        label.setVisible(False)
        return label

    def load(self, request: RpcRequest) -> None:
        for name, page in self.pages.items():
            page.set_value(getattr(request, name))
        # Show the first object that has content: that is what the user wants to see.
        for index, name in enumerate(OBJECT_FIELDS):
            if getattr(request, name) is not None:
                self.tabs.setCurrentIndex(index)
                break

    def load_drafts(self, drafts: dict[str, str]) -> None:
        for name, text in drafts.items():
            if name in self.pages and isinstance(text, str):
                self.pages[name].set_text(text)

    def draft_texts(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, page in self.pages.items():
            try:
                parse_json_object(page.text(), name)
            except InvalidRequest:
                out[name] = page.text()
        return out

    def texts(self) -> dict[str, str]:
        return {name: page.text() for name, page in self.pages.items()}

    def set_dark(self, dark: bool) -> None:
        for page in self.pages.values():
            page.set_dark(dark)

    def current_editor(self) -> JsonEditor:
        return self.pages[OBJECT_FIELDS[self.tabs.currentIndex()]].editor

    def read(
        self, *, cached: bool
    ) -> tuple[dict[str, JsonObject | None], list[Issue], dict[str, FieldIssues]]:
        """Each object as typed (``None`` when empty or not JSON), the parse issues, and
        what validation finds in each object. ``cached`` reads an unchanged text from what
        the last cached read parsed, and finds those issues too (only for validation: its
        objects are read and dropped, never handed out); otherwise each text is parsed
        anew and only the parse issues are found."""
        parsed = self._parsed if cached else None
        issues: list[Issue] = []
        objects: dict[str, JsonObject | None] = {}
        checked: dict[str, FieldIssues] = {}
        for name, page in self.pages.items():
            known = parsed.get(name) if parsed is not None else None
            if known is None:
                try:
                    value = parse_json_object(page.text(), name)
                    problems: list[Issue] = []
                except InvalidRequest as exc:
                    value, problems = None, list(exc.issues)
                if parsed is None:
                    objects[name] = value
                    issues.extend(problems)
                    continue
                known = parsed[name] = (value, problems, object_field_issues(name, value))
            objects[name] = known[0]
            issues.extend(known[1])
            checked[name] = known[2]
        return objects, issues, checked

    def show_issues(self, by_field: Mapping[str, list[Issue]]) -> None:
        for index, name in enumerate(OBJECT_FIELDS):
            self._show(index, name, by_field.get(name, []))

    def _show(self, index: int, name: str, found: list[Issue]) -> None:
        """The JSON tab's title (a dot marks tabs that hold something, so nothing hides
        behind another tab), its warning sign and tooltip, the problem under the editor and
        its line marked; set only when that changes or the editor's text did."""
        page = self.pages[name]
        edited = name in self._edited or name not in self._shown
        if edited:
            title = _TAB_TITLES[name] + (" •" if page.text().strip() else "")
        else:  # the same text: the same title (a big body's text is not copied again)
            title = str(self._shown[name][0])
        shown = (title, *((i.message, i.line, i.column) for i in found))
        if not edited and self._shown[name] == shown:
            return
        self._shown[name] = shown
        self._edited.discard(name)
        if self.tabs.tabText(index) != title:
            self.tabs.setTabText(index, title)
        label = self.errors[name]
        if found:
            import html  # with a problem only: html imports html.entities (~1.5 ms)

            first = found[0]
            if first.line:
                where = f'<a href="#go">Line {first.line}, column {first.column}</a>: '
            else:
                where = ""
            label.setText(where + html.escape("; ".join(i.message for i in found), quote=False))
            label.setVisible(True)
            page.mark_error(first.line)
            self.tabs.setTabIcon(index, _warning_icon(self.tabs))
            self.tabs.setTabToolTip(index, describe_issue(first))
        else:
            label.setVisible(False)
            page.mark_error(None)
            if not self.tabs.tabIcon(index).isNull():  # taking none away lays tabs out too
                self.tabs.setTabIcon(index, QIcon())
            self.tabs.setTabToolTip(index, "")

    def _on_edited(self, name: str) -> None:
        self._parsed.pop(name, None)
        self._edited.add(name)
        self._on_any_edited()


class RequestEditor(QWidget):
    """Edit one ``RpcRequest``; Send is enabled only while the request is valid.

    Signals:
        validity_changed(list): the current ``Issue`` list whenever it changes (empty = valid).
        changed(): any field was edited (collections use it to mark the request dirty).
        loaded(): a whole request was loaded (``load_request``): edits of the previous one,
            and anything that would undo them, no longer apply.
        send_requested(): the user pressed Send (only emitted while valid and idle).
        cancel_requested(): the user pressed the button while a request was in flight.
    """

    validity_changed = Signal(list)
    changed = Signal()
    loaded = Signal()
    send_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, validate_later: bool = False) -> None:
        """With ``validate_later``, every field set before ``release_validation()`` is
        validated once then (a window being built sets each field a few times: ~0.3 ms a
        validation, ~10 of them)."""
        super().__init__(parent)
        self._validation_held = validate_later
        self._validation_stale = False
        self._base_url = DEFAULT_BASE_URL
        self._default_timeout = DEFAULT_TIMEOUT  # for new requests (Preferences)
        self._issues: list[Issue] = []
        self._in_flight = False
        self._held = ""  # why Send would not go now though the request is valid (set_held)
        self._loading = False
        self._touched: set[str] = set()  # required fields the user typed in (see _quiet)

        # -- the target line: where this goes, and the Send button ------------------------
        self.url_label = QLabel()
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.send_button = QPushButton("&Send")
        self.send_button.setDefault(False)
        self.send_button.setMinimumWidth(96)
        self.send_button.clicked.connect(self._on_send_clicked)
        # One line, kept while hidden: a message appearing must not move the form.
        self.reason_label = ElidedLabel()
        self.reason_label.setObjectName("sendBlockedReason")

        # -- identity fields ------------------------------------------------------------
        self.action_edit = QLineEdit()
        self.action_edit.setPlaceholderText("e.g. bamboohr_list_employees")
        self.action_edit.setClearButtonEnabled(True)
        self.action_completion = ActionCompletion(self.action_edit, self)  # built when needed
        self.account_edit = QLineEdit()
        self.account_edit.setPlaceholderText("linked account id, sent as x-account-id")
        self.account_edit.setClearButtonEnabled(True)
        self.connector_profile_edit = QLineEdit()
        self.connector_profile_edit.setPlaceholderText("optional: x-connector-profile-id")
        self.connector_profile_edit.setClearButtonEnabled(True)
        for edit, what in (
            (self.action_edit, "action"),
            (self.account_edit, "account id"),
            (self.connector_profile_edit, "connector profile id"),
        ):
            name_clear_button(edit, f"Clear the {what}")
        # A problem with a field shows as a warning sign inside it (its tooltip says what),
        # not as a line under it that would push the fields below down.
        # The sign's icon is the style's, fetched when a warning first shows: asking the style
        # for it makes PySide create QStyle's 11 enum classes (~6 ms) before the first paint.
        self.field_warnings: dict[str, QAction] = {}
        for name, edit in (
            ("action", self.action_edit),
            ("account_id", self.account_edit),
            ("connector_profile_id", self.connector_profile_edit),
        ):
            # Created with its text: the sign's button is named after it for screen readers.
            sign = QAction(f"{FIELD_LABELS[name]}: no problem", edit)
            edit.addAction(sign, QLineEdit.ActionPosition.TrailingPosition)
            sign.setVisible(False)
            self.field_warnings[name] = sign

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form = form  # its labels go above the fields when the editor is narrow
        # Rows and columns are public so add-ons (discovery's "Pick…") can sit beside a field.
        self.field_rows: dict[str, QHBoxLayout] = {}
        self.field_columns: dict[str, QVBoxLayout] = {}
        for text, edit, name in (
            ("&Action", self.action_edit, "action"),
            ("Acc&ount id", self.account_edit, "account_id"),
            ("Co&nnector profile id", self.connector_profile_edit, "connector_profile_id"),
        ):
            label = QLabel(text)
            label.setBuddy(edit)
            column = QVBoxLayout()
            column.setSpacing(1)
            row = QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(edit, 1)
            column.addLayout(row)
            form.addRow(label, column)
            self.field_rows[name] = row
            self.field_columns[name] = column

        # -- the four JSON editors, each built when its tab is first shown (JsonTabs) -------
        self.json_tabs = JsonTabs(on_edited=self._on_edited, go_to_error=self._go_to_error)
        self.tabs = self.json_tabs.tabs
        self.json_editors = self.json_tabs.editors
        self._json_errors = self.json_tabs.errors
        self.format_button = self.json_tabs.format_button
        self.format_button.clicked.connect(self.format_current)

        # -- options --------------------------------------------------------------------------
        self.options = RequestOptions()

        # -- assemble ---------------------------------------------------------------------------
        target = QHBoxLayout()
        method = QLabel("<b>POST</b>")
        target.addWidget(method)
        target.addWidget(self.url_label, 1)
        target.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addLayout(target)
        layout.addWidget(self.reason_label)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.options)

        for edit in (self.action_edit, self.account_edit, self.connector_profile_edit):
            edit.textChanged.connect(self._on_edited)
        for name, attribute in _REQUIRED.items():
            getattr(self, attribute).textEdited.connect(
                lambda _text, n=name: self._touch(n)  # typed, not set by code
            )
        self.options.changed.connect(self._on_edited)

        self._set_tab_order()
        self._update_url()
        self.revalidate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Narrow (a small screen, a wide response pane): labels go above their fields and
        Defender choices, so an id, an action name or "Project default" still reads whole
        instead of being cut after a few letters."""
        super().resizeEvent(event)
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        room = event.size().width() - margins.left() - margins.right()
        wrap = (
            QFormLayout.RowWrapPolicy.WrapAllRows
            if room < self._form_width_beside()
            else QFormLayout.RowWrapPolicy.DontWrapRows
        )
        if self.form.rowWrapPolicy() != wrap:
            self.form.setRowWrapPolicy(wrap)
        self.options.arrange_defender(narrow=room < self.options.defender_wide_width)

    def _form_width_beside(self) -> int:
        """The width the form needs with labels beside fields that show ``TYPICAL_VALUE``."""
        labels = [self.form.labelForField(column) for column in self.field_columns.values()]
        label_width = max((w.sizeHint().width() for w in labels if w is not None), default=0)
        extras = 0
        for row in self.field_rows.values():  # the buttons beside a field ("Pick…")
            items = [row.itemAt(i) for i in range(1, row.count())]
            widgets = [item.widget() for item in items if item is not None]
            extras = max(extras, sum(w.sizeHint().width() for w in widgets if w is not None))
        field = self.fontMetrics().horizontalAdvance(TYPICAL_VALUE) + 3 * self.action_edit.height()
        spacing = 3 * max(self.form.horizontalSpacing(), 6)
        return label_width + extras + field + spacing

    def _set_tab_order(self) -> None:
        tab_chain(self.tab_chain())

    def tab_chain(self) -> list[QWidget]:
        """The editor's controls in reading order, for Tab: Send on the target line, each
        field with what sits beside and under it (discovery's "Pick…", a Retry link), the
        JSON tabs with Format and the editors, the options, Defender, the advanced ones."""
        chain: list[QWidget] = [self.send_button]
        for name in ("action", "account_id", "connector_profile_id"):
            chain += _layout_widgets(self.field_columns[name])
        return chain + self.json_tabs.chain() + self.options.tab_chain()

    # -- public API -------------------------------------------------------------------------
    def load_request(self, request: RpcRequest) -> None:
        """Show ``request`` in the editor. Its base URL is kept as the current target."""
        self._loading = True
        self._touched.clear()  # a request just loaded has not been typed in
        try:
            for edit, text in (
                (self.action_edit, request.action),
                (self.account_edit, request.account_id),
                (self.connector_profile_edit, request.connector_profile_id),
            ):
                edit.setText(text)
                edit.setCursorPosition(0)  # a loaded id reads from its start, not its end
            self.json_tabs.load(request)
            self.options.load(request, self._default_timeout)
        finally:
            self._loading = False
        self.set_base_url(request.base_url)
        self.revalidate()
        self.loaded.emit()
        self.changed.emit()

    def load_drafts(self, drafts: dict[str, str]) -> None:
        """Put raw (possibly invalid) JSON text back into editors, e.g. after a restart."""
        self.json_tabs.load_drafts(drafts)

    def clear(self) -> None:
        """A new, empty request for the same target (the account id is kept: it rarely changes)."""
        account = self.account_edit.text()
        self.load_request(
            RpcRequest(account_id=account, base_url=self._base_url, timeout=self._default_timeout)
        )

    def set_default_timeout(self, seconds: float) -> None:
        """The timeout each new request (``clear()``) starts with; loaded ones keep theirs."""
        self._default_timeout = seconds

    def to_request(self) -> RpcRequest:
        """The request as typed.

        Raises:
            InvalidRequest: every problem at once, each tagged with its field.
        """
        request, issues = self._build()
        if issues:
            raise InvalidRequest(issues)
        return request

    def draft_request(self) -> RpcRequest:
        """The request as far as it can be read; JSON that does not parse is left out."""
        return self._build()[0]

    def draft_texts(self) -> dict[str, str]:
        """Raw text of editors whose JSON does not parse (so a restart does not lose it)."""
        return self.json_tabs.draft_texts()

    def texts(self) -> dict[str, object]:
        """Everything the user can change, as typed (cheap: no JSON is parsed), so a tab can
        tell whether it holds unsaved edits by comparing two of these."""
        return {
            "action": self.action_edit.text(),
            "account_id": self.account_edit.text(),
            "connector_profile_id": self.connector_profile_edit.text(),
            **self.json_tabs.texts(),
            "options": self.options.values(),
        }

    def issues(self) -> list[Issue]:
        if self._validation_stale:
            return self._build(cached=True)[1]
        return list(self._issues)

    def is_valid(self) -> bool:
        return not self.issues()

    def base_url(self) -> str:
        return self._base_url

    def set_base_url(self, base_url: str) -> None:
        """The target comes from the selected profile, not from the editor."""
        self._base_url = base_url or DEFAULT_BASE_URL
        self._update_url()
        self.revalidate()

    @property
    def action_completer(self) -> QCompleter:
        """The action field's completer (built now if it was not: ``ActionCompletion``)."""
        return self.action_completion.completer

    def set_known_actions(self, actions: Iterable[str]) -> None:
        """Offer these action names as completions."""
        self.action_completion.set_names(actions)

    def use_action_model(self, model: QAbstractItemModel | None) -> None:
        """Complete actions from ``model`` (e.g. a fetched catalogue); ``None`` goes back to
        the known names, so completion still works offline."""
        self.action_completion.use_model(model)

    def set_in_flight(self, in_flight: bool) -> None:
        """While a request runs the Send button becomes Cancel; editing stays possible."""
        self._in_flight = in_flight
        self.send_button.setText("Cancel" if in_flight else "&Send")
        self._update_send_state()

    def set_held(self, reason: str) -> None:
        """Why Send would not go now though the request is valid ("" when it would): the
        window's state, e.g. the most requests in flight. The button's tooltip and accessible
        description say it; it stays enabled, so pressing it gets the same note."""
        if reason != self._held:
            self._held = reason
            self._update_send_state()

    def set_dark(self, dark: bool) -> None:
        self.json_tabs.set_dark(dark)

    def current_json_editor(self) -> JsonEditor:
        return self.json_tabs.current_editor()

    def format_current(self) -> bool:
        """Re-indent the visible JSON tab; if it does not parse, point at the error instead."""
        editor = self.current_json_editor()
        if editor.format_json():
            return True
        self._go_to_error(OBJECT_FIELDS[self.tabs.currentIndex()])
        return False

    def release_validation(self) -> None:
        """Validate now what was set while validation was held (``validate_later``), and
        from now on as each field changes."""
        self._validation_held = False
        if self._validation_stale:
            # Said even if unchanged: what was asked meanwhile (``issues()``) may differ.
            self._revalidate(announce=True)

    def revalidate(self) -> None:
        """Recompute the issues and refresh every inline message and the Send button."""
        if self._validation_held:
            self._validation_stale = True
            return
        self._revalidate(announce=False)

    def _revalidate(self, *, announce: bool) -> None:
        self._validation_stale = False
        _request, issues = self._build(cached=True)
        self._show_issues(issues)
        if announce or issues != self._issues:
            self._issues = issues
            self.validity_changed.emit(list(issues))
        self._update_send_state()

    # -- internals ----------------------------------------------------------------------------
    def _build(self, *, cached: bool = False) -> tuple[RpcRequest, list[Issue]]:
        """The request as typed and its issues. ``cached`` (only for validation, whose
        request is read and dropped) reads the JSON objects through ``JsonTabs.read``'s
        cache."""
        objects, issues, checked = self.json_tabs.read(cached=cached)
        request = RpcRequest(
            action=self.action_edit.text().strip(),
            account_id=self.account_edit.text().strip(),
            connector_profile_id=self.connector_profile_edit.text().strip(),
            path=objects["path"],
            query=objects["query"],
            headers=objects["headers"],
            body=objects["body"],
            base_url=self._base_url,
            **self.options.values(),
        )
        issues.extend(validate(request, checked))
        return request, issues

    def _touch(self, name: str) -> None:
        """The user typed in a required field. Validation follows with the text's change
        (``_on_edited``); only a field typed empty changes what it says (see ``_quiet``),
        so only then is the request validated here too, whichever signal came first."""
        if name not in self._touched:
            self._touched.add(name)
            if not getattr(self, _REQUIRED[name]).text().strip():
                self.revalidate()

    def _quiet(self, issue: Issue) -> bool:
        """A required field the user has not typed in yet: Send is blocked, but an empty form
        (a first start, a new request) is not shouted at."""
        edit = _REQUIRED.get(issue.field)
        return (
            edit is not None
            and issue.field not in self._touched
            and not getattr(self, edit).text().strip()
        )

    def _show_issues(self, issues: list[Issue]) -> None:
        by_field: dict[str, list[Issue]] = {}
        for issue in issues:
            if not self._quiet(issue):
                by_field.setdefault(issue.field, []).append(issue)
        for name, sign in self.field_warnings.items():
            found = by_field.get(name)
            text = "; ".join(i.message for i in found) if found else ""
            what = f"{FIELD_LABELS[name]}: {text if found else 'no problem'}"
            sign.setText(what)  # what a screen reader says for the sign
            sign.setToolTip(what if found else "")
            if found and sign.icon().isNull():
                sign.setIcon(_warning_icon(self))
            sign.setVisible(bool(found))
        self.json_tabs.show_issues(by_field)
        self._show_reason(issues)

    def _show_reason(self, issues: list[Issue]) -> None:
        """Why Send is blocked, over the form: loud for a problem, quiet for what is missing."""
        loud = [issue for issue in issues if not self._quiet(issue)]
        if loud:
            self.reason_label.setText("Can't send yet. " + describe_issue(loud[0]))
            palette = QPalette(self.palette())
            palette.setColor(QPalette.ColorRole.WindowText, status_colour("5xx", is_dark()))
            self.reason_label.setPalette(palette)
            self.reason_label.setForegroundRole(QPalette.ColorRole.WindowText)
        elif issues:
            # Only empty required fields nobody typed in yet: say what is needed, quietly.
            self.reason_label.setText("To send: " + "; ".join(describe_issue(i) for i in issues))
            self.reason_label.setPalette(self.palette())
            self.reason_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        else:
            self.reason_label.setText("")
        self.reason_label.setVisible(bool(issues))

    def _update_send_state(self) -> None:
        """The button, and what its tooltip and accessible description say: the same truth."""
        self.send_button.setEnabled(self._in_flight or not self._issues)
        if self._in_flight:
            tip = "Abort the request in flight (Esc)"
        elif self._issues:
            tip = "Fix these first:\n" + "\n".join(describe_issue(i) for i in self._issues)
        else:
            tip = self._held or SEND_TIP
        self.send_button.setToolTip(tip)
        self.send_button.setAccessibleDescription(tip)

    def _update_url(self) -> None:
        url = self._base_url.rstrip("/") + "/actions/rpc"
        self.url_label.setText(url)
        self.url_label.setToolTip(f"POST {url}\nThe base URL comes from the selected profile.")

    def _on_edited(self, *_args: object) -> None:
        if self._loading:
            return
        self.revalidate()
        self.changed.emit()

    def _on_send_clicked(self) -> None:
        if self._in_flight:
            self.cancel_requested.emit()
        elif not self._issues:
            self.send_requested.emit()

    def _go_to_error(self, name: str) -> None:
        for issue in self._issues:
            if issue.field == name and issue.line:
                self.tabs.setCurrentIndex(OBJECT_FIELDS.index(name))
                self.json_editors[name].go_to(issue.line, issue.column or 1)
                return


def _warning_icon(widget: QWidget) -> QIcon:
    """The style's warning sign, for a field or a tab with a problem (QStyle imported here:
    only a shown problem needs it)."""
    from PySide6.QtWidgets import QStyle

    return widget.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets of ``layout`` and its nested layouts, in the order they were added."""
    widgets: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            widgets.append(widget)
        elif inner is not None:
            widgets += _layout_widgets(inner)
    return widgets
