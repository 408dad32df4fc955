"""The main screen's library-wide views: the trash, every highlight (``A``) and saved
views of it, the anchor review (``R``), colour labels, and the command palette's extra
commands (exports, views, labels).

A part of :class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in); writes go
through the library, failures become notifications.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.markup import escape

from reader.core.models import Annotation
from reader.ui.guard import guard

if TYPE_CHECKING:
    from reader.ui.commands import PaletteCommand
    from reader.ui.screens.main import MainScreen


class LibraryViews:
    """Trash, annotations view, anchor review, colour labels, palette commands, exports."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    # ------------------------------------------------------------------ trash
    def trash(self) -> None:
        """Browse deleted highlights."""
        deleted: list[tuple[Annotation, str]] = []
        with guard(self.screen):
            titles = {s.id: s.title for s in self.screen.library.articles()}
            deleted = [(a, titles.get(a.article_id, "?")) for a in self.screen.library.trash()]
        from reader.ui.screens.trash import TrashScreen  # dialogs load when first opened

        self.screen.app.push_screen(TrashScreen(deleted, self.restore))

    def restore(self, annotation_id: str) -> bool:
        """Bring a highlight back from the trash."""
        restored: Annotation | None = None
        with guard(self.screen):
            restored = self.screen.library.restore(annotation_id)
        if restored is None:
            return False
        if self.screen.article is not None and restored.article_id == self.screen.article.id:
            self.screen.session.reload()
            self.screen.show_annotations()
        else:
            self.screen.contents.refresh_counts(restored.article_id)
        return True

    # ------------------------------------------------------------------ library-wide views
    def anchor_review(self) -> None:
        """Review the highlights that moved (fuzzy) or lost their passage (orphaned)."""
        from reader.ui.screens.anchor_review import AnchorReviewScreen, ReviewItem

        items: list[ReviewItem] = []
        with guard(self.screen):
            texts: dict[str, str] = {}
            anchors = self.screen.library.anchors
            for annotation in anchors.needs_review():
                if annotation.article_id not in texts:
                    article = self.screen.library.article(annotation.article_id)
                    texts[annotation.article_id] = article.text if article is not None else ""
                text = texts[annotation.article_id]
                new_text: str | None = None
                if annotation.status == "fuzzy":
                    new_text = text[annotation.start : annotation.end] or None
                elif (span := anchors.suggest_passage(annotation.id)) is not None:
                    new_text = text[span[0] : span[1]]
                summary = self.screen.summaries.get(annotation.article_id)
                title = summary.title if summary is not None else "(article gone)"
                items.append(ReviewItem(annotation, title, new_text))
        review = AnchorReviewScreen(
            items,
            accept=self._accept_anchor,
            reattach=self._reattach_suggested,
            keep=self._keep_orphan,
        )
        self.screen.app.push_screen(review, self._review_done)

    def _review_write(self, annotation_id: str, write: Callable[[], object]) -> bool:
        """One review decision through the library; refreshes what shows the highlight."""
        done = False
        with guard(self.screen):
            write()
            done = True
        if done and any(a.id == annotation_id for a in self.screen.annotations):
            self.screen.session.reload()
            self.screen.show_annotations()  # the open article shows it: repaint pane and sidebar
        return done

    def _accept_anchor(self, annotation_id: str) -> bool:
        return self._review_write(
            annotation_id, lambda: self.screen.library.anchors.accept(annotation_id)
        )

    def _keep_orphan(self, annotation_id: str) -> bool:
        return self._review_write(
            annotation_id, lambda: self.screen.library.anchors.keep_orphan(annotation_id)
        )

    def _reattach_suggested(self, annotation_id: str) -> bool:
        span: tuple[int, int] | None = None
        with guard(self.screen):
            span = self.screen.library.anchors.suggest_passage(annotation_id)
        if span is None:
            return False
        start, end = span
        return self._review_write(
            annotation_id, lambda: self.screen.library.reattach(annotation_id, start, end)
        )

    def _review_done(self, place: tuple[str, int] | None) -> None:
        if place is None:
            return
        article_id, offset = place
        if self.screen.article is None or self.screen.article.id != article_id:
            self.screen.open_article(article_id)
        if self.screen.article is not None and self.screen.article.id == article_id:
            self.screen.pane.jump_to(offset)
            self.screen.pane.focus()

    def browse(self, *, query: str, title: str, view_name: str | None = None) -> None:
        annotations: list[Annotation] = []
        with guard(self.screen):
            annotations = self.screen.library.all_annotations()
        from reader.ui.screens.annotations import AnnotationsScreen

        view = AnnotationsScreen(
            annotations,
            self.screen.summaries,
            self.screen.labels,
            query=query,
            title=title,
            view_name=view_name,
            save_view=self.save_view,
        )
        self.screen.app.push_screen(view, self.go_to_annotation)

    def open_view(self, name: str) -> None:
        """The annotations view on a saved query."""
        views: dict[str, str] = {}
        with guard(self.screen):
            views = self.screen.library.settings.saved_views()
        if name not in views:
            self.screen.notify(f"No saved view named {name!r}", severity="warning", markup=False)
            return
        self.browse(query=views[name], title=f"View: {name}", view_name=name)

    def save_view(self, name: str, query: str) -> str | None:
        """Save a query of the annotations view; a message for the user, None if it failed."""
        saved = False
        with guard(self.screen):
            self.screen.library.settings.save_view(name, query)
            saved = True
        title = " ".join(name.split())
        return f"Saved: ctrl+p → View: {title}" if saved else None

    def delete_view(self, name: str) -> None:
        """Forget a saved view."""
        with guard(self.screen):
            if self.screen.library.settings.delete_view(name):
                self.screen.notify(f"Deleted the view {name!r}", timeout=3, markup=False)

    # ------------------------------------------------------------------ colour labels
    def edit_color_labels(self) -> None:
        """What each colour means: a small dialog; the labels show everywhere at once."""

        def save(typed: dict[str, str] | None) -> None:
            if typed is None:
                return
            current = self.screen.labels
            with guard(self.screen):
                for color, label in typed.items():
                    if label != current.get(color):
                        self.screen.library.settings.set_color_label(color, label)
            self.screen.labels_changed()

        from reader.ui.screens.labels import ColorLabelsScreen

        self.screen.app.push_screen(ColorLabelsScreen(self.screen.labels), save)

    def go_to_annotation(self, annotation: Annotation | None) -> None:
        """Open a highlight's article at its passage (an orphan: selected in the sidebar)."""
        if annotation is None:
            return
        if self.screen.article is None or self.screen.article.id != annotation.article_id:
            self.screen.open_article(annotation.article_id)
        if self.screen.article is None or self.screen.article.id != annotation.article_id:
            return  # it could not be opened (already notified)
        self.screen.sidebar.select_annotation(annotation.id)
        if annotation.status == "orphaned":
            self.screen.notify(
                "Orphaned: put the cursor on its new passage and press a", severity="warning"
            )
            self.screen.pane.focus()
            return
        self.screen.pane.jump_to(annotation.start)
        self.screen.pane.focus()

    # ------------------------------------------------------------------ palette
    def palette_commands(self) -> list[PaletteCommand]:
        """Commands beyond the key registry: saved views, colour labels, exports."""
        from reader.ui.screens.exports import export_commands  # loads with the palette
        from reader.ui.screens.sync_command import sync_commands

        commands: list[PaletteCommand] = []
        views: dict[str, str] = {}
        with guard(self.screen):
            views = self.screen.library.settings.saved_views()
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
        from reader.ui.screens.add_url import add_url_command
        from reader.ui.screens.review import review_commands

        commands.append(add_url_command(self.screen))
        commands.extend(review_commands(self.screen, views))
        article = self.screen.article
        commands.extend(
            export_commands(
                self.screen.library,
                article.id if article is not None else None,
                article.title if article is not None else "",
                self._run_export,
            )
        )
        return commands + sync_commands(self.screen)

    def _run_export(self, job: Callable[[], str]) -> None:
        """Run an export off the UI thread; its outcome becomes a notification."""
        screen = self.screen

        def run() -> None:
            try:
                message, severity = job(), "information"
            except Exception as error:  # any failure becomes a notification
                message, severity = f"Export failed: {error}", "error"
            screen.app.call_from_thread(screen.notify, message, severity=severity, markup=False)

        screen.run_worker(run, thread=True, group="export")
