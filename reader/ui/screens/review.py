"""The daily review: today's highlights one at a time, answered again / hard / good / easy.

Each highlight shows its quote inside a sentence of context either side, its article's
title and source, its note and tags, and when it would come back after each answer (as
Anki shows above its buttons). Answers are scheduled by :class:`DailyReview` (FSRS); the
note is edited through the Library like everywhere else. ``o`` dismisses the screen with the
highlight, which the main screen opens at its passage. The session ends with a summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from reader.core.clean import terminal_safe
from reader.core.models import Annotation
from reader.core.review import RATINGS, QueueEntry
from reader.service.errors import LibraryError
from reader.service.review import DailyReview, ReviewCard
from reader.ui.commands import PaletteCommand
from reader.ui.keys import bindings_for
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.sidebar import SWATCH_STYLES

__all__ = ["ReviewScreen", "open_daily_review", "review_commands"]

ORPHANED = "⚠ orphaned: the passage is gone from the article; this is its last quote"

#: actions that need a highlight on screen (dimmed on the summary)
_CARD_ACTIONS = frozenset({"answer", "open", "edit_note", "skip", "stop"})


def interval(due: datetime, now: datetime) -> str:
    """``<1d``, ``3d``, ``5w``, ``4mo``, ``1.5y``: how far away a due time is."""
    days = (due - now).total_seconds() / 86400
    if days < 1:
        return "<1d"
    if days < 14:
        return f"{round(days)}d"
    if days < 60:
        return f"{round(days / 7)}w"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}y"


class ReviewScreen(Screen[Annotation | None]):
    """One highlight at a time; dismisses with a highlight to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings_for("review"),
        Binding("question_mark", "help", "Help", show=False),
    ]
    DEFAULT_CSS = """
    ReviewScreen {
        align-horizontal: center;
    }
    ReviewScreen #review-head {
        height: 1;
        width: 100%;
        background: $panel;
        padding: 0 1;
    }
    ReviewScreen #review-body {
        width: 100%;
        max-width: 100;
        height: 1fr;
        padding: 1 2;
    }
    ReviewScreen #review-answers {
        width: 100%;
        max-width: 100;
        height: auto;
        padding: 0 2 1 2;
    }
    """

    def __init__(
        self,
        review: DailyReview,
        entries: list[QueueEntry],
        *,
        title: str = "Daily review",
        save_note: Callable[[str, str], Annotation | None] | None = None,
    ) -> None:
        super().__init__()
        self.review = review
        self.entries = list(entries)
        self.heading = title
        self._save_note = save_note
        self.position = 0
        self.answers: Counter[str] = Counter()
        self.skipped = 0
        self.stopped = 0
        self.current: ReviewCard | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="review-head", markup=False)
        with VerticalScroll(id="review-body"):
            yield Static(id="review-card", markup=False)
        yield Static(id="review-answers", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show()

    # ------------------------------------------------------------------ drawing
    @property
    def done(self) -> bool:
        """Every highlight of the queue was answered, skipped or stopped."""
        return self.current is None

    def _show(self) -> None:
        """Draw the current highlight (skipping any deleted meanwhile) or the summary."""
        self.current = None
        while self.position < len(self.entries):
            try:
                card = self.review.card(self.entries[self.position])
            except LibraryError as error:
                self.notify(str(error), severity="error", markup=False)
                card = None
            if card is not None:
                self.current = card
                break
            self.position += 1
        head = self.query_one("#review-head", Static)
        body = self.query_one("#review-card", Static)
        answers = self.query_one("#review-answers", Static)
        if self.current is None:
            head.update(Content(f"{self.heading} · done"))
            body.update(self._summary())
            answers.update("")
        else:
            kind = "new" if self.current.is_new else "due"
            head.update(
                Content(f"{self.heading} · {self.position + 1} of {len(self.entries)} · {kind}")
            )
            body.update(card_content(self.current))
            answers.update(self._answers(self.current.annotation.id))
        self.query_one("#review-body").scroll_home(animate=False)
        self.refresh_bindings()

    def _answers(self, annotation_id: str) -> Content:
        """``1 again <1d   2 hard 1d   3 good 2d   4 easy 8d``."""
        try:
            dues = self.review.preview(annotation_id)
        except LibraryError:
            return Content("")
        now = self.review.clock()
        parts: list[Content | str | tuple[str, str]] = []
        for number, name in enumerate(RATINGS, start=1):
            if parts:
                parts.append("   ")
            parts += [
                (f" {number} ", "bold reverse"),
                f" {name} ",
                (interval(dues[name], now), "dim"),
            ]
        return Content.assemble(*parts)

    def _summary(self) -> Content:
        answered = sum(self.answers.values())
        if not self.entries:
            per_day = self.review.new_per_day()
            return Content.assemble(
                ("Nothing to review today.", "bold"),
                f"\n\nHighlights come back when they are due; {per_day} new ones a day join in.",
                ("\n\nesc closes", "dim"),
            )
        lines: list[Content | str | tuple[str, str]] = [
            (f"Done: {answered} highlight{'s' * (answered != 1)} reviewed.", "bold"),
            "\n\n",
            "   ".join(f"{name} {self.answers[name]}" for name in RATINGS),
        ]
        if self.skipped:
            lines.append(f"\nskipped {self.skipped}")
        if self.stopped:
            lines.append(f"\nno longer reviewed: {self.stopped}")
        lines.append(("\n\nesc closes", "dim"))
        return Content.assemble(*lines)

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that need a highlight are dimmed on the summary."""
        if action in _CARD_ACTIONS and self.current is None:
            return None
        return True

    def _next(self) -> None:
        self.position += 1
        self._show()

    def action_answer(self, number: int) -> None:
        """Answer 1-4: again, hard, good, easy."""
        card = self.current
        if card is None:
            return
        name = RATINGS[number - 1]
        try:
            self.review.rate(card.annotation.id, name)
        except LibraryError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.answers[name] += 1
        self._next()

    def action_skip(self) -> None:
        """On to the next highlight without an answer; it is back tomorrow."""
        card = self.current
        if card is None:
            return
        try:
            self.review.skip(card.annotation.id)
        except LibraryError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.skipped += 1
        self._next()

    def action_stop(self) -> None:
        """Stop reviewing this highlight."""
        card = self.current
        if card is None:
            return
        try:
            self.review.suspend(card.annotation.id)
        except LibraryError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.stopped += 1
        self.notify(
            "This highlight will not come back in the review "
            '(the palette\'s "bring this highlight back" undoes it).',
            timeout=4,
        )
        self._next()

    def action_open(self) -> None:
        """Leave the review for the highlight's passage."""
        if self.current is not None:
            self.dismiss(self.current.annotation)

    def action_edit_note(self) -> None:
        """Edit the note in the note editor; saved through the library."""
        card = self.current
        if card is None or self._save_note is None:
            return
        from reader.ui.screens.note_editor import NoteEditor

        def saved(note: str | None) -> None:
            if note is None or self._save_note is None:
                return
            if self._save_note(card.annotation.id, note) is not None:
                self.review.forget_cached(card.annotation.article_id)
                self._show()

        self.app.push_screen(NoteEditor(card.annotation.note, card.annotation.quote), saved)

    def action_close(self) -> None:
        """End the review."""
        self.dismiss(None)

    def action_help(self) -> None:
        """Every key (the review's are listed under "Daily review")."""
        from reader.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    # ------------------------------------------------------------------ palette
    def context_target(self, context: str) -> Any:
        """The review's own actions run here (for the command palette)."""
        return self if context == "review" else None


def card_content(card: ReviewCard) -> Content:
    """The highlight as the review shows it: context, quote, note, tags, article.

    Every part is data: bidi controls show as ``<U+202E>`` and escape sequences go (a note
    or tag written by another tool must not reorder the card or drive the terminal).
    """
    safe = terminal_safe
    annotation = card.annotation
    swatch = SWATCH_STYLES.get(annotation.color, SWATCH_STYLES["yellow"])
    quote = " ".join(safe(annotation.quote).split())
    parts: list[Content | str | tuple[str, str]] = []
    if card.orphaned:
        parts += [
            (
                "⚠ orphaned: the passage is gone from the article; this is its last quote",
                "bold $warning",
            ),
            "\n\n",
        ]
    if card.before:
        parts.append((safe(card.before), "dim"))
    parts.append((quote, f"bold {swatch}"))
    if card.after:
        parts.append((safe(card.after), "dim"))
    if annotation.note.strip():
        parts += ["\n\n", ("note: ", "dim"), safe(annotation.note).strip()]
    if annotation.tags:
        parts += ["\n\n", (safe(" ".join(f"#{t}" for t in annotation.tags)), "$accent")]
    meta = safe(" · ".join(x for x in (card.source, card.author) if x))
    parts += ["\n\n", ("— ", "dim"), (safe(card.title), "italic")]
    if meta:
        parts += [(" · " + meta, "dim")]
    return Content.assemble(*parts)


def open_daily_review(host: Any, *, query: str | None = None, view: str | None = None) -> None:
    """Push the review on ``host`` (the main screen): its library, its notifications, and
    its views' ``go_to_annotation`` for a highlight opened from the review."""
    review = DailyReview(host.library)
    try:
        entries = review.queue(query, view=view)
    except LibraryError as error:
        host.notify(str(error), severity="error", markup=False)
        return

    def save_note(annotation_id: str, note: str) -> Annotation | None:
        try:
            changed: Annotation = host.library.set_note(annotation_id, note)
        except LibraryError as error:
            host.notify(str(error), severity="error", markup=False)
            return None
        article = getattr(host, "article", None)
        if article is not None and article.id == changed.article_id:
            host.session.reload()  # the open article shows this highlight
            host.show_annotations()
        return changed

    title = "Daily review" if view is None else f"Daily review: {view}"
    screen = ReviewScreen(review, entries, title=title, save_note=save_note)
    host.app.push_screen(screen, host.views.go_to_annotation)


def review_commands(host: Any, views: dict[str, str]) -> list[PaletteCommand]:
    """Palette commands of the review: the new highlights a day, bringing back the
    sidebar's highlight if it was stopped, and reviewing only a saved view."""
    from textual.markup import escape

    commands: list[PaletteCommand] = [
        (
            "Daily review: new highlights a day…",
            "How many highlights never reviewed join the review each day",
            partial(ask_new_per_day, host),
        )
    ]
    selected = host.sidebar.selected_annotation
    if selected is not None:
        try:
            stopped = DailyReview(host.library).is_suspended(selected.id)
        except LibraryError:
            stopped = False
        if stopped:
            commands.append(
                (
                    "Daily review: bring this highlight back",
                    "Review the selected highlight again (it was stopped with x)",
                    partial(bring_back, host, selected.id),
                )
            )
    commands += [
        (
            f"Daily review: {name}",
            escape(f"Review only highlights matching: {query}"),
            partial(open_daily_review, host, view=name),
        )
        for name, query in views.items()
    ]
    return commands


def ask_new_per_day(host: Any) -> None:
    """Ask for the number of new highlights a day, showing the current one."""
    from reader.ui.screens.input_prompt import InputPrompt

    review = DailyReview(host.library)
    try:
        current = review.new_per_day()
    except LibraryError as error:
        host.notify(str(error), severity="error", markup=False)
        return

    def answered(value: str | None) -> None:
        if value is None or not value.strip():
            return
        try:
            count = int(value.strip())
        except ValueError:
            host.notify(f"Not a number: {value.strip()}", severity="error", markup=False)
            return
        try:
            review.set_new_per_day(count)
        except LibraryError as error:
            host.notify(str(error), severity="error", markup=False)
            return
        host.notify(f"{count} new highlight{'s' * (count != 1)} a day join the review")

    host.app.push_screen(InputPrompt("New highlights a day", str(current)), answered)


def bring_back(host: Any, annotation_id: str) -> None:
    """Undo ``x`` for one highlight: it comes back when due, or as a new one."""
    try:
        DailyReview(host.library).resume(annotation_id)
    except LibraryError as error:
        host.notify(str(error), severity="error", markup=False)
        return
    host.notify("This highlight is back in the daily review.")
