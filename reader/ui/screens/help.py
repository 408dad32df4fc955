"""The help screen, generated from the action registry (keys.ACTIONS grouped by CONTEXTS)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.keys import ACTIONS, CONTEXTS, Action, actions_for

KEY_COLUMN = 16


def help_content(actions: tuple[Action, ...] = ACTIONS) -> Content:
    """Every action of the registry, a section per context, keys then help text."""
    lines: list[Content] = []
    for context, title in CONTEXTS.items():
        entries = [a for a in actions_for(context) if a in actions]
        if not entries:
            continue
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(title, "bold $accent"))
        for action in entries:
            keys = action.display_keys
            lines.append(Content.assemble("  ", (keys.ljust(KEY_COLUMN), "bold"), " ", action.help))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Every key, by where it works. escape, q or ? closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="dialog help") as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "esc / q / ? close"
            yield Static(help_content(), id="help-text", markup=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)

    def action_scroll_down(self) -> None:
        """Scroll the keys down a line."""
        self.query_one(VerticalScroll).scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        """Scroll the keys up a line."""
        self.query_one(VerticalScroll).scroll_up(animate=False)
