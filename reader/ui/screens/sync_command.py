"""The palette command "Sync": ``reader sync`` in a worker thread.

What arrives is written into the store like any other process's change, so the live view
shows it (the screen is asked to look at once when the sync ends); the outcome is a
notification, naming notes written on two computers (``tag:sync-conflict`` lists them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

#: (name, help, callback), as the command palette provider takes them
Command = tuple[str, str, Callable[[], Any]]


def sync_commands(screen: Any) -> list[Command]:
    """The palette's "Sync" command for ``screen`` (a screen with a ``library``)."""
    return [
        (
            "Sync",
            "Share highlights with your other computers through git (reader sync)",
            partial(start_sync, screen),
        )
    ]


def start_sync(screen: Any) -> None:
    """Sync the screen's library off the UI thread; notify what came in and went out."""
    library = screen.library

    def run() -> None:
        from reader.service.gitsync import sync

        try:
            message, severity = f"Synced: {sync(library.store).summary()}", "information"
        except Exception as error:  # any failure becomes a notification, never a crash
            message, severity = f"Sync failed: {error}", "error"
        screen.app.call_from_thread(finish, message, severity)

    def finish(message: str, severity: str) -> None:
        screen.notify(message, severity=severity, markup=False, timeout=8)
        poll = getattr(screen, "poll_changes", None)
        if poll is not None:
            poll()  # show what arrived now, not at the next tick

    screen.notify("Syncing…", markup=False)
    screen.run_worker(run, thread=True, group="sync", exclusive=True)
