"""Lay an article out as display lines for the reading pane (pure: no Textual).

The reading pane draws one :class:`Line` per terminal row. Body lines remember which
``[start, end)`` range of :attr:`Article.text` they show, so the pane can map character
offsets to ``(line, column)`` and back, and paint highlights, the cursor, a selection and
search hits line by line.

Lines are wrapped by :mod:`reader.ui.wrapping` (by terminal cells, at whitespace, control
characters made visible one for one): every character of the text other than the whitespace
at a break is on exactly one body line, in order.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, count, islice, repeat
from operator import eq, is_not, itemgetter
from typing import Literal, NamedTuple

from rich.cells import cell_len

from reader.core.models import PARAGRAPH_SEPARATOR, Article, Embed
from reader.ui.wrapping import (
    DISPLAY_TABLE,
    WORD_RE,
    char_class,
    display_text,
    line_source,
    single_cell_codes,
    wrap_by_cells,
    wrap_ranges,
)

__all__ = [
    "CAPTION_PREFIX",
    "EMBED_PREFIX",
    "MAX_MEASURE",
    "MIN_MEASURE",
    "WORD_RE",
    "Layout",
    "Line",
    "display_text",
    "layout_article",
    "wrap_by_cells",
    "wrap_ranges",
]

LineRole = Literal["title", "meta", "caption", "summary", "body", "embed", "blank"]

#: the widest text column: a comfortable measure (the pane centres it in wider windows)
MAX_MEASURE = 80
#: the narrowest measure we lay out at, so a tiny window still makes progress
MIN_MEASURE = 4

CAPTION_PREFIX = "▏ "
EMBED_PREFIX = "│ "
META_SEPARATOR = " · "


class Line(NamedTuple):
    """One display line.

    ``text`` is what is drawn after ``prefix`` (already made safe by :func:`display_text`).
    For body lines ``start``/``end`` is the range of :attr:`Article.text` shown, with
    ``len(text) == end - start``; other lines have ``start == end == -1``.

    An immutable named tuple rather than a frozen dataclass: a 1 MB article has some 23,000
    lines, and a frozen dataclass builds each one through ``object.__setattr__`` (about 2.5x
    slower), which the reader waits for when the article opens.
    """

    role: LineRole
    text: str = ""
    prefix: str = ""
    start: int = -1
    end: int = -1
    paragraph: int = -1

    @property
    def is_body(self) -> bool:
        """True for a line showing part of the anchorable text."""
        return self.role == "body"

    def column_of(self, offset: int) -> int:
        """The cell column (after the prefix) where ``offset`` of the article text is drawn."""
        index = min(max(offset - self.start, 0), len(self.text))
        return cell_len(self.text[:index])

    def offset_at(self, column: int) -> int:
        """The article offset drawn at cell ``column`` (after the prefix); clamps to the line."""
        if column <= 0 or not self.text:
            return self.start
        cells = 0
        for index, ch in enumerate(self.text):
            cells += cell_len(ch)
            if cells > column:
                return self.start + index
        return self.end


@dataclass(slots=True)
class Layout:
    """An article's display lines at one measure, with offset <-> line lookups."""

    measure: int
    lines: list[Line] = field(default_factory=list)
    #: indices into ``lines`` of the body lines, and their start offsets (sorted)
    body_index: list[int] = field(default_factory=list)
    body_starts: list[int] = field(default_factory=list)
    #: False for the first screen of a long article (``layout_article(..., until=...)``)
    complete: bool = True
    #: how much of the article text the lines cover (all of it when complete)
    laid_out: int = 0

    def __len__(self) -> int:
        return len(self.lines)

    def line_of(self, offset: int) -> int:
        """The index of the body line showing ``offset``.

        An offset in the whitespace between two lines (or between paragraphs) belongs to the
        line before it; offsets before the first body line give the first one. Without any
        body line the answer is 0.
        """
        if not self.body_index:
            return 0
        position = bisect_right(self.body_starts, offset) - 1
        return self.body_index[max(position, 0)]

    def position_of(self, offset: int) -> tuple[int, int]:
        """``(line index, cell column)`` of an offset of the article text."""
        index = self.line_of(offset)
        if not self.body_index:
            return (0, 0)
        return (index, self.lines[index].column_of(offset))

    def body_lines_between(self, start: int, end: int) -> range:
        """Indices into ``lines`` of the body lines that may show part of ``[start, end)``."""
        if not self.body_index:
            return range(0)
        first = self.line_of(start)
        last = self.line_of(max(start, end - 1))
        return range(first, last + 1)


def _wrap_plain(
    text: str, measure: int, role: LineRole, prefix: str = "", paragraph: int = -1
) -> list[Line]:
    """Wrap a piece of non-anchorable text (title, caption, ...) into lines of one role."""
    shown = display_text(text)
    width = max(measure - cell_len(prefix), 1)
    return [
        Line(role, shown[start:end], prefix, paragraph=paragraph)
        for start, end in wrap_ranges(shown, width)
    ]


def _meta_text(article: Article) -> str:
    parts = [part.strip() for part in (article.source, article.date, article.author) if part]
    return META_SEPARATOR.join(part for part in parts if part)


def _embed_lines(embed: Embed, measure: int) -> list[Line]:
    lines = _wrap_plain(embed.text, measure, "embed", EMBED_PREFIX)
    who = embed.author or ""
    if embed.handle:
        who = f"{who} ({embed.handle})" if who else embed.handle
    attribution = ", ".join(part for part in (who, embed.date or "") if part)
    if attribution:
        lines += _wrap_plain(f"— {attribution}", measure, "embed", EMBED_PREFIX)
    if embed.url:
        lines += _wrap_plain(embed.url, measure, "embed", EMBED_PREFIX)
    return lines


#: builds a Line from a ready tuple (what NamedTuple's constructor does, minus its overhead)
_new_line = tuple.__new__
_BLANK = Line("blank")
_start_of = itemgetter(3)  # Line.start


#: blocks where most news text lives: Latin, Greek, Cyrillic, punctuation, currency signs
_COMMON_BLOCKS = ((0x20, 0x2FF), (0x370, 0x52F), (0x2010, 0x206F), (0x20A0, 0x20CF))


@lru_cache(maxsize=1)
def _plain_codes() -> frozenset[int]:
    """The code points :func:`display_text` leaves alone and Rich draws one cell wide."""
    return frozenset(single_cell_codes()).difference(DISPLAY_TABLE)


@lru_cache(maxsize=1)
def _quick_not_plain() -> re.Pattern[str]:
    """A regex matching a character that is not plain or lies outside :data:`_COMMON_BLOCKS`
    (a class of a few ranges: ~4x faster to test than the exact one, quick to build)."""
    plain = _plain_codes()
    common = [
        code for low, high in _COMMON_BLOCKS for code in range(low, high + 1) if code in plain
    ]
    return re.compile(char_class(common, negate=True))


@lru_cache(maxsize=1)
def _exact_not_plain() -> re.Pattern[str]:
    """A regex matching a character that :func:`display_text` changes or that is not one
    cell wide (built only when a paragraph has a character outside the common blocks)."""
    return re.compile(char_class(sorted(_plain_codes()), negate=True))


def _plain_paragraphs(paragraphs: list[str]) -> list[bool]:
    """Which paragraphs are plain: not blank, shown as they are, one cell per character.

    Such a paragraph has no control character, so no newline and no breakable whitespace
    but the plain space. One quick regex search runs over all the paragraphs at once (a
    search per paragraph costs more in call overhead than in matching), resumed after each
    paragraph it stops in, which then gets the exact test.
    """
    ends = list(accumulate(map(len, paragraphs)))
    joined = "".join(paragraphs)
    # a paragraph of spaces only has no line of its own to lay out: the general path gives
    # it its empty line
    plain = list(map(bool, map(str.strip, paragraphs)))
    quick = _quick_not_plain()
    found = quick.search(joined)
    while found is not None:
        number = bisect_right(ends, found.start())
        if _exact_not_plain().search(paragraphs[number]) is not None:
            plain[number] = False
        found = quick.search(joined, ends[number])
    return plain


@lru_cache(maxsize=64)
def _run_pattern(measure: int) -> re.Pattern[str]:
    """:func:`_line_pattern` for a run of plain paragraphs of the article text,
    matching a paragraph separator too.

    ``.`` stops at a newline (the paragraphs have none), so no line runs across a separator,
    and the separator is whitespace, so a line before it ends as it would at the end of its
    paragraph.
    """
    separator = re.escape(PARAGRAPH_SEPARATOR)
    return re.compile(f"({line_source(measure)}|{separator})")


def _run_lines(
    lines: list[Line], text: str, start: int, end: int, number: int, measure: int
) -> None:
    """Append the lines of paragraphs ``number``, ... filling ``text[start:end]``, all plain
    and not blank, with a blank line between two paragraphs.

    The hot path of a long article, done without a Python-level loop per line: one regex
    ``split`` gives ``[spaces, line or separator, spaces, ...]`` covering the whole run, so
    the running sum of their lengths gives every offset.
    """
    if number:
        lines.append(_BLANK)
    pieces = _run_pattern(measure).split(text[start:end])
    tokens = pieces[1::2]
    offsets = list(accumulate(map(len, pieces), initial=start))
    is_separator = list(map(eq, tokens, repeat(PARAGRAPH_SEPARATOR)))
    numbers = accumulate(is_separator, initial=number)  # separators before each token
    first = len(lines)
    lines += map(
        _new_line,
        repeat(Line),
        zip(repeat("body"), tokens, repeat(""), offsets[1::2], offsets[2::2], numbers),
    )
    for index in compress(count(first), is_separator):
        lines[index] = _BLANK


def _paragraph_lines(
    lines: list[Line], paragraph: str, measure: int, base: int, number: int
) -> None:
    """Append the lines of one paragraph starting at ``base`` of the article text."""
    shown = display_text(paragraph)
    first = len(lines)
    lines += [
        _new_line(Line, ("body", shown[start - base : end - base], "", start, end, number))
        for start, end in wrap_ranges(shown, measure, base)
    ]
    if len(lines) == first:  # an empty paragraph still gets a line to put offsets on
        lines.append(_new_line(Line, ("body", "", "", base, base, number)))


def layout_article(article: Article, width: int, *, until: int | None = None) -> Layout:
    """Lay ``article`` out for a pane ``width`` cells wide (the text uses at most 80).

    With ``until``, only the paragraphs starting at or before that offset of the text are
    laid out (a first screen of a long article, drawn before the rest is ready): the lines
    are the first lines of the whole layout, and :attr:`Layout.complete` is False unless
    that was every paragraph.
    """
    measure = max(min(width, MAX_MEASURE), MIN_MEASURE)
    paragraphs = article.paragraphs
    if until is not None:
        stop, base = 0, 0
        while stop < len(paragraphs) and (base <= until or not stop):
            base += len(paragraphs[stop]) + len(PARAGRAPH_SEPARATOR)
            stop += 1
        if stop < len(paragraphs):
            paragraphs = paragraphs[:stop]
    lines: list[Line] = []
    blank = _BLANK

    lines += _wrap_plain(article.title or "(untitled)", measure, "title")
    meta = _meta_text(article)
    if meta:
        lines += _wrap_plain(meta, measure, "meta")
    if article.url:  # where a saved page came from (clippings have none)
        lines += _wrap_plain(article.url, measure, "meta")
    lines.append(blank)
    if article.caption and article.caption.strip():
        lines += _wrap_plain(article.caption, measure, "caption", CAPTION_PREFIX)
        lines.append(blank)
    if article.summary and article.summary.strip():
        lines += _wrap_plain(article.summary, measure, "summary")
        lines.append(blank)

    text = article.text
    first_body = len(lines)
    run_start = run_end = -1  # the run of plain paragraphs not laid out yet
    run_number = 0
    base = 0  # the paragraph's start in ``text``, as Article.paragraph_spans() counts it
    plain = _plain_paragraphs(paragraphs)
    for number, paragraph in enumerate(paragraphs):
        if plain[number]:
            if run_start < 0:
                run_start, run_number = base, number
            run_end = base + len(paragraph)
        else:
            if run_start >= 0:
                _run_lines(lines, text, run_start, run_end, run_number, measure)
                run_start = -1
            if number:
                lines.append(_BLANK)
            _paragraph_lines(lines, paragraph, measure, base, number)
        base += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    if run_start >= 0:
        _run_lines(lines, text, run_start, run_end, run_number, measure)
    # every line of the body but the (shared) blank ones shows article text
    body_index = list(
        compress(
            range(first_body, len(lines)),
            map(is_not, islice(lines, first_body, None), repeat(_BLANK)),
        )
    )

    complete = paragraphs is article.paragraphs
    for embed in article.embeds if complete else ():
        lines.append(blank)
        lines += _embed_lines(embed, measure)
    body_starts = list(map(_start_of, map(lines.__getitem__, body_index)))
    laid_out = min(base, len(text))
    return Layout(measure, lines, body_index, body_starts, complete=complete, laid_out=laid_out)
