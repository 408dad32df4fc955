"""Read-modify-write of highlights under the store lock: the one way a change is made.

:meth:`reader.store.Store.edit` opens an :class:`Edit`: it holds the store lock, reads
records *inside* it (never a copy read before the lock was taken), and commits every file it
changed, the undo journal included, as one transaction: a highlight and its journal entry
are stored together or not at all (each new file is written to a durable temporary file
before any is renamed into place, so a full disk fails the whole change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.core.models import PARAGRAPH_SEPARATOR, Annotation, text_hash
from reader.store.annotations import ANN_TABLE, IDS_TABLE, RANK_INDEX, RANK_MARKS, RANK_SHARD
from reader.store.db import Transaction, get_rec, put_recs
from reader.store.shard_cache import SHARD_CACHE

if TYPE_CHECKING:
    from reader.store.store import Store

#: undo entries kept (oldest dropped first)
JOURNAL_CAP = 500
#: the journal file's two stacks
UNDO, REDO = "undo", "redo"
#: the texts table of a text snapshot file
TEXTS_TABLE = "texts"
ARTICLES_TABLE = "articles"
#: the journal is written after the shards and indexes it describes
RANK_JOURNAL = RANK_MARKS + 1


class Edit:
    """One locked transaction over highlights, article texts and the undo journal."""

    def __init__(self, store: Store, tx: Transaction) -> None:
        self._store = store
        self._tx = tx
        self._paths = store.paths

    # ------------------------------------------------------------------ reads
    def get(self, annotation_id: str) -> Annotation | None:
        """The highlight as stored now (live or in the trash), or None."""
        ids = self._tx.db(self._paths.ids_shard(annotation_id), rank=RANK_INDEX).table(IDS_TABLE)
        entry = get_rec(ids, annotation_id, "annotation_id")
        if entry is None:
            return None
        record = get_rec(self._shard(str(entry["article_id"])), annotation_id, "id")
        return Annotation.from_dict(record) if record else None

    def annotations(self, article_id: str) -> list[Annotation]:
        """An article's highlights as stored now (the trash included).

        Shared objects (see :mod:`reader.store.shard_cache`): change them with
        ``dataclasses.replace``, never in place.
        """
        path = self._paths.annotation_shard(article_id)
        if not self._tx.opened(path):
            # Not changed in this transaction: the file as it is (no one else writes it
            # while the lock is held), decoded straight into annotations, or the ones the
            # shard cache holds for that very version. Through TinyDB, 100,000 highlights
            # took ~5 s (its documents, a dict copy and from_dict each) on every h.
            return list(SHARD_CACHE.load(path, ANN_TABLE))
        return [Annotation.from_dict(dict(doc)) for doc in self._shard(article_id).all()]

    def article_text(self, article_id: str) -> str | None:
        """The article's text as stored now, or None if no document has it."""
        shard = self._tx.db(self._paths.article_shard(article_id), rank=RANK_SHARD)
        record = get_rec(shard.table(ARTICLES_TABLE), article_id, "id")
        if record is None:
            return None
        return PARAGRAPH_SEPARATOR.join(str(p) for p in record.get("paragraphs") or [])

    # ------------------------------------------------------------------ writes
    def put(self, annotation: Annotation) -> Annotation:
        """Store a highlight (a new one, or a new revision of one read with :meth:`get`)."""
        self.put_many([annotation])
        return annotation

    def put_many(self, annotations: list[Annotation]) -> None:
        """Store many highlights: each touched file changed once, counts recomputed once."""
        latest = {a.id: a for a in annotations}
        by_article: dict[str, list[dict[str, Any]]] = {}
        for note in latest.values():
            by_article.setdefault(note.article_id, []).append(note.to_dict())
        for article_id, records in by_article.items():
            put_recs(self._shard(article_id), records, "id")
        touched = set(by_article) | self._store.point_ids(self._tx, latest)
        self._tx.articles |= touched
        self._store.reindex_many(self._tx, touched)

    def put_text(self, text: str) -> str:
        """Keep a snapshot of an article text (content-addressed); returns its hash."""
        digest = text_hash(text)
        table = self._tx.db(self._paths.text_file(digest)).table(TEXTS_TABLE)
        if get_rec(table, digest, "hash") is None:
            put_recs(table, [{"hash": digest, "text": text}], "hash")
        return digest

    # ------------------------------------------------------------------ article marks
    def marks(self, article_id: str) -> dict[str, Any]:
        """An article's own marks as stored now:
        ``{"tags": [...], "state": {...} | None, "note": "..."}``."""
        record = get_rec(self._store.marks_table(self._tx, article_id), article_id, "article_id")
        record = record or {}
        return {
            "tags": list(record.get("tags") or []),
            "state": record.get("state"),
            "note": str(record.get("note") or ""),
        }

    def set_marks(self, article_id: str, **fields: Any) -> None:
        """Set an article's own ``tags``, reading ``state`` and/or ``note``."""
        self._store.update_marks(self._tx, article_id, **fields)

    # ------------------------------------------------------------------ journal
    def push(self, entry: dict[str, Any], stack: str = UNDO, *, clear_redo_of: str = "") -> None:
        """Put an entry on top of a journal stack (keeping the last :data:`JOURNAL_CAP`).

        ``clear_redo_of``: a new change of that owner drops the owner's redo entries (a redo
        only makes sense right after its undo); other owners' entries are left alone.
        """
        db = self._tx.db(self._paths.journal, rank=RANK_JOURNAL)
        table = db.table(stack)
        table.insert({"entry": entry})
        ids = sorted(doc.doc_id for doc in table.all())
        if len(ids) > JOURNAL_CAP:
            table.remove(doc_ids=ids[: len(ids) - JOURNAL_CAP])
        if clear_redo_of:
            redo = db.table(REDO)
            mine = [
                doc.doc_id
                for doc in redo.all()
                if doc.get("entry", {}).get("owner") == clear_redo_of
            ]
            if mine:
                redo.remove(doc_ids=mine)

    def take(self, stack: str, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        """Remove and return the newest entry of ``stack`` that ``wanted`` accepts."""
        table = self._tx.db(self._paths.journal, rank=RANK_JOURNAL).table(stack)
        for doc in sorted(table.all(), key=lambda d: d.doc_id, reverse=True):
            entry = doc.get("entry")
            if isinstance(entry, dict) and wanted(entry):
                table.remove(doc_ids=[doc.doc_id])
                return entry
        return None

    # ------------------------------------------------------------------ helpers
    def _shard(self, article_id: str) -> Any:
        return self._store.annotation_table(self._tx, article_id)
