"""The tag view (``#``): every tag with its counts; filter by one, rename one, merge two.

Renaming onto a tag already in use merges the two, on articles and highlights alike (the
trash too). The screen writes only through the ``rename`` callback it is given (the main
screen's, which goes through the Library) and re-reads the counts afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.core.clean import terminal_safe
from reader.core.models import normalize_tag
from reader.service.library import tag_rename_undoable
from reader.ui.screens.input_prompt import InputPrompt
from reader.ui.screens.list_dialog import ListDialog
from reader.ui.screens.tag_editor import TagSuggester
from reader.ui.widgets.key_footer import KeyFooter

#: tag -> (articles tagged with it, highlights carrying it)
TagCounts = Mapping[str, tuple[int, int]]


def counts_text(articles: int, highlights: int) -> str:
    """``"2 articles · 1 highlight"`` (zero counts left out)."""
    parts = []
    if articles:
        parts.append(f"{articles} article{'s' if articles != 1 else ''}")
    if highlights:
        parts.append(f"{highlights} highlight{'s' if highlights != 1 else ''}")
    return " · ".join(parts)


def tag_row(tag: str, articles: int, highlights: int) -> Content:
    """One row of the tag view: ``#tag`` and its counts."""
    shown = terminal_safe(f"#{tag}")  # a bidi override in a tag must not reorder the row
    return Content.assemble((shown, "bold"), ("  " + counts_text(articles, highlights), "dim"))


class TagNamePrompt(InputPrompt):
    """Ask for a tag name, completing from the tags in use; dismisses with it or None."""

    def __init__(
        self, title: str, value: str, known: Mapping[str, object], *, undoable: bool = True
    ) -> None:
        super().__init__(title, value)
        self._known = list(known)
        self._undoable = undoable

    def keys_hint(self) -> str:
        """Enter, completion and escape, and whether the rename can be undone."""
        undo = "back in the panes, u undoes it" if self._undoable else "too many to undo"
        return f"enter ok ({undo}) · → completes · esc cancel"

    def make_input(self) -> Input:
        """The tag name, completed from the tags in use."""
        return Input(self._value, suggester=TagSuggester(self._known), id="tag-name")


class TagsScreen(ListDialog[str | None]):
    """Every tag with its counts. Dismisses with a tag to filter the article list by, or None.

    ``counts()`` reads the counts; ``rename(old, new)`` renames (merging into ``new`` when
    it exists) and returns a message for the user, or None when it failed.
    """

    DEFAULT_CSS = """
    TagsScreen {
        align: center middle;
    }
    TagsScreen .dialog.tags {
        width: 70;
        height: 80%;
    }
    TagsScreen .dialog.tags OptionList {
        height: 1fr;
        border: none;
    }
    TagsScreen #tags-hint {
        color: $text-muted;
        height: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "filter", "Filter the list", show=False),
        Binding("r", "rename", "Rename"),
        Binding("m", "merge", "Merge into"),
    ]

    def __init__(
        self,
        counts: Callable[[], TagCounts],
        rename: Callable[[str, str], str | None],
    ) -> None:
        super().__init__()
        self._read_counts = counts
        self._rename = rename
        self._counts: dict[str, tuple[int, int]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog tags") as dialog:
            dialog.border_title = "Tags"
            dialog.border_subtitle = "enter filter · r rename · m merge into · esc close"
            yield Static("", id="tags-hint", markup=False)
            yield OptionList(id="tags-list", markup=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    @property
    def tags(self) -> list[str]:
        """The tags listed, in order."""
        return [o.id for o in self.query_one(OptionList).options if o.id is not None]

    @property
    def highlighted_tag(self) -> str | None:
        """The tag under the cursor."""
        option = self.query_one(OptionList).highlighted_option
        return option.id if option is not None else None

    def reload(self, select: str | None = None) -> None:
        """Read the counts again and list them, keeping (or moving to) a tag."""
        keep = select or self.highlighted_tag
        self._counts = dict(self._read_counts())
        listing = self.query_one(OptionList)
        listing.set_options(
            Option(tag_row(tag, *counts), id=tag) for tag, counts in self._counts.items()
        )
        if keep in self._counts:
            listing.highlighted = listing.get_option_index(keep)
        elif self._counts:
            listing.highlighted = 0
        total = len(self._counts)
        hint = f"{total} tag{'s' if total != 1 else ''}" if total else "No tags yet: t tags"
        self.query_one("#tags-hint", Static).update(hint)

    @on(OptionList.OptionSelected, "#tags-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_filter(self) -> None:
        """Filter the article list by the highlighted tag."""
        if (tag := self.highlighted_tag) is not None:
            self.dismiss(tag)

    def action_rename(self) -> None:
        """Give the highlighted tag a new name (an existing name merges the two)."""
        tag = terminal_safe(self.highlighted_tag or "")
        self._ask(f"Rename #{tag} to (a tag in use merges)", prefill=True)

    def action_merge(self) -> None:
        """Merge the highlighted tag into another one."""
        self._ask(f"Merge #{terminal_safe(self.highlighted_tag or '')} into", prefill=False)

    def _ask(self, title: str, *, prefill: bool) -> None:
        old = self.highlighted_tag
        if old is None:
            return
        others = {tag: n for tag, n in self._counts.items() if tag != old}

        def done(new: str | None) -> None:
            if new is None or not normalize_tag(new) or normalize_tag(new) == old:
                return
            message = self._rename(old, new)
            if message is not None:
                self.notify(message, markup=False, timeout=3)
                self.reload(select=normalize_tag(new))

        undoable = tag_rename_undoable(*self._counts.get(old, (0, 0)))
        prompt = TagNamePrompt(title, old if prefill else "", others, undoable=undoable)
        self.app.push_screen(prompt, done)
