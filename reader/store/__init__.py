"""Persistent storage of the reader library: TinyDB files that never lose a note.

The only package that talks to TinyDB. See :mod:`reader.store.layout` for the folder
layout and :mod:`reader.store.storage` for how every write is made crash-safe.
"""

from __future__ import annotations

from pathlib import Path

from reader.store.layout import SCHEMA_VERSION, FileRecord
from reader.store.repair import RepairReport, repair_store
from reader.store.storage import StoreCorrupt, StoreError
from reader.store.store import Store
from reader.store.tags import TagChanges


def restore_backup(root: Path) -> RepairReport:
    """Restore a store's corrupt or missing files from backups without opening it first.

    For ``reader restore`` when :class:`Store` itself raised :class:`StoreCorrupt`.
    """
    return repair_store(Path(root))


__all__ = [
    "SCHEMA_VERSION",
    "FileRecord",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "TagChanges",
    "restore_backup",
]
