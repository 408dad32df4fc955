"""The help screen, generated from the action registry (keys.ACTIONS grouped by CONTEXTS)."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.keys import ACTIONS, CONTEXTS, Action, actions_for
from reader.ui.widgets.key_footer import KeyFooter

#: keys of the dialogs, which have their own few keys outside the registry's contexts
DIALOG_KEYS: tuple[tuple[str, str], ...] = (
    ("Trash", "enter restores the highlight; esc closes"),
    (
        "All highlights (A)",
        "type a query (tag:x color:green has:note status:orphaned, words); "
        "↓ or enter to the results; enter opens the passage; ctrl+s saves the query as a "
        "view (then 'View: name' in the palette); esc closes",
    ),
    ("Tags (#)", "enter filters the list; r renames; m merges into another; esc closes"),
    ("Tag and source pickers (T, S)", "type to narrow; ↓ to the list; enter picks"),
    (
        "Review anchors (R)",
        "a accepts the new place; r re-attaches to the suggested passage; "
        "o keeps the orphan; enter goes to it; esc closes",
    ),
    ("Tag editor", "comma separated; → takes the suggested tag; enter or ctrl+s saves"),
)

#: the help text is wrapped to this width until the screen knows its real width
DEFAULT_WIDTH = 84


def help_content(actions: tuple[Action, ...] = ACTIONS, width: int = DEFAULT_WIDTH) -> Content:
    """Every action of the registry, a section per context: keys, then the help text wrapped
    under itself (a hanging indent keeps the key column readable)."""
    key_width = max(len(action.display_keys) for action in actions) + 2
    text_width = max(width - key_width - 8, 20)  # slack for the scrollbar and the padding
    lines: list[Content] = []
    for context, title in CONTEXTS.items():
        entries = [a for a in actions_for(context) if a in actions]
        if not entries:
            continue
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(title, "bold $accent"))
        for action in entries:
            wrapped = textwrap.wrap(action.help, text_width) or [""]
            lines.append(
                Content.assemble("  ", (action.display_keys.ljust(key_width), "bold"), wrapped[0])
            )
            indent = " " * (key_width + 2)
            lines.extend(Content.assemble(indent, more) for more in wrapped[1:])
    lines += [Content(""), Content.styled("Dialogs", "bold $accent")]
    for name, keys in DIALOG_KEYS:
        lines.append(Content.assemble("  ", (name, "bold")))
        lines.extend(Content.assemble("    ", part) for part in textwrap.wrap(keys, width - 8))
    return Content("\n").join(lines)


class HelpText(Static):
    """The key table, re-wrapped to the width it gets."""

    def on_resize(self, event: Resize) -> None:
        if event.size.width:
            self.update(help_content(width=event.size.width))


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
            yield HelpText(help_content(), id="help-text", markup=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

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
