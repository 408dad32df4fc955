"""The note editor: a modal with a multi-line TextArea; ctrl+s saves, escape cancels.

With a ``save`` function the editor saves through it and closes only when the note was
stored: a failed write (disk full, store locked) leaves it open with the text as typed and
the reason under it. Escape on changed text asks first (a second escape discards).
"""

from __future__ import annotations

from collections.abc import Callable
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

#: what a save function answers: True saved (close), False handled elsewhere (stay open
#: until told), a string: the reason it failed (stay open and show it)
SaveOutcome = bool | str
HINT = "ctrl+s save · esc cancel"
DISCARD_HINT = "esc again discards your changes · ctrl+s saves"


class NoteEditor(ModalScreen[str | None]):
    """Edit a highlight's note. Dismisses with the saved note, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("editor")]

    def __init__(
        self,
        note: str = "",
        quote: str = "",
        save: Callable[[str], SaveOutcome] | None = None,
        *,
        title: str = "Note",
    ) -> None:
        super().__init__()
        self._note = note
        self._quote = quote
        self._save = save
        self._title = title
        self._discard_armed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as dialog:
            dialog.border_title = Content(self._title)  # may hold an article title: data
            dialog.border_subtitle = HINT
            if self._quote:
                yield Static(
                    Content.styled(clip(self._quote, 240), "italic"),
                    id="quote",
                    markup=False,
                )
            yield TextArea(self._note, id="note", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="error", markup=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        """The note as typed so far."""
        return self.query_one(TextArea).text

    def on_text_area_changed(self) -> None:
        if self._discard_armed:
            self._discard_armed = False
            self.query_one("#dialog").border_subtitle = HINT

    def show_error(self, message: str) -> None:
        """Say why the note was not saved (the text stays as typed)."""
        self.query_one("#error", Static).update(Content.styled(message, "bold $error"))

    def action_save(self) -> None:
        """Save the note as typed (through the save function, when there is one)."""
        text = self.text
        if self._save is None:
            self.dismiss(text)
            return
        outcome = self._save(text)
        if outcome is True:
            self.dismiss(text)
        elif isinstance(outcome, str):
            self.show_error(f"Not saved: {outcome}")

    def action_cancel(self) -> None:
        """Close without saving; with changes typed, only at the second escape."""
        if self.text != self._note and not self._discard_armed:
            self._discard_armed = True
            self.query_one("#dialog").border_subtitle = DISCARD_HINT
            return
        self.dismiss(None)
