"""Find the one field in 5 MB: RFC 9535 JSONPath (and jq) over a response body.

JSONPath is the explorer's own language: the response filter box uses it, and collection
captures (values taken from one response into the next request) are written in it and
committed to git, so it must mean the same thing everywhere and for years. That is RFC 9535,
evaluated by ``python-jsonpath`` in its strict mode (no extensions: no ``|`` unions, ``~`` keys
or ``#`` indexes, a leading ``$`` required), so an expression saved today works in any RFC 9535
tool. Surrounding whitespace is trimmed first (a person types it; the RFC forbids it).

jq is offered beside it for people who think in jq, through the ``jq`` binding (wheels for
Linux, macOS and Windows, one self-contained extension module that PyInstaller bundles). It is
only for looking: captures stay JSONPath.

Everything here is plain functions of plain data, so the window can run a filter over a big
body in a helper process (pure-Python evaluation holds the GIL) and get back picklable results
or errors. Errors are typed and carry the 0-based ``position`` in the expression where the
problem is, so the filter box can underline it.

Small, stable API (captures depend on it): ``JsonPath(expression)`` compiles or raises
``FilterSyntaxError``; ``.find(data)`` lists ``Match(path, value)`` with RFC 9535 normalized
paths (``$['data'][0]['id']``); ``.first(data)`` is the first value or ``None``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from explorer.core.errors import ExplorerError

JSONPATH = "jsonpath"
JQ = "jq"
LANGUAGES = (JSONPATH, JQ)
# Values a filter keeps: ``$..*`` over 10 MB selects millions of nodes, and a jq generator can
# be endless (``repeat(1)``); past this the result says it is cut short.
MAX_MATCHES = 200_000


class FilterError(ExplorerError):
    """A filter could not run; ``str()`` says why and what to do.

    Attributes:
        expression: the expression as the user typed it.
        position: 0-based offset in ``expression`` of the problem, when known (for an
            underline under the filter box).
    """

    def __init__(self, message: str, expression: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expression = expression
        self.position = position

    def __reduce__(self) -> tuple[Any, ...]:
        # Results come back from a helper process: keep every attribute across pickling.
        return (type(self), (self.message, self.expression, self.position))


class FilterSyntaxError(FilterError):
    """The expression is not valid in its language; nothing was evaluated."""


class FilterEvaluationError(FilterError):
    """The expression is valid but failed on this document (a jq type error, a recursion
    limit)."""


class FilterInputError(FilterError):
    """The body is not JSON, so there is nothing to filter."""


class FilterUnavailable(FilterError):
    """The language's engine is not installed in this build."""


@dataclass(frozen=True)
class Match:
    """One result: where it is (an RFC 9535 normalized path; empty for jq) and its value."""

    path: str
    value: Any


@dataclass(frozen=True)
class FilterResult:
    """What a filter found, in document order."""

    language: str
    expression: str
    matches: list[Match] = field(default_factory=list)
    truncated: bool = False  # there were more than ``MAX_MATCHES``

    @property
    def values(self) -> list[Any]:
        return [m.value for m in self.matches]

    def text(self, *, indent: int | None = 2, paths: bool = False) -> str:
        """The values as a JSON array (what Copy and Save write); with ``paths``, an object
        from each match's normalized path to its value (JSONPath only: jq has no paths)."""
        if paths and self.language == JSONPATH:
            by_path = {m.path: m.value for m in self.matches}
            return json.dumps(by_path, indent=indent, ensure_ascii=False)
        return json.dumps(self.values, indent=indent, ensure_ascii=False)

    def summary(self) -> str:
        count = len(self.matches)
        if self.truncated:
            return f"the first {count:,} matches (there are more: narrow the expression)"
        return "no match" if count == 0 else "1 match" if count == 1 else f"{count:,} matches"


class JsonPath:
    """A compiled RFC 9535 JSONPath query.

    Raises:
        FilterSyntaxError: the expression is not RFC 9535 JSONPath (``position`` says where).
    """

    def __init__(self, expression: str) -> None:
        from jsonpath import JSONPathEnvironment
        from jsonpath.exceptions import JSONPathError

        self.expression = expression
        text = expression.strip()
        offset = len(expression) - len(expression.lstrip())
        if not text:
            raise FilterSyntaxError("Type a JSONPath query starting with $ (e.g. $.data[*].id)")
        if not text.startswith("$"):
            raise FilterSyntaxError(
                "A JSONPath query starts with $ (the whole document), e.g. $.data[0].id",
                expression,
                offset,
            )
        try:
            self._path = JSONPathEnvironment(strict=True).compile(text)
        except (JSONPathError, RecursionError) as exc:
            raise _jsonpath_error(exc, expression, offset, FilterSyntaxError) from None

    def find(self, data: Any) -> list[Match]:
        """Every node the query selects, in document order.

        Raises:
            FilterEvaluationError: evaluation failed (e.g. nesting deeper than the engine
                allows).
        """
        from jsonpath.exceptions import JSONPathError

        try:
            return [Match(m.path, m.obj) for m in self._path.finditer(data)]
        except (JSONPathError, RecursionError) as exc:
            raise _jsonpath_error(exc, self.expression, None, FilterEvaluationError) from None

    def iterate(self, data: Any) -> Iterator[Match]:
        """``find`` one match at a time (a caller may stop early).

        Raises:
            FilterEvaluationError: as ``find``, while iterating.
        """
        from jsonpath.exceptions import JSONPathError

        try:
            for m in self._path.finditer(data):
                yield Match(m.path, m.obj)
        except (JSONPathError, RecursionError) as exc:
            raise _jsonpath_error(exc, self.expression, None, FilterEvaluationError) from None

    def locations(self, data: Any) -> list[tuple[str | int, ...]]:
        """Where each selected node is: its keys and indexes from the root.

        Raises:
            FilterEvaluationError: as ``find``.
        """
        from jsonpath.exceptions import JSONPathError

        try:
            return [tuple(m.parts) for m in self._path.finditer(data)]
        except (JSONPathError, RecursionError) as exc:
            raise _jsonpath_error(exc, self.expression, None, FilterEvaluationError) from None

    def first(self, data: Any) -> Any:
        """The first selected value, or ``None`` when nothing matches."""
        found = self.find(data)
        return found[0].value if found else None


def normalized_path(parts: Sequence[str | int]) -> str:
    """The RFC 9535 normalized path of a node from its keys and indexes, in the very form
    ``Match.path`` has: ``("data", 2, "content")`` -> ``$['data'][2]['content']``."""
    from jsonpath.serialize import canonical_string

    return "$" + "".join(f"[{canonical_string(p) if isinstance(p, str) else p}]" for p in parts)


def _jsonpath_error(
    exc: Exception, expression: str, offset: int | None, kind: type[FilterError]
) -> FilterError:
    token = getattr(exc, "token", None)
    message = str(getattr(exc, "message", None) or exc)
    position = None
    if token is not None and offset is not None:
        index = int(token.index)
        # The end-of-query token has no place of its own: point just after the text.
        position = offset + (index if index >= 0 else len(expression.strip()))
    if isinstance(exc, RecursionError):
        message = "the query or the document nests too deeply to evaluate"
    return kind(f"JSONPath: {message}", expression, position)


def jq_available() -> bool:
    """Whether this build can run jq (the ``jq`` binding is importable)."""
    try:
        import jq  # noqa: F401
    except ImportError:
        return False
    return True


# "... at <top-level>, line 1, column 6:" in jq's compile errors.
_JQ_WHERE = re.compile(r"\s+at <top-level>, line (\d+), column (\d+):.*", re.DOTALL)


def _jq_program(expression: str) -> Any:
    try:
        import jq
    except ImportError:
        raise FilterUnavailable(
            "jq is not available in this build; use JSONPath (starting with $)", expression
        ) from None
    if not expression.strip():
        raise FilterSyntaxError("Type a jq filter (e.g. .data[] | .id)", expression)
    try:
        return jq.compile(expression)
    except ValueError as exc:
        text = str(exc)
        where = _JQ_WHERE.search(text)
        position = None
        if where:
            line, column = int(where.group(1)), int(where.group(2))
            lines = expression.split("\n")
            position = sum(len(s) + 1 for s in lines[: line - 1]) + max(column - 1, 0)
            text = text[: where.start()]
        text = text.removeprefix("jq: error: ").split("\njq:")[0].strip()
        raise FilterSyntaxError(f"jq: {text}", expression, position) from None


def check(language: str, expression: str) -> FilterError | None:
    """The syntax error of ``expression`` (cheap: compiles only), or ``None`` when valid."""
    try:
        if language == JQ:
            _jq_program(expression)
        else:
            JsonPath(expression)
    except FilterError as exc:
        return exc
    return None


def run_filter(language: str, expression: str, document: bytes | str | Any) -> FilterResult:
    """Evaluate ``expression`` over a response body (bytes or text) or parsed JSON data.

    Raises:
        FilterSyntaxError, FilterEvaluationError, FilterInputError, FilterUnavailable.
    """
    if language not in LANGUAGES:
        raise FilterUnavailable(f"unknown filter language {language!r}", expression)
    if language == JQ:
        program = _jq_program(expression)
        text = _as_text(document, expression)
        try:
            values, more = _bounded(iter(program.input_text(text)))
        except ValueError as exc:
            _as_data(text, expression)  # not JSON at all: say that, not jq's parse error
            raise FilterEvaluationError(f"jq: {exc}", expression) from None
        return FilterResult(JQ, expression, [Match("", v) for v in values], more)
    path = JsonPath(expression)
    data = _as_data(document, expression)
    found, more = _bounded(path.iterate(data))
    return FilterResult(JSONPATH, expression, found, more)


def _bounded(items: Iterable[Any]) -> tuple[list[Any], bool]:
    """The first ``MAX_MATCHES`` items, and whether there were more."""
    kept = list(itertools.islice(items, MAX_MATCHES + 1))
    if len(kept) > MAX_MATCHES:
        return kept[:MAX_MATCHES], True
    return kept, False


def _as_text(document: bytes | str | Any, expression: str) -> str:
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError:
            raise FilterInputError("The body is not UTF-8 text, so not JSON", expression) from None
    if isinstance(document, str) and not document.strip():
        raise FilterInputError("The body is empty: there is nothing to filter", expression)
    return document if isinstance(document, str) else json.dumps(document)


def _as_data(document: bytes | str | Any, expression: str) -> Any:
    if not isinstance(document, bytes | str):
        return document
    try:
        return json.loads(document)
    except (ValueError, RecursionError) as exc:
        raise FilterInputError(
            f"The body is not JSON ({exc}), so it cannot be filtered", expression
        ) from None


@dataclass(frozen=True)
class FilterOutput:
    """A filter's result as the window shows it, made where the filter ran (the helper
    process): ``text`` is what Copy and Save take (indented JSON), ``index`` its display rows
    (``core.render.LineIndex``) so the window lays out nothing itself."""

    language: str
    expression: str
    summary: str
    count: int
    truncated: bool
    text: str
    index: Any
    # The matches' normalized paths in order (JSONPath; empty for jq), and whether ``text``
    # is the object keyed by them: "Set variable…" on the result names a response path.
    match_paths: tuple[str, ...] = ()
    by_path: bool = False


def filter_for_display(
    language: str, expression: str, document: bytes | str | Any, *, paths: bool = False
) -> FilterOutput:
    """``run_filter`` and the text of its result, ready for a ``LinesView``.

    Raises:
        FilterError: as ``run_filter``.
    """
    from explorer.core.render import index_lines

    result = run_filter(language, expression, document)
    text = result.text(paths=paths)
    return FilterOutput(
        language,
        expression,
        result.summary(),
        len(result.matches),
        result.truncated,
        text,
        index_lines(text),
        tuple(m.path for m in result.matches) if result.language == JSONPATH else (),
        paths and result.language == JSONPATH,
    )
