"""Annotation storage: one small TinyDB per article plus two small indexes.

Adding or editing a note rewrites that article's shard and its ``marks`` bucket (live count
and tag counts); a *new* id also adds one line to its ``ids`` bucket. Nothing proportional
to the library size is rewritten.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from copy import copy
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.models import Annotation
from reader.store.db import (
    Transaction,
    all_recs,
    del_recs,
    get_rec,
    open_read,
    put_recs,
    read_raw,
)
from reader.store.layout import Layout
from reader.store.shard_cache import SHARD_CACHE
from reader.store.storage import READ_CACHE, StoreError, load_tables

if TYPE_CHECKING:
    from reader.store.review import Moves

ANN_TABLE = "annotations"
IDS_TABLE = "ids"
MARKS_TABLE = "marks"

# commit order inside a transaction: ground truth first, derived indexes after
RANK_SHARD, RANK_INDEX, RANK_MARKS = 0, 1, 2


def empty_marks(article_id: str) -> dict[str, Any]:
    """The marks record of an article nothing was recorded for."""
    return {
        "article_id": article_id,
        "annotation_count": 0,
        "annotation_tags": {},
        "tags": [],
        "state": None,
    }


def live_map(records: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """An annotation shard's live highlights: id -> [created, start]."""
    return {
        str(r["id"]): [str(r.get("created") or ""), int(r.get("start") or 0)]
        for r in records
        if not r.get("deleted")
    }


def summarize(records: list[dict[str, Any]]) -> tuple[int, dict[str, int]]:
    """Live (not deleted) annotation count and tag counts of a shard's records."""
    live = [r for r in records if not r.get("deleted")]
    tags: Counter[str] = Counter()
    for record in live:
        tags.update(dict.fromkeys(record.get("tags") or [], 1))
    return len(live), dict(sorted(tags.items()))


def sort_key(annotation: Annotation) -> tuple[int, int, str, str]:
    """Document order, then creation time (id breaks ties so order is total)."""
    return (annotation.start, annotation.end, annotation.created, annotation.id)


#: :func:`sort_key` as a C-level key (an article's shard may hold 100,000 highlights)
_SORT_KEY = attrgetter("start", "end", "created", "id")

#: a shard named by a hash of its article id (:func:`reader.store.db.safe_name`)
_HASHED_NAME = re.compile(r"h-[0-9a-f]{40}")


def _bucket_counts(table: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {
        str(m["article_id"]): int(m["annotation_count"])
        for m in table.values()
        if m.get("annotation_count")
    }


def _bucket_tags(table: dict[str, dict[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for record in table.values():
        counts.update(dict.fromkeys(record.get("tags") or [], 1))
        counts.update(record.get("annotation_tags") or {})
    return counts


def _bucket_view(
    table: dict[str, dict[str, Any]],
) -> dict[str, tuple[list[str], int, bool, float, str]]:
    """article_id -> (tags, live count, read, progress, article note): what the list shows."""
    view = {}
    for record in table.values():
        state = record.get("state") or {}
        view[str(record["article_id"])] = (
            list(record.get("tags") or []),
            int(record.get("annotation_count", 0)),
            bool(state.get("read", False)),
            float(state.get("progress", 0.0)),
            str(record.get("note") or ""),
        )
    return view


class AnnotationsMixin:
    """The annotation half of :class:`reader.store.Store`."""

    paths: Layout

    # provided by Store
    def _write(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    # provided by ReviewMixin (before this class in Store's bases)
    def _reindex_live(
        self,
        tx: Transaction,
        article_id: str,
        records: list[dict[str, Any]],
        moves: Moves | None = None,
    ) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def move_partitions(self, tx: Transaction, moves: Moves) -> None:  # pragma: no cover
        raise NotImplementedError

    def _drop_card(self, tx: Transaction, annotation_id: str) -> None:  # pragma: no cover
        raise NotImplementedError

    # ----------------------------------------------------------------- reads

    def get_annotation(self, annotation_id: str) -> Annotation | None:
        """The annotation with this id (live or in the trash), or None."""
        entry = get_rec(
            open_read(self.paths.ids_shard(annotation_id)).table(IDS_TABLE),
            annotation_id,
            "annotation_id",
        )
        if entry is None:
            return None
        # the shard as annotations (shared with annotations_for), not as TinyDB records: an
        # edit in an article of 100,000 highlights must not keep its raw records in memory
        shard = SHARD_CACHE.load(self.paths.annotation_shard(entry["article_id"]), ANN_TABLE)
        found = next((a for a in shard if a.id == annotation_id), None)
        return copy(found) if found is not None else None  # the caller's own to change

    def annotations_for(
        self, article_id: str, *, include_deleted: bool = False
    ) -> list[Annotation]:
        """An article's annotations sorted by (start, end, created).

        They are shared with other callers until the article's shard changes (see
        :mod:`reader.store.shard_cache`): do not mutate them.
        """
        shard = SHARD_CACHE.load(self.paths.annotation_shard(article_id), ANN_TABLE)
        # in that order already (sorted once per file version)
        return list(shard) if include_deleted else [a for a in shard if not a.deleted]

    def all_annotations(
        self, *, include_deleted: bool = False, unreadable: list[str] | None = None
    ) -> list[Annotation]:
        """Every annotation, grouped by article, each article's in document order.

        With ``unreadable`` (an export), a shard that cannot be read is left out and its
        error line added there, so one damaged file does not stop the rest.
        """
        found: list[Annotation] = []
        for path in self.paths.json_files(self.paths.annotations_dir):
            if unreadable is None:
                found.extend(self._read_shard(path, include_deleted))
                continue
            try:
                found.extend(self._read_shard(path, include_deleted))
            except StoreError as error:
                unreadable.append(str(error))
        found.sort(key=lambda a: (a.article_id, *sort_key(a)))
        return found

    def annotation_groups(
        self, *, include_deleted: bool = False, unreadable: list[str] | None = None
    ) -> Iterator[tuple[str, list[Annotation]]]:
        """``(article id, its annotations)`` for every article holding any, one shard read at
        a time: the order of :meth:`all_annotations` without holding them all (a streamed
        export). Shards are read past the read cache, which would keep thousands of them.

        ``unreadable`` as in :meth:`all_annotations`.
        """
        named: list[tuple[str, Path | list[Annotation]]] = []
        hashed: list[tuple[str, Path | list[Annotation]]] = []
        for path in self.paths.json_files(self.paths.annotations_dir):
            if not _HASHED_NAME.fullmatch(path.stem):
                named.append((path.stem, path))  # the file is named by its article id
                continue
            # an id unfit for a file name: the shard itself says whose it is (rare)
            notes = self._shard_once(path, include_deleted, unreadable)
            if notes:
                hashed.append((notes[0].article_id, notes))
        named.sort(key=itemgetter(0))  # "ab-c.json" sorts before "ab.json", "ab" before "ab-c"
        hashed.sort(key=itemgetter(0))
        for article_id, source in heapq.merge(named, hashed, key=itemgetter(0)):
            if isinstance(source, list):
                yield article_id, source
                continue
            notes = self._shard_once(source, include_deleted, unreadable)
            if notes:
                yield article_id, notes

    def read_annotations(
        self, article_id: str, *, unreadable: list[str] | None = None
    ) -> list[Annotation]:
        """An article's live annotations as :meth:`annotations_for` gives them, read past the
        read cache (an export reading every article keeps none of them)."""
        return self._shard_once(self.paths.annotation_shard(article_id), False, unreadable)

    def _shard_once(
        self, path: Path, include_deleted: bool, unreadable: list[str] | None
    ) -> list[Annotation]:
        """One shard read straight from its file (not kept in the read cache)."""
        try:
            records = (load_tables(path) or {}).get(ANN_TABLE, {}).values()
        except StoreError as error:
            if unreadable is None:
                raise
            unreadable.append(str(error))
            return []
        notes = [
            Annotation.from_dict(r) for r in records if include_deleted or not r.get("deleted")
        ]
        notes.sort(key=_SORT_KEY)
        return notes

    def _read_shard(self, path: Path, include_deleted: bool) -> list[Annotation]:
        # the raw records (cached by file version; from_dict copies every field): no TinyDB
        # document and no dict copy per record, a third of the time at 100,000
        records = read_raw(path, ANN_TABLE).values()
        notes = [
            Annotation.from_dict(r) for r in records if include_deleted or not r.get("deleted")
        ]
        notes.sort(key=_SORT_KEY)
        return notes

    def _marks_summaries(self, name: str, build: Any) -> list[Any]:
        """``build(marks table)`` for every marks bucket, cached per bucket version."""
        return [
            READ_CACHE.derive(path, name, lambda data: build(data.get(MARKS_TABLE, {})))
            for path in self.paths.json_files(self.paths.marks_dir)
        ]

    def annotation_counts(self) -> dict[str, int]:
        """article_id -> number of live annotations (articles with none are left out)."""
        counts: dict[str, int] = {}
        for part in self._marks_summaries("counts", _bucket_counts):
            counts.update(part)
        return counts

    def all_tags(self) -> dict[str, int]:
        """tag -> uses: articles tagged with it plus live annotations carrying it."""
        counts: Counter[str] = Counter()
        for part in self._marks_summaries("tags", _bucket_tags):
            counts.update(part)
        return {tag: n for tag, n in sorted(counts.items()) if n > 0}

    # ---------------------------------------------------------------- writes

    def put_annotation(self, annotation: Annotation) -> None:
        """Insert or replace an annotation by id (in its article's shard)."""
        self.put_annotations([annotation])

    def put_annotations(self, annotations: list[Annotation]) -> None:
        """Insert or replace many annotations: one write per touched file."""
        if not annotations:
            return
        latest = {a.id: a for a in annotations}  # the last version of an id wins
        with self._write() as tx:
            by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for note in latest.values():
                by_article[note.article_id].append(note.to_dict())
            touched = set(by_article)
            for article_id, records in by_article.items():
                put_recs(self.annotation_table(tx, article_id), records, "id")
            touched |= self.point_ids(tx, latest)
            tx.articles |= touched
            self.reindex_many(tx, touched)

    def purge_annotation(self, annotation_id: str) -> None:
        """Remove an annotation for good (emptying the trash). Unknown ids are ignored."""
        with self._write() as tx:
            ids = tx.db(self.paths.ids_shard(annotation_id), rank=RANK_INDEX).table(IDS_TABLE)
            entry = get_rec(ids, annotation_id, "annotation_id")
            if entry is None:
                return
            article_id = str(entry["article_id"])
            tx.articles.add(article_id)
            del_recs(self.annotation_table(tx, article_id), [annotation_id], "id")
            del_recs(ids, [annotation_id], "annotation_id")
            self.reindex(tx, article_id)  # leaves the review partitions, as its card says
            self._drop_card(tx, annotation_id)

    # --------------------------------------------------------------- helpers

    def annotation_table(self, tx: Transaction, article_id: str) -> Any:
        """An article's shard in this transaction (the one way a writer opens a shard: the
        live set it holds when first opened is kept, the "before" of the review index)."""
        path = self.paths.annotation_shard(article_id)
        first = not tx.opened(path)
        table = tx.db(path, rank=RANK_SHARD).table(ANN_TABLE)
        if first:
            tx.live_before[article_id] = live_map(table._read_table().values())
        return table

    def marks_table(self, tx: Transaction, article_id: str) -> Any:
        return tx.db(self.paths.marks_shard(article_id), rank=RANK_MARKS).table(MARKS_TABLE)

    def point_ids(self, tx: Transaction, notes: dict[str, Annotation]) -> set[str]:
        """Point the id index at each note's article; returns articles notes moved out of."""
        by_bucket: dict[Path, list[Annotation]] = defaultdict(list)
        for note in notes.values():
            by_bucket[self.paths.ids_shard(note.id)].append(note)
        moved_from: set[str] = set()
        for path, group in by_bucket.items():
            table = tx.db(path, rank=RANK_INDEX).table(IDS_TABLE)
            changed = []
            for note in group:
                entry = get_rec(table, note.id, "annotation_id")
                if entry is not None and entry["article_id"] == note.article_id:
                    continue  # an edit: the index is already right, do not rewrite it
                if entry is not None:
                    old = str(entry["article_id"])
                    del_recs(self.annotation_table(tx, old), [note.id], "id")
                    moved_from.add(old)
                changed.append({"annotation_id": note.id, "article_id": note.article_id})
            put_recs(table, changed, "annotation_id")
        return moved_from

    def reindex(self, tx: Transaction, article_id: str, moves: Moves | None = None) -> None:
        """Recompute an article's live count and tag counts (and review index) from its shard.

        ``moves`` gathers the review partitions' changes for one write after many articles
        (:meth:`reindex_many`)."""
        records = all_recs(self.annotation_table(tx, article_id))
        self._reindex_live(tx, article_id, records, moves)
        count, tags = summarize(records)
        marks = self.marks_table(tx, article_id)
        record = get_rec(marks, article_id, "article_id") or empty_marks(article_id)
        if record.get("annotation_count") == count and record.get("annotation_tags") == tags:
            return  # unchanged (e.g. a note's text was edited): leave the bucket alone
        record["annotation_count"] = count
        record["annotation_tags"] = tags
        put_recs(marks, [record], "article_id")

    def reindex_many(self, tx: Transaction, article_ids: Iterable[str]) -> None:
        """:meth:`reindex` for many articles, the review partitions written once."""
        moves: Moves = ([], [])
        for article_id in sorted(article_ids):
            self.reindex(tx, article_id, moves)
        self.move_partitions(tx, moves)

    def update_marks(self, tx: Transaction, article_id: str, **fields: Any) -> None:
        marks = self.marks_table(tx, article_id)
        record = get_rec(marks, article_id, "article_id") or empty_marks(article_id)
        record.update(fields)
        put_recs(marks, [record], "article_id")
