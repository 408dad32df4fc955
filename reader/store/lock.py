"""The store's inter-process write lock (``store.lock``, an OS file lock)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.store.storage import StoreError

if TYPE_CHECKING:
    from filelock import FileLock

_CREATING = threading.Lock()

#: How long a writer waits for another process before giving up with a clear error.
LOCK_TIMEOUT = 30.0


class LockUnavailable(StoreError):
    """The lock file cannot be taken at all (a read-only store), as opposed to busy."""


class StoreLock:
    """Serialises read-modify-write transactions across processes (re-entrant per thread).

    The OS releases the lock when its holder dies, so a killed writer never blocks the
    store; the lock file itself is kept (deleting lock files races with other waiters).
    """

    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self._file_lock: FileLock | None = None

    @property
    def _lock(self) -> FileLock:
        # made on first use: commands that only read (``reader list``) never import filelock
        with _CREATING:  # two threads must never hold two locks on one file
            if self._file_lock is None:
                from filelock import FileLock

                self._file_lock = FileLock(
                    str(self.path),
                    timeout=self.timeout,
                    poll_interval=0.002,
                    preserve_lock_file=True,
                )
        return self._file_lock

    @property
    def is_locked(self) -> bool:
        """Whether this process holds the lock."""
        return self._file_lock is not None and bool(self._file_lock.is_locked)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the ``with`` body."""
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.path}: the store is busy (locked by another reader process)"
            ) from None
        except OSError as exc:
            raise LockUnavailable(
                f"{self.path}: cannot lock the store ({exc.strerror or exc})"
            ) from None
        try:
            yield
        finally:
            self._lock.release()
