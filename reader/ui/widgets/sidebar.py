"""The annotation sidebar: every highlight of the open article, in reading order.

An OptionList of :class:`~textual.content.Content` rows (quotes and notes are data, never
markup). Orphaned highlights (their passage is gone) are listed last and marked. The
screen tells the sidebar which highlight is under the reading cursor; the sidebar posts
requests (jump, edit note, delete) for the screen to carry out.

Only a window of :data:`WINDOW` cards around the selected highlight is built as options
(cards wrap to any height, so OptionList measures each one it holds); the window follows
the selection, and the border counts every highlight.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.clean import terminal_safe
from reader.core.models import (
    COLORS,
    DEFAULT_COLOR_LABELS,
    Annotation,
    sort_in_document_order,
)
from reader.ui.keys import bindings_for

#: swatch styles for the five colours (dark text on a light fill reads on any theme)
SWATCH_STYLES: dict[str, str] = {
    "yellow": "#1e1e1e on #f2d15c",
    "green": "#1e1e1e on #8fd18f",
    "blue": "#1e1e1e on #8cb8f0",
    "pink": "#1e1e1e on #f2a0c4",
    "purple": "#1e1e1e on #c3a3ef",
}
QUOTE_LIMIT = 220  # about three lines of a 75-column sidebar
#: cards held as options at once: an article with 100,000 highlights builds and wraps
#: these, not every card (17 of 27 s on the UI thread before the article showed)
WINDOW = 120
#: the window moves when the selection comes this close to one of its ends
MARGIN = 30
ORPHAN_MARK = "⚠ orphaned"
FUZZY_MARK = "≈ moved"
EMPTY_ID = "-empty-"
NOTE_ID = "-article-note-"


def clip(text: str, limit: int) -> str:
    """Whitespace folded, cut at ``limit`` characters with an ellipsis; nothing live (a note
    stored before notes were cleaned, or by another tool, must not drive the terminal)."""
    flat = " ".join(terminal_safe(text).split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


#: a note shows at most this many lines in the sidebar
NOTE_LINES = 8


def note_lines(note: str, limit: int = 300, max_lines: int = NOTE_LINES) -> list[str]:
    """A note's lines as typed (blank runs folded to one), clipped to ``limit`` characters
    and ``max_lines`` lines, the cut marked with an ellipsis."""
    lines: list[str] = []
    for raw in terminal_safe(note).strip().splitlines():
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    shown: list[str] = []
    room = limit
    for line in lines:
        if len(shown) == max_lines or room <= 0:
            shown[-1] = shown[-1].rstrip("…") + "…"
            break
        if len(line) > room:
            shown.append(line[: max(room - 1, 0)].rstrip() + "…")
            break
        shown.append(line)
        room -= len(line)
    return shown


def reading_order(annotations: Sequence[Annotation]) -> list[Annotation]:
    """Anchored and fuzzy highlights by position, then the orphans (they have no place)."""
    placed = [a for a in annotations if a.status != "orphaned"]
    orphans = [a for a in annotations if a.status == "orphaned"]
    sort_in_document_order(placed)  # an int key per highlight: 100,000 in an article
    sort_in_document_order(orphans)
    return placed + orphans


_ID, _STATUS = attrgetter("id"), attrgetter("status")


def article_note_row(note: str) -> Content:
    """The note on the whole article, shown above its highlights."""
    return Content("\n").join(
        [
            Content.styled("✎ Note on the article", "bold $accent"),
            # its lines as typed, like a highlight's note (clipped, nothing live)
            *(Content.styled(line, "italic") for line in note_lines(note, 400)),
        ]
    )


def annotation_row(annotation: Annotation, labels: dict[str, str]) -> Content:
    """The prompt of one highlight: swatch and label, quote, note, tags."""
    color = annotation.color if annotation.color in COLORS else COLORS[0]
    label = labels.get(color, DEFAULT_COLOR_LABELS.get(color, color))
    head: list[str | tuple[str, str]] = [
        ("  ", SWATCH_STYLES[color]),
        " ",
        (label, "bold"),
    ]
    if annotation.status == "orphaned":
        head += ["  ", (ORPHAN_MARK, "bold $error")]
    elif annotation.status == "fuzzy":
        head += ["  ", (FUZZY_MARK, "$warning")]
    lines = [Content.assemble(*head)]
    lines.append(Content(clip(annotation.quote, QUOTE_LIMIT)))
    if annotation.note.strip():
        # the note's own line breaks stay: a list or a paragraph break is part of the note
        first, *rest = note_lines(annotation.note)
        lines.append(Content.assemble(("✎ ", "$accent"), (first, "italic")))
        lines += [Content.assemble("  ", (line, "italic")) for line in rest]
    if annotation.tags:
        tags = " ".join(f"#{tag}" for tag in annotation.tags)
        lines.append(Content.styled(terminal_safe(tags), "$secondary"))
    return Content("\n").join(lines)


class Sidebar(OptionList):
    """The open article's highlights; the one under the reading cursor is highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("sidebar")]

    class JumpRequested(Message):
        """Show this highlight's passage in the reading pane."""

        def __init__(self, annotation_id: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id

    class EditNoteRequested(Message):
        """Edit this highlight's note."""

        def __init__(self, annotation_id: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id

    class DeleteRequested(Message):
        """Move this highlight to the trash."""

        def __init__(self, annotation_id: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        #: every highlight shown, in reading order, and each one's place in it
        self._order: list[Annotation] = []
        self._place: dict[str, int] = {}
        #: the place of the window's first card, and the colour labels of its cards
        self._first = 0
        self._labels: dict[str, str] = DEFAULT_COLOR_LABELS
        self._top: list[Option | None] = []
        self.border_title = "Highlights"
        self._article_note = ""
        self._shown: tuple[Sequence[Annotation], dict[str, str] | None] = ((), None)

    # ------------------------------------------------------------------ attributes down
    def show_annotations(
        self, annotations: Sequence[Annotation], labels: dict[str, str] | None = None
    ) -> None:
        """Show these highlights (deleted ones are skipped), keeping the selection if possible."""
        self._shown = (annotations, labels)
        keep = self.selected_annotation_id
        self._labels = labels or DEFAULT_COLOR_LABELS
        shown = reading_order([a for a in annotations if not a.deleted])
        self._order = shown
        # C-level passes (an article may hold 100,000 highlights)
        self._place = dict(zip(map(_ID, shown), range(len(shown)), strict=True))
        orphans = list(map(_STATUS, shown)).count("orphaned")
        title = f"Highlights ({len(shown)})" if shown else "Highlights"
        self.border_title = title + (f" · {orphans} orphaned" if orphans else "")
        top: list[Option | None] = []
        if self._article_note.strip():
            top = [Option(article_note_row(self._article_note), id=NOTE_ID, disabled=True), None]
        if not shown:
            self.set_options(
                [
                    *top,
                    Option(
                        Content.styled(
                            "No highlights yet.\nPress h in the text to add one.", "dim"
                        ),
                        id=EMPTY_ID,
                        disabled=True,
                    ),
                ]
            )
            self.highlighted = None
            return
        self._top = top  # the article's note: above the first card, so in the first window
        self._first = -1  # no window yet
        self._select_place(self._place.get(keep, 0) if keep is not None else 0)

    def set_article_note(self, note: str) -> None:
        """Show this note on the whole article at the top (an empty one shows nothing)."""
        if note != self._article_note:
            self._article_note = note
            self.show_annotations(*self._shown)

    @property
    def article_note(self) -> str:
        """The article note shown at the top ("" when none)."""
        return self._article_note

    def select_annotation(self, annotation_id: str | None) -> None:
        """Highlight the row of this highlight (the one under the reading cursor)."""
        if annotation_id is not None and annotation_id in self._place:
            self._select_place(self._place[annotation_id])

    # ------------------------------------------------------------------ the window
    def _in_window(self, place: int) -> bool:
        first, count = self._first, len(self._order)
        if first < 0 or not first <= place < first + WINDOW:
            return False
        near_top = place < first + MARGIN and first > 0
        near_bottom = place >= first + WINDOW - MARGIN and first + WINDOW < count
        return not (near_top or near_bottom)

    def _select_place(self, place: int) -> None:
        """Highlight the card at ``place`` in reading order, moving the window to it."""
        if not self._order:
            return
        place = max(0, min(place, len(self._order) - 1))
        if not self._in_window(place):
            first = max(0, min(place - WINDOW // 2, len(self._order) - WINDOW))
            self._first = first
            rows: list[Option | None] = list(self._top) if first == 0 else []
            for annotation in self._order[first : first + WINDOW]:
                rows += [Option(annotation_row(annotation, self._labels), id=annotation.id), None]
            self.set_options(rows[:-1])  # None draws a rule between two highlights
            # the new cards' lines are known once laid out: scroll to the card then
            self.call_after_refresh(self.scroll_to_highlight)
        self.highlighted = self.get_option_index(self._order[place].id)

    def _selected_place(self) -> int | None:
        annotation_id = self.selected_annotation_id
        return self._place.get(annotation_id) if annotation_id is not None else None

    def action_cursor_down(self) -> None:
        """The next highlight; at the last one, stay (and ring) rather than wrap round."""
        place = self._selected_place()
        if place is None:
            super().action_cursor_down()
        elif place >= len(self._order) - 1:
            self.app.bell()
        else:
            self._select_place(place + 1)

    def action_cursor_up(self) -> None:
        """The previous highlight; at the first one, stay (and ring) rather than wrap round."""
        place = self._selected_place()
        if place is None:
            super().action_cursor_up()
        elif place <= 0:
            self.app.bell()
        else:
            self._select_place(place - 1)

    def action_first(self) -> None:
        """The first highlight."""
        self._select_place(0)

    def action_last(self) -> None:
        """The last highlight."""
        self._select_place(len(self._order) - 1)

    def action_page_down(self) -> None:
        """A page of cards down (the window follows)."""
        super().action_page_down()
        if (place := self._selected_place()) is not None:
            self._select_place(place)

    def action_page_up(self) -> None:
        """A page of cards up (the window follows)."""
        super().action_page_up()
        if (place := self._selected_place()) is not None:
            self._select_place(place)

    @property
    def selected_annotation_id(self) -> str | None:
        """The id of the highlighted row, if it is a highlight."""
        option = self.highlighted_option
        if option is None or option.id is None or option.id in (EMPTY_ID, NOTE_ID):
            return None
        return option.id

    @property
    def selected_annotation(self) -> Annotation | None:
        """The highlighted highlight, if any."""
        annotation_id = self.selected_annotation_id
        place = self._place.get(annotation_id) if annotation_id else None
        return self._order[place] if place is not None else None

    @property
    def annotation_ids(self) -> list[str]:
        """The ids listed (every highlight, not only the cards built), in order."""
        return [a.id for a in self._order]

    # ------------------------------------------------------------------ actions (keys)
    def action_jump(self) -> None:
        """Ask the screen to show the passage."""
        if (annotation_id := self.selected_annotation_id) is not None:
            self.post_message(self.JumpRequested(annotation_id))

    def action_edit_note(self) -> None:
        """Ask the screen to edit the note."""
        if (annotation_id := self.selected_annotation_id) is not None:
            self.post_message(self.EditNoteRequested(annotation_id))

    def action_delete(self) -> None:
        """Ask the screen to delete the highlight."""
        if (annotation_id := self.selected_annotation_id) is not None:
            self.post_message(self.DeleteRequested(annotation_id))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # a click (or OptionList's own enter) jumps, like the jump key
        event.stop()
        if event.option.id is not None and event.option.id not in (EMPTY_ID, NOTE_ID):
            self.post_message(self.JumpRequested(event.option.id))
