"""The reading state drawn on the reading canvas: highlights, a sentence cursor, a selection
and search hits, and the border's status line.

It stands on :class:`~reader.ui.widgets.reading_canvas.ReadingCanvas` (layout, drawing, the
strip cache); :class:`~reader.ui.widgets.reading_pane.ReadingPane` adds the keys, actions and
mouse on top.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from textual import events
from textual.geometry import Size
from textual.markup import escape

from reader.core.models import (
    DEFAULT_COLOR,
    DEFAULT_COLOR_LABELS,
    Annotation,
    Article,
    Span,
)
from reader.ui.pane_status import pane_status
from reader.ui.widgets import reading_messages as messages
from reader.ui.widgets.reading_canvas import ReadingCanvas
from reader.ui.widgets.reading_document import AnnotationIndex, ReadingDocument, hits_between
from reader.ui.widgets.reading_render import (
    CURRENT_HIT_STYLE,
    SEARCH_STYLE,
    SELECTION_STYLE,
    Layer,
    cursor_style,
    highlight_style,
)


class ReadingView(ReadingCanvas):
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
        self._annotations = AnnotationIndex((), 0)
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
        #: called with the highlight under the cursor whenever it moves, before the frame is
        #: drawn (set by the screen: the sidebar follows in the same frame, where the
        #: CursorMoved message alone arrived after it and every j drew two frames)
        self.on_cursor: Callable[[Annotation | None], None] | None = None
        #: an article is about to be shown: draw nothing rather than the "no article" hint

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

    # -- on the canvas: the position to open at, resizing, what is painted, the border ----------

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

    def _line_layers(self, start: int, end: int) -> tuple[list[Layer], bool]:
        """The cursor, highlights, search hits and selection over ``[start, end)``."""
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
        return layers, cursor_here

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
