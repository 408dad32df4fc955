"""A one-line prompt (search text): enter answers, escape cancels."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input

from reader.ui.widgets.key_footer import KeyFooter


class InputPrompt(ModalScreen[str | None]):
    """Ask for one line of text. Dismisses with it, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog prompt") as dialog:
            dialog.border_title = Content(self._title)  # a title may quote user text
            dialog.border_subtitle = self.keys_hint()
            yield self.make_input()
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def keys_hint(self) -> str:
        """The keys shown in the dialog's bottom border."""
        return "enter ok · esc cancel"

    def make_input(self) -> Input:
        """The input line (prompts that complete or validate give their own)."""
        return Input(self._value, placeholder=self._placeholder, id="prompt")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
