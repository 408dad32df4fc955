"""The bottom of the reading pane: an article laid out for the pane's width and drawn line by
line, each drawn line's strip cached.

:class:`~reader.ui.widgets.reading_view.ReadingView` adds the cursor, selection and search
hits (what is painted over the text, :meth:`ReadingCanvas._line_layers`) on top, and
:class:`~reader.ui.widgets.reading_pane.ReadingPane` the keys, actions and mouse.

Only the visible lines are drawn (``render_line``); the strips of drawn lines are cached and
dropped for just the lines a change touches, so a cursor move on a 1 MB article costs about
as much as on a short one. A long article is laid out down to its first screen first and the
rest right after that frame.
"""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.models import Article, Span
from reader.ui.layout import MAX_MEASURE, MIN_MEASURE, Layout, layout_article
from reader.ui.widgets.reading_document import ReadingDocument
from reader.ui.widgets.reading_render import (
    EMPTY_MESSAGE,
    GUTTER,
    Layer,
    line_strip,
    message_strip,
)


class ReadingCanvas(ScrollView):
    """An article's layout, drawn a visible line at a time with its strips cached."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self._document: ReadingDocument | None = None
        #: the layout as drawn: possibly only the first screen of a long article
        self._drawn_layout: Layout | None = None
        self._layout_width = -1
        #: the offset to open at, until the cursor is there (the layout's first screen
        #: reaches down to it)
        self._pending_position: int | None = None
        self._strips: dict[int, Strip] = {}
        #: (width, base style) while a batch of rows is drawn
        self._frame: tuple[int, Style] | None = None

    @property
    def _layout(self) -> Layout | None:
        """The whole article's layout (completing a first-screen layout if need be)."""
        if self._drawn_layout is not None and not self._drawn_layout.complete:
            self._complete_layout()
        return self._drawn_layout

    @_layout.setter
    def _layout(self, layout: Layout | None) -> None:
        self._drawn_layout = layout

    @property
    def text_layout(self) -> Layout | None:
        """The current layout (None before the pane knows its width)."""
        return self._layout

    # -- layout and drawing --------------------------------------------------------------------

    def _text_width(self) -> int:
        """The width to lay out for: without the scrollbar that a long article will bring.

        Laying out first for the full width, the scrollbar then appearing, and laying out
        again for the narrower width doubled the cost of opening a long article (~0.3 s
        for 1 MB); an article with clearly more lines than the pane is laid out once.
        """
        width = self.scrollable_content_region.width
        if self.article is not None and not self.show_vertical_scrollbar:
            height = self.scrollable_content_region.height
            text = self._document.text if self._document is not None else ""
            if height > 0 and len(text) > 2 * height * max(width, 1):
                width -= self.styles.scrollbar_size_vertical
        return width

    def _ensure_layout(self) -> bool:
        """Lay the article out for the current width; False while the width is unknown."""
        if self.article is None:
            return False
        width = self._text_width()
        if width <= 0:
            return False
        if width == self._layout_width and self._drawn_layout is not None:
            return True
        self._layout_width = width
        self._strips.clear()
        measure = max(min(width - GUTTER, MAX_MEASURE), MIN_MEASURE)
        # a scrollbar appearing in a wide pane changes the width, not the measure
        layout = self._drawn_layout
        if layout is None or measure != layout.measure:
            layout = layout_article(self.article, width - GUTTER, until=self._first_screen_end())
            self._drawn_layout = layout
            self._set_virtual_size(layout)
            if not layout.complete:
                self.call_after_refresh(self._complete_layout)
        return True

    def _first_screen_end(self) -> int | None:
        """Where a first-screen layout may stop (None: lay the whole article out now).

        A long article opening shows its first screen (at its saved position) once the
        paragraphs down to there and two screens further are laid out; the rest follows
        right after that frame (a 1 MB article: ~60 ms less before its text shows).
        """
        if self._pending_position is None or self._document is None:
            return None
        screen = max(self.scrollable_content_region.height, 1) * MAX_MEASURE
        until = self._pending_position + 2 * screen
        return until if until + 2 * screen < len(self._document.text) else None

    def _set_virtual_size(self, layout: Layout) -> None:
        """The scrollable size: exact, or estimated from the part laid out so far."""
        height = len(layout.lines)
        if not layout.complete and self._document is not None and layout.laid_out > 0:
            height = max(height + 1, height * len(self._document.text) // layout.laid_out)
        self.virtual_size = Size(layout.measure + GUTTER, height)

    def _complete_layout(self) -> None:
        """Lay the rest of the article out (its first lines stay as they are)."""
        layout = self._drawn_layout
        if layout is None or layout.complete or self.article is None:
            return
        self._drawn_layout = layout = layout_article(self.article, self._layout_width - GUTTER)
        self._set_virtual_size(layout)
        self.refresh()

    def _scroll_to_offset(self, offset: int) -> None:
        """Scroll so that ``offset`` shows where the cursor will put it (before it is there)."""
        layout = self._drawn_layout  # the first screen's layout holds ``offset``
        if layout is None or offset <= 0:
            return
        height = max(self.scrollable_content_region.height, 1)
        line = layout.line_of(offset)
        self.scroll_to(y=max(line - height // 3, 0), animate=False)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the rows in ``crop``, working out the width and base style once for all."""
        self._frame = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def notify_style_update(self) -> None:
        """CSS or theme changed: cached strips carry the old base style."""
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        """Draw row ``y`` of the pane (only visible rows are ever asked for)."""
        width, base = self._frame or (self.scrollable_content_region.width, self.rich_style)
        layout = self._drawn_layout
        if layout is None or width != self._layout_width:
            layout = self._drawn_layout if self._ensure_layout() else None
        if self.article is None or layout is None:
            middle = self.scrollable_content_region.height // 2
            if self.article is None and y == middle:
                return message_strip(EMPTY_MESSAGE, width, base)
            return Strip.blank(width, base)
        index = self.scroll_offset.y + y
        if index >= len(layout.lines) and not layout.complete:
            layout = self._layout  # scrolled past the first screen before the rest came
            assert layout is not None
        if index >= len(layout.lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None or strip.cell_length != width:
            strip = self._render_layout_line(index, width, base)
            if len(self._strips) > 4096:  # long jumps through a huge article: start over
                self._strips.clear()
            self._strips[index] = strip
        return strip

    def _render_layout_line(self, index: int, width: int, base: Style) -> Strip:
        assert self._drawn_layout is not None
        line = self._drawn_layout.lines[index]
        left = self._text_left(width)
        if not line.is_body:
            return line_strip(line, width=width, left=left, base=base)
        layers, cursor_here = self._line_layers(line.start, max(line.end, line.start + 1))
        return line_strip(
            line, width=width, left=left, base=base, layers=layers, cursor_here=cursor_here
        )

    def _line_layers(self, start: int, end: int) -> tuple[list[Layer], bool]:
        """What is painted over the text of ``[start, end)`` (styled spans, lowest first),
        and whether the cursor is on that line: nothing on a bare canvas."""
        return [], False

    def _text_left(self, width: int | None = None) -> int:
        """Where the centred text block (gutter included) starts."""
        if width is None:
            width = self.scrollable_content_region.width
        measure = self._drawn_layout.measure if self._drawn_layout else 0
        return max((width - measure - GUTTER) // 2, 0)

    def _invalidate(self, span: Span | None = None) -> None:
        """Drop cached strips (those showing ``span``, or all) and repaint."""
        if span is None or self._layout is None:
            self._strips.clear()
            self.refresh()
            return
        lines = self._layout.body_lines_between(span.start, span.end)
        for index in [i for i in self._strips if lines.start <= i < lines.stop]:
            del self._strips[index]
        self.refresh_lines(lines.start, len(lines))
