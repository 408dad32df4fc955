"""The main screen's watch on its documents: a clipping edited, added, renamed or removed
while the window is open is imported at once, and the panes show it.

A part of :class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in). A worker
thread waits on :func:`reader.service.watching.document_changes` (the system's file
notifications: no polling) and asks the screen for the ordinary background import, which
decides what is new, changed, moved or gone; the live view then shows the open article's new
text with the cursor kept on its sentence.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from reader.ui.guard import guard

if TYPE_CHECKING:
    from reader.ui.screens.main import MainScreen


class DocumentWatch:
    """Watches the library folder while the screen is open."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._stop = threading.Event()
        self._started = False
        #: changes arrived while an import was running: import again when it ends
        self.pending = False

    def start(self) -> None:
        """Start watching (once; after the first import has looked at the folder)."""
        if self._started:
            return
        self._started = True
        self.screen.run_worker(self._watch, thread=True, group="watch", exit_on_error=False)

    def stop(self) -> None:
        """Stop watching (the worker ends within half a second)."""
        self._stop.set()

    def _watch(self) -> None:
        from reader.service.watching import WatchUnavailable, document_changes

        screen = self.screen
        try:
            for _changed in document_changes(screen.library, self._stop):
                screen.app.call_from_thread(self.changed)
        except WatchUnavailable as error:
            message = f"Changes to documents show after a restart (not watched: {error})"
            screen.app.call_from_thread(screen.notify, message, severity="warning", markup=False)

    def changed(self) -> None:
        """Documents changed on disk: import them now, or when the running import ends."""
        if self._stop.is_set():
            return
        if self.screen.background.import_running():
            self.pending = True
            return
        with guard(self.screen):
            self.screen.background.start_import()

    def import_finished(self) -> None:
        """An import ended: the folder is watched from now on, and changes that came while
        it ran are imported now."""
        self.start()
        if self.pending:
            self.pending = False
            self.changed()
