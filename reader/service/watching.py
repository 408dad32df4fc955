"""Noticing documents that change on disk while a window is open.

A person edits a clipping in another program, drops a new one into the folder, or renames
one: the open window should show it without a restart. The folder is watched with
`watchfiles` (the operating system's notifications: inotify, FSEvents, ReadDirectoryChangesW,
through a maintained Rust core) instead of a polling loop of our own: an idle window costs
nothing, and a folder of 10,000 files is not stat-ed twice a second. What changed is then
imported by the ordinary import, which decides what is new, changed, moved or gone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.service.library import Library

#: changes arriving within this many milliseconds of each other are one batch (an editor's
#: save is often several writes and a rename)
DEBOUNCE_MS = 300
#: how often the watch checks whether it should stop (milliseconds)
STOP_CHECK_MS = 500


class WatchUnavailable(Exception):
    """The folder cannot be watched (no watchfiles, or the system's watch limit is reached)."""


def watched_folder(library: Library) -> Path | None:
    """The folder whose changes matter: the library folder, or the single file's folder
    (``reader FILE``); None for the bundled samples and a store without documents."""
    location = library.location
    if location is not None and location.is_samples:
        return None
    if library.files:
        return library.files[0].parent
    return library.docs_root


def relevance(library: Library) -> Callable[[Path], bool]:
    """Whether a change at a path can change the library: not the store's own files, not
    hidden files (editor swap files, ``.git``), and in ``reader FILE`` only that file."""
    store_root = Path(library.store.root).absolute()
    files = {Path(f).absolute() for f in library.files}
    root = library.docs_root.absolute() if library.docs_root is not None else None

    def relevant(path: Path) -> bool:
        if path == store_root or store_root in path.parents:
            return False  # the store's own writes: watching them would re-import forever
        if files:
            return path in files
        if root is None:
            return False
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            return False
        return not any(part.startswith(".") for part in parts)

    return relevant


def document_changes(library: Library, stop: threading.Event) -> Iterator[set[Path]]:
    """Each batch of relevant changed paths under the watched folder, until ``stop`` is set.

    Raises :class:`WatchUnavailable` when the folder cannot be watched.
    """
    folder = watched_folder(library)
    if folder is None:
        return
    try:
        from watchfiles import watch
    except ImportError as error:  # an install without it: the window works, unwatched
        raise WatchUnavailable("watchfiles is not installed") from error
    relevant = relevance(library)
    try:
        for batch in watch(
            folder.absolute(),
            watch_filter=lambda _change, path: relevant(Path(path)),
            debounce=DEBOUNCE_MS,
            rust_timeout=STOP_CHECK_MS,
            yield_on_timeout=False,
            stop_event=stop,
            raise_interrupt=False,
        ):
            changed = {Path(path) for _change, path in batch}
            if changed:
                yield changed
    except OSError as error:  # e.g. the inotify watch limit, or the folder was removed
        raise WatchUnavailable(str(error) or type(error).__name__) from error
