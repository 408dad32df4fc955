"""Wrapping text by terminal cells, and making it safe to draw (pure: no Textual).

Wrapping is greedy, by terminal cells (East Asian wide characters take two), breaks only at
whitespace (never at a no-break space) and hard-breaks words longer than the measure. Control
characters are shown as their visible "control picture" (ESC as ``␛``), one character for
one, so offsets stay aligned and a document can never send escape sequences to the terminal.
:mod:`reader.ui.layout` builds the reading pane's lines with these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

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


DISPLAY_TABLE = _display_table()
_NEEDS_TRANSLATION = re.compile("[" + re.escape("".join(map(chr, DISPLAY_TABLE))) + "]")


def display_text(text: str) -> str:
    """``text`` made safe to draw: same length, control characters made visible."""
    if _NEEDS_TRANSLATION.search(text) is None:
        return text
    return text.translate(DISPLAY_TABLE)


def char_class(codes: list[int], negate: bool = False) -> str:
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
    return re.compile(char_class(single_cell_codes()) + "*")


def single_cell_codes() -> list[int]:
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
    """:func:`single_cell_codes` through Rich's public API, one character at a time."""
    return [
        code
        for code in range(0x20, 0x3000)
        if get_character_cell_size(chr(code)) == 1 and chr(code) not in "\u200d\ufe0f"
    ]


def _single_cell_codes_from_table() -> list[int]:
    """:func:`single_cell_codes` from Rich's width table (a private module of Rich)."""
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
    return re.compile(line_source(measure), re.DOTALL)


def line_source(measure: int) -> str:
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
