"""Crash recovery, index rebuilding and restoring files from their backups."""

from __future__ import annotations

import contextlib
import os
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store.annotations import ANN_TABLE, IDS_TABLE, MARKS_TABLE, RANK_INDEX
from reader.store.db import PENDING_DIR, Transaction, all_recs, get_rec, put_recs, read_raw
from reader.store.layout import Layout
from reader.store.storage import (
    TMP_SUFFIX,
    StoreError,
    atomic_write,
    backup_path,
    load_tables,
)

if TYPE_CHECKING:
    from reader.store.store import Store


def remove_temp_files(paths: Layout) -> None:
    """Delete temp files of killed writers (only call with the store lock held)."""
    for folder in [*paths.folders, paths.root / PENDING_DIR]:
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            continue
        for name in names:
            if name.startswith(".") and name.endswith(TMP_SUFFIX):
                with contextlib.suppress(OSError):
                    (folder / name).unlink()


def recover_articles(store: Store, article_ids: list[str]) -> None:
    """Make the indexes of these articles match their shards again (lock held)."""
    with store.locked_transaction() as tx:
        for article_id in article_ids:
            records = all_recs(store.annotation_table(tx, article_id))
            by_bucket: dict[Path, list[dict[str, Any]]] = defaultdict(list)
            _id_entries(store.paths, article_id, records, by_bucket)
            for path, entries in by_bucket.items():
                table = tx.db(path, rank=RANK_INDEX).table(IDS_TABLE)
                missing = [
                    e for e in entries if get_rec(table, e["annotation_id"], "annotation_id") != e
                ]
                put_recs(table, missing, "annotation_id")
            store.reindex(tx, article_id)
        store.repair_partitions(tx, article_ids)  # a rating may have died half-way


def rebuild_indexes(store: Store) -> None:
    """Recompute every derived index from the shards (lock held)."""
    from reader.core.models import Article
    from reader.store.store import ARTICLES_TABLE, summary_record

    paths = store.paths
    with store.locked_transaction() as tx:
        articles_with_notes = rebuild_ids(store, tx)
        # counts and tag counts of every article that has notes or marks
        known = set(articles_with_notes)
        for path in paths.json_files(paths.marks_dir):
            known.update(str(r["article_id"]) for r in all_recs(tx.db(path).table(MARKS_TABLE)))
        for article_id in sorted(known):
            store.reindex(tx, article_id)
        # the catalog, from the article shards
        catalog = tx.db(paths.catalog, rank=RANK_INDEX).table(ARTICLES_TABLE)
        catalog.truncate()
        summaries = []
        for shard in paths.json_files(paths.articles_dir):
            for record in all_recs(tx.db(shard).table(ARTICLES_TABLE)):
                summaries.append(summary_record(Article.from_dict(record)))
        put_recs(catalog, summaries, "id")
        store.rebuild_live_index(tx)  # the daily review's index of live highlights


def rebuild_ids(store: Store, tx: Transaction) -> list[str]:
    """The id index from scratch, from the annotation shards (lock held); the articles
    that have highlights."""
    paths = store.paths
    for path in paths.json_files(paths.ids_dir):
        tx.db(path, rank=RANK_INDEX).table(IDS_TABLE).truncate()
    articles_with_notes: list[str] = []
    by_bucket: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for shard in paths.json_files(paths.annotations_dir):
        records = list(read_raw(shard, ANN_TABLE).values())
        if not records:
            continue
        article_id = str(records[0]["article_id"])
        articles_with_notes.append(article_id)
        _id_entries(paths, article_id, records, by_bucket)
    for path, entries in by_bucket.items():
        put_recs(tx.db(path, rank=RANK_INDEX).table(IDS_TABLE), entries, "annotation_id")
    return articles_with_notes


def _id_entries(
    paths: Layout,
    article_id: str,
    records: Iterable[dict[str, Any]],
    by_bucket: dict[Path, list[dict[str, Any]]],
) -> None:
    """The id index entries of an article's highlights, added to their buckets' lists."""
    for record in records:
        by_bucket[paths.ids_shard(str(record["id"]))].append(
            {"annotation_id": record["id"], "article_id": article_id}
        )


def restore_from_backup(path: Path) -> bool:
    """Put ``path``'s last good backup in its place (the file moved aside, never deleted);
    False when there is no usable backup."""
    bak = backup_path(path)
    try:
        if load_tables(bak) is None:
            return False
    except StoreError:
        return False
    if path.exists():
        stamp = time.strftime("%Y%m%dT%H%M%S")
        path.rename(path.with_name(f"{path.name}.corrupt-{stamp}"))
    atomic_write(path, bak.read_text(encoding="utf-8"), backup=False)
    return True
