"""The main screen's library-wide actions: the trash, every highlight (``A``) and saved
views of it, the anchor review (``R``), colour labels, and the command palette's targets and
extra commands (exports, views, labels). The list filters come from
:mod:`reader.ui.screens.main_filters`.

Mixed into MainScreen, like :mod:`reader.ui.screens.main_edits`; writes go through the
Library, failures become notifications.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual import work
from textual.dom import DOMNode
from textual.markup import escape
from textual.widget import Widget

from reader.core.models import Annotation
from reader.ui.commands import PaletteCommand
from reader.ui.screens.main_edits import guard
from reader.ui.screens.main_filters import FiltersMixin


class LibraryViewsMixin(FiltersMixin):
    """Trash, annotations view, anchor review, palette hooks; mixed into MainScreen."""

    _labels: dict[str, str] | None

    @property
    def labels(self) -> dict[str, str]:
        """Colour -> meaning (MainScreen provides it)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ trash
    def action_trash(self) -> None:
        """Browse deleted highlights."""
        deleted: list[tuple[Annotation, str]] = []
        with guard(self):
            titles = {s.id: s.title for s in self.library.articles()}
            deleted = [(a, titles.get(a.article_id, "?")) for a in self.library.trash()]
        from reader.ui.screens.trash import TrashScreen  # dialogs load when first opened

        self.app.push_screen(TrashScreen(deleted, self.restore))

    def restore(self, annotation_id: str) -> bool:
        """Bring a highlight back from the trash."""
        restored: Annotation | None = None
        with guard(self):
            restored = self.library.restore(annotation_id)
        if restored is None:
            return False
        if self.article is not None and restored.article_id == self.article.id:
            self.reload_annotations()
        else:
            self.refresh_counts(restored.article_id)
        return True

    # ------------------------------------------------------------------ library-wide views
    def action_annotations_view(self) -> None:
        """Every highlight of the library, with a query line."""
        self._browse(query="", title="All highlights")

    def action_anchor_review(self) -> None:
        """Review the highlights that moved (fuzzy) or lost their passage (orphaned)."""
        from reader.ui.screens.anchor_review import AnchorReviewScreen, ReviewItem

        items: list[ReviewItem] = []
        with guard(self):
            texts: dict[str, str] = {}
            for annotation in self.library.needs_review():
                if annotation.article_id not in texts:
                    article = self.library.article(annotation.article_id)
                    texts[annotation.article_id] = article.text if article is not None else ""
                text = texts[annotation.article_id]
                new_text: str | None = None
                if annotation.status == "fuzzy":
                    new_text = text[annotation.start : annotation.end] or None
                elif (span := self.library.suggest_passage(annotation.id)) is not None:
                    new_text = text[span[0] : span[1]]
                summary = self.summaries.get(annotation.article_id)
                title = summary.title if summary is not None else "(article gone)"
                items.append(ReviewItem(annotation, title, new_text))
        review = AnchorReviewScreen(
            items,
            accept=self._accept_anchor,
            reattach=self._reattach_suggested,
            keep=self._keep_orphan,
        )
        self.app.push_screen(review, self._review_done)

    def _review_write(self, annotation_id: str, write: Callable[[], object]) -> bool:
        """One review decision through the library; refreshes what shows the highlight."""
        done = False
        with guard(self):
            write()
            done = True
        if done and any(a.id == annotation_id for a in self.annotations):
            self.reload_annotations()  # the open article shows it: repaint pane and sidebar
        return done

    def _accept_anchor(self, annotation_id: str) -> bool:
        return self._review_write(annotation_id, lambda: self.library.accept_anchor(annotation_id))

    def _keep_orphan(self, annotation_id: str) -> bool:
        return self._review_write(annotation_id, lambda: self.library.keep_orphan(annotation_id))

    def _reattach_suggested(self, annotation_id: str) -> bool:
        span: tuple[int, int] | None = None
        with guard(self):
            span = self.library.suggest_passage(annotation_id)
        if span is None:
            return False
        start, end = span
        return self._review_write(
            annotation_id, lambda: self.library.reattach(annotation_id, start, end)
        )

    def _review_done(self, place: tuple[str, int] | None) -> None:
        if place is None:
            return
        article_id, offset = place
        if self.article is None or self.article.id != article_id:
            self.open_article(article_id)
        if self.article is not None and self.article.id == article_id:
            self.pane.jump_to(offset)
            self.pane.focus()

    def _browse(self, *, query: str, title: str, view_name: str | None = None) -> None:
        annotations: list[Annotation] = []
        with guard(self):
            annotations = self.library.all_annotations()
        from reader.ui.screens.annotations import AnnotationsScreen

        view = AnnotationsScreen(
            annotations,
            self.summaries,
            self.labels,
            query=query,
            title=title,
            view_name=view_name,
            save_view=self.save_view,
        )
        self.app.push_screen(view, self.go_to_annotation)

    def open_view(self, name: str) -> None:
        """The annotations view on a saved query."""
        views: dict[str, str] = {}
        with guard(self):
            views = self.library.settings.saved_views()
        if name not in views:
            self.notify(f"No saved view named {name!r}", severity="warning", markup=False)
            return
        self._browse(query=views[name], title=f"View: {name}", view_name=name)

    def save_view(self, name: str, query: str) -> str | None:
        """Save a query of the annotations view; a message for the user, None if it failed."""
        saved = False
        with guard(self):
            self.library.settings.save_view(name, query)
            saved = True
        title = " ".join(name.split())
        return f"Saved: ctrl+p → View: {title}" if saved else None

    def delete_view(self, name: str) -> None:
        """Forget a saved view."""
        with guard(self):
            if self.library.settings.delete_view(name):
                self.notify(f"Deleted the view {name!r}", timeout=3, markup=False)

    # ------------------------------------------------------------------ colour labels
    def edit_color_labels(self) -> None:
        """What each colour means: a small dialog; the labels show everywhere at once."""

        def save(typed: dict[str, str] | None) -> None:
            if typed is None:
                return
            current = self.labels
            with guard(self):
                for color, label in typed.items():
                    if label != current.get(color):
                        self.library.settings.set_color_label(color, label)
            self._labels = None  # read again from the library
            labels = self.labels
            self.pane.color_labels = labels
            self.sidebar.show_annotations(self.annotations, labels)

        from reader.ui.screens.labels import ColorLabelsScreen

        self.app.push_screen(ColorLabelsScreen(self.labels), save)

    def go_to_annotation(self, annotation: Annotation | None) -> None:
        """Open a highlight's article at its passage (an orphan: selected in the sidebar)."""
        if annotation is None:
            return
        if self.article is None or self.article.id != annotation.article_id:
            self.open_article(annotation.article_id)
        if self.article is None or self.article.id != annotation.article_id:
            return  # it could not be opened (already notified)
        self.sidebar.select_annotation(annotation.id)
        if annotation.status == "orphaned":
            self.notify(
                "Orphaned: put the cursor on its new passage and press a", severity="warning"
            )
            self.pane.focus()
            return
        self.pane.jump_to(annotation.start)
        self.pane.focus()

    # ------------------------------------------------------------------ palette
    def context_target(self, context: str) -> DOMNode | None:
        """Where an action of a registry context runs (for the command palette)."""
        if context == "global":
            return self if isinstance(self, DOMNode) else None
        targets: dict[str, Widget] = {
            "list": self.article_list,
            "reader": self.pane,
            "sidebar": self.sidebar,
        }
        return targets.get(context)

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """Commands beyond the key registry: saved views, colour labels, exports."""
        from reader.ui.screens.exports import export_commands  # loads with the palette

        commands: list[PaletteCommand] = []
        views: dict[str, str] = {}
        with guard(self):
            views = self.library.settings.saved_views()
        for name, query in views.items():
            help_text = escape(f"All highlights matching: {query}")
            commands.append((f"View: {name}", help_text, partial(self.open_view, name)))
        commands.append(
            (
                "Colour labels: edit",
                "What each of the five colours means (shown in the sidebar and exports)",
                self.edit_color_labels,
            )
        )
        for name in views:
            commands.append(
                (f"Delete view: {name}", "Forget this saved view", partial(self.delete_view, name))
            )
        from reader.ui.screens.review import review_commands

        commands.extend(review_commands(self, views))
        article = self.article
        commands.extend(
            export_commands(
                self.library,
                article.id if article is not None else None,
                article.title if article is not None else "",
                self._run_export,
            )
        )
        return commands

    @work(thread=True, group="export")
    def _run_export(self, job: Callable[[], str]) -> None:
        """Run an export off the UI thread; its outcome becomes a notification."""
        try:
            message, severity = job(), "information"
        except Exception as error:  # any failure becomes a notification
            message, severity = f"Export failed: {error}", "error"
        self.app.call_from_thread(self.notify, message, severity=severity, markup=False)
