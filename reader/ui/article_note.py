"""Editing the note on a whole article from the main screen (the ``N`` key).

Kept out of the main screen's modules: the screen only routes
:class:`~reader.ui.messages.ArticleNoteRequested` here and shows the note in the sidebar
when an article opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.service.articles import set_article_note
from reader.service.errors import LibraryError

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen


def note_of(screen: MainScreen, article_id: str) -> str:
    """The note on an article as the screen's list knows it."""
    summary = screen.summaries.get(article_id)
    return summary.note if summary is not None else ""


def edit_article_note(screen: MainScreen, article_id: str) -> None:
    """Open the note editor on an article's note; save what comes back, and show it."""
    summary = screen.summaries.get(article_id)
    if summary is None:
        return

    def save(note: str) -> bool | str:
        """Saves through the service; a failed write keeps the editor open with the text."""
        if note.rstrip() == summary.note:
            return True
        try:
            summary.note = set_article_note(screen.library, article_id, note)
        except LibraryError as error:
            return str(error)
        screen.article_list.update_article(summary)
        if screen.article is not None and screen.article.id == article_id:
            screen.sidebar.set_article_note(summary.note)
        screen.notify(
            "Note on the article saved" if summary.note else "Note on the article removed",
            markup=False,
        )
        return True

    from reader.ui.screens.note_editor import NoteEditor  # dialogs load when first opened
    from reader.ui.widgets.sidebar import clip

    title = clip(f"Note on the article: {summary.title}", 70)
    screen.app.push_screen(NoteEditor(summary.note, save=save, title=title))
