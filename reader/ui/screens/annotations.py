"""The library-wide annotations view (``A``), also the anchor review (``R``).

Every highlight of the library, newest change first, filtered as you type with the query
language of :mod:`reader.core.query` (``tag:treaty color:green has:note status:orphaned``,
bare words match quote, note, tags and title). Enter dismisses with the highlight chosen,
and the main screen opens its article at the passage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
from reader.core.models import COLORS, Annotation, ArticleSummary
from reader.core.query import parse_query
from reader.ui.screens.input_prompt import InputPrompt
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.sidebar import FUZZY_MARK, ORPHAN_MARK, SWATCH_STYLES, clip

PLACEHOLDER = 'query: words  tag:x  color:green  has:note  status:orphaned  "a phrase"'
#: rows shown at most (the count says how many matched)
ROW_LIMIT = 2000


def library_row(
    annotation: Annotation, summary: ArticleSummary | None, labels: Mapping[str, str]
) -> Content:
    """Swatch, label, article and date; the quote (and what it was, if it moved); note; tags."""
    color = annotation.color if annotation.color in COLORS else COLORS[0]
    title = summary.title if summary is not None else "(article gone)"
    head: list[str | tuple[str, str]] = [
        ("  ", SWATCH_STYLES[color]),
        " ",
        (labels.get(color, color), "bold"),
        ("  " + clip(title, 70), "$text-muted"),
    ]
    if summary is not None and summary.date:
        head.append(("  " + summary.date, "dim"))
    if annotation.status == "orphaned":
        head += ["  ", (ORPHAN_MARK, "bold $error")]
    elif annotation.status == "fuzzy":
        head += ["  ", (FUZZY_MARK, "$warning")]
    lines = [
        Content.assemble(*head),
        Content(clip(annotation.quote, 200)),
    ]
    if annotation.original_quote and annotation.original_quote != annotation.quote:
        lines.append(
            Content.assemble(("was: ", "dim"), (clip(annotation.original_quote, 200), "dim"))
        )
    if annotation.note.strip():
        lines.append(Content.assemble(("✎ ", "$accent"), (clip(annotation.note, 300), "italic")))
    if annotation.tags:
        tags = terminal_safe(" ".join(f"#{tag}" for tag in annotation.tags))
        lines.append(Content.styled(tags, "$secondary"))
    return Content("\n").join(lines)


class AnnotationsScreen(ModalScreen[Annotation | None]):
    """Browse and query every highlight; dismisses with the one to open (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("down", "to_list", "Results", show=False),
        Binding("ctrl+s", "save_view", "Save view"),
    ]

    def __init__(
        self,
        annotations: Sequence[Annotation],
        summaries: Mapping[str, ArticleSummary],
        labels: Mapping[str, str],
        *,
        query: str = "",
        title: str = "All highlights",
        view_name: str | None = None,
        save_view: Callable[[str, str], str | None] | None = None,
    ) -> None:
        """``save_view(name, query)`` saves the query under a name and returns a message for
        the user (None when it failed); ``view_name`` is the saved view shown, if any."""
        super().__init__()
        # newest change first; ties (same second) in reading order, so the view is stable
        by_place = sorted(annotations, key=lambda a: (a.article_id, a.start, a.id))
        self._annotations = sorted(by_place, key=lambda a: a.updated or a.created, reverse=True)
        self._summaries = summaries
        self._labels = labels
        self._query = query
        self._title = title
        self._by_id = {a.id: a for a in self._annotations}
        self.view_name = view_name
        self._save_view = save_view

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog annotations") as dialog:
            dialog.border_title = Content(self._title)
            dialog.border_subtitle = "enter open · ctrl+s save as a view · esc close"
            yield Input(
                self._query,
                placeholder=PLACEHOLDER,
                id="query",
                select_on_focus=False,
            )
            yield Static("", id="hint", markup=False)
            yield OptionList(id="results", markup=False)
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def on_mount(self) -> None:
        self._show(self._query)
        self.query_one(Input).focus()

    @property
    def result_ids(self) -> list[str]:
        """The ids listed, in order."""
        options = self.query_one(OptionList).options
        return [option.id for option in options if option.id is not None]

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#query")
    def _query_submitted(self) -> None:
        self.action_to_list()

    def _show(self, text: str) -> None:
        query = parse_query(text, lenient=True)
        matches = [
            a
            for a in self._annotations
            if query.match_annotation(
                a, self._summaries.get(a.article_id), color_labels=self._labels
            )
        ]
        options: list[Option | None] = []
        for annotation in matches[:ROW_LIMIT]:
            row = library_row(annotation, self._summaries.get(annotation.article_id), self._labels)
            options += [Option(row, id=annotation.id), None]
        results = self.query_one(OptionList)
        results.set_options(options[:-1])
        total = len(self._annotations)
        hint = f"{len(matches)} of {total} highlight{'' if total == 1 else 's'}"
        if len(matches) > ROW_LIMIT:
            hint += f" (first {ROW_LIMIT} shown)"
        if query.problems:
            hint += " · not understood: " + "; ".join(query.problems)
        self.query_one("#hint", Static).update(hint)

    def action_to_list(self) -> None:
        """Move from the query to the results."""
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    @on(OptionList.OptionSelected, "#results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self._by_id.get(event.option.id))

    def action_save_view(self) -> None:
        """Save the query under a name (listed in the command palette as "View: name")."""
        if self._save_view is None:
            return
        query = self.query_one("#query", Input).value.strip()
        if not query:
            self.notify("Type a query first: an empty one is every highlight", severity="warning")
            return
        save = self._save_view

        def named(name: str | None) -> None:
            if name is None or not name.strip():
                return
            message = save(name, query)
            if message is not None:
                self.view_name = " ".join(name.split())
                self.query_one("#dialog").border_title = Content(f"View: {self.view_name}")
                self.notify(message, markup=False, timeout=3)

        prompt = InputPrompt("Save this query as", self.view_name or "", placeholder="a name")
        self.app.push_screen(prompt, named)

    def action_close(self) -> None:
        """Back to reading."""
        self.dismiss(None)
