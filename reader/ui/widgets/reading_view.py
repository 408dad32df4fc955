"""The machinery under the reading pane: layout, drawing, cursor, selection, search hits.

:class:`~reader.ui.widgets.reading_pane.ReadingPane` adds the keys, actions and mouse on top.

Only the visible lines are drawn (``render_line``); the strips of drawn lines are cached and
dropped for just the lines a change touches, so a cursor move on a 1 MB article costs about
as much as on a short one.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.markup import escape
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.models import (
    DEFAULT_COLOR,
    DEFAULT_COLOR_LABELS,
    Annotation,
    Article,
    Span,
)
from reader.ui.layout import MAX_MEASURE, MIN_MEASURE, Layout, layout_article
from reader.ui.pane_status import pane_status
from reader.ui.widgets import reading_messages as messages
from reader.ui.widgets.reading_document import AnnotationIndex, ReadingDocument, hits_between
from reader.ui.widgets.reading_render import (
    CURRENT_HIT_STYLE,
    EMPTY_MESSAGE,
    GUTTER,
    SEARCH_STYLE,
    SELECTION_STYLE,
    Layer,
    cursor_style,
    highlight_style,
    line_strip,
    message_strip,
)


class ReadingView(ScrollView):
    """An article with highlights, a sentence cursor, a selection and search hits."""

    HighlightRequested = messages.HighlightRequested
    RepeatRequested = messages.RepeatRequested
    ColorRequested = messages.ColorRequested
    NoteRequested = messages.NoteRequested
    TagsRequested = messages.TagsRequested
    DeleteRequested = messages.DeleteRequested
    ReattachRequested = messages.ReattachRequested
    CursorMoved = messages.CursorMoved
    ReadToggleRequested = messages.ReadToggleRequested

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._color_labels: dict[str, str] = dict(DEFAULT_COLOR_LABELS)
        self.article: Article | None = None
        self._document: ReadingDocument | None = None
        self._annotations = AnnotationIndex((), 0)
        #: the layout as drawn: possibly only the first screen of a long article
        self._drawn_layout: Layout | None = None
        self._layout_width = -1
        self._cursor: Span | None = None
        self._selection: Span | None = None
        #: where the selection started (a sentence or a word) and its moving end (an offset)
        self._selection_anchor: Span | None = None
        self._selection_head: int | None = None
        self._hits: list[Span] = []
        self._hit_starts: list[int] = []
        self._hit_index: int | None = None
        self._count: int | None = None
        #: the colour ``h`` uses (shown in the border); ``p`` then 1..5 sets it
        self._pen = DEFAULT_COLOR
        #: a prefix key waiting for its colour number: "pen" or "recolour" (with its target)
        self._prefix: str | None = None
        self._prefix_target: str | None = None
        self._drag_from: int | None = None
        self._pending_position: int | None = None
        self._strips: dict[int, Strip] = {}
        #: (width, base style) while a batch of rows is drawn
        self._frame: tuple[int, Style] | None = None
        #: called with the highlight under the cursor whenever it moves, before the frame is
        #: drawn (set by the screen: the sidebar follows in the same frame, where the
        #: CursorMoved message alone arrived after it and every j drew two frames)
        self.on_cursor: Callable[[Annotation | None], None] | None = None
        #: an article is about to be shown: draw nothing rather than the "no article" hint

    @property
    def _layout(self) -> Layout | None:
        """The whole article's layout (completing a first-screen layout if need be)."""
        if self._drawn_layout is not None and not self._drawn_layout.complete:
            self._complete_layout()
        return self._drawn_layout

    @_layout.setter
    def _layout(self, layout: Layout | None) -> None:
        self._drawn_layout = layout

    # -- what the screen sets -------------------------------------------------------------------

    @property
    def color_labels(self) -> dict[str, str]:
        """Colour -> label ("green" -> "key idea"), shown for the highlight under the cursor."""
        return self._color_labels

    @color_labels.setter
    def color_labels(self, labels: dict[str, str]) -> None:
        self._color_labels = {**DEFAULT_COLOR_LABELS, **labels}
        self._update_subtitle()

    @property
    def pen(self) -> str:
        """The colour ``h`` uses, always shown in the border (``p`` then 1..5 sets it)."""
        return self._pen

    @pen.setter
    def pen(self, color: str) -> None:
        self._pen = color
        self._update_subtitle()

    def show_article(
        self,
        article: Article | None,
        annotations: list[Annotation] | None = None,
        position: int = 0,
    ) -> None:
        """Show ``article`` with its ``annotations``, the cursor on the sentence at ``position``."""
        self.article = article
        self._document = ReadingDocument(article) if article is not None else None
        self._annotations = AnnotationIndex(
            annotations or (), len(self._document.text) if self._document else 0
        )
        self._layout = None
        self._layout_width = -1
        self._cursor = None
        self._set_selection(None)
        self._set_hits([])
        self._count = None
        self._prefix = self._prefix_target = None
        self._strips.clear()
        self.scroll_to(0, 0, animate=False)
        if article is None:
            self.virtual_size = Size(0, 0)
            self._update_subtitle()
            self.refresh()
            return
        self._pending_position = position
        if self._ensure_layout():
            # The first screen shows now; the cursor's sentence (sentence segmentation, and
            # on the first article the segmenter's import) follows right after it is drawn.
            self._scroll_to_offset(position)
            self.call_after_refresh(self._apply_pending_position)
        self.refresh()

    def set_annotations(self, annotations: list[Annotation]) -> None:
        """Replace the article's annotations (after any change the screen made)."""
        length = len(self._document.text) if self._document else 0
        self._annotations = AnnotationIndex(annotations, length)
        self._invalidate()
        self._update_subtitle()

    def search(self, text: str, origin: int | None = None) -> int:
        """Mark every case-insensitive hit of ``text`` and move to the first from ``origin``
        (the cursor's sentence by default).

        Returns the number of hits (an empty text clears the search).
        """
        document = self._document
        self._set_hits(document.find_all(text) if document else [])
        self._invalidate()
        if self._hits and self._cursor is not None:
            start = self._cursor.start if origin is None else origin
            index = bisect_left(self._hit_starts, start)
            self._go_to_hit(index % len(self._hits))
        self._update_subtitle()
        return len(self._hits)

    @property
    def hit_position(self) -> tuple[int | None, int]:
        """``(index of the current hit or None, number of hits)``: "3 of 12" is (2, 12)."""
        return self._hit_index, len(self._hits)

    def jump_to(self, offset: int) -> None:
        """Put the cursor on the sentence holding ``offset`` and scroll it into view."""
        if self._document is None:
            return
        if self._layout is None:
            self._pending_position = offset
            return
        sentence = self._document.sentence_at(offset)
        if sentence is not None:
            self._set_selection(None)
            self._move_cursor(sentence, center=True)

    # -- what the screen and tests read --------------------------------------------------------

    @property
    def cursor(self) -> Span:
        """The cursor's sentence (an empty span at 0 without an article)."""
        return self._cursor or Span(0, 0)

    @property
    def selection(self) -> Span | None:
        """The visual selection, if any."""
        return self._selection

    @property
    def hits(self) -> list[Span]:
        """The current search hits."""
        return list(self._hits)

    @property
    def pending_count(self) -> int | None:
        """The count typed so far (``3`` of ``3h``), if any."""
        return self._count

    @property
    def text_layout(self) -> Layout | None:
        """The current layout (None before the pane knows its width)."""
        return self._layout

    def annotation_at_cursor(self) -> Annotation | None:
        """The highlight under the cursor, if any."""
        if self._cursor is None:
            return None
        return self._annotations.at(self._cursor)

    @property
    def progress(self) -> float:
        """Where the reader is, 0..1, as e-readers count it: the share of the article above
        the top line on screen (0 on opening), 1 once the cursor is on the last sentence."""
        total = self.virtual_size.height
        if self.article is None or total <= 0:
            return 0.0
        document, cursor = self._document, self._cursor
        if document is not None and cursor is not None and document.next_sentence(cursor) is None:
            return 1.0
        return max(0.0, min(1.0, self.scroll_offset.y / total))

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

    def _apply_pending_position(self) -> None:
        position, self._pending_position = self._pending_position, None
        if position is None or self._document is None:
            return
        sentence = self._document.sentence_at(position)
        if sentence is not None:
            self._move_cursor(sentence, center=position > 0)
        else:
            self._update_subtitle()

    def on_resize(self, event: events.Resize) -> None:
        """Re-lay the article out when the width changes, keeping the cursor in view."""
        if self.article is None:
            return
        self._update_subtitle()
        if self._ensure_layout():
            if self._pending_position is not None:
                self._apply_pending_position()
            elif self._cursor is not None:
                self._scroll_to_cursor(center=True)
        self.refresh()

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
        start, end = line.start, max(line.end, line.start + 1)
        layers: list[Layer] = []
        cursor = self._cursor
        cursor_here = cursor is not None and cursor.start < end and cursor.end > start
        dark = self.app.current_theme.dark
        if cursor is not None and cursor_here:
            layers.append((cursor.start, cursor.end, cursor_style(dark=dark)))
        for annotation in self._annotations.overlapping(start, end):
            style = highlight_style(annotation.color, dark=dark)
            layers.append((annotation.start, annotation.end, style))
        if self._hits:
            current = self._hits[self._hit_index] if self._hit_index is not None else None
            for hit in hits_between(self._hits, self._hit_starts, start, end):
                style = CURRENT_HIT_STYLE if hit == current else SEARCH_STYLE
                layers.append((hit.start, hit.end, style))
        selection = self._selection
        if selection is not None and selection.start < end and selection.end > start:
            layers.append((selection.start, selection.end, SELECTION_STYLE))
        return line_strip(
            line, width=width, left=left, base=base, layers=layers, cursor_here=cursor_here
        )

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

    def _update_subtitle(self) -> None:
        """The border: the highlight here, what ``h`` will use (pen, count), progress."""
        if self.article is None:
            self.border_subtitle = ""
            return
        annotation = self.annotation_at_cursor()
        here = None
        if annotation is not None:
            here = self.color_labels.get(annotation.color, annotation.color)
        status = pane_status(
            here=here,
            prefix=self._prefix,
            pen=self._pen,
            count=self._count,
            hits=len(self._hits),
            hit_index=self._hit_index,
            progress=self.progress,
            room=self.size.width - 6,
        )
        self.border_subtitle = escape(status)  # labels are the user's words: never markup

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Keep the progress in the subtitle current as the pane scrolls."""
        super().watch_scroll_y(old_value, new_value)
        self._update_subtitle()

    # -- cursor machinery ----------------------------------------------------------------------

    def _move_cursor(self, sentence: Span, *, center: bool = False, scroll: bool = True) -> None:
        """Put the cursor on ``sentence``, repaint what changed, scroll, tell the screen."""
        self._pending_position = None  # a move (or a jump) wins over the saved position
        old = self._cursor
        self._cursor = sentence
        if old is not None and old != sentence:
            self._invalidate(old)
        self._invalidate(sentence)
        if scroll:
            self._scroll_to_cursor(center=center)
        self._update_subtitle()
        if self.on_cursor is not None:
            self.on_cursor(self._annotations.at(sentence))
        self.post_message(self.CursorMoved(self, sentence.start, self.progress))
        self.call_after_refresh(self._prefetch_sentences, sentence)

    def _prefetch_sentences(self, sentence: Span) -> None:
        """Split the neighbouring paragraphs once the screen is drawn, so that the next
        paragraph move does not wait for sentence segmentation."""
        document = self._document
        if document is None or self._cursor != sentence:
            return
        paragraph = document.paragraph_of(sentence.start)
        for neighbour in (paragraph + 1, paragraph - 1):
            if 0 <= neighbour < len(document.paragraphs):
                document.sentences_of(neighbour)

    def _scroll_to_cursor(self, *, center: bool = False) -> None:
        if self._layout is None or self._cursor is None:
            return
        height = max(self.scrollable_content_region.height, 1)
        first = self._layout.line_of(self._cursor.start)
        last = self._layout.line_of(max(self._cursor.end - 1, self._cursor.start))
        top = self.scroll_offset.y
        margin = min(2, max((height - (last - first + 1)) // 2, 0))
        if last - first + 1 > height and top <= first < top + height:
            return  # taller than the pane: its first line in view is enough (the title stays)
        if center and not (top <= first and last < top + height):
            target = first - max((height - (last - first + 1)) // 3, 0)
        elif first < top + margin:
            target = first - margin
        elif last >= top + height - margin:
            target = min(first - margin, last - height + 1 + margin)
        else:
            return
        self.scroll_to(y=max(target, 0), animate=False)

    def _set_hits(self, hits: list[Span]) -> None:
        self._hits = hits
        self._hit_starts = [hit.start for hit in hits]
        self._hit_index = None

    def _go_to_hit(self, index: int) -> None:
        assert self._document is not None
        self._hit_index = index
        hit = self._hits[index]
        sentence = self._document.sentence_at(hit.start)
        self._invalidate()
        if sentence is not None:
            self._go(sentence)

    def _go(self, sentence: Span | None, *, scroll: bool = True) -> bool:
        """Move the cursor (False and a bell if there is nowhere to go); a selection's
        moving end follows the cursor's sentence, on whichever side of its start."""
        if sentence is None:
            self.app.bell()
            return False
        anchor = self._selection_anchor
        if anchor is not None and self._selection is not None:
            self._select(anchor, sentence.end if sentence.start >= anchor.start else sentence.start)
        self._move_cursor(sentence, scroll=scroll)
        return True

    def _select(self, anchor: Span, head: int) -> None:
        """Select from ``anchor`` (kept whole) to ``head``, on either side of it."""
        self._set_selection(Span(min(anchor.start, head), max(anchor.end, head)))
        self._selection_anchor, self._selection_head = anchor, head

    def _set_selection(self, selection: Span | None) -> None:
        old = self._selection
        self._selection = selection
        if old is not None:
            self._invalidate(old)
        if selection is not None:
            self._invalidate(selection)
        if selection is None:
            self._selection_anchor = self._selection_head = None

    def _passage(self) -> Span | None:
        """What ``c``/``n``/``a`` act on: the selection, else the cursor's sentence."""
        return self._selection or self._cursor
