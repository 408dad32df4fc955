"""Messages the main screen's background work posts back to it.

Widget-specific requests are nested in their widgets (``ArticleList.OpenRequested``,
``Sidebar.JumpRequested``, ``ReadingPane.HighlightRequested``); these are the screen's own.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message


class SyncProgress(Message):
    """The import worker finished one more document of ``total``."""

    def __init__(self, done: int, total: int, name: str) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.name = name


class SyncFinished(Message):
    """The import worker is done: ``report`` is a SyncReport, or ``error`` says what failed.

    ``announced``: the sender already said what came in (Add URL's "Added: …"), so the
    import's own summary is not shown a second time.
    """

    def __init__(
        self, report: Any | None, error: str | None = None, *, announced: bool = False
    ) -> None:
        super().__init__()
        self.report = report
        self.error = error
        self.announced = announced


class SearchIndexReady(Message):
    """The full-text index of the article list (titles, sources, authors and bodies) is built."""

    def __init__(self, index: Any) -> None:
        super().__init__()
        self.index = index


class FirstPaint(Message):
    """The article list and the first article are on screen (start-up is over)."""


class ArticleNoteRequested(Message):
    """Edit the note on a whole article (from the article list or the reading pane)."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id
