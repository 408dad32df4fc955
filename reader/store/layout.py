"""Where everything lives inside a store folder (schema version 3).

::

    root/
      meta.json                 tables "store" (schema_version) and "settings" (get/set_meta)
      files.json                one FileRecord per document path
      catalog.json              one small summary per article (what the article list shows)
      articles/<bb>.json        full articles, sharded by a 2-hex-digit hash of the id
      annotations/<article>.json  one TinyDB per article: adding a note rewrites only this
      marks/<bb>.json           per-article small mutable index: live annotation count,
                                annotation tag counts, article tags, reading state
      ids/<bb>.json             annotation id -> article id (written only for new ids)
      texts/<hash>.json         content-addressed article text snapshots
      cards/<bb>.json           spaced-repetition state of highlights, by annotation id
      review/                   the daily queue's partitions, derived from the shards and cards:
      review/due/<day>.json     live, answered highlights by the UTC day they are due
      review/new/<hour>.json    live, never answered highlights by the UTC hour they were made
                                (<hour>~<bb>.json: an hour of more than 500, spread by id)
      review.json               how many highlights were first answered each day
      journal.json              tables "undo" and "redo" (capped)
      pending/                  markers of in-flight multi-file writes (crash recovery)
      store.lock                the inter-process write lock
      *.json.bak                the previous good version of every file

``catalog.json`` is rewritten only on import; the frequent writes (annotations, tags,
reading state) touch one annotation shard and one or two small buckets. Buckets are few (256)
so that a bulk write (an import, a sync bringing 1,000 highlights) touches few files: schema 2
had 4,096 id buckets and a bucket of live highlight sets per 1/256 of the articles, which made
such a sync write ~2,600 files instead of ~1,700.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.models import plain_dict
from reader.store.db import bucket, safe_name

#: The store format this code reads and writes.
SCHEMA_VERSION = 3

ARTICLE_BUCKET_WIDTH = 2
MARKS_BUCKET_WIDTH = 2
IDS_BUCKET_WIDTH = 2
CARDS_BUCKET_WIDTH = 2


@dataclass
class FileRecord:
    """What the store knows about one document file (to skip unchanged files on rescan)."""

    path: str  # relative to the library root, "/" separators
    size: int
    mtime_ns: int
    sha: str  # content hash of the raw bytes
    article_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return plain_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileRecord:
        """The record from :meth:`to_dict` output (missing numbers read as 0)."""
        return cls(
            path=str(data["path"]),
            size=int(data.get("size", 0)),
            mtime_ns=int(data.get("mtime_ns", 0)),
            sha=str(data.get("sha", "")),
            article_ids=[str(a) for a in data.get("article_ids", [])],
        )


class Layout:
    """Paths of a v3 store rooted at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meta = root / "meta.json"
        self.files = root / "files.json"
        self.catalog = root / "catalog.json"
        self.journal = root / "journal.json"
        self.lock = root / "store.lock"
        self.articles_dir = root / "articles"
        self.annotations_dir = root / "annotations"
        self.marks_dir = root / "marks"
        self.ids_dir = root / "ids"
        self.texts_dir = root / "texts"
        self.cards_dir = root / "cards"
        self.review_dir = root / "review"
        self.due_dir = self.review_dir / "due"
        self.review_days = root / "review.json"
        self.new_dir = self.review_dir / "new"
        self._article_shards: dict[str, Path] = {}
        self._marks: dict[str, Path] = {}
        self._ids: dict[str, Path] = {}
        self._cards: dict[str, Path] = {}

    @property
    def folders(self) -> list[Path]:
        """Every folder holding store files."""
        return [
            self.root,
            self.articles_dir,
            self.annotations_dir,
            self.marks_dir,
            self.ids_dir,
            self.texts_dir,
            self.cards_dir,
            self.review_dir,
            self.due_dir,
            self.new_dir,
        ]

    def article_shard(self, article_id: str) -> Path:
        """The file holding an article's full content (with ~1/256 of all articles)."""
        name = bucket(article_id, ARTICLE_BUCKET_WIDTH)
        return self._bucket_file(self._article_shards, self.articles_dir, name)

    def annotation_shard(self, article_id: str) -> Path:
        """The TinyDB file of one article's annotations."""
        return self.annotations_dir / f"{safe_name(article_id)}.json"

    def marks_shard(self, article_id: str) -> Path:
        """The bucket holding an article's count, tag counts, tags and reading state."""
        name = bucket(article_id, MARKS_BUCKET_WIDTH)
        return self._bucket_file(self._marks, self.marks_dir, name)

    def ids_shard(self, annotation_id: str) -> Path:
        """The bucket mapping this annotation id to its article."""
        return self._bucket_file(self._ids, self.ids_dir, bucket(annotation_id, IDS_BUCKET_WIDTH))

    def card_shard(self, annotation_id: str) -> Path:
        """The bucket holding this highlight's review card."""
        name = bucket(annotation_id, CARDS_BUCKET_WIDTH)
        return self._bucket_file(self._cards, self.cards_dir, name)

    @staticmethod
    def _bucket_file(built: dict[str, Path], folder: Path, name: str) -> Path:
        # 256 paths a folder, each built once (an import asks 12,000 times, rebuilding the
        # id index 100,000 times: making a Path each time was 0.8 s of a 4 s migration)
        path = built.get(name)
        if path is None:
            path = built[name] = folder / f"{name}.json"
        return path

    def due_file(self, day: str) -> Path:
        """The partition of cards due on a UTC day (``YYYY-MM-DD``)."""
        return self.due_dir / f"{day}.json"

    def new_file(self, hour: str) -> Path:
        """The partition of new highlights made in a UTC hour (``YYYY-MM-DDTHH``)."""
        return self.new_dir / f"{hour}.json"

    def text_file(self, digest: str) -> Path:
        """The snapshot file of one article text."""
        return self.texts_dir / f"{safe_name(digest)}.json"

    def json_files(self, folder: Path) -> list[Path]:
        """The store files in ``folder`` (no backups, no temp files), by name."""
        try:
            with os.scandir(folder) as entries:
                names = [e.name for e in entries if e.name.endswith(".json") and e.is_file()]
        except FileNotFoundError:
            return []
        return [folder / name for name in sorted(names) if not name.startswith(".")]
