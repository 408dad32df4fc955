"""Tags across the whole store: counts per tag, and renaming (or merging) a tag everywhere.

A tag lives in two places: an article's own tags (its ``marks`` record) and the tags of its
highlights (its annotation shard, live or in the trash). The ``marks`` records also hold the
per-article tag counts of live highlights, which :meth:`~reader.store.Store.all_tags` sums.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from reader.core.models import normalize_tag, normalize_tags, now_iso
from reader.store.annotations import ANN_TABLE, MARKS_TABLE, RANK_MARKS, RANK_SHARD
from reader.store.db import Transaction, all_recs, get_rec, put_recs, read_raw
from reader.store.layout import Layout
from reader.store.storage import StoreError, stamp_of


def _bucket_tag_counts(table: dict[str, dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """tag -> (articles tagged with it, live highlights carrying it) within one bucket."""
    articles: Counter[str] = Counter()
    highlights: Counter[str] = Counter()
    for record in table.values():
        articles.update(dict.fromkeys(record.get("tags") or [], 1))
        highlights.update(record.get("annotation_tags") or {})
    return {tag: (articles[tag], highlights[tag]) for tag in articles | highlights}


def _renamed(tags: list[str], old: str, new: str) -> list[str]:
    """``tags`` with ``old`` replaced by ``new`` in place (no duplicate when both were there)."""
    return normalize_tags([new if tag == old else tag for tag in tags])


def _retagged(
    records: list[dict[str, Any]], old: str, new: str
) -> list[tuple[dict[str, Any], list[str]]]:
    """The records carrying ``old``, renamed to ``new`` in place, each with its tags before."""
    edited = []
    for record in records:
        tags = list(record.get("tags") or [])
        if old in tags:
            record["tags"] = _renamed(tags, old, new)
            edited.append((record, tags))
    return edited


class ChangeStamp(NamedTuple):
    """What :meth:`TagsMixin.change_stamp` looks at, part by part."""

    highlights: object
    marks: object
    articles: object


def stat_stamp(*paths: Path) -> tuple[object, ...]:
    """(inode, mtime, size) of each path (None where missing): equal stamps, equal files."""
    stamps: list[object] = []
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            stamps.append(None)
            continue
        stamps.append(stamp_of(info))
    return tuple(stamps)


class TagsMixin:
    """The tag half of :class:`reader.store.Store` (counts, rename / merge)."""

    paths: Layout

    # provided by Store and AnnotationsMixin
    def _write(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def reindex(self, tx: Transaction, article_id: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def annotation_table(self, tx: Transaction, article_id: str) -> Any:  # pragma: no cover
        raise NotImplementedError

    def marks_table(self, tx: Transaction, article_id: str) -> Any:  # pragma: no cover
        raise NotImplementedError

    def update_marks(
        self, tx: Transaction, article_id: str, **fields: Any
    ) -> None:  # pragma: no cover
        raise NotImplementedError

    def _marks_summaries(
        self, name: str, build: Callable[..., Any]
    ) -> list[Any]:  # pragma: no cover
        raise NotImplementedError

    def annotations_stamp(self) -> object:
        """A cheap token (two stats) that changes whenever any highlight may have changed.

        Every write replaces files by renaming into their folder, which moves the folder's
        mtime; every change made through the library also rewrites the undo journal (a new
        inode each time), which covers two writes within one tick of a coarse clock.
        """
        return stat_stamp(self.paths.annotations_dir, self.paths.journal)

    def change_stamp(self) -> ChangeStamp:
        """Cheap tokens (six stats) that change whenever what a reader shows may have
        changed: highlights (their shards and the journal), article marks (tags, read
        state, counts), articles (texts and the catalog). See :meth:`annotations_stamp`."""
        paths = self.paths
        return ChangeStamp(
            highlights=self.annotations_stamp(),
            marks=stat_stamp(paths.marks_dir),
            articles=stat_stamp(paths.articles_dir, paths.catalog),
        )

    def tag_counts(self) -> dict[str, tuple[int, int]]:
        """tag -> (articles tagged with it, live highlights carrying it), sorted by tag."""
        articles: Counter[str] = Counter()
        highlights: Counter[str] = Counter()
        for part in self._marks_summaries("tag_counts", _bucket_tag_counts):
            for tag, (on_articles, on_highlights) in part.items():
                articles[tag] += on_articles
                highlights[tag] += on_highlights
        tags = sorted(set(articles) | set(highlights))
        return {
            tag: (articles[tag], highlights[tag])
            for tag in tags
            if articles[tag] or highlights[tag]
        }

    def rename_tag(
        self, old: str, new: str, *, changes: TagChanges | None = None
    ) -> tuple[int, int]:
        """Rename tag ``old`` to ``new`` on every article and highlight (trash included).

        When an article or highlight already carries ``new`` the two merge into one. One
        transaction under the store lock: the highlight shards first, then the ``marks``
        buckets (article tags and the per-article tag counts, recomputed from the shards).
        A crash between files leaves a pending marker, from which the next writer rebuilds
        the touched articles' counts; running the rename again finishes it (it is
        idempotent). Edited highlights get a new ``updated`` time. ``changes``, if given,
        receives every changed tag list before and after (:meth:`restore_tags` puts either
        back: the library's undo).

        Returns (articles whose own tags changed, highlights changed).
        """
        old_tag, new_tag = normalize_tag(old), normalize_tag(new)
        if not old_tag or not new_tag:
            raise StoreError("a tag cannot be empty")
        if old_tag == new_tag:
            return (0, 0)
        stamp = now_iso()
        changed_articles = changed_highlights = 0
        with self._write() as tx:
            touched: set[str] = set()
            for path in self.paths.json_files(self.paths.annotations_dir):
                # a cheap cached read first: most shards do not hold the tag at all
                records = read_raw(path, ANN_TABLE).values()
                if not any(old_tag in (r.get("tags") or []) for r in records):
                    continue
                table = tx.db(path, rank=RANK_SHARD).table(ANN_TABLE)
                edited = _retagged(all_recs(table), old_tag, new_tag)
                for record, tags in edited:
                    record["updated"] = stamp
                    record["revision"] = int(record.get("revision") or 0) + 1
                    touched.add(str(record["article_id"]))
                    if changes is not None:
                        changes.highlights[str(record["id"])] = (
                            str(record["article_id"]), tags, record["tags"]
                        )  # fmt: skip
                put_recs(table, [record for record, _ in edited], "id")
                changed_highlights += len(edited)
            for path in self.paths.json_files(self.paths.marks_dir):
                marks = read_raw(path, MARKS_TABLE)
                if not any(old_tag in (m.get("tags") or []) for m in marks.values()):
                    continue
                table = tx.db(path, rank=RANK_MARKS).table(MARKS_TABLE)
                edited = _retagged(all_recs(table), old_tag, new_tag)
                if changes is not None:
                    for record, tags in edited:
                        changes.articles[str(record["article_id"])] = (tags, record["tags"])
                put_recs(table, [record for record, _ in edited], "article_id")
                changed_articles += len(edited)
            tx.articles |= touched
            for article_id in sorted(touched):
                self.reindex(tx, article_id)
        return (changed_articles, changed_highlights)

    def restore_tags(self, changes: TagChanges, *, before: bool = True) -> None:
        """Put back the tag lists a :meth:`rename_tag` recorded (``before=False``: redo it).

        One transaction, like the rename: the highlights' shards, then the articles' own
        tags and the per-article tag counts.
        """
        which = 0 if before else 1
        stamp = now_iso()
        # (list to put back, list the rename left): a list changed since by someone else
        # no longer holds what the rename left, and is not reverted
        by_article: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
        for highlight_id, (article_id, *lists) in changes.highlights.items():
            by_article.setdefault(article_id, {})[highlight_id] = (
                list(lists[which]),
                list(lists[1 - which]),
            )
        with self._write() as tx:
            for article_id, wanted in sorted(by_article.items()):
                table = self.annotation_table(tx, article_id)
                edited = []
                for record in all_recs(table):
                    lists_of = wanted.get(str(record["id"]))
                    if lists_of is None or record.get("tags") != lists_of[1]:
                        continue
                    record["tags"] = lists_of[0]
                    record["updated"] = stamp
                    record["revision"] = int(record.get("revision") or 0) + 1
                    edited.append(record)
                put_recs(table, edited, "id")
            for article_id, article_lists in sorted(changes.articles.items()):
                marks = self.marks_table(tx, article_id)
                current = get_rec(marks, article_id, "article_id") or {}
                if list(current.get("tags") or []) == list(article_lists[1 - which]):
                    self.update_marks(tx, article_id, tags=list(article_lists[which]))
            tx.articles |= set(by_article)
            for article_id in sorted(by_article):
                self.reindex(tx, article_id)


@dataclass
class TagChanges:
    """What a tag rename changed, for its undo: tag lists before and after.

    ``highlights``: id -> (article id, tags before, tags after); ``articles``: id ->
    (tags before, tags after). :meth:`to_dict` / :meth:`from_dict` go through the journal.
    """

    highlights: dict[str, tuple[str, list[str], list[str]]] = field(default_factory=dict)
    articles: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.highlights) + len(self.articles)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "highlights": {k: list(v) for k, v in self.highlights.items()},
            "articles": {k: list(v) for k, v in self.articles.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TagChanges:
        """The changes from :meth:`to_dict` output."""
        return cls(
            highlights={
                str(k): (str(v[0]), [str(t) for t in v[1]], [str(t) for t in v[2]])
                for k, v in (data.get("highlights") or {}).items()
            },
            articles={
                str(k): ([str(t) for t in v[0]], [str(t) for t in v[1]])
                for k, v in (data.get("articles") or {}).items()
            },
        )
