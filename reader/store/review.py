"""Daily review storage: each highlight's card and the small index the queue is built from.

Two kinds of files, neither touching a highlight's own record:

- ``cards/<bb>.json`` (bucketed by annotation id): one record per highlight ever reviewed,
  the scheduler's state as plain JSON plus ``due``, ``suspended`` and ``introduced`` (the day
  it was first reviewed). A card outlives its highlight's trip to the trash, so a restored
  highlight comes back with its schedule; purging the highlight removes it.
- ``review/<bb>.json`` (bucketed by article id): per article, its live highlights' ids and
  creation times. Derived from the annotation shards whenever their live set changes (in the
  same transaction), so the queue of a 100,000-highlight library is built from 256 small
  files instead of every shard.

A rating is field-level: :meth:`ReviewMixin.update_card` reads the card inside the store
lock and writes the caller's new version in the same transaction, so two processes rating at
once both land.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reader.store.annotations import ANN_TABLE, RANK_MARKS
from reader.store.db import Transaction, del_recs, get_rec, open_read, put_recs, read_raw
from reader.store.layout import Layout
from reader.store.storage import READ_CACHE

CARDS_TABLE = "cards"
LIVE_TABLE = "live"
SETTINGS_TABLE = "settings"
#: meta key recording that the review index covers every article (stores made before it
#: existed build it once, on the first queue read)
LIVE_INDEX_KEY = "review_index"
LIVE_INDEX_VERSION = 1

#: a card record as the queue needs it: (due, suspended, introduced)
CardSummary = tuple[str | None, bool, str | None]


def live_record(article_id: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The review-index record of an article: its live highlights' ids -> [created, start]
    (the start orders highlights made in the same second, e.g. by ``3h``, as in the text)."""
    live = {
        str(r["id"]): [str(r.get("created") or ""), int(r.get("start") or 0)]
        for r in records
        if not r.get("deleted")
    }
    return {"article_id": article_id, "live": live}


def _bucket_live(table: dict[str, dict[str, Any]]) -> dict[str, tuple[str, str, int]]:
    found: dict[str, tuple[str, str, int]] = {}
    for record in table.values():
        article_id = str(record["article_id"])
        for annotation_id, (created, start) in (record.get("live") or {}).items():
            found[annotation_id] = (article_id, created, start)
    return found


def _bucket_cards(table: dict[str, dict[str, Any]]) -> dict[str, CardSummary]:
    return {
        str(r["annotation_id"]): (
            r.get("due"),
            bool(r.get("suspended", False)),
            r.get("introduced"),
        )
        for r in table.values()
    }


class ReviewMixin:
    """The review half of :class:`reader.store.Store` (cards and the live-highlight index)."""

    paths: Layout

    # provided by Store
    def _write(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    # ------------------------------------------------------------------ the index
    def _reindex_live(
        self, tx: Transaction, article_id: str, records: list[dict[str, Any]]
    ) -> None:
        """Keep the review index's record of an article equal to its shard's live set."""
        table = tx.db(self.paths.review_shard(article_id), rank=RANK_MARKS).table(LIVE_TABLE)
        wanted = live_record(article_id, records)
        current = get_rec(table, article_id, "article_id")
        if (current or {}).get("live", {}) == wanted["live"]:
            return  # a note or tag edit: the live set did not change, leave the bucket alone
        if wanted["live"]:
            put_recs(table, [wanted], "article_id")
        else:
            del_recs(table, [article_id], "article_id")

    def _mark_live_index(self, tx: Transaction) -> None:
        """Record that the review index is complete (a new store, or after a rebuild)."""
        table = tx.db(self.paths.meta).table(SETTINGS_TABLE)
        put_recs(table, [{"key": LIVE_INDEX_KEY, "value": LIVE_INDEX_VERSION}], "key")

    def rebuild_live_index(self, tx: Transaction) -> None:
        """Recompute the whole review index from the annotation shards (lock held)."""
        for path in self.paths.json_files(self.paths.review_dir):
            tx.db(path, rank=RANK_MARKS).table(LIVE_TABLE).truncate()
        by_bucket: dict[Any, list[dict[str, Any]]] = {}
        for shard in self.paths.json_files(self.paths.annotations_dir):
            records = list(read_raw(shard, ANN_TABLE).values())
            if not records:
                continue
            article_id = str(records[0]["article_id"])
            record = live_record(article_id, records)
            if record["live"]:
                by_bucket.setdefault(self.paths.review_shard(article_id), []).append(record)
        for path, entries in by_bucket.items():
            put_recs(tx.db(path, rank=RANK_MARKS).table(LIVE_TABLE), entries, "article_id")
        self._mark_live_index(tx)

    def _ensure_live_index(self) -> None:
        """Build the review index once for a store made before it existed."""
        if self._live_index_ready():
            return
        with self._write() as tx:
            if not self._live_index_ready():  # another process may have built it meanwhile
                self.rebuild_live_index(tx)

    def _live_index_ready(self) -> bool:
        record = get_rec(open_read(self.paths.meta).table(SETTINGS_TABLE), LIVE_INDEX_KEY, "key")
        return record is not None and record.get("value") == LIVE_INDEX_VERSION

    def live_highlights(self) -> dict[str, tuple[str, str, int]]:
        """Every live (not deleted) highlight: id -> (article id, created, start), from the
        index.

        Each bucket's summary is cached per file version, so only the buckets changed since
        the last call are parsed again.
        """
        self._ensure_live_index()
        found: dict[str, tuple[str, str, int]] = {}
        for path in self.paths.json_files(self.paths.review_dir):
            found.update(
                READ_CACHE.derive(path, "live", lambda d: _bucket_live(d.get(LIVE_TABLE, {})))
            )
        return found

    # ------------------------------------------------------------------ cards
    def card_summaries(self) -> dict[str, CardSummary]:
        """Every card: annotation id -> (due, suspended, introduced)."""
        found: dict[str, CardSummary] = {}
        for path in self.paths.json_files(self.paths.cards_dir):
            found.update(
                READ_CACHE.derive(path, "cards", lambda d: _bucket_cards(d.get(CARDS_TABLE, {})))
            )
        return found

    def get_card(self, annotation_id: str) -> dict[str, Any] | None:
        """A highlight's card record (None if it was never reviewed)."""
        table = open_read(self.paths.card_shard(annotation_id)).table(CARDS_TABLE)
        return get_rec(table, annotation_id, "annotation_id")

    def update_card(
        self,
        annotation_id: str,
        change: Callable[[dict[str, Any] | None], dict[str, Any] | None],
    ) -> dict[str, Any] | None:
        """Replace a card with ``change(current card)``, read and written under the lock.

        ``change`` gets the card as stored at that moment (None for a first review) and
        returns the new record (None: leave it as it is). Returns what the store now holds.
        """
        with self._write() as tx:
            table = tx.db(self.paths.card_shard(annotation_id)).table(CARDS_TABLE)
            current = get_rec(table, annotation_id, "annotation_id")
            new = change(dict(current) if current is not None else None)
            if new is None:
                return current
            record = {**new, "annotation_id": annotation_id}
            put_recs(table, [record], "annotation_id")
            return record

    def _drop_card(self, tx: Transaction, annotation_id: str) -> None:
        """Forget a purged highlight's card."""
        path = self.paths.card_shard(annotation_id)
        if not path.exists():
            return
        del_recs(tx.db(path).table(CARDS_TABLE), [annotation_id], "annotation_id")
