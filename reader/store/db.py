"""Opening TinyDB files, record ids, and locked write transactions.

Records are keyed by their own id: a record's TinyDB document id is derived from it
(:func:`doc_id`), so two processes can never hand out the same auto-increment id, and a
record is found without a scan. Every read-modify-write opens a *fresh* TinyDB inside the
lock (a long-lived handle caches its next id and its view of the file, which loses
inserts made by another process).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.table import Table

from reader.store.lock import StoreLock
from reader.store.storage import (
    AtomicJSONStorage,
    StoreError,
    atomic_write,
    can_flush_filesystem,
    flush_filesystem,
    fsync_dir,
    install,
)

PENDING_DIR = "pending"


def doc_id(key: str) -> int:
    """The TinyDB document id of the record whose id is ``key`` (60 bits of SHA-1)."""
    return int(hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:15], 16) + 1


def bucket(key: str, width: int = 2) -> str:
    """The shard name (``width`` hex digits) a key falls in; uniform for any id."""
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:width]


def safe_name(key: str) -> str:
    """A file name for ``key``: itself when harmless, else a hash of it."""
    if key and len(key) <= 64 and all(c.isalnum() or c in "-_" for c in key) and key.isascii():
        return key
    return "h-" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def read_raw(path: Path, table: str) -> dict[str, dict[str, Any]]:
    """One table of a file as stored (shared cache data: do not mutate)."""
    data = AtomicJSONStorage(path, cached=True).read() or {}
    return data.get(table, {})


def open_read(path: Path) -> TinyDB:
    """A lock-free read handle served from the (inode, mtime, size)-keyed cache."""
    return TinyDB(path, storage=AtomicJSONStorage, cached=True)


def get_rec(table: Table, key: str, field: str) -> dict[str, Any] | None:
    """The record whose ``field`` is ``key``, or None."""
    doc = table.get(doc_id=doc_id(key))
    if doc is None or doc.get(field) != key:
        return None
    return dict(doc)


def all_recs(table: Table) -> list[dict[str, Any]]:
    """Every record of a table (shallow copies)."""
    return [dict(doc) for doc in table.all()]


def put_recs(table: Table, records: Iterable[dict[str, Any]], field: str) -> None:
    """Insert or replace records by their ``field`` id, in one pass over the table.

    One ``_update_table`` (TinyDB converts the whole table's keys both ways on every
    update: a remove then an insert cost two passes, which a sync bringing 1,000 highlights
    paid ~10,000 times over its index buckets).
    """
    docs: dict[int, dict[str, Any]] = {}
    for record in records:
        docs[doc_id(str(record[field]))] = record
    if not docs:
        return

    def updater(current: dict[int, Any]) -> None:
        for did, record in docs.items():
            existing = current.get(did)
            if existing is not None and existing.get(field) != record[field]:
                where = getattr(table.storage, "path", table.name)
                raise StoreError(
                    f"{where}: id collision between {existing.get(field)!r} and {record[field]!r}"
                )
        for did, record in docs.items():
            current[did] = dict(record)

    table._update_table(updater)


def del_recs(table: Table, keys: Iterable[str], field: str) -> list[str]:
    """Remove the records with these ids; returns the ids that were there."""
    wanted = {doc_id(key): key for key in keys}
    if not wanted:
        return []
    present = [
        doc.doc_id for doc in table.get(doc_ids=list(wanted)) if doc.get(field) in wanted.values()
    ]
    table.remove(doc_ids=present)
    return [wanted[did] for did in present]


class _Buffered(CachingMiddleware):
    """Keeps every write of a transaction in memory until :meth:`Transaction.commit`."""

    WRITE_CACHE_SIZE = 1 << 62

    @property
    def modified(self) -> bool:
        return self._cache_modified_count > 0

    def prepare(self, *, durable: bool = True) -> Path:
        """The buffered data in a temp file beside the target (see ``commit``)."""
        return cast(AtomicJSONStorage, self.storage).prepare(self.cache or {}, durable=durable)

    def mark_clean(self) -> None:
        """The buffered data has been installed."""
        self._cache_modified_count = 0


class Transaction:
    """A set of files changed together under the store lock.

    Files are written in the order they were first opened (so ground truth, e.g. an
    annotation shard, lands before the indexes derived from it). A pending marker listing
    the articles touched is written first and removed last: if the process dies between
    the files, the next writer sees the marker and rebuilds those articles' indexes.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._dbs: dict[Path, tuple[int, TinyDB]] = {}
        self.articles: set[str] = set()
        #: each article's live highlights as its shard held them when this transaction
        #: first opened it (id -> [created, start]): what the review partitions reflect
        self.live_before: dict[str, dict[str, list[Any]]] = {}

    def db(self, path: Path, rank: int = 0) -> TinyDB:
        """A fresh handle on ``path`` for this transaction (one per file).

        Modified files are written in ``rank`` order (ground truth low, indexes high).
        """
        entry = self._dbs.get(path)
        if entry is None:
            entry = (rank, TinyDB(path, storage=_Buffered(AtomicJSONStorage), sync_dir=False))
            self._dbs[path] = entry
        return entry[1]

    def opened(self, path: Path) -> bool:
        """Whether this transaction has a handle on ``path`` (it may have changed it)."""
        return path in self._dbs

    def commit(self) -> None:
        """Write every modified file atomically, marker first, then fsync their folders."""
        dirty = sorted(
            (
                (rank, path, db)
                for path, (rank, db) in self._dbs.items()
                if db.storage.modified  # type: ignore[attr-defined]
            ),
            key=lambda item: item[0],
        )
        if not dirty:
            return
        marker = None
        if len(dirty) > 1 or self.articles:
            marker = write_marker(self.root, sorted(self.articles))
        # every new version goes to a durable temp file first (a bulk write: all written,
        # then one flush of the filesystem; else fsynced, in parallel), then they are renamed
        # into place in rank order: a crash leaves each file old or new, ground truth before
        # its indexes
        temps = _prepare_all(self.root, [cast(_Buffered, db.storage) for _rank, _path, db in dirty])
        folders: dict[Path, None] = {}
        for (_rank, path, db), tmp in zip(dirty, temps, strict=True):
            install(path, tmp)
            db.storage.mark_clean()  # type: ignore[attr-defined]
            folders[path.parent] = None
        for folder in folders:
            fsync_dir(folder)
        if marker is not None:
            with contextlib.suppress(FileNotFoundError):
                marker.unlink()


#: threads writing a transaction's temp files (fsync waits overlap; more brings little)
WRITE_THREADS = 16
#: fewer files than this are written in turn (a single note's 3-4 files gain nothing)
PARALLEL_FROM = 8
#: from this many files on, one flush of the filesystem replaces an fsync per file (where
#: there is one: Linux); below it, the flush would also wait for other programs' writes
FLUSH_FROM = 64


def _prepare_all(root: Path, buffers: list[_Buffered]) -> list[Path]:
    """Each buffered file's new version in a durable temp file; on any failure none is left."""
    if len(buffers) >= FLUSH_FROM and can_flush_filesystem():
        written = _prepare_in_turn(buffers, durable=False)
        try:
            flush_filesystem(root)
        except BaseException:
            _remove(written)
            raise
        return written
    if len(buffers) < PARALLEL_FROM:
        return _prepare_in_turn(buffers)
    from concurrent.futures import ThreadPoolExecutor  # only bulk writes need it (start-up)

    threads = min(WRITE_THREADS, len(buffers))
    temps: list[Path | None] = [None] * len(buffers)

    def prepare_share(first: int) -> None:
        # one task per thread, each taking every threads-th file: a task per file cost a
        # future and a wake-up each (~0.2 ms of the main thread's time per file at 2,600)
        for index in range(first, len(buffers), threads):
            temps[index] = buffers[index].prepare()

    with ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(prepare_share, first) for first in range(threads)]
    failed = [f.exception() for f in futures if f.exception() is not None]
    if failed:
        _remove([tmp for tmp in temps if tmp is not None])
        raise failed[0]  # type: ignore[misc]
    return [tmp for tmp in temps if tmp is not None]


def _prepare_in_turn(buffers: list[_Buffered], *, durable: bool = True) -> list[Path]:
    done: list[Path] = []
    try:
        for buffer in buffers:
            done.append(buffer.prepare(durable=durable))
    except BaseException:
        _remove(done)
        raise
    return done


def _remove(temps: list[Path]) -> None:
    for tmp in temps:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_marker(root: Path, articles: list[str]) -> Path:
    """Record that a multi-file write is in flight (see :class:`Transaction`)."""
    folder = root / PENDING_DIR
    folder.mkdir(exist_ok=True)
    marker = folder / f"{os.getpid()}-{secrets.token_hex(4)}.json"
    atomic_write(marker, json.dumps({"articles": articles}) + "\n", backup=False)
    return marker


def has_pending(root: Path) -> bool:
    """Whether ``pending/`` holds anything (a marker, or a dead writer's temp file)."""
    try:
        return any(os.scandir(root / PENDING_DIR))
    except FileNotFoundError:
        return False


def read_markers(root: Path) -> list[tuple[Path, list[str] | None]]:
    """Markers left by dead writers: (file, articles) -- articles None if unreadable."""
    folder = root / PENDING_DIR
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    found: list[tuple[Path, list[str] | None]] = []
    for name in names:
        path = folder / name
        if not name.endswith(".json"):
            continue  # a marker's own temp file (removed under the lock by recovery)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found.append((path, [str(a) for a in data["articles"]]))
        except (OSError, ValueError, KeyError, TypeError):
            found.append((path, None))
    return found


@contextmanager
def transaction(root: Path, lock: StoreLock) -> Iterator[Transaction]:
    """Hold the lock, yield a :class:`Transaction`, commit it if the body succeeded."""
    with lock.held():
        tx = Transaction(root)
        yield tx
        tx.commit()
