"""Daily review benchmark: opening the review of a 100,000-highlight library.

    python -m benchmarks.review_bench            # 10,000 clippings, 100,000 highlights
    python -m benchmarks.review_bench --small    # 1,000 clippings, 10,000 highlights, 3,000 cards
    python -m benchmarks.review_bench --dir /dev/shm

The store is built once per run (articles, highlights made a second apart, and cards whose
due times spread from a month ago to two months ahead, as after weeks of daily reviews).
"Cold" clears the store's read cache first, as a freshly started ``reader`` is; "warm" is a
second opening in the same process. The baseline, measured in the same run, is what the queue
would cost without its index: reading every highlight shard (``all_annotations``, cold).
The TUI figure is the time from pressing ``r`` to the review screen showing its first card
(headless Textual app, cold cache), against pressing ``?`` for the help screen.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fsrs import Card, Rating

from benchmarks.generate_library import clippings
from benchmarks.store_bench import make_note, to_items
from reader.core.review import due_key
from reader.service.library import Library
from reader.service.review import DailyReview, make_scheduler
from reader.store import Store, storage
from reader.store.db import put_recs
from reader.store.review import CARDS_TABLE
from reader.store.storage import READ_CACHE

NOW = datetime.now(UTC)


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def build(root: Path, n_clips: int, n_notes: int, n_cards: int) -> tuple[Store, list[str]]:
    """A store with the articles, highlights and cards (fsync off while building)."""
    storage.SYNC = False
    try:
        store = Store(root)
        items = to_items(clippings(n_clips, seed=1))
        store.save_documents(items)
        articles = [a for _, arts in items for a in arts]
        rng = random.Random(7)
        created = NOW - timedelta(days=400)
        notes = []
        for number in range(n_notes):
            note = make_note(rng, rng.choice(articles), number, "h")
            stamp = (created + timedelta(seconds=number)).isoformat(timespec="seconds")
            note.created = note.updated = stamp
            notes.append(note)
        for start in range(0, len(notes), 20_000):
            store.put_annotations(notes[start : start + 20_000])
        ids = [n.id for n in notes]
        _write_cards(store, rng.sample(ids, n_cards), rng)
    finally:
        storage.SYNC = True
    return store, ids


def _write_cards(store: Store, ids: list[str], rng: random.Random) -> None:
    """Cards after a few answers each, due from 30 days ago to 60 days ahead (one write)."""
    scheduler = make_scheduler()
    by_bucket: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for annotation_id in ids:
        when = NOW - timedelta(days=rng.uniform(40, 200))
        card = Card(card_id=1, due=when)
        for _ in range(rng.randint(1, 4)):
            card, _ = scheduler.review_card(card, rng.choice(list(Rating)), review_datetime=when)
            when = card.due
        shift = NOW + timedelta(days=rng.uniform(-30, 60)) - card.due
        card.due += shift
        record = {
            "annotation_id": annotation_id,
            "fsrs": card.to_dict(),
            "due": due_key(card.due),
            "suspended": rng.random() < 0.02,
            "introduced": (NOW - timedelta(days=40)).date().isoformat(),
            "reviews": 3,
        }
        by_bucket[store.paths.card_shard(annotation_id)].append(record)
    with store._write() as tx:
        for path, records in by_bucket.items():
            put_recs(tx.db(path).table(CARDS_TABLE), records, "annotation_id")
        store.rebuild_live_index(tx)  # the cards were written directly: place them


def open_review(library: Library, query: str | None = None) -> int:
    """What opening the review does before drawing: the queue, the first card, its
    answers' intervals. Returns the queue's length."""
    review = DailyReview(library)
    entries = review.queue(query)
    if entries:
        review.card(entries[0])
        review.preview(entries[0].annotation_id)
    return len(entries)


def cold(action: Callable[[], Any]) -> float:
    READ_CACHE.clear()
    return timed(action)


def tui_open(library: Library, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from a key to its screen being drawn (headless, cold cache): ``V`` to the
    review's first card, and the baseline ``?`` to the help screen, alternately."""
    from reader.ui.app import make_app
    from reader.ui.screens.help import HelpScreen
    from reader.ui.screens.review import ReviewScreen

    def review_ready(app: Any) -> bool:
        return isinstance(app.screen, ReviewScreen) and app.screen.current is not None

    def help_ready(app: Any) -> bool:
        return isinstance(app.screen, HelpScreen)

    async def one(key: str, ready: Callable[[Any], bool]) -> float:
        app = make_app(library)
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            # the import and the index; the folder's watch runs as long as the window
            busy = [w for w in app.workers if w.group != "watch"]
            await app.workers.wait_for_complete(busy)
            await pilot.pause()
            READ_CACHE.clear()
            started = time.perf_counter()
            await pilot.press(key)
            while not ready(app):
                await asyncio.sleep(0.001)
            await pilot.pause()  # drawn
            return time.perf_counter() - started

    asyncio.run(one("V", review_ready))  # imports the screen's modules once, like a session
    reviews, helps = [], []
    for _ in range(runs):
        reviews.append(asyncio.run(one("V", review_ready)))
        helps.append(asyncio.run(one("question_mark", help_ready)))
    return reviews, helps


def run(n_clips: int, n_notes: int, n_cards: int, workdir: Path, runs: int) -> None:
    started = time.perf_counter()
    store, _ids = build(workdir / "store", n_clips, n_notes, n_cards)
    library = Library(store, None)
    built = time.perf_counter() - started
    print(f"built {n_notes:,} highlights, {n_cards:,} cards in {built:.0f} s")
    length = open_review(library)
    rows: list[tuple[str, str, str]] = [("queue length (due + new)", f"{length:,}", "")]

    opens = [cold(lambda: open_review(library)) for _ in range(runs)]
    warm = [timed(lambda: open_review(library)) for _ in range(runs)]
    shards = [cold(lambda: store.all_annotations()) for _ in range(runs)]
    queried = [cold(lambda: open_review(library, "tag:tag7")) for _ in range(runs)]
    med = statistics.median
    rows.append(("open the review, cold", f"{med(opens) * 1000:.0f} ms", "goal <= 200 ms"))
    rows.append(("open the review, warm", f"{med(warm) * 1000:.0f} ms", ""))
    rows.append(
        (
            "baseline: read every shard, cold",
            f"{med(shards) * 1000:.0f} ms",
            f"review / baseline = {med(opens) / med(shards):.2f}",
        )
    )
    rows.append(("open the review with tag:tag7, cold", f"{med(queried) * 1000:.0f} ms", ""))

    def size(folder: Path) -> float:
        return sum(p.stat().st_size for p in store.paths.json_files(folder)) / 1e6

    paths = store.paths
    rows.append(
        (
            "live sets / due / new / cards on disk",
            f"{size(paths.review_dir):.1f} / {size(paths.due_dir):.1f} / "
            f"{size(paths.new_dir):.1f} / {size(paths.cards_dir):.1f} MB",
            f"{len(paths.json_files(paths.due_dir))} due days, "
            f"{len(paths.json_files(paths.new_dir))} new files",
        )
    )

    with store._write() as tx:
        rebuild = timed(lambda: store.rebuild_live_index(tx))
    rows.append(("building the index (old stores, once)", f"{rebuild * 1000:.0f} ms", ""))

    review = DailyReview(library)
    targets = [e.annotation_id for e in review.queue()[:30]]
    rates = [timed(lambda i=i: review.rate(i, "good")) for i in targets]
    rows.append(("rate (median of 30, fsync on)", f"{med(rates) * 1000:.1f} ms", ""))

    screens, helps = tui_open(library, max(3, runs // 2))
    rows.append(("TUI: V to the first card, cold", f"{med(screens) * 1000:.0f} ms", ""))
    rows.append(
        (
            "TUI baseline: ? to the help screen",
            f"{med(helps) * 1000:.0f} ms",
            f"review / help = {med(screens) / med(helps):.2f}",
        )
    )

    width = max(len(r[0]) for r in rows)
    for measure, figure, note in rows:
        print(f"{measure:<{width}}  {figure:>12}  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--small", action="store_true", help="1,000 clippings, 10,000 highlights")
    parser.add_argument("--dir", type=Path, help="where to build the store (default: a temp dir)")
    args = parser.parse_args()
    if args.small:
        args.clips, args.notes, args.cards = 1_000, 10_000, 3_000
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        run(args.clips, args.notes, args.cards, Path(tmp), args.runs)


if __name__ == "__main__":
    main()
