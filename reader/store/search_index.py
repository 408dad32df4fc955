"""The articles' full-text index: SQLite FTS5 in ``<store>/search.sqlite``, derived data.

The TinyDB records stay the truth; this file only makes ``reader list --search`` and the
list filter fast without building an index in every process. It is rebuilt from the
article shards whenever it is missing, unreadable, of another version or stale:

- every article shard's identity (inode, size, mtime: a rewrite renames a new file into
  place) is kept in the ``shards`` table as its *stamp*; :meth:`ArticleSearch.refresh`
  re-indexes only the shards whose stamp changed (a few hundred ``stat`` calls when none
  did). The stamp is taken *before* a shard is read, so a shard rewritten meanwhile is
  simply indexed again next time: no store lock is needed to refresh.
- :meth:`ArticleSearch.apply` is called by the store's import transaction, under the
  store lock, with the articles it just wrote: the index follows an import without
  reading the shards back.

Words are folded and split in Python (:func:`reader.core.search.words`, the same rule as
the query side), so FTS5's tokenizer only splits on the spaces put between them and
matching keeps the meaning it has always had: every word must match a whole word of the
title, source, author or body, and the last one, still being typed, a word's start.
Matches are ranked by bm25, with a title word worth more than a source or author word
and far more than a body word.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

from reader.core.models import PARAGRAPH_SEPARATOR, Article
from reader.core.search import query_terms, words
from reader.store.layout import Layout
from reader.store.storage import StoreError, load_tables

__all__ = ["INDEX_FILE", "ArticleSearch", "RankedHit"]

INDEX_FILE = "search.sqlite"
#: bump when the schema or the folding changes: an index of another version is rebuilt
INDEX_VERSION = "1"
#: bm25 weights of title, source, author, body: a title hit outranks body hits
_WEIGHTS = (100.0, 10.0, 10.0, 1.0)
_ARTICLES_TABLE = "articles"
_BUSY_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
                                shard TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS docs_shard ON docs(shard);
CREATE TABLE IF NOT EXISTS shards(name TEXT PRIMARY KEY, stamp TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, source, author, body, tokenize="unicode61 remove_diacritics 0 tokenchars '_'",
    prefix='1 2'
);
"""


#: a query matching more articles than this ranks only its title matches (bm25 costs
#: ~6 us an article: 70 ms at 12,000, a one-letter prefix); the next letter ranks all
RANK_ALL_LIMIT = 2000


class RankedHit(NamedTuple):
    """One matching article: its id and bm25 rank (lower is better); ``ranked`` is False
    for the unranked tail of a very broad query (see :data:`RANK_ALL_LIMIT`)."""

    id: str
    rank: float
    ranked: bool = True


def _stamp(stat: os.stat_result) -> str:
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def _folded(value: object) -> str:
    return " ".join(words(value)) if isinstance(value, str) and value else ""


def _row(record: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """The four indexed columns of an article record, folded words joined by spaces."""
    paragraphs = record.get("paragraphs") or []
    body = PARAGRAPH_SEPARATOR.join(str(p) for p in paragraphs)
    return (
        _folded(record.get("title")),
        _folded(record.get("source")),
        _folded(record.get("author")),
        _folded(body),
    )


def match_expression(query: str) -> tuple[str, str | None]:
    """The FTS5 MATCH text of a filter's words, and the prefix being typed (if any).

    Every word must match (AND); a word FTS5 would split (it keeps letters and digits)
    becomes a phrase of its parts. Empty text means "matches nothing".
    """
    found, last_is_prefix = query_terms(query)
    terms: dict[str, bool] = {}
    for position, word in enumerate(found):
        is_prefix = last_is_prefix and position == len(found) - 1
        terms[word] = terms.get(word, True) and is_prefix  # an exact use is stricter
    parts = [f'"{word}"' + ("*" if is_prefix else "") for word, is_prefix in terms.items()]
    prefix = next((word for word, is_prefix in terms.items() if is_prefix), None)
    return " ".join(parts), prefix


class ArticleSearch:
    """The store's article index: :meth:`search` it, :meth:`refresh` it, :meth:`rebuild` it.

    Connections are per thread (a TUI worker refreshes while the UI thread searches; WAL
    lets readers go on while a writer works). A store folder that cannot hold the file
    gets an in-memory index, built in this process.
    """

    def __init__(self, paths: Layout) -> None:
        self.paths = paths
        self.path = paths.root / INDEX_FILE
        self._local = threading.local()
        self._memory: str | None = None  # the shared in-memory database's URI, if used
        self._keep_memory: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        #: writes made through this object (PRAGMA data_version counts only the others')
        self._writes = 0
        self._id_cache: tuple[tuple[int, int, int], dict[int, str]] | None = None

    # ------------------------------------------------------------------ connections
    def _connect(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        with self._lock:
            connection = self._open()
        self._local.connection = connection
        return connection

    def _open(self) -> sqlite3.Connection:
        if self._memory is None:
            try:
                connection = self._open_file()
            except (sqlite3.Error, OSError) as error:
                if _busy(error):
                    raise  # another process is writing it: try again next time
                # corrupt, or not ours: it is derived data, so start it again
                self._remove_file()
                try:
                    connection = self._open_file()
                except (sqlite3.Error, OSError):
                    connection = None
            if connection is not None:
                return connection
            self._memory = f"file:reader-search-{id(self)}?mode=memory&cache=shared"
        connection = sqlite3.connect(self._memory, uri=True, check_same_thread=False)
        if self._keep_memory is None:
            self._keep_memory = connection  # the shared database lives while one is open
        self._prepare(connection)
        return connection

    def _open_file(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # derived data: rebuilt if lost
            self._prepare(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        connection.isolation_level = None  # transactions are explicit
        connection.executescript(_SCHEMA)
        row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != INDEX_VERSION:
            with self._writing(connection):
                self._clear(connection)
                connection.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('version', ?)", (INDEX_VERSION,)
                )

    def _remove_file(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError, OSError):
                os.unlink(f"{self.path}{suffix}")

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    @contextlib.contextmanager
    def _writing(self, connection: sqlite3.Connection) -> Iterator[None]:
        """One write transaction (taken at once, so two writers queue, not deadlock)."""
        self._writes += 1
        if connection.in_transaction:
            yield
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        self._writes += 1

    @staticmethod
    def _clear(connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM fts")
        connection.execute("DELETE FROM docs")
        connection.execute("DELETE FROM shards")

    # ------------------------------------------------------------------ keeping it fresh
    def shard_stamps(self) -> dict[str, str]:
        """The stamp of every article shard on disk, by file name."""
        stamps: dict[str, str] = {}
        try:
            with os.scandir(self.paths.articles_dir) as entries:
                for entry in entries:
                    name = entry.name
                    if name.endswith(".json") and not name.startswith("."):
                        with contextlib.suppress(FileNotFoundError):
                            stamps[name] = _stamp(entry.stat())
        except FileNotFoundError:
            pass
        return stamps

    def is_fresh(self) -> bool:
        """Whether every shard is indexed as it is on disk."""
        return self._guarded(lambda c: not self._stale(c, self.shard_stamps()), False)

    def _stale(self, connection: sqlite3.Connection, stamps: dict[str, str]) -> list[str]:
        known = dict(connection.execute("SELECT name, stamp FROM shards").fetchall())
        changed = [name for name, stamp in stamps.items() if known.get(name) != stamp]
        return changed + [name for name in known if name not in stamps]

    def refresh(self) -> int:
        """Re-index the shards that changed since they were indexed; how many there were.

        Never raises for the index's own sake: an index that cannot be written stays as it
        was (searches then miss what changed) and a damaged one is started again.
        """
        return self._guarded(self._refresh, 0)

    def _refresh(self, connection: sqlite3.Connection) -> int:
        stamps = self.shard_stamps()
        stale = self._stale(connection, stamps)
        for name in stale:
            stamp = stamps.get(name)
            records: dict[str, Any] = {}
            if stamp is not None:
                try:
                    tables = load_tables(self.paths.articles_dir / name) or {}
                    records = tables.get(_ARTICLES_TABLE, {})
                except (StoreError, OSError):
                    stamp = None  # unreadable: left out until it is readable (restore)
            with self._writing(connection):
                self._drop_shard(connection, name)
                self._insert(connection, name, records.values())
                if stamp is not None:
                    connection.execute("INSERT OR REPLACE INTO shards VALUES (?, ?)", (name, stamp))
        return len(stale)

    def rebuild(self) -> None:
        """Forget everything and index every shard again (``reader restore``)."""
        self.close()
        self._remove_file()
        self._guarded(self._refresh, 0)

    def apply(
        self, articles: Iterable[Article], dropped: Iterable[str], before: Mapping[str, str]
    ) -> None:
        """Follow a write of the store that just saved ``articles`` and dropped ``dropped``.

        Called under the store lock after the write committed, with the shard stamps taken
        before it (:meth:`shard_stamps`): a shard that was indexed as it was then is
        indexed as it is now; any other is left stale for :meth:`refresh`.
        """
        saved = list(articles)
        gone = list(dropped)
        if not saved and not gone:
            return

        def run(connection: sqlite3.Connection) -> None:
            known = dict(connection.execute("SELECT name, stamp FROM shards").fetchall())
            after = self.shard_stamps()
            touched: set[str] = set()
            with self._writing(connection):
                ids = [a.id for a in saved] + gone
                for chunk in _chunks(ids, 500):
                    marks = ",".join("?" * len(chunk))
                    rows = f"SELECT rowid FROM docs WHERE id IN ({marks})"
                    connection.execute(f"DELETE FROM fts WHERE rowid IN ({rows})", chunk)
                    connection.execute(f"DELETE FROM docs WHERE id IN ({marks})", chunk)
                by_shard: dict[str, list[dict[str, Any]]] = {}
                for article in saved:
                    name = self.paths.article_shard(article.id).name
                    by_shard.setdefault(name, []).append(
                        {
                            "id": article.id,
                            "title": article.title,
                            "source": article.source,
                            "author": article.author,
                            "paragraphs": article.paragraphs,
                        }
                    )
                for name, records in by_shard.items():
                    self._insert(connection, name, records)
                touched.update(by_shard)
                touched.update(self.paths.article_shard(article_id).name for article_id in gone)
                for name in touched:
                    if name in known and known[name] == before.get(name) and name in after:
                        connection.execute(
                            "INSERT OR REPLACE INTO shards VALUES (?, ?)", (name, after[name])
                        )
                    elif name not in known and before.get(name) is None and name in after:
                        # a shard this write created: it holds only what was just indexed
                        connection.execute(
                            "INSERT OR REPLACE INTO shards VALUES (?, ?)", (name, after[name])
                        )

        self._guarded(run, None)

    @staticmethod
    def _drop_shard(connection: sqlite3.Connection, name: str) -> None:
        connection.execute(
            "DELETE FROM fts WHERE rowid IN (SELECT rowid FROM docs WHERE shard = ?)", (name,)
        )
        connection.execute("DELETE FROM docs WHERE shard = ?", (name,))
        connection.execute("DELETE FROM shards WHERE name = ?", (name,))

    @staticmethod
    def _insert(
        connection: sqlite3.Connection, shard: str, records: Iterable[Mapping[str, Any]]
    ) -> None:
        rows = [(str(r["id"]), _row(r)) for r in records if r.get("id")]
        if not rows:
            return
        (last,) = connection.execute("SELECT coalesce(max(rowid), 0) FROM docs").fetchone()
        numbers = range(last + 1, last + 1 + len(rows))
        connection.executemany(
            "INSERT INTO docs(rowid, id, shard) VALUES (?, ?, ?)",
            [(n, article_id, shard) for n, (article_id, _) in zip(numbers, rows, strict=True)],
        )
        connection.executemany(
            "INSERT INTO fts(rowid, title, source, author, body) VALUES (?, ?, ?, ?, ?)",
            [(n, *columns) for n, (_, columns) in zip(numbers, rows, strict=True)],
        )

    def _guarded(self, work: Any, default: Any) -> Any:
        """Run ``work(connection)``; a damaged index is started again once, any other
        failure of this derived data gives ``default``."""
        for attempt in range(2):
            try:
                return work(self._connect())
            except sqlite3.DatabaseError as error:
                if attempt or self._memory is not None or _busy(error):
                    return default
                self.close()
                self._remove_file()
            except (sqlite3.Error, OSError):
                return default
        return default

    # ------------------------------------------------------------------ searching
    def search(self, query: str, limit: int | None = None) -> list[RankedHit]:
        """Articles holding every word of ``query`` (the last one as a prefix while it is
        typed), best first (bm25: title words weigh most); a broad query's unranked rest
        (see :meth:`search_split`) follows in index order, ``ranked`` False."""

        def run(connection: sqlite3.Connection) -> list[RankedHit]:
            ranked, rest = self._search(connection, query)
            if rest:  # built by C-level iteration
                found = map(self._ids(connection).get, sorted(rest))
                fields = zip(filter(None, found), repeat(0.0), repeat(False))
                ranked.extend(map(tuple.__new__, repeat(RankedHit), fields))  # type: ignore[arg-type]
            return ranked

        found: list[RankedHit] = self._guarded(run, [])
        return found if limit is None else found[: max(limit, 0)]

    def search_split(self, query: str) -> tuple[list[RankedHit], set[str]]:
        """:meth:`search` as the list filter wants it: the ranked hits, best first, and the
        ids of the unranked rest of a query matching more than :data:`RANK_ALL_LIMIT`
        articles (a first letter: ~10,000 ids, a set made in C, no object per hit)."""

        def run(connection: sqlite3.Connection) -> tuple[list[RankedHit], set[str]]:
            ranked, rest = self._search(connection, query)
            ids = self._ids(connection)
            return ranked, set(filter(None, map(ids.get, rest)))

        found: tuple[list[RankedHit], set[str]] = self._guarded(run, ([], set()))
        return found

    def _search(
        self, connection: sqlite3.Connection, query: str
    ) -> tuple[list[RankedHit], set[int]]:
        """The ranked hits and the rowids of the unranked rest."""
        expression, _ = match_expression(query)
        if not expression:
            return [], set()
        ranked_sql = (
            "SELECT rowid, bm25(fts, ?, ?, ?, ?) AS r FROM fts WHERE fts MATCH ? ORDER BY r, rowid"
        )
        ids = self._ids(connection)
        (count,) = connection.execute(
            "SELECT count(*) FROM fts WHERE fts MATCH ?", (expression,)
        ).fetchone()
        if count <= RANK_ALL_LIMIT:
            rows = connection.execute(ranked_sql, (*_WEIGHTS, expression))
            return [RankedHit(ids[n], r) for n, r in rows if n in ids], set()
        # broad: the title matches ranked, then every other match unranked
        titled = f"title : ({expression})"
        titles = connection.execute(ranked_sql, (*_WEIGHTS, titled)).fetchall()
        hits = [RankedHit(ids[n], r) for n, r in titles if n in ids]
        # up to every article per keystroke: one string from SQLite, split and parsed in C
        (joined,) = connection.execute(
            "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (expression,)
        ).fetchone()
        numbers = set(map(int, joined.split(","))) if joined else set()
        return hits, numbers.difference(map(itemgetter(0), titles))

    def stamp(self) -> object:
        """What changes whenever the index does, in this process or another (a ``PRAGMA``:
        a few microseconds); None if the index cannot be read."""
        return self._guarded(self._version, None)

    def _version(self, connection: sqlite3.Connection) -> tuple[int, int, int]:
        (version,) = connection.execute("PRAGMA data_version").fetchone()
        return (id(connection), version, self._writes)

    def _ids(self, connection: sqlite3.Connection) -> dict[int, str]:
        """rowid -> article id, kept while no connection wrote to the index (a join per
        hit costs ~1.3 us: 15 ms a keystroke at 12,000 hits)."""
        key = self._version(connection)
        cached = self._id_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        ids = dict(connection.execute("SELECT rowid, id FROM docs").fetchall())
        self._id_cache = (key, ids)
        return ids

    def matched_words(self, article_id: str, query: str) -> list[str]:
        """The words of an article that ``query`` matched, in query order (a word being
        typed can match several: ``harb`` matches ``harbor`` and ``harbour``)."""
        found, last_is_prefix = query_terms(query)
        if not found:
            return []

        def run(connection: sqlite3.Connection) -> list[str]:
            matched: list[str] = []
            for position, word in enumerate(found):
                if not (last_is_prefix and position == len(found) - 1):
                    if word not in matched:
                        matched.append(word)
                    continue
                # the words being typed: read from the article's own indexed words (the
                # vocabulary table would list every occurrence of every word so started)
                row = connection.execute(
                    "SELECT fts.title, fts.source, fts.author, fts.body FROM fts "
                    "JOIN docs ON docs.rowid = fts.rowid WHERE docs.id = ?",
                    (article_id,),
                ).fetchone()
                if row is None:
                    return []
                words = {w for column in row if column for w in column.split(" ")}
                matched.extend(sorted(w for w in words if w.startswith(word) and w not in matched))
            return matched

        return list(self._guarded(run, []))

    def __len__(self) -> int:
        return int(self._guarded(lambda c: c.execute("SELECT count(*) FROM docs").fetchone()[0], 0))


def _busy(error: BaseException) -> bool:
    """Whether an error only says another connection holds the database (not damage)."""
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error)
    )


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
