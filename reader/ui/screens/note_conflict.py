"""When two windows edited one note: both texts side by side, and the person chooses."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

#: the choices, as the dialog dismisses with them
THEIRS, YOURS, BOTH = "theirs", "yours", "both"


def both_notes(theirs: str, yours: str) -> str:
    """One note holding both texts (theirs first), neither lost."""
    if not theirs.strip():
        return yours
    if not yours.strip() or yours.strip() == theirs.strip():
        return theirs
    return f"{theirs.rstrip()}\n\n{yours.strip()}"


class NoteConflictScreen(ModalScreen[str | None]):
    """The note was changed elsewhere while it was being edited here.

    Dismisses with :data:`THEIRS`, :data:`YOURS` or :data:`BOTH`, or ``None`` (escape: back
    to the editor, whose text is kept).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "choose('theirs')", "Keep theirs"),
        Binding("y", "choose('yours')", "Keep yours"),
        Binding("b", "choose('both')", "Keep both"),
        Binding("escape", "choose('')", "Back to the editor"),
    ]

    def __init__(self, theirs: str, yours: str) -> None:
        super().__init__()
        self._theirs = theirs
        self._yours = yours

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog conflict") as dialog:
            dialog.border_title = "The note was changed meanwhile (another window or a command)"
            dialog.border_subtitle = "t keep theirs · y keep yours · b keep both · esc back"
            with Horizontal():
                with Vertical(classes="side"):
                    yield Static(Content.styled("Theirs (saved now)", "bold"), markup=False)
                    yield Static(Content(self._theirs or "(empty)"), id="theirs", markup=False)
                with Vertical(classes="side"):
                    yield Static(Content.styled("Yours (typed here)", "bold"), markup=False)
                    yield Static(Content(self._yours or "(empty)"), id="yours", markup=False)

    def action_choose(self, choice: str) -> None:
        """Close with the person's choice (empty: none, back to the editor)."""
        self.dismiss(choice or None)
