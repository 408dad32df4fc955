"""``reader restore``: check every store file, put back backups, rebuild what has none.

A file written only once (the catalog after one import, a ``marks/`` bucket, an annotation
shard written once) has no ``.bak``. Most store files are derived from others and can be
rebuilt: the catalog and the file list from the article shards, the id index and the
counts from the annotation shards. What cannot be rebuilt is said plainly (an annotation
shard's highlights; the article tags and reading places a ``marks/`` bucket kept), and the
unreadable file is kept beside its name (``<name>.corrupt-<time>``), never deleted.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.store.layout import FileRecord, Layout
from reader.store.lock import StoreLock
from reader.store.storage import StoreError, load_tables

__all__ = ["RepairReport", "repair_store"]


@dataclass
class RepairReport:
    """What ``reader restore`` found and did, one line each."""

    checked: int = 0
    unreadable: int = 0
    #: the store folder checked (named in the report: it may not be where one expects)
    where: str = ""
    done: list[str] = field(default_factory=list)
    #: what could not be brought back (the command exits 1)
    lost: list[str] = field(default_factory=list)
    #: articles in the search index, rebuilt from the shards every time (derived data)
    indexed: int | None = None

    @property
    def _in(self) -> str:
        return f" in {self.where}" if self.where else ""

    def lines(self) -> list[str]:
        """The report for people: what was done, then one line of what was checked."""
        if not self.unreadable and not self.done:
            summary = (
                f"checked {self.checked} store files{self._in}: all readable, nothing to restore"
            )
        else:
            summary = f"checked {self.checked} store files{self._in}: {self.unreadable} unreadable"
        rebuilt = []
        if self.indexed is not None:
            plural = "s" if self.indexed != 1 else ""
            rebuilt = [f"rebuilt the search index ({self.indexed} article{plural})"]
        return [*self.done, *self.lost, *rebuilt, summary]


def _what_is_lost(paths: Layout, path: Path) -> tuple[str, bool]:
    """What a file without a usable backup held and how it comes back: (line, rebuildable)."""
    name = path.relative_to(paths.root).as_posix()
    folder = path.parent
    if path == paths.catalog:
        return f"rebuilt {name} (no backup) from the article shards", True
    if path == paths.files:
        return f"rebuilt {name} (no backup): the next `reader import` re-reads every file", True
    if folder == paths.ids_dir:
        return f"rebuilt {name} (no backup) from the annotation shards", True
    if folder in (paths.due_dir, paths.new_dir):
        return f"rebuilt {name} (no backup) from the highlights and their review cards", True
    if folder == paths.marks_dir:
        return (
            f"rebuilt {name} (no backup): highlight counts and tag counts recomputed; article"
            " tags and reading places it held are lost",
            True,
        )
    if folder == paths.articles_dir:
        return f"removed {name} (no backup): its articles return on the next `reader import`", True
    if folder == paths.texts_dir:
        return (
            f"removed {name} (no backup): a snapshot of an older text; highlights made on it"
            " re-anchor by their quote",
            True,
        )
    if path == paths.journal:
        return f"cleared {name} (no backup): the undo history is gone", True
    if path == paths.meta:
        return (
            f"reset {name} (no backup): settings (colour labels, saved views) are back to"
            " their defaults",
            True,
        )
    return (
        f"cannot restore {name}: no backup, and its highlights are kept nowhere else in this"
        " store (an export holds them)",
        False,
    )


def repair_store(root: Path) -> RepairReport:
    """Check every file of the store at ``root``; restore from backups, rebuild the rest."""
    from reader.store.recovery import remove_temp_files, restore_from_backup

    paths = Layout(Path(root))
    report = RepairReport(where=str(paths.root))
    if not paths.root.is_dir():
        raise StoreError(f"{paths.root}: no store here")
    stamp = time.strftime("%Y%m%dT%H%M%S")
    rebuild_files = False
    lost_articles = False
    with StoreLock(paths.lock).held():
        for folder in paths.folders:
            try:
                names = set(os.listdir(folder))
            except FileNotFoundError:
                continue
            for name in sorted(names):
                if name.startswith(".") or not name.endswith((".json", ".json.bak")):
                    continue
                if name.endswith(".bak"):
                    if name[: -len(".bak")] in names:
                        continue  # checked with its file
                    target = folder / name[: -len(".bak")]  # the file itself went missing
                else:
                    target = folder / name
                    report.checked += 1
                    try:
                        load_tables(target)
                        continue
                    except StoreError:
                        report.unreadable += 1
                relative = target.relative_to(paths.root).as_posix()
                if restore_from_backup(target):
                    report.done.append(f"restored {relative} from its backup")
                    continue
                if not target.exists():
                    continue  # only an unusable backup of a missing file: nothing to do
                line, rebuildable = _what_is_lost(paths, target)
                aside = target.with_name(f"{target.name}.corrupt-{stamp}")
                target.rename(aside)
                kept = f" (kept as {aside.relative_to(paths.root).as_posix()})"
                (report.done if rebuildable else report.lost).append(line + kept)
                rebuild_files |= target == paths.files
                lost_articles |= target.parent == paths.articles_dir
        remove_temp_files(paths)
    if report.done or report.lost:
        from reader.store.store import Store

        store = Store(paths.root)  # after releasing: the Store takes its own lock
        if rebuild_files or lost_articles:
            _rebuild_file_list(store, keep_old=not rebuild_files)
        store.rebuild_indexes()
        report.done.append("rebuilt the indexes (catalog, id index, counts) from the shards")
    # the search index is derived data that is never backed up: always built anew
    from reader.store.search_index import ArticleSearch

    search = ArticleSearch(paths)
    search.rebuild()
    report.indexed = len(search)
    search.close()
    return report


def _rebuild_file_list(store: Any, *, keep_old: bool) -> None:
    """``files.json`` from the article shards: a document's record lists its articles.

    Records kept from the old list (``keep_old``) keep their size and time (their files are
    not re-read) unless one of their articles was lost; new ones have none, so the next
    import reads those files again and brings back what they hold.
    """
    from reader.store.db import all_recs, put_recs
    from reader.store.store import ARTICLES_TABLE, FILES_TABLE, RANK_INDEX

    paths = store.paths
    with store.locked_transaction() as tx:
        by_path: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for shard in paths.json_files(paths.articles_dir):
            for record in all_recs(tx.db(shard).table(ARTICLES_TABLE)):
                by_path[str(record.get("path", ""))].append(
                    (int(record.get("index", 0)), str(record["id"]))
                )
        table = tx.db(paths.files, rank=RANK_INDEX + 1).table(FILES_TABLE)
        old = {str(r["path"]): FileRecord.from_dict(r) for r in all_recs(table)} if keep_old else {}
        table.truncate()
        records = []
        for path in sorted(set(by_path) | set(old)):
            ids = [article_id for _, article_id in sorted(by_path.get(path, []))]
            kept = old.get(path)
            if kept is None or kept.article_ids != ids:
                kept = FileRecord(path=path, size=0, mtime_ns=0, sha="", article_ids=ids)
            records.append(kept.to_dict())
        put_recs(table, records, "path")
