"""Lay an article out as display lines for the reading pane (pure: no Textual).

The reading pane draws one :class:`Line` per terminal row. Body lines remember which
``[start, end)`` range of :attr:`Article.text` they show, so the pane can map character
offsets to ``(line, column)`` and back, and paint highlights, the cursor, a selection and
search hits line by line.

Wrapping is greedy, by terminal cells (East Asian wide characters take two), breaks only at
whitespace (never at a no-break space) and hard-breaks words longer than the measure. The
whitespace at a break is not shown and belongs to no line; every other character of the text
is on exactly one body line, in order. Control characters are shown as their visible
"control picture" (ESC as ``␛``), one character for one, so offsets stay aligned and a
document can never send escape sequences to the terminal.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress, count, islice, repeat
from operator import eq, is_not, itemgetter
from typing import Literal, NamedTuple

from rich.cells import cell_len, get_character_cell_size

from reader.core.models import PARAGRAPH_SEPARATOR, Article, Embed

LineRole = Literal["title", "meta", "caption", "summary", "body", "embed", "blank"]

#: the widest text column: a comfortable measure (the pane centres it in wider windows)
MAX_MEASURE = 80
#: the narrowest measure we lay out at, so a tiny window still makes progress
MIN_MEASURE = 4

CAPTION_PREFIX = "▏ "
EMBED_PREFIX = "│ "
META_SEPARATOR = " · "

#: whitespace that does not allow a line break
_NO_BREAK = "\u00a0\u2007\u202f\ufeff"
_BREAKABLE_SPACE = "".join(
    ch for ch in map(chr, range(0x3001)) if ch.isspace() and ch not in _NO_BREAK
)
#: a run of characters between break opportunities
WORD_RE = re.compile(f"[^{re.escape(_BREAKABLE_SPACE)}]+")


def _display_table() -> dict[int, str]:
    """Control characters -> visible pictures; breakable whitespace -> a plain space."""
    table: dict[int, str] = {}
    for code in range(0x20):
        table[code] = chr(0x2400 + code)  # ␀ .. ␟
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):  # C1 controls: no picture of their own
        table[code] = "\ufffd"
    for ch in _BREAKABLE_SPACE:
        if ch not in " \u3000":  # the ideographic space is printable (two cells wide)
            table[ord(ch)] = " "
    # zero-width format characters that could reorder or hide text: show a placeholder
    for code in (
        0x200E,
        0x200F,
        0x202A,
        0x202B,
        0x202C,
        0x202D,
        0x202E,
        0x2066,
        0x2067,
        0x2068,
        0x2069,
    ):
        table[code] = "\ufffd"
    return table


_DISPLAY = _display_table()
_NEEDS_TRANSLATION = re.compile("[" + re.escape("".join(map(chr, _DISPLAY))) + "]")


def display_text(text: str) -> str:
    """``text`` made safe to draw: same length, control characters made visible."""
    if _NEEDS_TRANSLATION.search(text) is None:
        return text
    return text.translate(_DISPLAY)


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


def _char_class(codes: list[int], negate: bool = False) -> str:
    """A regex character class of ``codes`` (sorted), or with ``negate`` of every other
    character, written as ranges."""
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    body = "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )
    return f"[{'^' if negate else ''}{body}]"


@lru_cache(maxsize=1)
def _single_cell_pattern() -> re.Pattern[str]:
    """A regex matching text made only of one-cell characters (below U+3000, where most
    Western text lives), built once from Rich's width table."""
    return re.compile(_char_class(_single_cell_codes()) + "*")


def _single_cell_codes() -> list[int]:
    """The code points below U+3000 Rich draws one cell wide (ZWJ left out), in order.

    Read from Rich's width table when it is there (asking Rich one character at a time is
    ~90x slower, paid by the first article opened), else one character at a time; the two
    agree (tests/ui/test_layout_cells.py).
    """
    try:
        return _single_cell_codes_from_table()
    except Exception:  # pragma: no cover - a Rich without the (private) table
        return _single_cell_codes_one_by_one()


def _single_cell_codes_one_by_one() -> list[int]:
    """:func:`_single_cell_codes` through Rich's public API, one character at a time."""
    return [
        code
        for code in range(0x20, 0x3000)
        if get_character_cell_size(chr(code)) == 1 and chr(code) not in "\u200d\ufe0f"
    ]


def _single_cell_codes_from_table() -> list[int]:
    """:func:`_single_cell_codes` from Rich's width table (a private module of Rich)."""
    from rich._unicode_data import load

    table = load("auto").widths
    wide = bytearray(0x3000)  # 1 where the character is not one cell wide
    wide[0x7F:0xA0] = b"\x01" * (0xA0 - 0x7F)  # C1 controls: zero cells
    wide[0x200D] = 1
    for start, end, width in table:
        if width != 1 and start < 0x3000:
            stop = min(end, 0x2FFF) + 1
            wide[start:stop] = b"\x01" * (stop - start)
    return [code for code in range(0x20, 0x3000) if not wide[code]]


def _single_cell(text: str) -> bool:
    """True when every character of ``text`` is one cell wide (so cells == characters)."""
    return text.isascii() or _single_cell_pattern().fullmatch(text) is not None


@lru_cache(maxsize=64)
def _line_pattern(measure: int) -> re.Pattern[str]:
    """A regex matching one wrapped line of single-cell text at ``measure`` columns.

    The first alternative is the longest run that starts and ends on a word character and is
    followed by a break (or the end); the second hard-breaks a word longer than the line.
    """
    return re.compile(_line_source(measure), re.DOTALL)


def _line_source(measure: int) -> str:
    """The source of :func:`_line_pattern`."""
    word_char = f"[^{re.escape(_BREAKABLE_SPACE)}]"
    inner = f"(?:.{{0,{measure - 2}}}{word_char})?" if measure >= 2 else ""
    # "not followed by a word character" is "followed by a space or the end", and cheaper
    return f"{word_char}{inner}(?!{word_char})|{word_char}{{{measure}}}"


def wrap_ranges(text: str, measure: int, offset: int = 0) -> Iterator[tuple[int, int]]:
    """Greedy word wrap of one paragraph: yields ``(start, end)`` per line (plus ``offset``).

    Lines never end or begin with breakable whitespace; runs of whitespace inside a line are
    kept as they are. A word wider than ``measure`` is broken by cells.
    """
    measure = max(measure, 1)
    if _single_cell(text):  # the common case: one regex match per line, in C
        for match in _line_pattern(measure).finditer(text):
            yield (offset + match.start(), offset + match.end())
        return
    yield from wrap_by_cells(text, measure, offset)


def wrap_by_cells(text: str, measure: int, offset: int = 0) -> Iterator[tuple[int, int]]:
    """The general greedy wrap, measuring words in cells (wide and zero-width characters)."""
    measure = max(measure, 1)
    line_start = -1  # start of the current line, -1 when it is empty
    line_end = 0
    width = 0
    for match in WORD_RE.finditer(text):
        start, end = match.span()
        word_width = cell_len(match.group())
        if line_start >= 0:
            gap = cell_len(text[line_end:start])
            if width + gap + word_width <= measure:
                width += gap + word_width
                line_end = end
                continue
            yield (offset + line_start, offset + line_end)
            line_start = -1
        if word_width <= measure:
            line_start, line_end, width = start, end, word_width
            continue
        # a word wider than the line: hard-break it, keep the last piece as the open line
        piece_start = start
        piece_width = 0
        for index in range(start, end):
            ch_width = cell_len(text[index])
            if piece_width + ch_width > measure and index > piece_start:
                yield (offset + piece_start, offset + index)
                piece_start, piece_width = index, 0
            piece_width += ch_width
        line_start, line_end, width = piece_start, end, piece_width
    if line_start >= 0:
        yield (offset + line_start, offset + line_end)


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
    return frozenset(_single_cell_codes()).difference(_DISPLAY)


@lru_cache(maxsize=1)
def _quick_not_plain() -> re.Pattern[str]:
    """A regex matching a character that is not plain or lies outside :data:`_COMMON_BLOCKS`
    (a class of a few ranges: ~4x faster to test than the exact one, quick to build)."""
    plain = _plain_codes()
    common = [
        code for low, high in _COMMON_BLOCKS for code in range(low, high + 1) if code in plain
    ]
    return re.compile(_char_class(common, negate=True))


@lru_cache(maxsize=1)
def _exact_not_plain() -> re.Pattern[str]:
    """A regex matching a character that :func:`display_text` changes or that is not one
    cell wide (built only when a paragraph has a character outside the common blocks)."""
    return re.compile(_char_class(sorted(_plain_codes()), negate=True))


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
    return re.compile(f"({_line_source(measure)}|{separator})")


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
