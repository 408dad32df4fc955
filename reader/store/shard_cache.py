"""Annotation shards read straight into :class:`Annotation` objects, cached per file version.

One article may hold 100,000 highlights (a 40 MB shard). Parsed the general way, the raw
records (a dict of 17 fields each) were kept in the read cache beside the objects built
from them: ~110 MB for the raw records alone, and the process's memory stays at its peak
once they are dropped (the allocator keeps the freed pages). Here msgspec decodes the
shard typed, straight into annotations (no dict per record); a shard holding a record
not as reader writes it goes the stdlib way, each record made an :class:`Annotation` the
moment the decoder finishes it (``object_hook``), so its dict is freed at once. Values
that repeat through a shard (the article id, colour, created time) are kept once.

The objects are shared by every caller until the file changes (a write replaces it: a new
``(inode, mtime, size)``): like the read cache's data, callers must not mutate them.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from reader.core.collector import collector_paused
from reader.core.models import DEFAULT_COLOR, Annotation, sort_in_document_order
from reader.store.storage import corrupt, file_stamp, read_bytes

Stamp = tuple[int, int, int]


#: fields whose values repeat through a shard: kept once per parse
_SHARED = ("article_id", "color", "status", "text_hash", "created")


def _record_hook(memo: dict[Any, Any]) -> Callable[[dict[str, Any]], Any]:
    """An ``object_hook`` turning each annotation record into an :class:`Annotation`."""
    from_dict = Annotation.from_dict
    keep = memo.setdefault

    def hook(data: dict[str, Any]) -> Any:
        if "id" not in data or "article_id" not in data:
            return data  # the table or the file itself (or something foreign: see below)
        for name in _SHARED:
            value = data.get(name)
            if value.__class__ is str:
                data[name] = keep(value, value)
        try:
            return from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:  # "start": "x", "tags": 5
            raise _BadRecord(f"{type(exc).__name__}: {exc}") from None

    return hook


#: a shard with at least this many highlights is kept out of the cyclic collector's sight
FREEZE_AT = 5000


class _BadRecord(Exception):
    """A record :meth:`Annotation.from_dict` cannot read."""


def read_shard(path: Path, table: str) -> tuple[Annotation, ...] | None:
    """Every record of ``table`` in the shard at ``path``, as annotations in document
    order (the trash included); None if there is no such file.

    Raises :class:`~reader.store.storage.StoreCorrupt` for what is not a store file (as
    the general reader does), and for a record that is not an annotation.
    """
    raw = read_bytes(path)
    if raw is None:
        return None
    if not raw or raw.isspace():  # (strip would copy a 40 MB shard)
        raise corrupt(path, "empty file")
    # none of the 100,000 objects made here can be garbage yet (see core.collector)
    with collector_paused():
        records = _typed(raw, table)
        if records is None:
            records = _general(path, raw, table)
    sort_in_document_order(records)
    if len(records) >= FREEZE_AT:
        # Out of the cyclic collector's sight: at 100,000 highlights (and their tag lists)
        # each full collection walked them again, 0.3 s, twice while the TUI started. They
        # hold no cycles, so reference counting still frees them once they are dropped
        # (gc.freeze only leaves the garbage cycles of the moment uncollected: the few
        # objects of the youngest generations, once per dense shard read).
        gc.freeze()
    return tuple(records)


#: the shard as the store writes it: tables of annotation records, each field of its type
_DECODER = msgspec.json.Decoder(dict[str, dict[str, Annotation]])


def _typed(raw: bytes, table: str) -> list[Annotation] | None:
    """The records decoded straight into annotations (msgspec: no dict per record, ~4x
    faster than the stdlib's decoder and :meth:`Annotation.from_dict`); None when a
    record is not as reader writes it (a field missing or of another type, a file of
    another tool or an older reader): :func:`_general` reads those as ``from_dict`` does.
    """
    try:
        tables = _DECODER.decode(raw)
    except msgspec.MsgspecError:
        return None
    records = list(tables.get(table, {}).values())
    del tables
    memo: dict[str, str] = {}  # values repeated through a shard are kept once
    keep = memo.setdefault
    for record in records:
        record.article_id = keep(record.article_id, record.article_id)
        record.created = keep(record.created, record.created)
        if record.color:
            record.color = keep(record.color, record.color)
        else:
            record.color = DEFAULT_COLOR  # as from_dict reads an empty one
    return records


def _general(path: Path, raw: bytes, table: str) -> list[Annotation]:
    """The records through the stdlib's decoder and :meth:`Annotation.from_dict`, each
    made an annotation as soon as it is decoded (its dict freed at once)."""
    try:
        data = json.loads(raw.decode("utf-8"), object_hook=_record_hook({}))
    except _BadRecord as exc:
        raise corrupt(path, f"a highlight record is not valid ({exc})") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise corrupt(path, f"invalid JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise corrupt(path, "not a table of documents")
    records = list(data.get(table, {}).values())
    if not all(isinstance(record, Annotation) for record in records):
        raise corrupt(path, "a highlight record has no id or article")
    return records


class ShardCache:
    """The last few annotation shards read, as annotations, keyed by file version."""

    def __init__(self, max_entries: int = 16) -> None:
        self._entries: dict[Path, tuple[Stamp, tuple[Annotation, ...]]] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def load(self, path: Path, table: str) -> tuple[Annotation, ...]:
        """The annotations of the shard at ``path`` as it is now (none if it is missing)."""
        stamp = file_stamp(path)
        if stamp is None:
            return ()
        with self._lock:
            hit = self._entries.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        with self._lock:
            self._entries.pop(path, None)  # the old version goes before the new is built
        del hit
        annotations = read_shard(path, table)
        if annotations is None:
            return ()
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.pop(next(iter(self._entries)))
            self._entries[path] = (stamp, annotations)
        return annotations

    def clear(self) -> None:
        """Forget every shard (tests; a restore)."""
        with self._lock:
            self._entries.clear()


SHARD_CACHE = ShardCache()
