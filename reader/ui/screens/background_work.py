"""The main screen's background work: the import at start-up and the list's body index.

A part of :class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in). Both run in
worker threads that report back by message (``SyncProgress``, ``SyncFinished``,
``SearchIndexReady``); the screen routes those messages here.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.widgets import Static
from textual.worker import get_current_worker

from reader.ui.guard import guard
from reader.ui.messages import SearchIndexReady, SyncFinished, SyncProgress

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen


class ImportCancelled(Exception):
    """Raised from the import's progress callback when the app is quitting."""


#: while importing, repaint the list at most this often (seconds)
LIST_REFRESH_INTERVAL = 0.5
#: the import reports its progress to the screen at most this often (seconds)
PROGRESS_INTERVAL = 0.1
#: the import starts after the first paints, or after this long (seconds) whatever happens
FIRST_PAINT_WAIT = 2.0
#: "Looking for new or changed documents…" shows only if the scan takes longer (seconds)
SCAN_NOTICE_DELAY = 0.5


class BackgroundWork:
    """The import of new and changed documents, and the body index for the list filter."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        #: whether the import is running
        self.syncing = False
        self._last_list_refresh = 0.0
        self._index_wanted = False  # the filter was used: keep a body index
        self._said: set[str] = set()  # import errors already shown in this window

    # ------------------------------------------------------------------ the import
    def start_import(self) -> None:
        """Start the import (it waits for the first paints before it reads anything)."""
        self.screen.run_worker(self._import, thread=True, exclusive=True, group="sync")

    def _import(self) -> None:
        """Import new and changed documents, reporting progress; never raises.

        Quitting cancels the worker: the next progress call stops the import (what was
        not saved yet is imported next time), so quitting never waits for a long import.
        """
        screen = self.screen
        worker = get_current_worker()
        # Event.wait releases the GIL: the first paints are not slowed by this thread
        screen.startup.wait_for_first_paint(FIRST_PAINT_WAIT)
        if worker.is_cancelled:
            return
        screen.post_message(SyncProgress(0, 0, ""))

        last_post = 0.0

        def progress(done: int, total: int, name: str) -> None:
            nonlocal last_post
            if worker.is_cancelled:
                raise ImportCancelled
            # one message per file flooded the UI (10,000 unchanged files: 10,000 repaints
            # of the status line competing with keystrokes); a few a second are enough
            now = time.monotonic()
            if now - last_post >= PROGRESS_INTERVAL or done == total:
                last_post = now
                screen.post_message(SyncProgress(done, total, name))

        try:
            report = screen.library.sync(progress)
        except ImportCancelled:
            return
        except Exception as error:  # any failure becomes a notification
            screen.post_message(SyncFinished(None, str(error) or type(error).__name__))
            return
        screen.post_message(SyncFinished(report))

    def progress(self, event: SyncProgress) -> None:
        """Show how far the import is; repaint the list now and then if it changed."""
        screen = self.screen
        self.syncing = True
        status = screen.query_one("#status", Static)
        if event.total:
            status.add_class("-shown")
            status.update(f"Importing {event.done}/{event.total} · {event.name}")
        else:
            # most scans find nothing and take a moment: a status line flashing at every
            # start (and the panes shrinking by a row for it) is only noise
            status.update("Looking for new or changed documents…")
            screen.set_timer(SCAN_NOTICE_DELAY, self._show_scan_notice)
        now = time.monotonic()
        if event.done and now - self._last_list_refresh >= LIST_REFRESH_INTERVAL:
            self._last_list_refresh = now
            with guard(screen):
                if screen.contents.changed_since_loaded():
                    screen.contents.load()  # only when the import changed the catalog

    def _show_scan_notice(self) -> None:
        if self.syncing:
            self.screen.query_one("#status", Static).add_class("-shown")

    def import_running(self) -> bool:
        """Whether an import was started and has not finished (it may still be waiting for
        the first paint, before ``syncing`` says so)."""
        return self.syncing or any(
            worker.group == "sync" and not worker.is_finished for worker in self.screen.workers
        )

    def finished(self, event: SyncFinished) -> None:
        """Say what the import did; show the list and the open article as they are now;
        then the folder is watched (changes since are imported next)."""
        self._finished(event)
        self.screen.documents.import_finished()

    def _finished(self, event: SyncFinished) -> None:
        screen = self.screen
        self.syncing = False
        screen.query_one("#status", Static).remove_class("-shown")
        if event.error is not None:
            screen.notify(f"Import failed: {event.error}", severity="error", markup=False)
            return
        report = event.report
        if report is not None and report.changed and not event.announced:
            screen.notify(f"Import: {report.summary()}", markup=False)
        # an empty or unreadable file is named once a window, not again at each import the
        # folder watch starts when any document is saved
        fresh = [e for e in report.errors if e not in self._said] if report is not None else []
        self._said.update(fresh)
        for line in fresh[:5]:
            screen.notify(line, severity="warning", markup=False)
        if report is not None:
            unsure = sum(report.reanchored.get(status, 0) for status in ("fuzzy", "orphaned"))
            if unsure:
                what = (
                    "highlights moved or lost their"
                    if unsure != 1
                    else "highlight moved or lost its"
                )
                screen.notify(
                    f"{unsure} {what} passage: R reviews them",
                    severity="warning",
                )
        if report is None or report.changed or screen.contents.changed_since_loaded():
            with guard(screen):
                screen.contents.load()  # an unchanged library keeps its list (12,000 rows)
        self._after_import(changed=report is not None and report.changed)
        if self._index_wanted:
            self._build_index()  # the import may have changed bodies or the list

    def _after_import(self, *, changed: bool) -> None:
        """The import finished (the list already reloaded if it changed): the open article
        may have left the library, or changed."""
        screen = self.screen
        if screen.article is not None and screen.article.id not in screen.summaries:
            screen.close_article()  # its document was deleted or lost this article
        if screen.article is None:
            screen.startup.open_first()
        elif changed:
            screen.poll_changes()  # its text or anchors may have changed: keep the cursor

    # ------------------------------------------------------------------ the body index
    def want_full_index(self) -> None:
        """Check the store's body index the first time the filter is used, not at start-up.

        It is kept up to date by imports; one missing or stale (a store of an older
        reader, a lost file) is rebuilt by a worker, seconds at 12,000 articles. Until it
        is ready the filter matches titles, sources and authors.
        """
        if not self._index_wanted:
            self._index_wanted = True
            if not self.syncing:
                self._build_index()  # otherwise the end of the import builds it

    def _build_index(self) -> None:
        self.screen.run_worker(self._index, thread=True, exclusive=True, group="index")

    def _index(self) -> None:
        """Bring the store's index of titles, sources, authors and bodies up to date for
        the filter (off the UI thread)."""
        from reader.ui.filtering import stored_index

        try:
            index = stored_index(self.screen.library)
        except Exception:  # the title-only index keeps working
            return
        self.screen.post_message(SearchIndexReady(index))
