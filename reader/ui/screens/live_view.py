"""The main screen's live view: what other windows, commands and imports changed, shown
without a key press.

A part of :class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in). Twice a
second the screen's :class:`~reader.service.session.ReadingSession` looks at a few ``stat``
stamps; when something moved it says what, and this brings the panes up to date: changed list
rows only, the open article's highlights, its text (the cursor kept on its sentence).
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from reader.core.models import ArticleSummary
from reader.ui.article_note import note_of
from reader.ui.guard import guard

if TYPE_CHECKING:
    from reader.service.session import LiveUpdate
    from reader.ui.screens.main import MainScreen

#: the fields of a summary the live view refreshes in place
SUMMARY_FIELDS = tuple(f.name for f in fields(ArticleSummary))


class LiveView:
    """Brings the main screen up to date with what its session found changed."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def poll(self) -> None:
        """Ask the session what changed; show it."""
        screen = self.screen
        cursor = screen.pane.cursor
        update: LiveUpdate | None = None
        with guard(screen):
            update = screen.session.poll((cursor.start, cursor.end))
        if update is not None:
            self.apply(update)

    def apply(self, update: LiveUpdate) -> None:
        """Bring every pane up to date with what the session found changed."""
        screen = self.screen
        if update.summaries is not None:
            self.merge_summaries(update.summaries)
            if screen.article is not None:  # another window may have changed its note
                screen.sidebar.set_article_note(note_of(screen, screen.article.id))
        if update.closed:
            screen.close_article()
            screen.notify("The open article left the library", severity="warning")
            return
        if update.article is not None:
            position = update.cursor if update.cursor is not None else screen.pane.cursor.start
            screen.pane.show_article(update.article, screen.annotations, position)
            screen.sidebar.show_annotations(screen.annotations, screen.labels)
            screen.notify("The article changed on disk: it shows the new text", timeout=3)
        elif update.annotations:
            screen.show_annotations()

    def merge_summaries(self, fresh: list[ArticleSummary]) -> None:
        """Repaint only the rows that changed; the whole list only if articles came or went."""
        screen = self.screen
        if [s.id for s in fresh] != list(screen.summaries):
            screen.contents.replace(fresh)
            return
        changed = False
        for summary in fresh:
            shown = screen.summaries[summary.id]
            if summary != shown:
                # in place: a dialog opened on this summary (tags, note) keeps seeing it
                for name in SUMMARY_FIELDS:
                    setattr(shown, name, getattr(summary, name))
                screen.article_list.update_article(shown)
                changed = True
        if changed:
            screen.contents.update_header()
