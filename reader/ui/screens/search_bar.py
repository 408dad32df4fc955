"""The reading pane's search line: it searches as you type and says "3 of 12".

A one-line bar at the bottom of the screen (the article stays in view above it, its hits
marked as they change). ``enter`` keeps the hits for ``;`` and ``,``; ``esc`` drops them and
puts the cursor back where it was; ``↓``/``↑`` step through the hits while typing.
The reading pane opens it (``/``) and owns the hits; this screen only drives it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from reader.ui.widgets.reading_pane import ReadingPane


def hit_count_text(index: int | None, count: int, text: str) -> str:
    """``3 of 12``, ``1 match``, ``no match`` (nothing for an empty search)."""
    if not text:
        return ""
    if count == 0:
        return "no match"
    if count == 1:
        return "1 match"
    return f"{(index or 0) + 1} of {count}"


class SearchBar(ModalScreen[str | None]):
    """Search the open article as you type; dismisses with the text kept, or None."""

    DEFAULT_CSS = """
    SearchBar {
        background: transparent;
        align: left bottom;
    }
    SearchBar #search-line {
        dock: bottom;
        offset-y: -1;
        height: 1;
        background: $panel;
    }
    SearchBar #search-label {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    SearchBar #search-line #search {
        border: none;
        height: 1;
        padding: 0;
        width: 1fr;
        background: $panel;
    }
    SearchBar #search-count {
        width: auto;
        min-width: 10;
        padding: 0 1;
        color: $text-muted;
        text-align: right;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        # the input would take these for itself (submit, scroll)
        Binding("enter", "keep", "Keep hits", priority=True),
        Binding("down", "step(1)", "Next hit", priority=True),
        Binding("up", "step(-1)", "Prev hit", priority=True),
    ]

    def __init__(self, pane: ReadingPane, text: str = "") -> None:
        super().__init__()
        self._pane = pane
        self._text = text
        self._origin = pane.cursor.start

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-line"):
            yield Static("/", id="search-label", markup=False)
            yield Input(self._text, placeholder="search this article", id="search")
            yield Static("", id="search-count", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self._text:
            self._run(self._text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search again from where the cursor was when the bar opened (as vim's incsearch)."""
        event.stop()
        self._run(event.value)

    def _run(self, text: str) -> None:
        self._pane.search(text, origin=self._origin)
        self._show_count()

    def _show_count(self) -> None:
        index, count = self._pane.hit_position
        text = self.query_one(Input).value
        self.query_one("#search-count", Static).update(hit_count_text(index, count, text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_keep()

    def action_keep(self) -> None:
        """Close, keeping the hits (``;``/``,`` step through them)."""
        self.dismiss(self.query_one(Input).value)

    def action_cancel(self) -> None:
        """Close, dropping the hits; the cursor goes back where it was."""
        self._pane.search("")
        self._pane.jump_to(self._origin)
        self.dismiss(None)

    def action_step(self, direction: int) -> None:
        """The next or previous hit while typing."""
        self._pane.step_hit(direction)
        self._show_count()
