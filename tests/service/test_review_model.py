"""The queue read from the store's partitions equals the rule applied to the whole library,
after any sequence of highlights made, deleted, restored, purged, answered and stopped."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.core.models import Annotation
from reader.core.review import CardInfo, daily_queue
from reader.service.library import Library
from reader.service.review import DailyReview
from reader.store import Store, storage
from reader.store.review import time_key

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 3), st.integers(0, 3)),
        st.tuples(st.sampled_from(["delete", "restore", "purge", "stop"]), st.integers(0, 11)),
        st.tuples(st.just("rate"), st.integers(0, 11), st.sampled_from(["again", "good", "easy"])),
        st.tuples(st.just("days"), st.integers(1, 9)),
    ),
    max_size=30,
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def expected(store: Store, review: DailyReview, query_tag: str | None) -> list[str]:
    """The rule over everything the store holds (every shard, every card)."""
    live = {
        a.id: (a.article_id, time_key(a.created), a.start)
        for a in store.all_annotations()
        if query_tag is None or query_tag in a.tags
    }
    cards = {}
    for path in store.paths.json_files(store.paths.cards_dir):
        for r in storage.load_tables(path).get("cards", {}).values():  # type: ignore[union-attr]
            cards[r["annotation_id"]] = CardInfo(
                r.get("due"), bool(r.get("suspended")), r.get("introduced")
            )
    today, day_end = review._today()
    queue = daily_queue(live, cards, today=today, day_end=day_end, new_per_day=review.new_per_day())
    return [e.annotation_id for e in queue]


@settings(max_examples=40, deadline=None)
@given(ops, st.integers(0, 4), st.booleans())
# answered today, then purged: it no longer counts against today's new ones (found by the
# search; the store's tally kept it)
@example([("add", 0, 0), ("add", 0, 0), ("rate", 0, "again"), ("purge", 0)], 1, False)
def test_partitions_give_the_rule_s_queue(steps, per_day, with_query) -> None:
    saved, storage.SYNC = storage.SYNC, False
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "store")
            library = Library(store, None)
            clock = Clock()
            review = DailyReview(library, clock)
            review.set_new_per_day(per_day)
            made: list[str] = []
            for step in steps:
                kind = step[0]
                if kind == "add":
                    number = len(made)
                    created = (clock.now - timedelta(hours=step[2])).isoformat()
                    note = Annotation(
                        id=f"h{number:02d}",
                        article_id=f"art{step[1]}",
                        quote="q",
                        start=number * 10,
                        end=number * 10 + 5,
                        tags=["even"] if number % 2 == 0 else [],
                        created=created,
                    )
                    store.put_annotation(note)
                    made.append(note.id)
                    continue
                if kind == "days":
                    clock.now += timedelta(days=step[1])
                    continue
                if not made:
                    continue
                target = made[step[1] % len(made)]
                note = store.get_annotation(target)
                if note is None:
                    continue  # purged
                if kind == "delete" and not note.deleted:
                    library.delete(target)
                elif kind == "restore" and note.deleted:
                    library.restore(target)
                elif kind == "purge":
                    store.purge_annotation(target)
                elif kind == "stop" and not note.deleted:
                    review.suspend(target)
                elif kind == "rate" and not note.deleted:
                    review.rate(target, step[2])
            tag = "even" if with_query else None
            got = [e.annotation_id for e in review.queue("tag:even" if with_query else None)]
            assert got == expected(store, review, tag)
    finally:
        storage.SYNC = saved
