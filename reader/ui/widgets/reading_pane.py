"""The reading pane: an article drawn with the Line API, a sentence cursor, highlights.

Attributes come down from the screen (:meth:`ReadingPane.show_article`,
:meth:`ReadingPane.set_annotations`, :attr:`ReadingPane.color_labels`, :meth:`ReadingPane.search`,
:meth:`ReadingPane.jump_to`); requests go up as messages, nested on the class
(``ReadingPane.HighlightRequested`` ... handled as ``on_reading_pane_highlight_requested``).
The pane never changes data itself.

Keys come from the action registry (``bindings_for("reader")``). Digits only ever make a
count (vim's model): ``3j`` moves three sentences, ``3h`` highlights three. Colours have
their own prefix keys: ``p`` then 1..5 sets the pen (what ``h`` uses, always shown in the
border), ``r`` then 1..5 recolours the highlight under the cursor. Nothing depends on timing.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import events
from textual.binding import BindingType

from reader.core.models import COLORS, Span
from reader.ui.keys import actions_for, bindings_for
from reader.ui.messages import ArticleNoteRequested
from reader.ui.widgets.reading_render import GUTTER
from reader.ui.widgets.reading_view import ReadingView

#: the keys that answer ``p`` and ``r``: colour numbers
COLOR_KEYS = {str(n): color for n, color in enumerate(COLORS, start=1)}


def _keys_of(action: str) -> frozenset[str]:
    """The keys the registry gives a reading-pane action."""
    return frozenset(
        key
        for entry in actions_for("reader")
        if entry.action == action
        for key in entry.keys.split(",")
    )


class ReadingPane(ReadingView, can_focus=True):
    """The centre of the app: the article, its highlights, a sentence cursor.

    Messages (all carry ``pane``; spans are offsets into ``Article.text``):
    ``HighlightRequested(start, end, count, color)``, ``RepeatRequested(start, end)``,
    ``ColorRequested(color, annotation_id)`` (``None``: the pen), ``ReadToggleRequested()``,
    ``NoteRequested(annotation_id, start, end)``,
    ``TagsRequested(annotation_id, start, end)``, ``DeleteRequested(annotation_id)``,
    ``ReattachRequested(start, end)``, ``CursorMoved(offset, progress)``.
    """

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("reader"))
    ALLOW_SELECT = False  # our own drag selection, in article offsets

    DEFAULT_CSS = """
    ReadingPane {
        background: $surface;
        color: $text;
        overflow-x: hidden;
        overflow-y: auto;
        border: round $panel;
        border-subtitle-color: $text-muted;
        &:focus { border: round $accent; }
    }
    """

    #: key -> the pane's action it runs (see :meth:`on_key`)
    _KEY_ACTIONS: ClassVar[dict[str, str]] = {
        key: entry.action
        for entry in actions_for("reader")
        if entry.bound
        for key in entry.keys.split(",")
    }
    #: the keys that take a pending count (any other key drops it)
    _COUNTED_KEYS = frozenset().union(
        *(
            _keys_of(name)
            for name in (
                "highlight",
                "cursor_down",
                "cursor_up",
                "paragraph_down",
                "paragraph_up",
                "word_forward",
                "word_back",
                "pen",
            )
        )
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Without an article the reading keys pass through; escape only when it clears."""
        if self.article is None:
            return False
        if action == "clear_selection":
            return self._selection is not None or bool(self._hits) or self._count is not None
        return True

    # -- counts and colour prefixes ------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A key after ``p``/``r`` answers it; digits build a count; other keys drop it."""
        key = event.key
        if self._cursor is None and self._pending_position is not None and self._layout:
            # the article was just (re)shown and its cursor waits for the next frame: a key
            # typed meanwhile acts on the sentence the cursor is about to land on
            self._apply_pending_position()
        if self._prefix is not None:
            event.stop()
            event.prevent_default()  # the key answers the prefix, whatever it is
            self._answer_prefix(key)
            return
        if len(key) == 1 and key.isdigit() and self.article is not None:
            if self._count is not None or key != "0":
                self._count = min((self._count or 0) * 10 + int(key), 9999)
                self._update_subtitle()
            event.stop()
            event.prevent_default()
            return
        if key not in self._COUNTED_KEYS:
            self._clear_count()
        # The pane's own keys run here, in the order they were typed: run as bindings, an
        # action may come after the next key (typed fast, or pasted) has been read, and then
        # "r3" counted 3 instead of recolouring, "2h3" highlighted 23 sentences.
        action = self._KEY_ACTIONS.get(key)
        if action is not None and self.check_action(action, ()):
            event.stop()
            event.prevent_default()
            getattr(self, f"action_{action}")()

    def _answer_prefix(self, key: str) -> None:
        prefix, target = self._prefix, self._prefix_target
        self._prefix = self._prefix_target = None
        color = COLOR_KEYS.get(key)
        if color is None:
            if key != "escape":
                self.app.bell()
        elif prefix == "pen":
            self.pen = color
            self.post_message(self.ColorRequested(self, color, None))
        elif target is not None:
            self.post_message(self.ColorRequested(self, color, target))
        self._update_subtitle()

    def _clear_count(self) -> None:
        if self._count is not None:
            self._count = None
            self._update_subtitle()

    def _take_count(self) -> int | None:
        count, self._count = self._count, None
        return count

    def _repeat(self, step: Callable[[], bool]) -> None:
        """Run a move once, or as many times as the pending count says (stops at an end)."""
        for _ in range(self._take_count() or 1):
            if not step():
                break
        self._update_subtitle()

    # -- cursor motion --------------------------------------------------------------------------

    def _step(self, move: Callable[[Span], Span | None]) -> bool:
        """Move the cursor to ``move(cursor)``; False (and a bell) at an end."""
        if self._document is None or self._cursor is None:
            return False
        return self._go(move(self._cursor))

    def action_cursor_down(self) -> None:
        """Next sentence (a count moves that many; a selection follows)."""
        if self._document is not None:
            self._repeat(partial(self._step, self._document.next_sentence))

    def action_cursor_up(self) -> None:
        """Previous sentence (a count moves that many; a selection follows)."""
        if self._document is not None:
            self._repeat(partial(self._step, self._document.previous_sentence))

    def action_paragraph_down(self) -> None:
        """First sentence of the next paragraph."""
        if self._document is not None:
            self._repeat(partial(self._step, self._document.next_paragraph_sentence))

    def action_paragraph_up(self) -> None:
        """First sentence of this paragraph, or of the previous one."""
        if self._document is not None:
            self._repeat(partial(self._step, self._document.previous_paragraph_sentence))

    def action_page_down(self) -> None:
        """Scroll a page down; the cursor goes to the first sentence starting on screen."""
        self._page(+1)

    def action_page_up(self) -> None:
        """Scroll a page up; the cursor goes to the first sentence starting on screen."""
        self._page(-1)

    def _page(self, direction: int) -> None:
        document, layout = self._document, self._layout
        if document is None or layout is None or self._cursor is None:
            return
        height = max(self.scrollable_content_region.height, 1)
        top = self.scroll_offset.y
        target = max(0, min(top + direction * height, int(self.max_scroll_y)))
        if target == top:  # already at the end: go to the first or last sentence
            edge = document.last_sentence() if direction > 0 else document.first_sentence()
            self._go(edge)
            return
        self.scroll_to(y=target, animate=False)
        self._go(self._first_sentence_in(target, height), scroll=False)

    def _first_sentence_in(self, top: int, height: int) -> Span | None:
        """The first sentence starting in rows ``top``.. of the layout, else the one showing."""
        document, layout = self._document, self._layout
        assert document is not None and layout is not None
        showing: Span | None = None
        for index in range(top, min(top + height, len(layout.lines))):
            line = layout.lines[index]
            if not line.is_body:
                continue
            candidate = document.sentence_at(line.start)
            showing = showing or candidate
            if candidate is not None and candidate.start < line.start:
                candidate = document.next_sentence(candidate)
            if candidate is not None and candidate.start < max(line.end, line.start + 1):
                return candidate
        return showing

    def action_next_highlight(self) -> None:
        """Jump to the next highlight."""
        if self._document and self._cursor:
            annotation = self._annotations.next_after(self._cursor)
            self._go(self._document.sentence_at(annotation.start) if annotation else None)

    def action_previous_highlight(self) -> None:
        """Jump to the previous highlight."""
        if self._document and self._cursor:
            annotation = self._annotations.previous_before(self._cursor)
            self._go(self._document.sentence_at(annotation.start) if annotation else None)

    # -- selection ------------------------------------------------------------------------------
    #
    # A selection has a start (``_selection_anchor``: the sentence where ``v`` was pressed, or
    # the word ``w`` began with) and a moving end (``_selection_head``, an offset). It covers
    # both, so it grows from its start in either direction: ``v k k`` takes the two sentences
    # before the start as well, ``v j`` the one after; ``w``/``b`` move the moving end a word.

    def action_select(self) -> None:
        """Start a selection at the cursor's sentence (``v`` again drops it)."""
        if self._cursor is None:
            return
        if self._selection is not None:
            self._set_selection(None)
            return
        self._select(self._cursor, self._cursor.end)

    def action_word_forward(self) -> None:
        """Move the selection's moving end a word right (starts one at the cursor's first word)."""
        document, cursor = self._document, self._cursor
        if document is None or cursor is None:
            return
        if self._selection is None:
            word = document.first_word(cursor)
            self._select(word, word.end)
            self._take_count()
            return
        self._repeat(partial(self._move_head, +1))

    def action_word_back(self) -> None:
        """Move the selection's moving end a word left (past the start, the selection grows)."""
        if self._document is None or self._selection is None:
            self._take_count()
            self.app.bell()
            return
        self._repeat(partial(self._move_head, -1))

    def _move_head(self, direction: int) -> bool:
        """One word move of the selection's moving end; False (and a bell) at the text's ends."""
        document, anchor, head = self._document, self._selection_anchor, self._selection_head
        if document is None or anchor is None or head is None:
            return False
        moved: int | None
        if direction > 0:
            if head >= anchor.start:  # at or after the start: grow
                moved = document.next_word_end(max(head, anchor.end))
            else:  # before the start: shrink towards it
                moved = document.next_word_start(head)
                if moved is not None and moved >= anchor.start:
                    moved = anchor.end
        elif head > anchor.end:  # after the start: shrink towards it
            moved = document.previous_word_end(anchor.end, head) or anchor.end
        else:  # at or before the start: grow backwards
            moved = document.previous_word_start(min(head, anchor.start))
        if moved is None:
            self.app.bell()
            return False
        self._select(anchor, moved)
        self._follow_selection_head()
        return True

    def _follow_selection_head(self) -> None:
        """Keep the cursor on the sentence where the selection's moving end is."""
        document, anchor, head = self._document, self._selection_anchor, self._selection_head
        if document is None or anchor is None or head is None:
            return
        sentence = document.sentence_at(head - 1 if head > anchor.start else head)
        if sentence is not None and sentence != self._cursor:
            self._move_cursor(sentence)

    def action_clear_selection(self) -> None:
        """Drop the selection, the search hits and any count."""
        self._set_selection(None)
        if self._hits:
            self._set_hits([])
            self._invalidate()
        self._clear_count()
        self._update_subtitle()

    # -- requests to the screen -----------------------------------------------------------------

    def action_highlight(self) -> None:
        """Ask for a highlight of the selection, the cursor's sentence, or N sentences."""
        count = self._take_count()
        document, cursor = self._document, self._cursor
        if document is None or cursor is None:
            return
        span = document.sentences_from(cursor, count) if count else (self._selection or cursor)
        self.post_message(
            self.HighlightRequested(self, span.start, span.end, count=count, color=self.pen)
        )
        self._set_selection(None)
        self._update_subtitle()

    def action_repeat(self) -> None:
        """Ask to repeat the last highlight on the cursor's sentence."""
        if self._cursor is not None:
            self.post_message(self.RepeatRequested(self, self._cursor.start, self._cursor.end))

    def action_pen(self) -> None:
        """``p``: the next key, 1..5, sets the pen colour (any other key cancels)."""
        self._prefix, self._prefix_target = "pen", None
        self._update_subtitle()

    def action_recolour(self) -> None:
        """``r``: the next key, 1..5, recolours the highlight under the cursor."""
        annotation = self.annotation_at_cursor()
        if annotation is None:
            self.notify("No highlight here to recolour (p sets the pen).", severity="warning")
            return
        self._prefix, self._prefix_target = "recolour", annotation.id
        self._update_subtitle()

    def action_toggle_read(self) -> None:
        """Ask to mark the open article read, or unread if it is read."""
        self.post_message(self.ReadToggleRequested(self))

    def action_note(self) -> None:
        """Ask to edit the note of the highlight here (or of a new one on the passage)."""
        passage = self._passage()
        if passage is not None:
            annotation = None if self._selection else self.annotation_at_cursor()
            annotation_id = annotation.id if annotation else None
            self.post_message(self.NoteRequested(self, annotation_id, passage.start, passage.end))

    def action_note_article(self) -> None:
        """Ask to edit the note on the open article."""
        if self.article is not None:
            self.post_message(ArticleNoteRequested(self.article.id))

    def action_tags(self) -> None:
        """Ask to edit the tags of the highlight here (or of a new one on the passage)."""
        passage = self._passage()
        if passage is not None:
            annotation = None if self._selection else self.annotation_at_cursor()
            annotation_id = annotation.id if annotation else None
            self.post_message(self.TagsRequested(self, annotation_id, passage.start, passage.end))

    def action_delete(self) -> None:
        """Ask to delete the highlight under the cursor."""
        annotation = self.annotation_at_cursor()
        if annotation is None:
            self.notify("No highlight here to delete.", severity="warning")
            return
        self.post_message(self.DeleteRequested(self, annotation.id))

    def action_search(self) -> None:
        """Open the search line: it searches as you type and shows "3 of 12"."""
        from reader.ui.screens.search_bar import SearchBar  # loads when first used

        self.app.push_screen(SearchBar(self))

    def action_search_next(self) -> None:
        """Move the cursor to the next search hit."""
        self._step_hit(+1)

    def action_search_previous(self) -> None:
        """Move the cursor to the previous search hit."""
        self._step_hit(-1)

    def step_hit(self, direction: int) -> None:
        """Move the cursor to the next (+1) or previous (-1) search hit, round the article."""
        self._step_hit(direction)

    def _step_hit(self, direction: int) -> None:
        cursor = self._cursor
        if not self._hits or cursor is None:
            self.app.bell()
            return
        index = self._hit_index
        if index is not None and cursor.start <= self._hits[index].start < cursor.end:
            index += direction  # from the current hit, which is in the cursor's sentence
        elif direction > 0:  # the cursor moved away: the first hit after its sentence
            index = bisect_left(self._hit_starts, cursor.end)
        else:
            index = bisect_left(self._hit_starts, cursor.start) - 1
        self._go_to_hit(index % len(self._hits))

    def action_reattach(self) -> None:
        """Ask to move the orphan selected in the sidebar onto the passage here."""
        passage = self._passage()
        if passage is not None:
            self.post_message(self.ReattachRequested(self, passage.start, passage.end))

    def action_copy(self) -> None:
        """Copy the selection, the highlight here, or the cursor's sentence (OSC 52)."""
        if self._document is None or self._cursor is None:
            return
        annotation = self.annotation_at_cursor()
        span = self._selection or (
            Span(annotation.start, annotation.end) if annotation else self._cursor
        )
        text = self._document.text[span.start : span.end]
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {len(text)} characters.")

    # -- mouse ----------------------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        """The article offset under the mouse (None off the text)."""
        layout = self._layout
        if layout is None:
            return None
        position = event.get_content_offset_capture(self)
        index = self.scroll_offset.y + position.y
        if not 0 <= index < len(layout.lines):
            return None
        line = layout.lines[index]
        if not line.is_body:
            return None
        return line.offset_at(position.x - self._text_left() - GUTTER)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Click: the cursor goes to the sentence there; a drag from here selects."""
        offset = self._offset_at(event)
        if offset is None or self._document is None:
            return
        self.focus()
        self._drag_from = offset
        self.capture_mouse()
        self._set_selection(None)
        sentence = self._document.sentence_at(offset)
        if sentence is not None and sentence != self._cursor:
            self._move_cursor(sentence)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """While dragging: select from where the button went down to here."""
        if self._drag_from is None:  # the mouse is captured between down and up
            return
        offset = self._offset_at(event)
        if offset is None:
            return
        start, end = sorted((self._drag_from, offset))
        text = self._document.text if self._document else ""
        end = min(end + 1, len(text))
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            self._select(Span(start, start), end)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """End a drag; the selection stays for ``h``."""
        if self._drag_from is not None:
            self._drag_from = None
            self.release_mouse()
