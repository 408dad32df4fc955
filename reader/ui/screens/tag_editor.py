"""The tag editor: one Input of comma separated tags, completing from the tags in use."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from reader.core.models import normalize_tags
from reader.ui.keys import bindings_for
from reader.ui.widgets.key_footer import KeyFooter


def split_tags(value: str) -> list[str]:
    """``"a, b ,#c"`` -> ``["a", "b", "c"]`` (normalised, no empties or duplicates)."""
    return normalize_tags(value.split(","))


def normalised_note(value: str) -> str:
    """What the tags typed will be saved as, when that is not what was typed (tags are
    lower case, spaces become hyphens: "Marine Biology" is saved as #marine-biology)."""
    typed = [part.strip().lstrip("#").strip() for part in value.split(",")]
    typed = [part for part in typed if part]
    saved = split_tags(value)
    if typed == saved:
        return ""
    return "saved as " + " ".join(f"#{tag}" for tag in saved) if saved else ""


class TagSuggester(Suggester):
    """Completes the tag being typed (the text after the last comma) from known tags."""

    def __init__(self, tags: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._tags = sorted(set(tags))

    async def get_suggestion(self, value: str) -> str | None:
        """The whole value with its last tag completed, or ``None``."""
        head, comma, last = value.rpartition(",")
        typed = last.lstrip().lstrip("#").casefold()
        if not typed:
            return None
        already = set(split_tags(head))
        for tag in self._tags:
            if tag.startswith(typed) and tag != typed and tag not in already:
                lead = last[: len(last) - len(last.lstrip())]
                hash_mark = "#" if last.lstrip().startswith("#") else ""
                return f"{head}{comma}{lead}{hash_mark}{tag}"
        return None


class TagEditor(ModalScreen[list[str] | None]):
    """Edit a list of tags. Dismisses with the tags, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("editor")]

    def __init__(
        self,
        tags: Iterable[str] = (),
        known: dict[str, int] | None = None,
        title: str = "Tags",
        save: Callable[[list[str]], bool | str] | None = None,
    ) -> None:
        super().__init__()
        self._tags = list(tags)
        self._known = dict(known or {})
        self._title = title
        #: saves the tags: True closes, a string is why it failed (the editor stays open)
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as dialog:
            dialog.border_title = Content(self._title)  # may hold an article title: data
            dialog.border_subtitle = "enter / ctrl+s save · esc cancel · → completes"
            yield Input(
                ", ".join(self._tags),
                placeholder="comma, separated, tags",
                suggester=TagSuggester(self._known),
                id="tags",
                select_on_focus=False,  # typing adds a tag, it must not replace them all
            )
            yield Static(normalised_note(", ".join(self._tags)), id="normalised", markup=False)
            popular = sorted(self._known, key=lambda t: (-self._known[t], t))[:12]
            if popular:
                yield Static(
                    Content.assemble(("in use: ", "dim"), " ".join(f"#{t}" for t in popular)),
                    id="known",
                    markup=False,
                )
            yield Static("", id="error", markup=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def on_mount(self) -> None:
        tag_input = self.query_one(Input)
        tag_input.focus()
        tag_input.action_end()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say how the tags will be saved, as they are typed (so nothing surprises later)."""
        self.query_one("#normalised", Static).update(normalised_note(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Save the tags as typed (through the save function, when there is one)."""
        tags = split_tags(self.query_one(Input).value)
        if self._save is None:
            self.dismiss(tags)
            return
        outcome = self._save(tags)
        if outcome is True:
            self.dismiss(tags)
        elif isinstance(outcome, str):
            self.query_one("#error", Static).update(
                Content.styled(f"Not saved: {outcome}", "bold $error")
            )

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
