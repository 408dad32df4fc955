"""The trash: deleted highlights, newest first; enter restores one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.models import Annotation
from reader.ui.screens.list_dialog import ListDialog
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.sidebar import SWATCH_STYLES, clip


def trash_row(annotation: Annotation, title: str) -> Content:
    """A deleted highlight: swatch, article title and when it was deleted; the quote."""
    swatch = SWATCH_STYLES.get(annotation.color, SWATCH_STYLES["yellow"])
    when = (annotation.deleted or "")[:16].replace("T", " ")
    head = Content.assemble(("  ", swatch), " ", (clip(title, 60), "bold"), ("  " + when, "dim"))
    body = Content(clip(annotation.quote, 160))
    return Content("\n").join([head, body])


EMPTY_TRASH = "The trash is empty."


class TrashScreen(ListDialog[None]):
    """Browse deleted highlights. ``restore(annotation_id)`` is the screen's one write path
    and returns whether the highlight came back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "restore", "Restore"),
    ]

    def __init__(
        self,
        deleted: Sequence[tuple[Annotation, str]],
        restore: Callable[[str], bool],
    ) -> None:
        super().__init__()
        self._deleted = list(deleted)
        self._restore = restore

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog trash") as dialog:
            dialog.border_title = f"Trash ({len(self._deleted)})"
            dialog.border_subtitle = "enter restore · esc close"
            options: list[Option | None] = []
            for annotation, title in self._deleted:
                options += [Option(trash_row(annotation, title), id=annotation.id), None]
            if not options:
                options = [Option(Content.styled(EMPTY_TRASH, "dim"), disabled=True)]
            yield OptionList(*options[:-1] or options, id="trash-list", markup=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._restore_option(event.option_index)

    def action_restore(self) -> None:
        """Restore the highlighted entry."""
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self._restore_option(index)

    def _restore_option(self, index: int) -> None:
        options = self.query_one(OptionList)
        option = options.get_option_at_index(index)
        if option.id is None or not self._restore(option.id):
            return
        options.remove_option(option.id)
        self._deleted = [(a, t) for a, t in self._deleted if a.id != option.id]
        self.query_one("#dialog").border_title = f"Trash ({len(self._deleted)})"
        if not self._deleted:  # say so, rather than leave a blank box
            options.set_options([Option(Content.styled(EMPTY_TRASH, "dim"), disabled=True)])
