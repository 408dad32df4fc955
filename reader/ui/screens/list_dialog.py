"""The shape the list dialogs share (trash, tags, anchor review): a modal over one OptionList
that ``j``/``k`` move through and ``escape``/``q`` close."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList

ResultType = TypeVar("ResultType")


class ListDialog(ModalScreen[ResultType]):
    """A modal list; subclasses add their own keys (Textual merges the BINDINGS)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def action_cursor_down(self) -> None:
        """Next entry."""
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Previous entry."""
        self.query_one(OptionList).action_cursor_up()

    def action_close(self) -> None:
        """Close without a result."""
        self.dismiss(None)
