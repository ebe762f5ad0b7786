"""Walk Qt's accessibility tree the way a screen reader's bridge reads it, and find what it
cannot name.

Qt's AT-SPI bridge (what Orca reads on Linux) is a thin adaptor over these same
``QAccessibleInterface`` objects, so a name missing here is missing for Orca too;
``test_atspi.py`` checks the real bridge end to end. Rules, as Orca applies them:

- an interactive object (button, check box, text field, combo box, tab, table, tree, list,
  menu item, link, spin box) needs a name that says what it is: some letters, not "⋯" or "↑";
- a combo box is named by its current value on Linux (the bridge reports the value as its
  name), so it also needs a label (a buddy ``QLabel`` or a titled group box): without one a
  reader says "All statuses", not what the box filters;
- hidden objects count (a response view before the first Send, a banner's button): they are
  in the tree and become visible without the tree being read again;
- items inside views (rows, cells) and a combo box's own drop-down list are named by their
  text or their owner, and are not checked; the text field of an editable combo box is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QWidget

Role = QAccessible.Role

INTERACTIVE = {
    Role.PushButton,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.SpinBox,
    Role.Slider,
    Role.PageTab,
    Role.Table,
    Role.Tree,
    Role.List,
    Role.MenuItem,
    Role.ButtonMenu,
    Role.ButtonDropDown,
    Role.Link,
}
# Their children are rows, cells and items, named by their own text.
CONTAINERS = {Role.Table, Role.Tree, Role.List}
NEEDS_LABEL = {Role.ComboBox}


@dataclass(frozen=True)
class Node:
    """One object of the tree: what a screen reader is told about it."""

    role: QAccessible.Role
    name: str
    description: str
    labels: tuple[str, ...]
    invisible: bool
    path: str

    def describe(self) -> str:
        hidden = " (hidden)" if self.invisible else ""
        return f"{self.path}: {self.role.name} {self.name!r}{hidden}"


def nodes(widget: QWidget) -> Iterator[Node]:
    """Every object in ``widget``'s accessibility tree, items inside views excepted."""
    root = QAccessible.queryAccessibleInterface(widget)
    assert root is not None, f"{widget!r} has no accessibility interface"
    yield from _walk(root, type(widget).__name__)


def _walk(iface: QAccessibleInterface, path: str) -> Iterator[Node]:
    labels = tuple(
        label.text(QAccessible.Text.Name)
        for label, _relation in iface.relations(QAccessible.RelationFlag.Label)
        if label is not None
    )
    role = iface.role()
    yield Node(
        role=role,
        name=iface.text(QAccessible.Text.Name),
        description=iface.text(QAccessible.Text.Description),
        labels=labels,
        invisible=bool(iface.state().invisible),
        path=path,
    )
    if role in CONTAINERS:
        return
    for index in range(iface.childCount()):
        child = iface.child(index)
        if child is not None and not (role == Role.ComboBox and child.role() == Role.List):
            owner = child.object()
            tag = type(owner).__name__ if owner is not None else "item"
            yield from _walk(child, f"{path}/{tag}")


def says_what_it_is(text: str) -> bool:
    return any(character.isalpha() for character in text)


def unnamed(widget: QWidget) -> list[str]:
    """The interactive objects a screen reader could not name, described for a message."""
    problems = []
    for node in nodes(widget):
        if node.role not in INTERACTIVE:
            continue
        if node.role in NEEDS_LABEL:
            if not any(says_what_it_is(label) for label in node.labels):
                problems.append(node.describe() + " has no label")
        elif not says_what_it_is(node.name):
            problems.append(node.describe())
    return problems


def interactive_count(widget: QWidget) -> int:
    return sum(1 for node in nodes(widget) if node.role in INTERACTIVE)
