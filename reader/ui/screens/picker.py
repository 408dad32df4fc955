"""A small picker: a list of values with counts, narrowed as you type (tags, sources).

Enter picks the highlighted value (from the box: the first one listed), escape cancels.
Values are data (tag names, source names): rows are built from Content, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.core.clean import terminal_safe
from reader.core.search import fold
from reader.ui.widgets.key_footer import KeyFooter

#: (value, shown as, detail such as "3 articles")
Choice = tuple[str, str, str]


def choice_row(shown: str, detail: str) -> Content:
    """One row: the value in bold, its counts dimmed."""
    # values are tags and sources: a bidi override in one must not reorder the row
    return Content.assemble(
        (terminal_safe(shown), "bold"), ("  " + terminal_safe(detail), "dim") if detail else ""
    )


class ChoicePicker(ModalScreen[str | None]):
    """Pick one value. Dismisses with it, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    ChoicePicker {
        align: center middle;
    }
    ChoicePicker .dialog.picker {
        width: 64;
        height: 70%;
    }
    ChoicePicker .dialog.picker OptionList {
        height: 1fr;
        border: none;
    }
    ChoicePicker #picker-hint {
        color: $text-muted;
        height: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("down", "to_list", "Results", show=False),
    ]

    def __init__(self, title: str, choices: Sequence[Choice], placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)
        self._placeholder = placeholder or "type to narrow"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog picker") as dialog:
            dialog.border_title = Content(self._title)
            dialog.border_subtitle = "enter pick · esc cancel"
            yield Input(placeholder=self._placeholder, id="picker-filter")
            yield Static("", id="picker-hint", markup=False)
            yield OptionList(id="picker-list", markup=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def on_mount(self) -> None:
        self._show("")
        self.query_one(Input).focus()

    @property
    def shown_values(self) -> list[str]:
        """The values listed, in order."""
        options = self.query_one(OptionList).options
        return [self._choices[int(o.id)][0] for o in options if o.id is not None]

    def _show(self, typed: str) -> None:
        wanted = fold(typed.strip().lstrip("#"))
        options = [
            Option(choice_row(shown, detail), id=str(i))
            for i, (value, shown, detail) in enumerate(self._choices)
            if not wanted or wanted in fold(value)
        ]
        listing = self.query_one(OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = 0
        hint = f"{len(options)} of {len(self._choices)}" if self._choices else "nothing to pick"
        self.query_one("#picker-hint", Static).update(hint)

    @on(Input.Changed, "#picker-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        listing = self.query_one(OptionList)
        index = listing.highlighted
        if index is not None and listing.option_count:
            self._pick(listing.get_option_at_index(index))

    @on(OptionList.OptionSelected, "#picker-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option)

    def _pick(self, option: Option) -> None:
        if option.id is not None:
            self.dismiss(self._choices[int(option.id)][0])

    def action_to_list(self) -> None:
        """Move from the box to the list."""
        listing = self.query_one(OptionList)
        if listing.option_count:
            listing.focus()

    def action_cancel(self) -> None:
        """Close without a pick."""
        self.dismiss(None)
