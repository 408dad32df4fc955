"""Crash-safe JSON files for TinyDB.

Every write goes to a temporary file in the same folder, is flushed and fsynced, then
``os.replace``-d over the target, and the folder is fsynced, so a reader (or a process
killed half-way) only ever sees the old or the new file, never a torn one. Before the
target is replaced, its previous good version is kept as ``<name>.bak`` (a hard link,
so it costs no copy). A file that does not parse is never overwritten: reading it
raises :class:`StoreCorrupt`.

The text format is plain JSON, keys sorted, one document per line::

    {
    "annotations": {
     "1234": {"id":"...","quote":"..."},
     "5678": {...}
    }
    }

so ``git diff`` of a store shows one changed line per changed record, and each record is
encoded on its own by a C encoder (``indent`` would force the slow pure-Python one).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import secrets
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

import msgspec
from tinydb.storages import Storage

from reader.core.jsonio import loads

Tables = dict[str, dict[str, Any]]

#: fsync files and folders (durability across power loss). Atomicity does not depend on it;
#: tests that only check logic may turn it off for speed.
SYNC = True

BACKUP_SUFFIX = ".bak"
TMP_SUFFIX = ".tmp"


class StoreError(Exception):
    """The store cannot be used; ``str(e)`` is one line naming the file involved."""


class StoreCorrupt(StoreError):
    """A store file is unreadable or corrupt; it is never overwritten."""


def corrupt(path: Path, reason: str) -> StoreCorrupt:
    """The error raised for a corrupt file, pointing at ``reader restore``."""
    return StoreCorrupt(f"{path} is corrupt ({reason}); run `reader restore` to repair it")


def _not_json(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _record_encoder() -> Callable[[Any], str]:
    """A reusable JSON encoder: sorted keys, non-ASCII kept, C speed when available."""
    if c_make_encoder is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode
    make = c_make_encoder(None, _not_json, encode_basestring, None, ": ", ", ", True, False, True)

    def encode(value: Any) -> str:
        return "".join(make(value, 0))

    return encode


_encode = _record_encoder()
#: records are encoded by msgspec (5x the standard library's C encoder: a sync bringing
#: 1,000 highlights rewrites ~200,000 records of its index buckets); what it cannot encode
#: (an integer past 64 bits, a lone surrogate) by :data:`_encode`
_FAST = msgspec.json.Encoder(order="sorted")


def _encode_record(value: Any) -> bytes:
    try:
        return _FAST.encode(value)
    except (msgspec.EncodeError, OverflowError, TypeError, UnicodeEncodeError):
        return _encode(value).encode("utf-8")


def dumps_tables(data: Tables) -> bytes:
    """Serialise TinyDB data: sorted keys, one document per line, UTF-8 kept readable."""
    lines = [b"{"]
    table_names = sorted(data)
    for t_index, name in enumerate(table_names):
        docs = data[name]
        lines.append(_encode(name).encode("utf-8") + b": {")
        keys = sorted((str(key) for key in docs), key=_doc_key_order)
        # TinyDB document ids are digit strings: they need no JSON escaping
        rows = [
            b' "%s": %s,' % (key.encode(), _encode_record(docs[key]))
            if key.isdigit()
            else b" %s: %s," % (_encode(key).encode("utf-8"), _encode_record(docs[key]))
            for key in keys
        ]
        if rows:
            rows[-1] = rows[-1][:-1]
        lines.extend(rows)
        lines.append(b"}," if t_index < len(table_names) - 1 else b"}")
    lines.append(b"}")
    return b"\n".join(lines) + b"\n"


def _doc_key_order(key: str) -> tuple[bool, int, str]:
    """Numeric document ids in numeric order (stable diffs), anything else after them."""
    digits = key.isdigit()
    return (not digits, len(key) if digits else 0, key)


def parse_tables(path: Path, raw: bytes) -> Tables:
    """Parse and validate a store file's bytes; :class:`StoreCorrupt` if it is not a DB."""
    if not raw.strip():
        raise corrupt(path, "empty file")
    try:
        data = loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise corrupt(path, f"invalid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    ):
        raise corrupt(path, "not a table of documents")
    return data


#: what tells one version of a store file from the next without reading it: every write
#: renames a new file into place, so a rewritten file has a new inode
Stamp = tuple[int, int, int]


def stamp_of(info: os.stat_result) -> Stamp:
    """The stamp of a file from its ``stat``: (inode, mtime, size)."""
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def file_stamp(path: Path) -> Stamp | None:
    """``path``'s stamp, None if it does not exist; :class:`StoreError` naming it when it
    cannot be read."""
    try:
        return stamp_of(os.stat(path))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None


def read_bytes(path: Path) -> bytes | None:
    """A store file's bytes, ``None`` if it does not exist; a folder in its place is
    :class:`StoreCorrupt`, another read failure a :class:`StoreError` naming the file."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise corrupt(path, "is a folder") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None


def load_tables(path: Path) -> Tables | None:
    """The parsed file, ``None`` if it does not exist. Raises :class:`StoreCorrupt`."""
    raw = read_bytes(path)
    return None if raw is None else parse_tables(path, raw)


def fsync_dir(folder: Path) -> None:
    """Make renames inside ``folder`` durable (no-op where folders cannot be opened)."""
    if not SYNC:
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """The C library's ``syncfs`` (Linux), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only bulk writes need it (start-up)

    try:
        call: Callable[[int], int] = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    return call


def can_flush_filesystem() -> bool:
    """Whether :func:`flush_filesystem` is available here (it is on Linux)."""
    return _syncfs() is not None


def flush_filesystem(folder: Path) -> None:
    """Make everything written so far on ``folder``'s filesystem durable, in one call.

    A bulk write's temp files are written without an fsync each, then this: on this
    project's disks one ``syncfs`` costs what ~30 fsyncs do, and a sync writes 2,600 files.
    Raises :class:`StoreError` when the flush fails (a write-back error: the data may not be
    on disk, so nothing may be renamed over the old files).
    """
    call = _syncfs()
    if call is None or not SYNC:
        return
    import ctypes

    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot write ({exc.strerror or exc})") from None
    try:
        if call(fd) != 0:
            code = ctypes.get_errno() or errno.EIO
            raise StoreError(f"{folder}: cannot write ({os.strerror(code)})")
    finally:
        os.close(fd)


def atomic_write(path: Path, text: str, *, sync_dir: bool = True, backup: bool = True) -> None:
    """Replace ``path`` with ``text`` atomically, keeping the old file as ``<name>.bak``."""
    install(path, write_temp(path, text), backup=backup)
    if sync_dir:
        fsync_dir(path.parent)


def write_temp(path: Path, text: str | bytes, *, durable: bool = True) -> Path:
    """The first half of :func:`atomic_write`: ``text`` in a durable temp file beside ``path``.

    Independent per file, so a transaction writes (and fsyncs) its files' temps in parallel.
    ``durable=False`` skips the fsync: the caller makes the file durable itself before it is
    installed (:func:`flush_filesystem`).
    """
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            if SYNC and durable:
                os.fsync(handle.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return tmp


def install(path: Path, tmp: Path, *, backup: bool = True) -> None:
    """The second half of :func:`atomic_write`: keep the old file as ``.bak``, rename ``tmp``."""
    try:
        if backup:
            _link_backup(path)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from None


#: what :func:`replace_file` writes: a whole text, or its pieces in order (a stream)
Chunks = str | bytes | Iterable[str | bytes]

#: pieces of a stream are gathered up to about this many bytes per ``write`` call
_WRITE_SIZE = 1 << 20


def replace_file(path: Path, text: Chunks) -> None:
    """Write a file outside the store (an export, a saved web page) whole or not at all.

    ``text`` is the whole text, or an iterable of its pieces (str or bytes), written as
    they come so that a large export is never held in memory whole; an exception raised
    while they are produced leaves the target as it was and no temporary file behind.

    A new file gets the mode the umask gives; an existing one keeps its mode. On Linux the
    text is written to an unnamed file (``O_TMPFILE``) that only gets a name once complete,
    so a process killed while writing leaves nothing behind; elsewhere a named temp file is
    removed on any error. Errors name ``path``, never a temporary file.
    """
    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = None
    if hasattr(os, "O_TMPFILE") and _replace_unnamed(path, text, mode):
        return
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            for data in _pieces(text):
                _write_all(fd, data)
            if mode is not None:
                with contextlib.suppress(OSError):
                    os.fchmod(fd, mode)
            if SYNC:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise
    install(path, tmp, backup=False)
    fsync_dir(path.parent)


def _temp_name(path: Path) -> Path:
    return path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"


def _pieces(text: Chunks) -> Iterator[bytes]:
    """The bytes of ``text``; a stream's pieces gathered to about :data:`_WRITE_SIZE`
    (one system call per megabyte, not per record)."""
    if isinstance(text, str | bytes):
        yield text.encode("utf-8") if isinstance(text, str) else text
        return
    pending: list[bytes] = []
    size = 0
    for chunk in text:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        pending.append(data)
        size += len(data)
        if size >= _WRITE_SIZE:
            yield b"".join(pending)
            pending.clear()
            size = 0
    if pending:
        yield b"".join(pending)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (``os.write`` may write less than it was given)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _replace_unnamed(path: Path, text: Chunks, mode: int | None) -> bool:
    """:func:`replace_file` through an ``O_TMPFILE``; False where that is not supported
    (found out before any of ``text`` is consumed, so a stream can still go the named way)."""
    try:
        fd = os.open(path.parent, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, 0o666)
    except OSError:
        return False  # no O_TMPFILE on this filesystem (or no folder): the named way says why
    proc = f"/proc/self/fd/{fd}"
    if not os.path.exists(proc):
        os.close(fd)
        return False  # no /proc to name it by: write it the named way
    tmp = _temp_name(path)
    try:
        try:
            for data in _pieces(text):
                _write_all(fd, data)
            if mode is not None:
                os.fchmod(fd, mode)
            if SYNC:
                os.fsync(fd)
            # the complete file gets a name (beside the target) only now, then takes its place
            try:
                os.link(proc, tmp, follow_symlinks=True)
            except OSError:
                # some filesystems (overlays) refuse to name it: copy it to a named temp
                _copy_out(fd, tmp, mode)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from None
    fsync_dir(path.parent)
    return True


def _copy_out(fd: int, tmp: Path, mode: int | None) -> None:
    """The unnamed file ``fd`` copied (in the kernel) to a new durable file ``tmp``."""
    size = os.fstat(fd).st_size
    out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        offset = 0
        while offset < size:
            sent = os.sendfile(out, fd, offset, size - offset)
            if sent == 0:
                raise OSError(errno.EIO, "short copy")
            offset += sent
        if mode is not None:
            os.fchmod(out, mode)
        if SYNC:
            os.fsync(out)
    finally:
        os.close(out)


def backup_path(path: Path) -> Path:
    """Where the previous good version of ``path`` is kept."""
    return path.with_name(path.name + BACKUP_SUFFIX)


def remove_with_backup(path: Path) -> None:
    """Delete a store file and its backup (a file that is no longer part of the store;
    either may already be gone)."""
    for stale in (path, backup_path(path)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(stale)


def _link_backup(path: Path) -> None:
    """Point ``<name>.bak`` at the current file (which the caller has validated)."""
    bak = backup_path(path)
    with contextlib.suppress(FileNotFoundError):
        bak.unlink()
    try:
        os.link(path, bak)
    except FileNotFoundError:
        return  # first version of the file: nothing to keep
    except OSError:
        # no hard links on this filesystem: fall back to a copy
        try:
            bak.write_bytes(path.read_bytes())
        except FileNotFoundError:
            return


class _ReadCache:
    """Parsed files keyed by ``(inode, mtime_ns, size)``.

    Every write replaces the file (a new inode), so a changed key means a changed file and
    the TUI sees what another process wrote, while an unchanged file is not parsed again.
    Cached data is shared: callers must not mutate it.
    """

    def __init__(self, max_entries: int = 4096) -> None:
        self._entries: dict[Path, tuple[tuple[int, int, int], Tables, dict[str, Any]]] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def _entry(self, path: Path) -> tuple[tuple[int, int, int], Tables, dict[str, Any]] | None:
        key = file_stamp(path)
        if key is None:
            return None
        with self._lock:
            hit = self._entries.get(path)
        if hit is not None and hit[0] == key:
            return hit
        data = load_tables(path)
        if data is None:
            return None
        entry: tuple[tuple[int, int, int], Tables, dict[str, Any]] = (key, data, {})
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[path] = entry
        return entry

    def load(self, path: Path) -> Tables | None:
        """The parsed file (shared: do not mutate), None if missing."""
        entry = self._entry(path)
        return entry[1] if entry else None

    def derive(self, path: Path, name: str, build: Callable[[Tables], Any]) -> Any:
        """``build(data)`` for the file as it is now, computed once per file version.

        For summaries over many files (tag counts, the article list): unchanged files
        are neither parsed nor summarised again. ``build({})`` if the file is missing.
        """
        entry = self._entry(path)
        if entry is None:
            return build({})
        derived = entry[2]
        if name not in derived:
            derived[name] = build(entry[1])
        return derived[name]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


READ_CACHE = _ReadCache()


class AtomicJSONStorage(Storage):
    """A TinyDB storage over one JSON file, written atomically with a rolling backup.

    ``cached=True`` is for lock-free reads: data comes from :data:`READ_CACHE` and writing
    is refused. Writers (inside the store lock) read the file fresh every time.
    """

    def __init__(self, path: str | Path, *, cached: bool = False, sync_dir: bool = True) -> None:
        self.path = Path(path)
        self.cached = cached
        self.sync_dir = sync_dir
        self._validated = False  # the file on disk parsed fine (or did not exist)

    def read(self) -> Tables | None:
        if self.cached:
            return READ_CACHE.load(self.path)
        data = load_tables(self.path)
        self._validated = True
        return data

    def write(self, data: Tables) -> None:
        install(self.path, self.prepare(data))
        if self.sync_dir:
            fsync_dir(self.path.parent)

    def prepare(self, data: Tables, *, durable: bool = True) -> Path:
        """Validate the file on disk and write ``data`` to a temp file beside it (durable
        unless told otherwise, see :func:`write_temp`); :func:`install` then puts it in
        place (see :meth:`reader.store.db.Transaction.commit`).
        """
        if self.cached:
            raise StoreError(f"{self.path}: read-only handle written to (store bug)")
        if not self._validated:
            load_tables(self.path)  # raises StoreCorrupt rather than overwrite a bad file
            self._validated = True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return write_temp(self.path, dumps_tables(data), durable=durable)

    def close(self) -> None:
        """Nothing is held open between calls."""
