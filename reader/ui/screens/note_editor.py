"""The note editor: a modal with a multi-line TextArea; ctrl+s saves, escape cancels."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reader.ui.keys import bindings_for
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.sidebar import clip


class NoteEditor(ModalScreen[str | None]):
    """Edit a highlight's note. Dismisses with the new note, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("editor")]

    def __init__(self, note: str = "", quote: str = "") -> None:
        super().__init__()
        self._note = note
        self._quote = quote

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as dialog:
            dialog.border_title = "Note"
            dialog.border_subtitle = "ctrl+s save · esc cancel"
            if self._quote:
                yield Static(
                    Content.styled(clip(self._quote, 240), "italic"),
                    id="quote",
                    markup=False,
                )
            yield TextArea(self._note, id="note", soft_wrap=True, show_line_numbers=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Close with the note as typed."""
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
