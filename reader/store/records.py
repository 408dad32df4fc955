"""Primary records as stored, file by file, with a cheap stamp per file (for sync's export).

Sync exports only what the user made (highlights, article tags, reading state) and only for
the store files that changed since the last export: each file's stamp (inode, mtime, size)
says whether it may have changed, without reading it. Every write replaces a file by a
rename, so a rewritten file always has a new inode.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.models import Annotation
from reader.store.annotations import ANN_TABLE, MARKS_TABLE
from reader.store.db import read_raw
from reader.store.layout import Layout
from reader.store.storage import Stamp, stamp_of

if TYPE_CHECKING:
    from reader.store.store import Store


@contextmanager
def held(store: Store) -> Iterator[None]:
    """Hold the store's write lock across several steps (it is re-entrant: the store's own
    transactions inside take it again), so stamps taken inside describe exactly what those
    steps wrote and nobody else."""
    with store.lock_held():
        yield


def _stamps(folder: Path) -> dict[str, Stamp]:
    """The stamps of the store files in ``folder`` (as :meth:`Layout.json_files` lists
    them; one ``scandir``, no path objects: 12,000 shards take milliseconds)."""
    out: dict[str, Stamp] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not name.endswith(".json") or name.startswith("."):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue
                out[name] = stamp_of(info)
    except FileNotFoundError:
        pass
    return out


def stamps_of(layout: Layout, names: dict[str, set[str]]) -> dict[str, dict[str, Stamp]]:
    """The stamps of some files: ``{"highlights": shard names, "articles": marks bucket
    names}`` (files that do not exist are left out)."""
    folders = {"highlights": layout.annotations_dir, "articles": layout.marks_dir}
    out: dict[str, dict[str, Stamp]] = {}
    for kind, wanted in names.items():
        out[kind] = {}
        for name in wanted:
            try:
                info = os.stat(folders[kind] / name)
            except FileNotFoundError:
                continue
            out[kind][name] = stamp_of(info)
    return out


def annotation_stamps(layout: Layout) -> dict[str, Stamp]:
    """file name -> stamp of every annotation shard (one per article)."""
    return _stamps(layout.annotations_dir)


def marks_stamps(layout: Layout) -> dict[str, Stamp]:
    """file name -> stamp of every marks bucket (article tags and reading state)."""
    return _stamps(layout.marks_dir)


def shard_annotations(layout: Layout, name: str) -> list[Annotation]:
    """Every highlight of one annotation shard (the trash included), as stored now."""
    records = read_raw(layout.annotations_dir / name, ANN_TABLE)
    return [Annotation.from_dict(dict(r)) for r in records.values()]


def bucket_marks(layout: Layout, name: str) -> dict[str, dict[str, Any]]:
    """article id -> {"tags": [...], "state": {...} or None} of one marks bucket."""
    records = read_raw(layout.marks_dir / name, MARKS_TABLE)
    return {
        str(r["article_id"]): {"tags": list(r.get("tags") or []), "state": r.get("state")}
        for r in records.values()
    }
