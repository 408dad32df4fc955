"""The main screen's article list contents: the summaries read from the library, the rows
the list holds (only the first ones at start-up), their counts and the header.

A part of :class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in). The screen
keeps the summaries (``screen.summaries``, which the other parts read) and
:meth:`~reader.ui.screens.main.MainScreen.show_list`, the one entry point that fills the
list (the filter line drives it); this part reads, refreshes and counts what it shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.ui.guard import guard

if TYPE_CHECKING:
    from reader.core.models import ArticleSummary
    from reader.ui.screens.main import MainScreen


class ListContents:
    """What the article list shows: the library's summaries, kept current."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._articles_stamp: object = None
        self._partial = False  # the list holds only its first rows (start-up)

    def load(self, *, first_rows: int | None = None) -> None:
        """Read the list from the library (at start, and after an import changed it).

        With ``first_rows`` (start-up) the list gets only that many rows until
        :meth:`complete`: the first frame shows a screenful of them.
        """
        screen = self.screen
        self._articles_stamp = screen.library.articles_stamp()
        screen.summaries = {summary.id: summary for summary in screen.library.articles()}
        screen.filters.articles_changed()
        screen.show_list(first_rows=first_rows)
        self.update_header()

    def changed_since_loaded(self) -> bool:
        """Whether an import changed the catalog since the list was read (one stat)."""
        return bool(self.screen.library.articles_stamp() != self._articles_stamp)

    def show(self, *, first_rows: int | None = None) -> None:
        """Fill the list with the articles the filter line selects (with ``first_rows``, only
        the first of them: :meth:`complete` adds the rest)."""
        screen = self.screen
        self._partial = False
        if not screen.filter_text.strip():
            summaries = list(screen.summaries.values())
            if first_rows is not None and len(summaries) > first_rows:
                summaries = summaries[:first_rows]
                self._partial = True
            screen.article_list.set_articles(summaries)
            return
        found = screen.filters.matching(screen.filter_text)
        screen.article_list.set_articles(
            found, ranked=True, matched=screen.filters.matched_words(screen.filter_text)
        )

    def update_header(self) -> None:
        """The header's counts: articles and highlights in the library."""
        summaries = self.screen.summaries
        highlights = sum(s.annotation_count for s in summaries.values())
        articles = len(summaries)
        self.screen.sub_title = (
            f"{articles} article{'s' if articles != 1 else ''} · "
            f"{highlights} highlight{'s' if highlights != 1 else ''}"
        )

    @property
    def partial(self) -> bool:
        """Whether the list holds only its first rows (start-up, a big library)."""
        return self._partial

    def complete(self) -> None:
        """Give the list the rows start-up left out (the highlighted row stays)."""
        if not self._partial:
            return
        screen = self.screen
        selected = screen.article_list.highlighted_article_id
        screen.show_list()
        if selected is not None:
            screen.article_list.select_article(selected)

    def mark_read(self, article_id: str) -> None:
        """Show an article's row as read (the person read on in it)."""
        summary = self.screen.summaries.get(article_id)
        if summary is not None and not summary.read:
            summary.read = True
            self.screen.article_list.update_article(summary)

    def refresh_counts(self, article_id: str) -> None:
        """Repaint one article's row and the header after its highlights changed."""
        screen = self.screen
        summary = screen.summaries.get(article_id)
        if summary is None:
            return
        if screen.article is not None and article_id == screen.article.id:
            summary.annotation_count = screen.session.live_count
        else:
            with guard(screen):
                summary.annotation_count = len(screen.library.annotations(article_id))
        screen.article_list.update_article(summary)
        self.update_header()

    def replace(self, fresh: list[ArticleSummary]) -> None:
        """Articles came or went: the whole list again, the highlighted row kept."""
        screen = self.screen
        selected = screen.article_list.highlighted_article_id
        screen.summaries = {s.id: s for s in fresh}
        self._articles_stamp = screen.library.articles_stamp()
        screen.filters.articles_changed()
        screen.show_list()
        if selected is not None and selected in screen.summaries:
            screen.article_list.select_article(selected)
        self.update_header()
