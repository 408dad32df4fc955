"""The :class:`Store`: every persistent thing the reader keeps, in a folder of JSON files.

See :mod:`reader.store.layout` for the files. Each write is a transaction: take the
store lock, open fresh TinyDB handles, change them in memory, write every changed file
atomically (keeping its previous version as ``.bak``), release the lock. Reads take no lock.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.models import (
    PARAGRAPH_SEPARATOR,
    Article,
    ArticleSummary,
    ReadingState,
    normalize_tags,
    text_hash,
)
from reader.store import migrations
from reader.store.annotations import (
    MARKS_TABLE,
    RANK_INDEX,
    RANK_SHARD,
    AnnotationsMixin,
    _bucket_view,
)
from reader.store.db import (
    Transaction,
    all_recs,
    del_recs,
    doc_id,
    get_rec,
    has_pending,
    open_read,
    put_recs,
    read_markers,
    read_raw,
    transaction,
)
from reader.store.editing import REDO, UNDO, Edit
from reader.store.layout import SCHEMA_VERSION, FileRecord, Layout
from reader.store.listing import listing_stamp, load_listing
from reader.store.lock import LockUnavailable, StoreLock
from reader.store.recovery import rebuild_indexes, recover_articles, remove_temp_files
from reader.store.review import ReviewMixin
from reader.store.storage import StoreError, corrupt
from reader.store.tags import TagsMixin

if TYPE_CHECKING:
    from reader.store.repair import RepairReport
    from reader.store.search_index import ArticleSearch

ARTICLES_TABLE = "articles"
FILES_TABLE = "files"
TEXTS_TABLE = "texts"
SETTINGS_TABLE = "settings"
STORE_TABLE = "store"

_SUMMARY_FIELDS = ("id", "title", "date", "source", "author", "related_to", "path", "index")


def summary_record(article: Article) -> dict[str, Any]:
    """The catalog line of an article (no paragraphs)."""
    return {key: getattr(article, key) for key in _SUMMARY_FIELDS}


CatalogRow = tuple[str, str, str | None, str | None, str | None, str | None, str, int]


def _catalog_rows(data: dict[str, Any]) -> list[CatalogRow]:
    """The catalog as sorted tuples in ArticleSummary field order (cached per version)."""
    rows: list[CatalogRow] = [
        (
            str(r["id"]),
            str(r.get("title", "")),
            r.get("date"),
            r.get("source"),
            r.get("author"),
            r.get("related_to"),
            str(r.get("path", "")),
            int(r.get("index", 0)),
        )
        for r in data.get(ARTICLES_TABLE, {}).values()
    ]
    rows.sort(key=lambda row: (row[6], row[7], row[0]))
    return rows


class Store(ReviewMixin, AnnotationsMixin, TagsMixin):
    """A reader library's store folder (e.g. ``<library>/.reader``)."""

    SCHEMA_VERSION = SCHEMA_VERSION

    def __init__(self, root: Path, *, announce: Callable[[str], None] | None = None) -> None:
        """Open (creating if missing) the store at ``root``; migrate older schemas (saying
        so first through ``announce``: a large store takes seconds, once).

        Raises :class:`StoreError` if the folder cannot be created or written or its schema
        is newer than this code, :class:`StoreCorrupt` if a file it needs is corrupt.
        """
        self._announce = announce
        self.root = Path(root)
        self.paths = Layout(self.root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the store ({exc.strerror})") from None
        self._lock = StoreLock(self.paths.lock)
        self._search: ArticleSearch | None = None
        self._open()

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    # ------------------------------------------------------------ opening

    def _disk_version(self) -> int | None:
        """The schema of the files on disk; None for a new, empty store."""
        record = get_rec(open_read(self.paths.meta).table(STORE_TABLE), "schema_version", "key")
        if record is not None:
            value = record.get("value")
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise corrupt(self.paths.meta, f"schema_version is {value!r}, not a version")
            return value
        return migrations.detect_legacy(self.root)

    def _open(self) -> None:
        version = self._disk_version()
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.paths.meta}: store schema {version} is newer than this reader "
                f"understands ({SCHEMA_VERSION}); upgrade reader"
            )
        if version == SCHEMA_VERSION and not has_pending(self.root):
            return
        if version == SCHEMA_VERSION:
            try:
                with self._lock.held():
                    self._recover()
            except LockUnavailable:
                # a read-only store a writer died in: reading never needs the write lock
                # (a write will say it cannot lock; recovery waits for a writable store)
                pass
            return
        with self._lock.held():
            version = self._disk_version()
            if version is not None and version < SCHEMA_VERSION:
                if self._announce is not None:
                    self._announce(
                        f"upgrading the store in {self.root} to this version's format"
                        " (once; a large library takes a few seconds)"
                    )
                migrations.migrate(self, version)
            elif version is None:
                with transaction(self.root, self._lock) as tx:
                    self.stamp_schema(tx)
                    self._mark_live_index(tx)  # nothing to index yet: complete as it is
            self._recover()

    def stamp_schema(self, tx: Transaction) -> None:
        """Stamp the current schema version (written last by migrations)."""
        table = tx.db(self.paths.meta, rank=9).table(STORE_TABLE)
        put_recs(table, [{"key": "schema_version", "value": SCHEMA_VERSION}], "key")

    def _recover(self) -> None:
        """Finish what writers killed mid-transaction left (the lock must be held)."""
        if not has_pending(self.root):
            return
        markers = read_markers(self.root)
        if any(articles is None for _, articles in markers):
            rebuild_indexes(self)
        elif markers:
            recover_articles(self, sorted({a for _, arts in markers for a in arts or []}))
        remove_temp_files(self.paths)
        for marker, _ in markers:
            with contextlib.suppress(FileNotFoundError):
                marker.unlink()

    @contextmanager
    def lock_held(self) -> Iterator[None]:
        """The store's write lock across several steps (re-entrant: the store's own
        transactions inside take it again), for the package's sync records."""
        with self._lock.held():
            yield

    @contextmanager
    def locked_transaction(self) -> Iterator[Transaction]:
        """A transaction under the store lock, without recovery first (for the package's
        own recovery and migrations, which run under the lock already)."""
        with transaction(self.root, self._lock) as tx:
            yield tx

    @contextmanager
    def _write(self) -> Iterator[Transaction]:
        """A locked write transaction (recovering from a dead writer first if needed)."""
        with self._lock.held():
            self._recover()
            with transaction(self.root, self._lock) as tx:
                yield tx

    @contextmanager
    def _indexed_write(self) -> Iterator[tuple[Transaction, list[Article | str]]]:
        """:meth:`_write` for a change of articles: the body lists the articles it saved
        (and the ids it dropped), and the search index follows once the write committed,
        still under the lock (so the shards it stamps hold exactly what it indexed)."""
        changed: list[Article | str] = []
        with self._lock.held():
            self._recover()
            before = self.search.shard_stamps()
            with transaction(self.root, self._lock) as tx:
                yield tx, changed
            self.search.apply(
                (a for a in changed if isinstance(a, Article)),
                (a for a in changed if isinstance(a, str)),
                before,
            )

    @property
    def search(self) -> ArticleSearch:
        """The articles' full-text index (SQLite FTS5 beside the records; derived)."""
        if self._search is None:
            from reader.store.search_index import ArticleSearch

            self._search = ArticleSearch(self.paths)
        return self._search

    # ------------------------------------------------------ documents / articles

    def file_records(self) -> dict[str, FileRecord]:
        """path -> what was recorded when the document was last imported."""
        records = all_recs(open_read(self.paths.files).table(FILES_TABLE))
        return {str(r["path"]): FileRecord.from_dict(r) for r in records}

    def save_document(self, record: FileRecord, articles: list[Article]) -> None:
        """Replace everything stored for ``record.path`` with these articles.

        Articles the file no longer has leave the catalog; their annotations are kept.
        """
        self.save_documents([(record, articles)])

    def save_documents(self, items: list[tuple[FileRecord, list[Article]]]) -> None:
        """Bulk :meth:`save_document`: one write per touched shard, catalog and file list."""
        if not items:
            return
        new_records: list[dict[str, Any]] = []
        dropped: list[str] = []
        fresh: dict[str, Article] = {}
        with self._indexed_write() as (tx, changed):
            files = tx.db(self.paths.files, rank=RANK_INDEX + 1).table(FILES_TABLE)
            # one lookup of every path (not one table read per file)
            known = {
                str(doc.get("path")): doc
                for doc in files.get(doc_ids=list({doc_id(r.path) for r, _ in items}))
            }
            for record, articles in items:
                old = known.get(record.path)
                ids = [a.id for a in articles]
                record.article_ids = ids
                if old is not None:
                    keep = set(ids)
                    dropped.extend(a for a in old.get("article_ids", []) if a not in keep)
                fresh.update((a.id, a) for a in articles)
                new_records.append(record.to_dict())
            self._drop_articles(tx, [a for a in dropped if a not in fresh])
            by_shard: dict[Path, list[dict[str, Any]]] = defaultdict(list)
            for article in fresh.values():
                by_shard[self.paths.article_shard(article.id)].append(article.to_dict())
            for path, records in by_shard.items():
                put_recs(tx.db(path, rank=RANK_SHARD).table(ARTICLES_TABLE), records, "id")
            catalog = tx.db(self.paths.catalog, rank=RANK_INDEX).table(ARTICLES_TABLE)
            put_recs(catalog, [summary_record(a) for a in fresh.values()], "id")
            put_recs(files, new_records, "path")
            changed.extend(fresh.values())
            changed.extend(a for a in dropped if a not in fresh)

    def touch_document(self, record: FileRecord) -> None:
        """Update a document's record (size, mtime, sha) without touching its articles.

        For a file whose bytes are unchanged but whose mtime moved; prefer
        :meth:`touch_documents` for many files (one write of ``files.json`` in all).
        """
        self.touch_documents([record])

    def touch_documents(self, records: list[FileRecord]) -> None:
        """Bulk :meth:`touch_document`: one write of ``files.json``."""
        if not records:
            return
        with self._write() as tx:
            files = tx.db(self.paths.files, rank=RANK_INDEX + 1).table(FILES_TABLE)
            put_recs(files, [r.to_dict() for r in records], "path")

    def remove_document(self, path: str) -> None:
        """Forget a document and its articles (annotations are kept, to be orphaned)."""
        with self._indexed_write() as (tx, changed):
            files = tx.db(self.paths.files, rank=RANK_INDEX + 1).table(FILES_TABLE)
            old = get_rec(files, path, "path")
            if old is None:
                return
            gone = [str(a) for a in old.get("article_ids", [])]
            self._drop_articles(tx, gone)
            del_recs(files, [path], "path")
            changed.extend(gone)

    def forget_document(self, path: str) -> None:
        """Forget a document's record but keep its articles (the file moved: its new
        record holds them now)."""
        with self._write() as tx:
            files = tx.db(self.paths.files, rank=RANK_INDEX + 1).table(FILES_TABLE)
            del_recs(files, [path], "path")

    def _drop_articles(self, tx: Transaction, article_ids: list[str]) -> None:
        if not article_ids:
            return
        by_shard: dict[Path, list[str]] = defaultdict(list)
        for article_id in article_ids:
            by_shard[self.paths.article_shard(article_id)].append(article_id)
        for path, ids in by_shard.items():
            del_recs(tx.db(path, rank=RANK_SHARD).table(ARTICLES_TABLE), ids, "id")
        catalog = tx.db(self.paths.catalog, rank=RANK_INDEX).table(ARTICLES_TABLE)
        del_recs(catalog, article_ids, "id")

    def get_article(self, article_id: str) -> Article | None:
        """The full article, or None if no current document has it."""
        shard = open_read(self.paths.article_shard(article_id)).table(ARTICLES_TABLE)
        record = get_rec(shard, article_id, "id")
        return Article.from_dict(record) if record else None

    def article_texts(self) -> Iterator[tuple[str, str]]:
        """``(id, text)`` of every stored article, shard by shard (for scanning all texts:
        one read per shard, no :class:`Article` built)."""
        for path in self.paths.json_files(self.paths.articles_dir):
            for record in read_raw(path, ARTICLES_TABLE).values():
                paragraphs = record.get("paragraphs") or []
                yield str(record["id"]), PARAGRAPH_SEPARATOR.join(str(p) for p in paragraphs)

    def list_articles(self) -> list[ArticleSummary]:
        """Every article's summary, ordered by (path, index); no paragraphs, no annotations."""
        rows: list[CatalogRow]
        rows, marks = load_listing(
            self.paths, _catalog_rows, lambda data: _bucket_view(data.get(MARKS_TABLE, {}))
        )
        missing: tuple[list[str], int, bool, float, str] = ([], 0, False, 0.0, "")
        summaries = []
        for row in rows:
            tags, count, read, progress, note = marks.get(row[0], missing)
            summaries.append(ArticleSummary(*row, list(tags), count, read, progress, note))
        return summaries

    def listing_stamp(self) -> object:
        """Changes whenever the catalog file is rewritten (an import changed articles)."""
        return listing_stamp(self.paths)

    def set_article_tags(self, article_id: str, tags: list[str]) -> None:
        """Replace an article's tags (normalised, duplicates dropped)."""
        with self._write() as tx:
            self.update_marks(tx, article_id, tags=normalize_tags(tags))

    def get_article_note(self, article_id: str) -> str:
        """The note on a whole article ("" when it has none)."""
        marks = open_read(self.paths.marks_shard(article_id)).table(MARKS_TABLE)
        record = get_rec(marks, article_id, "article_id")
        return str(record.get("note") or "") if record else ""

    def set_article_note(self, article_id: str, note: str) -> None:
        """Replace the note on a whole article (kept in its marks record, beside its tags)."""
        with self._write() as tx:
            self.update_marks(tx, article_id, note=note)

    # ------------------------------------------------------------ texts

    def put_text(self, text: str) -> str:
        """Keep a snapshot of an article text; returns its :func:`text_hash`."""
        digest = text_hash(text)
        path = self.paths.text_file(digest)
        if get_rec(open_read(path).table(TEXTS_TABLE), digest, "hash") is not None:
            return digest  # content-addressed: already there
        with self._write() as tx:
            table = tx.db(path).table(TEXTS_TABLE)
            put_recs(table, [{"hash": digest, "text": text}], "hash")
        return digest

    def put_texts(self, texts: list[str]) -> list[str]:
        """Bulk :meth:`put_text`: the hashes in order; all missing snapshots in one write."""
        digests = [text_hash(text) for text in texts]
        missing = {
            digest: text
            for digest, text in zip(digests, texts, strict=True)
            if self.get_text(digest) is None
        }
        if missing:
            with self._write() as tx:
                for digest, text in missing.items():
                    table = tx.db(self.paths.text_file(digest)).table(TEXTS_TABLE)
                    put_recs(table, [{"hash": digest, "text": text}], "hash")
        return digests

    def get_text(self, digest: str) -> str | None:
        """A snapshot kept by :meth:`put_text`, or None."""
        record = get_rec(open_read(self.paths.text_file(digest)).table(TEXTS_TABLE), digest, "hash")
        return str(record["text"]) if record else None

    # ------------------------------------------------------ state and settings

    def get_state(self, article_id: str) -> ReadingState:
        """Where the reader was in an article (a fresh state if never opened)."""
        marks = open_read(self.paths.marks_shard(article_id)).table("marks")
        record = get_rec(marks, article_id, "article_id")
        if record and record.get("state"):
            return ReadingState.from_dict({**record["state"], "article_id": article_id})
        return ReadingState(article_id=article_id)

    def put_state(self, state: ReadingState) -> None:
        """Remember where the reader is in an article."""
        with self._write() as tx:
            self.update_marks(tx, state.article_id, state=state.to_dict())

    def get_meta(self, key: str, default: Any = None) -> Any:
        """A JSON setting (last article, colour labels, saved views...)."""
        record = get_rec(open_read(self.paths.meta).table(SETTINGS_TABLE), key, "key")
        return record["value"] if record else default

    def update_meta(self, key: str, change: Callable[[Any], Any]) -> Any:
        """Set a JSON setting to ``change(its value now)``, read and written under the lock
        (two windows adding a saved view each keep both); returns the new value."""
        with self._write() as tx:
            table = tx.db(self.paths.meta).table(SETTINGS_TABLE)
            record = get_rec(table, key, "key")
            value = change(record["value"] if record else None)
            put_recs(table, [{"key": key, "value": value}], "key")
        return value

    def set_meta(self, key: str, value: Any) -> None:
        """Set a JSON setting."""
        with self._write() as tx:
            table = tx.db(self.paths.meta).table(SETTINGS_TABLE)
            put_recs(table, [{"key": key, "value": value}], "key")

    # ------------------------------------------------------------ changes

    @contextmanager
    def edit(self) -> Iterator[Edit]:
        """A locked read-modify-write of highlights and the undo journal (see
        :mod:`reader.store.editing`): committed as one transaction when the body returns."""
        with self._write() as tx:
            yield Edit(self, tx)

    def journal(self) -> dict[str, list[dict[str, Any]]]:
        """The undo and redo stacks as stored, oldest first (read without the lock)."""
        db = open_read(self.paths.journal)
        return {
            stack: [doc["entry"] for doc in sorted(db.table(stack).all(), key=lambda d: d.doc_id)]
            for stack in (UNDO, REDO)
        }

    # ------------------------------------------------------------ backups

    def restore_backup(self) -> RepairReport:
        """Check every file; restore the corrupt or missing ones from their last good
        backup, rebuild what has none (see :mod:`reader.store.repair`)."""
        from reader.store.repair import repair_store

        return repair_store(self.root)

    @staticmethod
    def restore_backup_at(root: Path) -> RepairReport:
        """:meth:`restore_backup` for a store that cannot be opened (e.g. corrupt meta.json)."""
        from reader.store.repair import repair_store

        return repair_store(Path(root))

    def rebuild_indexes(self) -> None:
        """Recompute the derived indexes (counts, tag counts, id index, catalog) from shards."""
        with self._lock.held():
            rebuild_indexes(self)
