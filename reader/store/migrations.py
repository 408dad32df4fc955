"""Upgrading older store formats to :data:`SCHEMA_VERSION`.

Version 1 kept everything in one TinyDB file, ``reader.json`` (tables ``meta``, ``files``,
``articles``, ``annotations``, ``article_tags``, ``state``, ``texts``, ``journal``), so
adding one note rewrote the whole library, and annotations had no ``text_hash``.
Version 2 is the sharded layout of :mod:`reader.store.layout`; annotations get the hash of
their article's current text (and a snapshot of it) so later edits can be diffed.
Version 3 has fewer, larger index buckets, so that a bulk write touches fewer files: the id
index in 256 buckets (``ids/<bb>.json``, 4,096 ``ids/<bbb>.json`` before), and no
``review/<bb>.json`` live sets (the review partitions are kept from the shards themselves).

A migration writes the new files first and stamps the new version last, so a migration
killed half-way simply runs again; the old file is renamed ``reader.json.v1``, never deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.models import Annotation, Article, ReadingState
from reader.store.db import put_recs
from reader.store.layout import IDS_BUCKET_WIDTH, SCHEMA_VERSION, FileRecord
from reader.store.storage import StoreError, load_tables, remove_with_backup

if TYPE_CHECKING:
    from reader.store.store import Store

V1_FILE = "reader.json"
V1_KEPT = "reader.json.v1"


def detect_legacy(root: Path) -> int | None:
    """The schema version of a pre-v2 store in ``root``, None if there is none."""
    return 1 if (root / V1_FILE).is_file() else None


def migrate(store: Store, version: int) -> None:
    """Bring the store from ``version`` up to :data:`SCHEMA_VERSION` (lock held)."""
    while version < SCHEMA_VERSION:
        step = STEPS.get(version)
        if step is None:
            raise StoreError(f"{store.root}: no migration from store schema {version}")
        try:
            step(store)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            # a record of the old file that is not what its schema says: stop, name the
            # file, keep it as it is (the migration runs again once it is fixed)
            source = store.root / V1_FILE if version == 1 else store.root
            raise StoreError(
                f"{source}: cannot upgrade this store from schema {version}: a record is"
                f" malformed ({type(error).__name__}: {error}); the file is left as it was"
            ) from None
        version += 1


def _v1_to_v2(store: Store) -> None:
    source = store.root / V1_FILE
    data = load_tables(source) or {}

    def rows(name: str) -> list[dict[str, Any]]:
        table = data.get(name, {})
        return [table[key] for key in sorted(table, key=lambda k: int(k) if k.isdigit() else 0)]

    articles = {str(r["id"]): Article.from_dict(r) for r in rows("articles")}
    placed: set[str] = set()
    items: list[tuple[FileRecord, list[Article]]] = []
    for record in map(FileRecord.from_dict, rows("files")):
        mine = [articles[a] for a in record.article_ids if a in articles]
        placed.update(a.id for a in mine)
        items.append((record, mine))
    # articles whose file record was lost: keep them under their own path (rescanned later)
    strays: dict[str, list[Article]] = {}
    for article in articles.values():
        if article.id not in placed:
            strays.setdefault(article.path, []).append(article)
    for path, group in strays.items():
        items.append((FileRecord(path=path, size=0, mtime_ns=0, sha=""), group))
    store.save_documents(items)

    for row in rows("texts"):
        store.put_text(str(row["text"]))
    notes = []
    for row in rows("annotations"):
        note = Annotation.from_dict(row)
        source_article = articles.get(note.article_id)
        if note.text_hash is None and source_article is not None:
            note.text_hash = store.put_text(source_article.text)
        notes.append(note)
    store.put_annotations(notes)
    for row in rows("article_tags"):
        store.set_article_tags(str(row["article_id"]), [str(t) for t in row.get("tags", [])])
    for row in rows("state"):
        store.put_state(ReadingState.from_dict(row))

    with store.locked_transaction() as tx:
        journal = tx.db(store.paths.journal)
        for name in ("undo", "redo"):
            journal.table(name).truncate()
        for row in rows("journal"):
            stack = "redo" if row.get("stack") == "redo" else "undo"
            journal.table(stack).insert({"entry": row.get("entry", {})})
        settings = [
            {"key": str(r["key"]), "value": r.get("value")}
            for r in rows("meta")
            if r.get("key") != "schema_version"
        ]
        put_recs(tx.db(store.paths.meta, rank=9).table("settings"), settings, "key")
        store.stamp_schema(tx)
    source.rename(store.root / V1_KEPT)


def _v2_to_v3(store: Store) -> None:
    """Drop the old id buckets and the live sets, then rebuild the id index in its new
    buckets from the annotation shards (the ground truth, so a migration killed anywhere
    simply runs again); the version is stamped in the same write, last."""
    from reader.store.recovery import rebuild_ids

    paths = store.paths
    old = [p for p in paths.json_files(paths.ids_dir) if len(p.stem) != IDS_BUCKET_WIDTH]
    old += paths.json_files(paths.review_dir)  # the live sets (the partitions are below it)
    for path in old:
        remove_with_backup(path)
    with store.locked_transaction() as tx:
        rebuild_ids(store, tx)
        store.stamp_schema(tx)


STEPS: dict[int, Callable[[Store], None]] = {1: _v1_to_v2, 2: _v2_to_v3}
