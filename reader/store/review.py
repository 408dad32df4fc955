"""Daily review storage: each highlight's card, and the indexes the daily queue is read from.

Nothing here changes a highlight's own record.

- ``cards/<bb>.json`` (bucketed by annotation id): one record per highlight ever answered or
  stopped: the scheduler's state as plain JSON plus ``due``, ``suspended`` and
  ``introduced`` (the day of its first answer). A card outlives its highlight's trip to the
  trash, so a restored highlight comes back with its schedule; purging the highlight drops it.
- ``review/due/<day>.json``: live, not stopped cards by the UTC day they are due, and
  ``review/new/<hour>.json``: live highlights never answered, by the UTC hour they were made
  (an hour of more than 500, as a bulk import makes, is spread over ``<hour>~<bb>.json``).
  Opening the review reads only the due files up to today and the oldest new files until it
  has the day's new highlights: a few files, whatever the size of the library.
- ``review.json``: how many highlights were first answered on each day (the day's
  allowance of new ones is spent by answering them).

What came and went is found by comparing an article's live highlights (id -> [created,
start]) when a transaction opened its shard with what it writes (schema 2 kept them in
``review/<bb>.json`` too: ~250 files more in a sync bringing 1,000 highlights).

A rating is field-level: :meth:`ReviewMixin.update_card` reads the card inside the store lock
and writes the caller's new version, and moves the highlight between partitions, in the same
transaction, so two processes rating at once both land. Partitions left empty are deleted
(under the lock) so the folders do not fill with empty days.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.store.annotations import (
    ANN_TABLE,
    IDS_TABLE,
    MARKS_TABLE,
    RANK_MARKS,
    RANK_SHARD,
    live_map,
)
from reader.store.db import (
    Transaction,
    all_recs,
    bucket,
    del_recs,
    get_rec,
    open_read,
    put_recs,
    read_raw,
)
from reader.store.layout import Layout
from reader.store.shard_cache import SHARD_CACHE
from reader.store.storage import remove_with_backup

CARDS_TABLE = "cards"
DUE_TABLE = "due"
NEW_TABLE = "new"
SPLIT_TABLE = "split"
#: an hour holding more new highlights than this is spread over 256 files
SPLIT_FROM = 500
DAYS_TABLE = "days"
SETTINGS_TABLE = "settings"
#: meta key recording that the review indexes cover every article (stores made before they
#: existed build them once, on the first queue read)
LIVE_INDEX_KEY = "review_index"
LIVE_INDEX_VERSION = 2
#: the sort key of a highlight whose creation time cannot be read (oldest of all)
UNKNOWN_TIME = "0000-00-00T00:00:00Z"

#: a due entry: (due key, annotation id, article id)
DueEntry = tuple[str, str, str]
#: a new entry: (creation key, article id, start, annotation id): sorts as the queue wants
NewEntry = tuple[str, str, int, str]
#: where a highlight sits in the partitions: (file, table, record)
Slot = tuple[Path, str, dict[str, Any]]
#: partition changes gathered over many articles: (slots to leave, slots to enter)
Moves = tuple[list[Slot], list[Slot]]


def time_key(stamp: str | None) -> str:
    """An ISO time as a sortable UTC key ``YYYY-MM-DDTHH:MM:SSZ`` (unreadable: the oldest)."""
    if not stamp:
        return UNKNOWN_TIME
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return UNKNOWN_TIME
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ReviewMixin:
    """The review half of :class:`reader.store.Store` (cards and the queue's indexes)."""

    paths: Layout

    # provided by Store
    def _write(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    _lock: Any

    # ------------------------------------------------------------------ partitions
    def _card_in(self, tx: Transaction, annotation_id: str) -> dict[str, Any] | None:
        table = tx.db(self.paths.card_shard(annotation_id)).table(CARDS_TABLE)
        return get_rec(table, annotation_id, "annotation_id")

    def _slot(
        self,
        tx: Transaction,
        annotation_id: str,
        article_id: str,
        live: list[Any],
        card: dict[str, Any] | None,
    ) -> Slot | None:
        """The partition a live highlight belongs in, given its card: due (answered, not
        stopped), new (never answered), or none (stopped); with its record there."""
        created, start = live
        if card is None or not (card.get("suspended") or card.get("due")):
            # never answered (or stopped before its first answer and brought back): new
            order = time_key(created)
            record = {
                "annotation_id": annotation_id,
                "article_id": article_id,
                "order": order,
                "start": start,
            }
            hour = order[:13]
            path = self.paths.new_file(hour)
            if self._is_split(tx, path):
                path = self.paths.new_dir / f"{hour}~{bucket(annotation_id, 2)}.json"
            return path, NEW_TABLE, record
        due = card.get("due")
        if card.get("suspended") or not due:
            return None
        record = {"annotation_id": annotation_id, "article_id": article_id, "due": due}
        return self.paths.due_file(str(due)[:10]), DUE_TABLE, record

    def _is_split(self, tx: Transaction, path: Path) -> bool:
        """Whether an hour's new highlights are spread over 256 files (see ``_split``)."""
        return bool(tx.db(path, rank=RANK_MARKS).table(SPLIT_TABLE))

    def _split(self, tx: Transaction, path: Path) -> None:
        """Spread a crowded hour (a bulk import makes thousands of highlights in one second)
        over 256 files by id, so adding one more does not rewrite them all. Within such an
        hour the queue takes them file by file: oldest first still holds hour by hour."""
        table = tx.db(path, rank=RANK_MARKS).table(NEW_TABLE)
        records = [dict(doc) for doc in table.all()]
        table.truncate()
        hour = path.stem
        by_file: dict[Path, list[dict[str, Any]]] = defaultdict(list)
        for record in records:
            name = f"{hour}~{bucket(str(record['annotation_id']), 2)}.json"
            by_file[self.paths.new_dir / name].append(record)
        for target, group in by_file.items():
            put_recs(tx.db(target, rank=RANK_MARKS).table(NEW_TABLE), group, "annotation_id")
        marker = tx.db(path, rank=RANK_MARKS).table(SPLIT_TABLE)
        put_recs(marker, [{"key": "split"}], "key")

    def move_partitions(self, tx: Transaction, moves: Moves) -> None:
        """Apply the partition changes gathered by many :meth:`_reindex_live` calls."""
        self._move(tx, *moves)

    def _move(self, tx: Transaction, gone: list[Slot], came: list[Slot]) -> None:
        """Take records out of and put records into partitions: one call per file (a
        bulk import places thousands of highlights in the same hour's file)."""
        removals: dict[tuple[Path, str], list[str]] = defaultdict(list)
        for path, name, record in gone:
            removals[path, name].append(str(record["annotation_id"]))
        additions: dict[tuple[Path, str], list[dict[str, Any]]] = defaultdict(list)
        for path, name, record in came:
            additions[path, name].append(record)
        for (path, name), ids in removals.items():
            del_recs(tx.db(path, rank=RANK_MARKS).table(name), ids, "annotation_id")
        for (path, name), records in additions.items():
            table = tx.db(path, rank=RANK_MARKS).table(name)
            put_recs(table, records, "annotation_id")
            if name == NEW_TABLE and len(table) > SPLIT_FROM and "~" not in path.stem:
                self._split(tx, path)

    def _reindex_live(
        self,
        tx: Transaction,
        article_id: str,
        records: list[dict[str, Any]],
        moves: Moves | None = None,
    ) -> None:
        """Keep the partitions equal to an article's shard: what came and went since the
        transaction opened the shard (its live set then is what the partitions hold; a
        writer killed between the shard and the partitions is repaired from the pending
        marker, see :meth:`repair_partitions`).

        With ``moves``, the partition changes are gathered there for one
        :meth:`move_partitions` after many articles (a bulk write adds hundreds of
        highlights to the same hour's partitions: moved article by article, each partition
        file was rewritten in memory once per article)."""
        wanted = live_map(records)
        before = tx.live_before.get(article_id, wanted)
        if before == wanted:
            return  # a note or tag edit: the live set did not change, leave the files alone
        gone = [
            self._slot(tx, annotation_id, article_id, entry, self._card_in(tx, annotation_id))
            for annotation_id, entry in before.items()
            if wanted.get(annotation_id) != entry  # deleted, moved away, or re-placed
        ]
        came = [
            self._slot(tx, annotation_id, article_id, entry, self._card_in(tx, annotation_id))
            for annotation_id, entry in wanted.items()
            if before.get(annotation_id) != entry  # new, restored, or re-placed
        ]
        gone_slots, came_slots = [g for g in gone if g], [c for c in came if c]
        if moves is None:
            self._move(tx, gone_slots, came_slots)
        else:
            moves[0].extend(gone_slots)
            moves[1].extend(came_slots)
        tx.live_before[article_id] = wanted  # a second reindex in this transaction: no-op

    def _mark_live_index(self, tx: Transaction) -> None:
        """Record that the review indexes are complete (a new store, or after a rebuild)."""
        table = tx.db(self.paths.meta).table(SETTINGS_TABLE)
        put_recs(table, [{"key": LIVE_INDEX_KEY, "value": LIVE_INDEX_VERSION}], "key")

    def rebuild_live_index(self, tx: Transaction) -> None:
        """Recompute the partitions from the shards and cards (lock held)."""
        for folder, name in ((self.paths.due_dir, DUE_TABLE), (self.paths.new_dir, NEW_TABLE)):
            for path in self.paths.json_files(folder):
                tx.db(path, rank=RANK_MARKS).table(name).truncate()
                if folder == self.paths.new_dir:
                    tx.db(path, rank=RANK_MARKS).table(SPLIT_TABLE).truncate()
        came: list[Slot] = []
        for shard in self.paths.json_files(self.paths.annotations_dir):
            records = list(read_raw(shard, ANN_TABLE).values())
            if not records:
                continue
            article_id = str(records[0]["article_id"])
            for annotation_id, entry in live_map(records).items():
                card = self._card_in(tx, annotation_id)
                slot = self._slot(tx, annotation_id, article_id, entry, card)
                if slot is not None:
                    came.append(slot)
        self._move(tx, [], came)
        self._mark_live_index(tx)

    def _ensure_live_index(self) -> None:
        """Build the review indexes once for a store made before they existed."""
        if self._live_index_ready():
            return
        with self._write() as tx:
            if not self._live_index_ready():  # another process may have built it meanwhile
                self.rebuild_live_index(tx)

    def _live_index_ready(self) -> bool:
        record = get_rec(open_read(self.paths.meta).table(SETTINGS_TABLE), LIVE_INDEX_KEY, "key")
        return record is not None and record.get("value") == LIVE_INDEX_VERSION

    # ------------------------------------------------------------------ reading the queue
    def due_cards(self, until_day: str) -> list[DueEntry]:
        """Live, not stopped cards due on or before a UTC day, most overdue first."""
        self._ensure_live_index()
        found: list[DueEntry] = []
        for path in self.paths.json_files(self.paths.due_dir):
            if path.stem > until_day:
                break  # the files are sorted by day
            for r in read_raw(path, DUE_TABLE).values():
                found.append((str(r["due"]), str(r["annotation_id"]), str(r["article_id"])))
        found.sort()
        return found

    def new_highlights(self) -> Iterator[NewEntry]:
        """Live highlights never answered, oldest first, hour by hour (within an hour too,
        but for a crowded one: file by file); files are read only as far as asked."""
        self._ensure_live_index()
        folder = self.paths.new_dir
        try:  # names only: a bulk import's crowded hours make thousands of files
            names = sorted(n for n in os.listdir(folder) if n.endswith(".json") and n[0] != ".")
        except FileNotFoundError:
            return
        for name in names:
            path = folder / name
            entries = [
                (str(r["order"]), str(r["article_id"]), int(r["start"]), str(r["annotation_id"]))
                for r in read_raw(path, NEW_TABLE).values()
            ]
            entries.sort()
            yield from entries

    def introduced_on(self, day: str) -> int:
        """How many highlights were answered for the first time on a (local) day."""
        table = open_read(self.paths.review_days).table(DAYS_TABLE)
        record = get_rec(table, day, "day")
        return int(record["count"]) if record else 0

    def live_highlights(self) -> dict[str, tuple[str, str, int]]:
        """Every live highlight: id -> (article id, created, start) (reads every shard)."""
        found: dict[str, tuple[str, str, int]] = {}
        for path in self.paths.json_files(self.paths.annotations_dir):
            records = list(read_raw(path, ANN_TABLE).values())
            if records:
                article_id = str(records[0]["article_id"])
                for annotation_id, (created, start) in live_map(records).items():
                    found[annotation_id] = (article_id, created, start)
        return found

    def highlight_tags(self, article_id: str) -> dict[str, int]:
        """Tag -> live highlights of an article carrying it (its marks record: one small
        bucket, cached), so a ``tag:`` query can pass over articles without reading them."""
        marks = open_read(self.paths.marks_shard(article_id)).table(MARKS_TABLE)
        record = get_rec(marks, article_id, "article_id") or {}
        return dict(record.get("annotation_tags") or {})

    # ------------------------------------------------------------------ cards
    def get_card(self, annotation_id: str) -> dict[str, Any] | None:
        """A highlight's card record (None if it was never answered or stopped)."""
        table = open_read(self.paths.card_shard(annotation_id)).table(CARDS_TABLE)
        return get_rec(table, annotation_id, "annotation_id")

    def update_card(
        self,
        annotation_id: str,
        change: Callable[[dict[str, Any] | None], dict[str, Any] | None],
    ) -> dict[str, Any] | None:
        """Replace a card with ``change(current card)``, read and written under the lock.

        ``change`` gets the card as stored at that moment (None before the first answer) and
        returns the new record (None: leave it as it is). The highlight moves to the partition
        its new card puts it in, in the same transaction. Returns what the store now holds.
        """
        self._ensure_live_index()
        left: Path | None = None
        with self._write() as tx:
            table = tx.db(self.paths.card_shard(annotation_id)).table(CARDS_TABLE)
            current = get_rec(table, annotation_id, "annotation_id")
            new = change(dict(current) if current is not None else None)
            if new is None:
                return current
            record = {**new, "annotation_id": annotation_id}
            put_recs(table, [record], "annotation_id")
            located = self._live_entry(tx, annotation_id)
            if located is not None:  # None: in the trash, the card waits for a restore
                article_id, entry = located
                # named in the pending marker: if the writer dies between the card and the
                # partitions, recovery re-places this article's highlights (repair_partitions)
                tx.articles.add(article_id)
                was = self._slot(tx, annotation_id, article_id, entry, current)
                now = self._slot(tx, annotation_id, article_id, entry, record)
                self._move(tx, [was] if was else [], [now] if now else [])
                if was is not None and (now is None or now[0] != was[0]):
                    left = was[0]
            day = record.get("introduced")
            if day and not (current or {}).get("introduced"):
                self._tally_day(tx, str(day), +1)
        if left is not None:
            self._prune(left)
        return record

    def _live_entry(self, tx: Transaction, annotation_id: str) -> tuple[str, list[Any]] | None:
        """(article id, [created, start]) of a live highlight; None if deleted or unknown."""
        ids = tx.db(self.paths.ids_shard(annotation_id)).table(IDS_TABLE)
        entry = get_rec(ids, annotation_id, "annotation_id")
        if entry is None:
            return None
        article_id = str(entry["article_id"])
        # the shard as decoded annotations (cached per file version; no one else writes it
        # while the lock is held): an article of 100,000 highlights is not parsed per rating
        shard = SHARD_CACHE.load(self.paths.annotation_shard(article_id), ANN_TABLE)
        found = next((a for a in shard if a.id == annotation_id and not a.deleted), None)
        if found is None:
            return None
        return article_id, [str(found.created or ""), int(found.start or 0)]

    def _prune(self, path: Path) -> None:
        """Delete a partition file left empty (under the lock: nobody is adding to it), so
        the folders do not fill with days long past."""
        with self._lock.held():
            if (
                read_raw(path, DUE_TABLE)
                or read_raw(path, NEW_TABLE)
                or read_raw(path, SPLIT_TABLE)
            ):
                return  # filled again meanwhile
            remove_with_backup(path)

    def repair_partitions(self, tx: Transaction, article_ids: list[str]) -> None:
        """Put these articles' live highlights back where their cards say, wherever a dead
        writer left them, and drop their entries that are no longer live (crash recovery,
        lock held: reads every partition file once)."""
        articles = set(article_ids)
        for folder, name in ((self.paths.due_dir, DUE_TABLE), (self.paths.new_dir, NEW_TABLE)):
            for path in self.paths.json_files(folder):
                table = tx.db(path, rank=RANK_MARKS).table(name)
                ids = [str(r["annotation_id"]) for r in table.all() if r["article_id"] in articles]
                if ids:
                    del_recs(table, ids, "annotation_id")
        came: list[Slot | None] = []
        for article_id in sorted(articles):
            shard = tx.db(self.paths.annotation_shard(article_id), rank=RANK_SHARD)
            records = all_recs(shard.table(ANN_TABLE))
            came.extend(
                self._slot(tx, annotation_id, article_id, entry, self._card_in(tx, annotation_id))
                for annotation_id, entry in live_map(records).items()
            )
        self._move(tx, [], [c for c in came if c])

    def _drop_card(self, tx: Transaction, annotation_id: str) -> None:
        """Forget a purged highlight's card (its partitions were left when it was deleted)."""
        path = self.paths.card_shard(annotation_id)
        if not path.exists():
            return
        table = tx.db(path).table(CARDS_TABLE)
        card = get_rec(table, annotation_id, "annotation_id")
        del_recs(table, [annotation_id], "annotation_id")
        day = (card or {}).get("introduced")
        if day:
            # the day's tally of first answers is what the cards say (core.review's rule):
            # a purged highlight no longer counts against its day's new ones
            self._tally_day(tx, str(day), -1)

    def _tally_day(self, tx: Transaction, day: str, change: int) -> None:
        """Add ``change`` to the number of highlights first answered on ``day`` (a day
        whose count falls to nothing is removed)."""
        days = tx.db(self.paths.review_days, rank=RANK_MARKS).table(DAYS_TABLE)
        count = int((get_rec(days, day, "day") or {}).get("count", 0)) + change
        if count > 0:
            put_recs(days, [{"day": day, "count": count}], "day")
        else:
            del_recs(days, [day], "day")
