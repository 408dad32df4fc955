"""The main screen's first frames: which article opens, and when start-up is over.

A part of :class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in). The first
frame holds the list and the article (its text read, laid out, its first sentence split):
painting the list first cost the article three more frames (~70 ms) before it opened. The
import waits (in its worker thread) until both are on screen, so that it does not hold the
GIL during the paint; then the list gets the rows start-up left out.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reader.ui.guard import guard
from reader.ui.messages import FirstPaint

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen

#: start-up is over this long after the first article was put on screen (seconds)
AFTER_FIRST_PAINT = 0.1


class StartUp:
    """Opens the first article and tells waiting work when the first frames are drawn."""

    def __init__(self, screen: MainScreen, open_request: str | None = None) -> None:
        self.screen = screen
        self._open_request = open_request
        self._painted = threading.Event()  # set once the list and the article are on screen

    def begin(self) -> None:
        """Open the first article now (in the first frame); start-up ends after it."""
        screen = self.screen
        self.open_first()
        if screen.article is None:
            screen.pane.show_article(None, [])  # no article after all: show the hint
        # after the article's frame: call_after_refresh alone could run before it was drawn
        screen.set_timer(AFTER_FIRST_PAINT, self._first_paint_done)

    def _first_paint_done(self) -> None:
        self.screen.contents.complete()
        self._painted.set()
        self.screen.post_message(FirstPaint())

    def wait_for_first_paint(self, timeout: float) -> None:
        """Block (a worker thread) until the list and the first article are on screen."""
        self._painted.wait(timeout=timeout)

    def release(self) -> None:
        """The screen is going: work still waiting for the first paint goes on (and stops)."""
        self._painted.set()

    def open_first(self) -> None:
        """On start: the article asked for, else the file's (``reader FILE``), else the
        last one read, else the first listed."""
        screen = self.screen
        wanted = self._open_request
        self._open_request = None
        article_id: str | None = None
        with guard(screen):
            if wanted:
                article_id = screen.library.find_article(wanted).id
            else:
                article_id = screen.library.first_article_id()
        if article_id not in screen.summaries:
            ids = screen.article_list.article_ids
            article_id = ids[0] if ids else None
        elif screen.contents.partial and article_id not in screen.article_list.article_ids:
            screen.contents.complete()  # its row is beyond the first ones: the list shows it now
        if article_id is not None:
            screen.open_article(article_id, focus=True)
        else:
            screen.article_list.focus()
