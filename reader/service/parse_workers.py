"""Parsing many documents in worker processes while the import saves what is parsed.

Workers end with the process that started them, however it ends (a killed ``reader
import`` leaves none behind).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader.core.models import Article
from reader.service.documents import Namer, Skipped, check_document, read_document
from reader.store import FileRecord

#: an import (without a progress display) with this many files to parse parses them in
#: worker processes, the main process reading, saving and flushing meanwhile
PARALLEL_MIN_FILES = 500
#: files per task sent to a worker
PARALLEL_CHUNK = 50


class ParseFailed(Exception):
    """A file a worker could not parse (its message is the error line)."""


def _parse_files(items: list[tuple[str, str]]) -> list[tuple[str, str, list[Article] | str]]:
    """In a worker: ``(name, sha, articles or error line)`` for each ``(path, name)``."""
    from reader.core.parser import ParseError, parse_bytes

    out: list[tuple[str, str, list[Article] | str]] = []
    for path, name in items:
        try:
            data = read_document(Path(path))
        except (Skipped, OSError):
            continue  # the main process reports it
        sha = hashlib.sha256(data).hexdigest()[:32]
        try:
            out.append((name, sha, parse_bytes(data, name)))
        except ParseError as error:
            out.append((name, sha, str(error)))
        except Exception as error:  # a parser bug must not stop the rest of the folder
            out.append((name, sha, f"{name}: could not be parsed ({type(error).__name__})"))
    return out


def _end_with_parent(parent: int) -> None:
    """In a parse worker: end when the importing process ends, however it ends.

    A killed ``reader import`` (SIGTERM, SIGKILL) cannot shut its pool down; its workers
    would go on, reparented to init. On Linux the kernel sends them SIGTERM when the parent
    dies (``PR_SET_PDEATHSIG``); elsewhere, and for a parent that died before that was set,
    a daemon thread checks every half second that the parent is still the one that started
    the worker.
    """
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class ParseAhead:
    """Parses, in worker processes, the files an import will need parsed (when many).

    The main process still reads and hashes every file and asks :meth:`result` for the
    parse of exactly those bytes; anything the workers did not parse (few files, one core,
    a file changed since) is parsed in the main process as before.
    """

    def __init__(self, files: Sequence[Path], records: dict[str, FileRecord], name_of: Namer):
        import os

        self._futures: dict[str, Any] = {}
        self._done: dict[str, tuple[str, list[Article] | str]] = {}
        self._pool: Any = None
        workers = min(os.cpu_count() or 1, 4)
        todo: list[tuple[str, str]] = []
        for path in files:
            name = name_of(path)
            try:
                stat = check_document(path)
            except Skipped:
                continue  # the main loop reports it
            old = records.get(name)
            if old is None or old.size != stat.st_size or old.mtime_ns != stat.st_mtime_ns:
                todo.append((str(path), name))
        if workers < 2 or len(todo) < PARALLEL_MIN_FILES:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: safe whatever threads the caller runs (forking a threaded process is not)
        try:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                workers,
                mp_context=context,
                initializer=_end_with_parent,
                initargs=(os.getpid(),),
            )
        except (OSError, ValueError, ImportError):
            # no process pool here (no /dev/shm semaphores; a stderr without a file
            # descriptor, as inside a Textual app): the main process parses everything
            self._pool = None
            return
        for start in range(0, len(todo), PARALLEL_CHUNK):
            chunk = todo[start : start + PARALLEL_CHUNK]
            future = self._pool.submit(_parse_files, chunk)
            self._futures.update((name, future) for _, name in chunk)

    def result(self, name: str, sha: str) -> list[Article] | str | None:
        """The workers' parse of ``name`` if they read the same bytes, else None."""
        future = self._futures.pop(name, None)
        if future is not None and name not in self._done:
            try:
                self._done.update((n, (h, r)) for n, h, r in future.result())
            except Exception:  # a dead worker: the main process parses instead
                return None
        found = self._done.pop(name, None)
        return found[1] if found is not None and found[0] == sha else None

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
