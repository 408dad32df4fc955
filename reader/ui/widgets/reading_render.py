"""Turning layout lines into Strips for the reading pane.

Document text is data: every Segment is built from the text and an explicit Style, never from
markup, so ``[bold]`` or ``[@click=app.quit]`` in an article is drawn as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from reader.ui.layout import Line

#: columns left of the text: the cursor marker lives there
GUTTER = 2
CURSOR_MARK = "▌"

#: dark-theme backgrounds for the highlight colours, under near-white text (>= 6:1)
HIGHLIGHT_BACKGROUNDS: dict[str, str] = {
    "yellow": "#6b5a00",
    "green": "#1e5631",
    "blue": "#1f4a7a",
    "pink": "#7a2d5a",
    "purple": "#52357f",
}
#: light-theme backgrounds, under near-black text (>= 11:1)
LIGHT_HIGHLIGHT_BACKGROUNDS: dict[str, str] = {
    "yellow": "#f3e07a",
    "green": "#bfe6b8",
    "blue": "#c4dcf5",
    "pink": "#f5c6de",
    "purple": "#ddd0f5",
}
#: highlight text: set with the background, so no theme's text colour can make it unreadable
DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#f5f5f5"
HIGHLIGHT_STYLES: dict[str, Style] = {
    name: Style(color=LIGHT_TEXT, bgcolor=colour) for name, colour in HIGHLIGHT_BACKGROUNDS.items()
}
LIGHT_HIGHLIGHT_STYLES: dict[str, Style] = {
    name: Style(color=DARK_TEXT, bgcolor=colour)
    for name, colour in LIGHT_HIGHLIGHT_BACKGROUNDS.items()
}
#: an unknown colour name still shows as highlighted
FALLBACK_HIGHLIGHT = HIGHLIGHT_STYLES["yellow"]

CURSOR_STYLE = Style(color="#eceff4", bgcolor="#3b4252", underline=True)
LIGHT_CURSOR_STYLE = Style(color=DARK_TEXT, bgcolor="#d8dee9", underline=True)


def highlight_style(color: str, *, dark: bool) -> Style:
    """The style of a highlight of ``color`` on a dark or a light theme."""
    styles = HIGHLIGHT_STYLES if dark else LIGHT_HIGHLIGHT_STYLES
    return styles.get(color, styles["yellow"])


def cursor_style(*, dark: bool) -> Style:
    """The cursor sentence's style on a dark or a light theme."""
    return CURSOR_STYLE if dark else LIGHT_CURSOR_STYLE


CURSOR_MARK_STYLE = Style(color="#e0a030", bold=True)
SELECTION_STYLE = Style(reverse=True)
SEARCH_STYLE = Style(bgcolor="#c08a20", color="#101010")
CURRENT_HIT_STYLE = Style(bgcolor="#f0b040", color="#000000", bold=True, underline=True)

ROLE_STYLES: dict[str, Style] = {
    "title": Style(bold=True),  # the theme's text colour: readable on light themes too
    "meta": Style(dim=True),
    "caption": Style(italic=True, dim=True),
    "summary": Style(italic=True),
    "body": Style(),
    "embed": Style(italic=True),
    "blank": Style(),
}
PREFIX_STYLE = Style(dim=True)
EMPTY_MESSAGE = "No article open — pick one from the list and press enter."
EMPTY_STYLE = Style(dim=True, italic=True)

#: a decoration over article offsets: ``(start, end, style)``; later ones are painted on top
Layer = tuple[int, int, Style]


def paint_text(text: str, start: int, layers: Sequence[Layer], base: Style) -> list[Segment]:
    """Segments for ``text`` (which shows article offsets from ``start``) with layers applied."""
    end = start + len(text)
    cuts = {0, len(text)}
    clipped: list[tuple[int, int, Style]] = []
    for layer_start, layer_end, style in layers:
        low = max(layer_start, start) - start
        high = min(layer_end, end) - start
        if low < high:
            clipped.append((low, high, style))
            cuts.add(low)
            cuts.add(high)
    if not clipped:
        return [Segment(text, base)] if text else []
    points = sorted(cuts)
    segments: list[Segment] = []
    for low, high in pairwise(points):
        style = base
        for layer_low, layer_high, layer_style in clipped:
            if layer_low <= low and high <= layer_high:
                style = style + layer_style
        segments.append(Segment(text[low:high], style))
    return segments


def line_strip(
    line: Line,
    *,
    width: int,
    left: int,
    base: Style,
    layers: Sequence[Layer] = (),
    cursor_here: bool = False,
) -> Strip:
    """The Strip for one layout line, ``width`` cells wide, its text column at ``left``.

    ``left`` counts the gutter: the text starts at ``left + GUTTER``.
    """
    role_style = base + ROLE_STYLES.get(line.role, Style())
    segments: list[Segment] = [Segment(" " * max(left, 0), base)]
    if cursor_here:
        segments.append(Segment(CURSOR_MARK, base + CURSOR_MARK_STYLE))
        segments.append(Segment(" " * (GUTTER - 1), base))
    else:
        segments.append(Segment(" " * GUTTER, base))
    if line.prefix:
        segments.append(Segment(line.prefix, base + PREFIX_STYLE))
    if line.is_body:
        segments.extend(paint_text(line.text, line.start, layers, role_style))
    elif line.text:
        segments.append(Segment(line.text, role_style))
    return Strip(segments).adjust_cell_length(width, base)


def message_strip(message: str, width: int, base: Style) -> Strip:
    """A centred, dim message (the empty state)."""
    text = message if len(message) <= width else message[: max(width - 1, 0)] + "…"
    left = max((width - len(text)) // 2, 0)
    segments = [Segment(" " * left, base), Segment(text, base + EMPTY_STYLE)]
    return Strip(segments).adjust_cell_length(width, base)
