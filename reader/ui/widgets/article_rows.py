"""The article list's rows: what one row shows, and the lazy option that holds it.

A row is built only when it is first drawn (most of 12,000 rows never are), and the words a
filter matched in it are looked up only then: every row of a list shares one
:class:`RowFilter`, so that a new filter costs one assignment, not a pass over the rows.
The list's line map is arithmetic (:class:`RowLines`, :class:`RowMap`): every row is
:data:`ROW_HEIGHT` lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.content import Content
from textual.visual import VisualType
from textual.widgets.option_list import Option

from reader.core.clean import show_bidi
from reader.core.models import ArticleSummary

UNREAD_MARK = "●"
ROW_HEIGHT = 2  # title line, details line
RELATED_MARK = "↳ "

#: the words of an article a filter matched, by article id (asked only for rows drawn)
MatchedWords = Callable[[str], Sequence[str]]


def article_row(summary: ArticleSummary, depth: int = 0, matched: Sequence[str] = ()) -> Content:
    """The two-line prompt of one article: marker and title; source, date, count and tags,
    and the words a filter matched in it."""
    indent = "   " * depth
    marker = (f"{UNREAD_MARK} ", "bold $accent") if not summary.read else ("  ", "")
    # titles were cleaned at import; bidi overrides in them are shown, never live
    title = " ".join(show_bidi(summary.title).split()) or "(untitled)"
    first = Content.assemble(
        indent,
        marker,
        (RELATED_MARK, "dim") if depth else "",
        (title, "bold" if not summary.read else ""),
    )
    # a related row is indented: its date comes first, so that a long source is what is cut
    order = (summary.date, summary.source) if depth else (summary.source, summary.date)
    details: list[str] = [show_bidi(part) for part in order if part]
    if summary.annotation_count:
        plural = "s" if summary.annotation_count != 1 else ""
        details.append(f"{summary.annotation_count} highlight{plural}")
    second = Content.assemble(
        indent,
        "  ",
        ("   " if depth else ""),
        # first: a narrow list cuts the end of the line
        ("≈ " + ", ".join(matched) + " · ", "italic $accent") if matched else "",
        ("✎ ", "$accent") if summary.note else "",  # a note on the whole article (N)
        (" · ".join(details) or "—", "dim"),
        ("  " + " ".join(f"#{show_bidi(tag)}" for tag in summary.tags), "$secondary")
        if summary.tags
        else "",
    )
    return Content("\n").join([first, second])


class RowFilter:
    """The filter whose matched words a list's rows show, shared by all of them.

    A new filter bumps :attr:`generation`; a row drawn afterwards sees the change and looks
    its words up again (rows never drawn cost nothing).
    """

    __slots__ = ("generation", "matched")

    def __init__(self) -> None:
        self.matched: MatchedWords | None = None
        self.generation = 0

    def set(self, matched: MatchedWords | None) -> bool:
        """Rows show the words ``matched`` gives from now on; whether anything changed."""
        if matched is None and self.matched is None:
            return False
        self.matched = matched
        self.generation += 1
        return True


#: the filter of rows made outside a list (none)
_NO_FILTER = RowFilter()


class ArticleOption(Option):
    """A row whose prompt is built only when it is first drawn (most rows never are)."""

    # identity hashing in C: OptionList keeps a dict keyed by option (Option's __hash__ is
    # the same identity, in Python)
    __hash__ = object.__hash__

    def __init__(
        self, summary: ArticleSummary, depth: int, words_from: RowFilter | None = None
    ) -> None:
        # Option.__init__'s fields set directly: 12,000 rows are made before the first paint
        # (textual is pinned; tests/ui/test_list.py checks rows behave as options)
        self._prompt: VisualType = ""
        self._visual = None
        self._id = summary.id
        self.disabled = False
        self._divider = False
        self.summary = summary
        self.depth = depth
        self._filter = words_from if words_from is not None else _NO_FILTER
        #: the filter generation the words were looked up for (-1: never)
        self._seen = -1
        self._words: tuple[str, ...] = ()
        #: the words the prompt was built with (None: not built)
        self._prompt_words: tuple[str, ...] | None = None
        #: bumped when the summary changes: drawn lines kept by the list are then stale
        self.version = 0

    @property
    def _built(self) -> bool:
        return self._prompt_words is not None

    @property
    def drawn_words(self) -> tuple[str, ...] | None:
        """The words the row was last built with (None: never built)."""
        return self._prompt_words

    @property
    def words(self) -> tuple[str, ...]:
        """The words the list's filter matched in this article (looked up once a filter)."""
        row_filter = self._filter
        if self._seen != row_filter.generation:
            self._seen = row_filter.generation
            matched = row_filter.matched
            self._words = tuple(matched(self.summary.id)) if matched is not None else ()
        return self._words

    @property
    def prompt(self) -> VisualType:
        """The row's content, built on first use (and again when its words change)."""
        words = self.words
        if self._prompt_words != words:
            self._prompt = article_row(self.summary, self.depth, words)
            self._prompt_words = words
            self._visual = None
        return self._prompt

    def set_summary(self, summary: ArticleSummary) -> None:
        """New data for the row: rebuild it when next drawn."""
        self.summary = summary
        self._prompt_words = None
        self._visual = None
        self.version += 1


class RowLines(Sequence[tuple[int, int]]):
    """OptionList's line map of rows that are all ROW_HEIGHT lines: ``(row, line in row)``
    by arithmetic, so re-filtering 12,000 rows on each key builds no 24,000-entry list."""

    def __init__(self) -> None:
        self.rows = 0

    def __len__(self) -> int:
        return self.rows * ROW_HEIGHT

    def __getitem__(self, y: int) -> tuple[int, int]:  # type: ignore[override]
        if y < 0:
            y += len(self)
        if not 0 <= y < len(self):
            raise IndexError(y)
        return divmod(y, ROW_HEIGHT)

    def clear(self) -> None:
        """No rows."""
        self.rows = 0


class RowMap(dict[int, int]):
    """OptionList's row -> first line (or height) map, by arithmetic (see :class:`RowLines`)."""

    def __init__(self, lines: RowLines, scale: int, offset: int = 0) -> None:
        super().__init__()
        self.lines = lines
        self.scale = scale
        self.offset = offset

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < self.lines.rows:
            raise KeyError(index)
        return index * self.scale + self.offset

    def __contains__(self, index: object) -> bool:
        return isinstance(index, int) and 0 <= index < self.lines.rows

    def get(self, index: int, default: int | None = None) -> int | None:  # type: ignore[override]
        try:
            return self[index]
        except KeyError:
            return default
