"""Anchor review: after documents changed, each highlight that moved (fuzzy) or lost its
passage (orphaned), with the old quote and the new text side by side, differences marked.

Keys: ``a`` accept the new place, ``r`` re-attach to the suggested passage, ``o`` keep it as an
orphan, ``enter`` go to the passage, ``escape`` close. The screen does no writes itself: the
callbacks it is given are the main screen's (one write path through the library).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.models import Annotation
from reader.core.worddiff import word_diff
from reader.ui.screens.list_dialog import ListDialog
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.sidebar import SWATCH_STYLES, clip

DIFF_STYLES = {"same": "", "removed": "strike $error", "added": "bold $success"}


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One highlight to review: the annotation, its article's title and the text that now
    stands for it (the fuzzy match, or the suggested passage of an orphan, or None)."""

    annotation: Annotation
    title: str
    new_text: str | None


def diff_content(old: str, new: str) -> tuple[Content, Content]:
    """The old and the new text with removed words struck and added words bold."""
    olds: list[tuple[str, str] | str] = []
    news: list[tuple[str, str] | str] = []
    for op, text in word_diff(old, new):
        style = DIFF_STYLES[op]
        if op != "added":
            olds.append((text, style) if style else text)
        if op != "removed":
            news.append((text, style) if style else text)
    return Content.assemble(*olds), Content.assemble(*news)


def review_row(item: ReviewItem) -> Content:
    """Title and status, then ``was:`` and ``now:`` lines."""
    annotation = item.annotation
    swatch = SWATCH_STYLES.get(annotation.color, SWATCH_STYLES["yellow"])
    status = "≈ moved" if annotation.status == "fuzzy" else "⚠ orphaned"
    head = Content.assemble(
        ("  ", swatch), " ", (clip(item.title, 50), "bold"), "  ", (status, "bold $warning")
    )
    old = clip(annotation.original_quote or annotation.quote, 300)
    if item.new_text is None:
        was, now = Content(old), Content.styled("(no similar passage in the new text)", "dim")
    else:
        was, now = diff_content(old, clip(item.new_text, 300))
    lines = [head, Content.assemble(("was: ", "dim"), was), Content.assemble(("now: ", "dim"), now)]
    if annotation.note:
        lines.append(Content.assemble(("note: ", "dim"), clip(annotation.note, 120)))
    return Content("\n").join(lines)


class AnchorReviewScreen(ListDialog[tuple[str, int] | None]):
    """Review fuzzy and orphaned highlights. Dismisses with (article_id, offset) on enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept"),
        Binding("r", "reattach", "Re-attach"),
        Binding("o", "keep", "Keep orphan"),
        Binding("enter", "go", "Go to"),
    ]

    def __init__(
        self,
        items: Sequence[ReviewItem],
        *,
        accept: Callable[[str], bool],
        reattach: Callable[[str], bool],
        keep: Callable[[str], bool],
    ) -> None:
        super().__init__()
        self._items = {item.annotation.id: item for item in items}
        self._accept = accept
        self._reattach = reattach
        self._keep = keep

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog review") as dialog:
            dialog.border_subtitle = "a accept · r re-attach · o keep orphan · enter go · esc close"
            yield OptionList(*self._options(), id="review-list", markup=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def _options(self) -> list[Option | None]:
        options: list[Option | None] = []
        for item in self._items.values():
            options += [Option(review_row(item), id=item.annotation.id), None]
        if not options:
            return [Option(Content.styled("Every highlight is in place.", "dim"), disabled=True)]
        return options[:-1]

    def _retitle(self) -> None:
        self.query_one("#dialog").border_title = f"Review anchors ({len(self._items)})"

    def on_mount(self) -> None:
        self._retitle()
        self.query_one(OptionList).focus()

    def _current(self) -> ReviewItem | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return self._items.get(option.id or "")

    def _done(self, annotation_id: str) -> None:
        options = self.query_one(OptionList)
        options.remove_option(annotation_id)
        self._items.pop(annotation_id, None)
        self._retitle()
        if not self._items:
            options.set_options(self._options())

    def action_accept(self) -> None:
        """Accept a moved highlight's new place."""
        item = self._current()
        if item is None:
            return
        if item.annotation.status != "fuzzy":
            self.notify(
                "An orphan has no new place to accept: r re-attaches, o keeps it.",
                severity="warning",
            )
            return
        if self._accept(item.annotation.id):
            self._done(item.annotation.id)

    def action_reattach(self) -> None:
        """Move the highlight (note and tags) onto the suggested passage."""
        item = self._current()
        if item is None:
            return
        if item.new_text is None:
            self.notify(
                "No similar passage: open the article (enter), select one and press a.",
                severity="warning",
            )
            return
        if self._reattach(item.annotation.id):
            self._done(item.annotation.id)

    def action_keep(self) -> None:
        """Keep the highlight as an orphan (nothing is deleted) and stop listing it."""
        item = self._current()
        if item is not None and self._keep(item.annotation.id):
            self._done(item.annotation.id)

    def action_go(self) -> None:
        """Open the article at the highlight's place."""
        item = self._current()
        if item is not None:
            self.dismiss((item.annotation.article_id, item.annotation.start))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_go()
