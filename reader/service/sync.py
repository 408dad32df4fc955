"""Importing documents into the store, and re-anchoring highlights of changed articles."""

from __future__ import annotations

import errno
import hashlib
import os
import stat as stat_module
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.core.models import Annotation, Article, article_id_for
from reader.store import FileRecord, Store

#: documents are saved in batches, each one write of every store shard it touches (with
#: 10,000 files that is every article shard: a flush costs as much as the store is big). A
#: batch is flushed once it holds this many bytes of documents...
BATCH_BYTES = 1 << 20
#: ... growing to this many times the bytes already saved in this import
BATCH_GROWTH = 8
#: ... but never more than this (the batch's articles are held in memory)
BATCH_MAX_BYTES = 64 << 20
#: a document larger than this is skipped (a clipping is a few kB; a bigger "document" is a
#: mistake, a log or a device, and parsing it would take the memory of several times its size)
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


class Skipped(Exception):
    """A path that is not a document reader can read; ``str(e)`` says why, in a few words."""


_KINDS = (
    (stat_module.S_ISFIFO, "a named pipe"),
    (stat_module.S_ISSOCK, "a socket"),
    (stat_module.S_ISCHR, "a character device"),
    (stat_module.S_ISBLK, "a block device"),
    (stat_module.S_ISDIR, "a folder"),
)


def check_document(path: Path) -> os.stat_result:
    """``path``'s status (links followed) if it is a regular file of at most
    :data:`MAX_DOCUMENT_BYTES`, else :class:`Skipped` saying why.

    Reading a FIFO blocks forever, ``/dev/zero`` never ends and a link loop cannot be
    resolved: an import reads only regular files, so one odd entry never stops the rest.
    """
    try:
        status = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Skipped("a symbolic link loop; skipped") from None
        raise Skipped(f"{error.strerror or error}; skipped") from None
    except RuntimeError:  # Python 3.11's pathlib says "Symlink loop" this way
        raise Skipped("a symbolic link loop; skipped") from None
    if not stat_module.S_ISREG(status.st_mode):
        kind = next((name for test, name in _KINDS if test(status.st_mode)), "not a file")
        raise Skipped(f"not a regular file ({kind}); skipped")
    if status.st_size > MAX_DOCUMENT_BYTES:
        raise Skipped(f"larger than {MAX_DOCUMENT_BYTES >> 20} MB; skipped")
    return status


def read_document(path: Path) -> bytes:
    """The bytes of a document, never blocking and never more than the size cap.

    The file is opened non-blocking and checked again once open, so a file swapped for a FIFO
    or a device after :func:`check_document` cannot hang or flood the import either.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Skipped("a symbolic link loop; skipped") from None
        raise Skipped(f"{error.strerror or error}; skipped") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat_module.S_ISREG(os.fstat(fd).st_mode):
            raise Skipped("not a regular file; skipped")
        try:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as error:
            raise Skipped(f"{error.strerror or error}; skipped") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise Skipped(f"larger than {MAX_DOCUMENT_BYTES >> 20} MB; skipped")
    return data


@dataclass
class SyncReport:
    """What an import did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    #: documents found under a new name (moved or renamed): same articles, same highlights
    renamed: int = 0
    bytes_read: int = 0
    errors: list[str] = field(default_factory=list)
    reanchored: dict[str, int] = field(default_factory=dict)

    def merge(self, other: SyncReport) -> None:
        """Add another report's counts to this one."""
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.renamed += other.renamed
        self.bytes_read += other.bytes_read
        self.errors.extend(other.errors)
        for status, count in other.reanchored.items():
            self.reanchored[status] = self.reanchored.get(status, 0) + count

    @property
    def changed(self) -> bool:
        """Whether the import changed the library."""
        return bool(self.added or self.updated or self.removed or self.renamed)

    def summary(self) -> str:
        """One line for people."""
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        if self.renamed:
            parts.append(f"{self.renamed} renamed")
        moved = {k: v for k, v in self.reanchored.items() if v and k != "anchored"}
        if moved:
            parts.append("highlights " + ", ".join(f"{v} {k}" for k, v in sorted(moved.items())))
        if self.errors:
            parts.append(f"{len(self.errors)} not imported")
        return ", ".join(parts)


def relative_name(root: Path, path: Path) -> str:
    """A document's name inside its library: relative, with ``/`` separators."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
    except (OSError, RuntimeError):  # a link loop: named by where the link itself is
        try:
            return path.absolute().relative_to(root.absolute()).as_posix()
        except ValueError:
            return path.name


class _Namer:
    """:func:`relative_name` for many files of one root, resolving each folder only once.

    A path whose last part is not a symlink resolves to its resolved folder plus its name;
    ``Path.resolve`` per file (a system call per path component) was a tenth of an import.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._folders: dict[Path, str] = {}  # folder -> its name from root
        self._names: dict[Path, str] = {}  # asked again for every file by _ParseAhead

    def __call__(self, path: Path) -> str:
        name = self._names.get(path)
        if name is None:
            name = self._names[path] = self._name(path)
        return name

    def _name(self, path: Path) -> str:
        if path.name in ("", ".", ".."):
            return relative_name(self.root, path)
        if path.is_symlink():
            try:
                target = path.resolve()
            except (OSError, RuntimeError):  # a link loop: named by itself, skipped later
                target = None
            if target is not None and target.is_relative_to(self.root):
                return target.relative_to(self.root).as_posix()  # the document it points to
            # a link to a file elsewhere is named by where the link is: two links in two
            # folders whose targets share a file name must not be one document
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = _folder_name(self.root, path.parent)
        return path.name if folder == "." else f"{folder}/{path.name}"


def _folder_name(root: Path, folder: Path) -> str:
    """A folder's name from the library's (resolved) folder ``root``.

    A folder outside it (a second folder imported into one store) is named by its path from
    ``root`` (``../other``), else (another drive) by its absolute path: naming files by their
    own folder let two folders' ``clip.txt`` overwrite each other's articles, and moved the
    first one's highlights onto the second one's text.
    """
    resolved = folder.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return Path(os.path.relpath(resolved, root)).as_posix()
    except ValueError:
        return resolved.as_posix()


def is_outside_name(name: str) -> bool:
    """Whether a document's name says it lies outside the library's folder."""
    return name.startswith("../") or name == ".." or Path(name).is_absolute()


def sync_documents(
    store: Store,
    root: Path,
    files: Sequence[Path],
    *,
    progress: Callable[[int, int, str], None] | None = None,
    prune: bool = True,
) -> SyncReport:
    """Bring the store up to date with ``files`` (all under ``root``).

    A file whose size and mtime match its record is skipped without reading it; one whose
    bytes hash the same is skipped without parsing. With ``prune`` the documents the store
    knows under ``root`` but that are gone are removed (their highlights become orphans).
    """
    from reader.core.parser import ParseError, parse_bytes

    report = SyncReport()
    records = store.file_records()
    name_of = _Namer(root)
    ahead = _ParseAhead(files, records, name_of) if progress is None else None
    seen: set[str] = set()
    moves = _Moves(store, root, records, {name_of(path) for path in files})
    batch: list[tuple[FileRecord, list[Article]]] = []
    batch_bytes = flushed_bytes = 0
    changed_articles: list[tuple[Article | None, Article]] = []
    total = len(files)
    try:
        for done, path in enumerate(files, start=1):
            name = name_of(path)
            seen.add(name)
            if progress is not None:
                progress(done, total, name)
            try:
                stat = check_document(path)
            except Skipped as error:
                report.errors.append(f"{name}: {error}")
                continue
            old = records.get(name)
            if old is not None and old.size == stat.st_size and old.mtime_ns == stat.st_mtime_ns:
                report.unchanged += 1
                continue
            try:
                data = read_document(path)
            except Skipped as error:
                report.errors.append(f"{name}: {error}")
                continue
            report.bytes_read += len(data)
            sha = hashlib.sha256(data).hexdigest()[:32]
            moved_from = moves.same_bytes(sha) if old is None else None
            if moved_from is not None:
                old = records[moved_from]
            if old is not None and old.sha == sha and moved_from is None:
                report.unchanged += 1
                batch.append((replace(old, size=stat.st_size, mtime_ns=stat.st_mtime_ns), None))  # type: ignore[arg-type]
                continue
            parsed = ahead.result(name, sha) if ahead is not None else None
            try:
                if isinstance(parsed, str):
                    raise _Failed(parsed)
                articles = parsed if parsed is not None else parse_bytes(data, name)
            except _Failed as error:
                report.errors.append(str(error))
                continue
            except ParseError as error:
                report.errors.append(str(error))
                continue
            except Exception as error:  # a parser bug must not stop the rest of the folder
                report.errors.append(f"{name}: could not be parsed ({type(error).__name__})")
                continue
            if old is None and moves:
                moved_from = moves.similar_text(articles)
                if moved_from is not None:
                    old = records[moved_from]
            previous = _previous_articles(store, old)
            articles = keep_article_ids(previous, articles, name)
            by_id = {a.id: a for a in previous}
            changed_articles.extend((by_id.get(a.id), a) for a in articles)
            for gone_id in set(by_id) - {a.id for a in articles}:
                changed_articles.append((by_id[gone_id], _vanished(by_id[gone_id])))
            record = FileRecord(
                path=name,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                sha=sha,
                article_ids=[a.id for a in articles],
            )
            batch.append((record, articles))
            if moved_from is not None:
                report.renamed += 1
                moves.adopted[moved_from] = name
            elif old is None:
                report.added += 1
            else:
                report.updated += 1
            batch_bytes += len(data)
            if batch_bytes >= min(max(BATCH_BYTES, BATCH_GROWTH * flushed_bytes), BATCH_MAX_BYTES):
                _flush(store, batch)
                flushed_bytes += batch_bytes
                batch_bytes = 0
        _flush(store, batch)
    finally:
        if ahead is not None:
            ahead.close()
    for old_name in moves.adopted:
        store.forget_document(old_name)  # its articles now belong to the file's new name
    if prune:
        for name, record in records.items():
            if name in seen or name in moves.adopted or is_outside_name(name):
                continue  # still there, moved, or imported from another folder
            for article_id in record.article_ids:
                article = store.get_article(article_id)
                if article is not None:
                    changed_articles.append((article, _vanished(article)))
            store.remove_document(name)
            report.removed += 1
    _reanchor(store, changed_articles, report)
    return report


#: an import (without a progress display) with this many files to parse parses them in
#: worker processes, the main process reading, saving and flushing meanwhile
PARALLEL_MIN_FILES = 500
#: files per task sent to a worker
PARALLEL_CHUNK = 50


class _Failed(Exception):
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


class _ParseAhead:
    """Parses, in worker processes, the files an import will need parsed (when many).

    The main process still reads and hashes every file and asks :meth:`result` for the
    parse of exactly those bytes; anything the workers did not parse (few files, one core,
    a file changed since) is parsed in the main process as before.
    """

    def __init__(self, files: Sequence[Path], records: dict[str, FileRecord], name_of: _Namer):
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


#: a new document whose text is at least this similar (0-100) to a vanished one's is that
#: document moved (git's rename detection works the same way, with 50)
SIMILAR_TEXT = 70
#: vanished documents compared by text with each new one, at most (bytes are always compared)
SIMILAR_CANDIDATES = 200


class _Moves:
    """Documents that vanished from their name in this import, to be found under a new one.

    A vanished document is one the store knows whose file is no longer there. A new file
    with the same bytes is that document moved; failing that, one whose text is nearly the
    same (:data:`SIMILAR_TEXT`). Its articles keep their ids, highlights and reading state.
    """

    def __init__(
        self, store: Store, root: Path, records: dict[str, FileRecord], present: set[str]
    ) -> None:
        self._store = store
        self.vanished = {
            name: record
            for name, record in records.items()
            if name not in present and not (root / name).exists()
        }
        self._by_sha = {record.sha: name for name, record in self.vanished.items()}
        self._texts: dict[str, str] | None = None
        #: old name -> new name, of the moves found
        self.adopted: dict[str, str] = {}

    def __bool__(self) -> bool:
        return len(self.adopted) < len(self.vanished)

    def same_bytes(self, sha: str) -> str | None:
        """The vanished document with exactly these bytes, if any."""
        name = self._by_sha.get(sha)
        return name if name is not None and name not in self.adopted else None

    def similar_text(self, articles: list[Article]) -> str | None:
        """The vanished document whose text is most like these articles', if close enough."""
        from rapidfuzz import fuzz

        if len(self.vanished) > SIMILAR_CANDIDATES:
            return None
        if self._texts is None:
            self._texts = {
                name: "\n".join(a.text for a in _previous_articles(self._store, record))
                for name, record in self.vanished.items()
            }
        text = "\n".join(a.text for a in articles)
        best, best_score = None, float(SIMILAR_TEXT)
        for name, old_text in self._texts.items():
            if name in self.adopted or not old_text:
                continue
            score = fuzz.ratio(text, old_text, score_cutoff=best_score)
            if score >= best_score:
                best, best_score = name, score
        return best


def _flush(store: Store, batch: list[tuple[FileRecord, list[Article]]]) -> None:
    if not batch:
        return
    documents = [(record, articles) for record, articles in batch if articles is not None]
    touched = [record for record, articles in batch if articles is None]
    if documents:
        store.save_documents(documents)
    if touched:
        store.touch_documents(touched)
    batch.clear()


def _previous_articles(store: Store, record: FileRecord | None) -> list[Article]:
    if record is None:
        return []
    found = [store.get_article(article_id) for article_id in record.article_ids]
    return [a for a in found if a is not None]


def _vanished(article: Article) -> Article:
    """A stand-in for an article that is gone: no text, so its highlights orphan."""
    return replace(article, paragraphs=[])


def keep_article_ids(previous: list[Article], parsed: list[Article], name: str) -> list[Article]:
    """Give re-parsed articles the ids they had: same title first, then same position.

    The parser's ids depend on the position in the file; an article whose text changed keeps
    its id, and so its highlights, also when a block above it was inserted or removed.
    """
    if not previous:
        return parsed
    by_title: dict[str, str] = {}
    for article in previous:
        by_title.setdefault(article.title.strip().casefold(), article.id)
    previous_ids = {a.id for a in previous}
    claimed: set[str] = set()
    mapping: dict[str, str] = {}
    for article in parsed:
        wanted = by_title.get(article.title.strip().casefold())
        if wanted and wanted not in claimed:
            mapping[article.id] = wanted
            claimed.add(wanted)
    by_index = {a.index: a.id for a in previous}
    for article in parsed:
        if article.id in mapping:
            continue
        # the same place in the file (its id, when the file kept its name)
        wanted = by_index.get(article.index)
        if wanted is not None and wanted not in claimed:
            mapping[article.id] = wanted
            claimed.add(wanted)
    taken = set(mapping.values())
    for article in parsed:
        if article.id not in mapping:
            candidate = article.id
            counter = 0
            while candidate in taken or candidate in previous_ids:
                counter += 1
                candidate = article_id_for(name, article.index + 1000 * counter)
            mapping[article.id] = candidate
            taken.add(candidate)
    return [
        replace(
            article,
            id=mapping[article.id],
            related_to=mapping.get(article.related_to, article.related_to)
            if article.related_to
            else None,
        )
        for article in parsed
    ]


def _reanchor(
    store: Store, changes: list[tuple[Article | None, Article]], report: SyncReport
) -> None:
    """Re-anchor the highlights of every article whose text changed."""
    from reader.core.anchoring import TextSelector, make_selector, reanchor_many
    from reader.core.models import text_hash

    for before, after in changes:
        if before is None:
            continue
        new_text = after.text
        new_hash = text_hash(new_text)
        annotations = store.annotations_for(after.id, include_deleted=True)
        stale = [a for a in annotations if a.text_hash != new_hash]
        if not stale:
            continue
        if after.paragraphs:
            store.put_text(new_text)
        # what each highlight's anchoring fields become, computed outside the lock
        anchors: dict[str, tuple[str | None, dict[str, Any]]] = {}
        groups: dict[str | None, list[Annotation]] = {}
        for annotation in stale:
            groups.setdefault(annotation.text_hash, []).append(annotation)
        for old_hash, group in groups.items():
            old_text = store.get_text(old_hash) if old_hash else None
            selectors = [TextSelector(a.quote, a.prefix, a.suffix, a.start, a.end) for a in group]
            results = reanchor_many(selectors, new_text, old_text)
            for annotation, result in zip(group, results, strict=True):
                report.reanchored[result.status] = report.reanchored.get(result.status, 0) + 1
                if result.status == "orphaned":
                    anchors[annotation.id] = (old_hash, {"status": "orphaned"})
                    continue
                selector = make_selector(new_text, result.start, result.end)
                original = annotation.original_quote
                if result.status == "fuzzy" and original is None:
                    original = annotation.quote
                fields = {
                    "status": result.status,
                    **selector.as_fields(),
                    "original_quote": original,
                    "text_hash": new_hash,
                }
                anchors[annotation.id] = (old_hash, fields)
        if anchors:
            _write_anchors(store, anchors)


def _write_anchors(store: Store, anchors: dict[str, tuple[str | None, dict[str, Any]]]) -> None:
    """Write new anchoring fields under the lock, field by field: a highlight whose note or
    tags another process changed meanwhile keeps them; one re-anchored meanwhile (its text
    hash moved on) is left as that writer left it."""
    with store.edit() as edit:
        changed: list[Annotation] = []
        for annotation_id, (old_hash, fields) in anchors.items():
            current = edit.get(annotation_id)
            if current is None or current.text_hash != old_hash:
                continue
            changed.append(replace(current, **fields, revision=current.revision + 1))
        edit.put_many(changed)
