"""Store benchmark: import, list, bulk annotations, and put_annotation latency vs store size.

    python -m benchmarks.store_bench            # 10,000 clippings (~12,000 articles), 100,000 notes
    python -m benchmarks.store_bench --small    # 1,000 clippings, 10,000 notes (a quick run)

Latency is measured on two stores in the same run, alternating operations between them
so machine load affects both alike: an empty store and one holding every article and
all the annotations. The figure that matters is the ratio (goal <= 1.25).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.generate_library import SyntheticClipping, clippings
from reader.core.models import COLORS, Annotation, Article, article_id_for, text_hash
from reader.store import FileRecord, Store
from reader.store.storage import READ_CACHE

TAG_POOL = [f"tag{n}" for n in range(60)]


def iso_date(text: str) -> str | None:
    try:
        return datetime.strptime(text, "%B %d, %Y").date().isoformat()
    except ValueError:
        return None


def to_items(clips: list[SyntheticClipping]) -> list[tuple[FileRecord, list[Article]]]:
    """FileRecords and Articles as the library would hand them to the store."""
    items = []
    for clip in clips:
        raw = clip.text().encode("utf-8")
        articles: list[Article] = []
        for index, piece in enumerate(clip.articles):
            articles.append(
                Article(
                    id=article_id_for(clip.name, index),
                    title=piece.title,
                    paragraphs=piece.paragraphs,
                    date=iso_date(piece.date),
                    source=piece.source,
                    caption=piece.caption,
                    summary=piece.teaser,
                    related_to=articles[0].id if index else None,
                    path=clip.name,
                    index=index,
                )
            )
        record = FileRecord(
            path=clip.name,
            size=len(raw),
            mtime_ns=0,
            sha=hashlib.sha256(raw).hexdigest(),
            article_ids=[a.id for a in articles],
        )
        items.append((record, articles))
    return items


def make_note(
    rng: random.Random, article: Article, number: int, prefix: str, digest: str | None = None
) -> Annotation:
    """A random highlight of ``article`` (``digest``: its text hash, when already known)."""
    text = article.text
    start = rng.randrange(0, max(1, len(text) - 80))
    end = min(len(text), start + rng.randint(10, 80))
    return Annotation(
        id=f"{prefix}{number:07d}",
        article_id=article.id,
        quote=text[start:end],
        start=start,
        end=end,
        prefix=text[max(0, start - 32) : start],
        suffix=text[end : end + 32],
        note=rng.choice(["", "", "worth checking", "compare with the earlier report"]),
        tags=rng.sample(TAG_POOL, rng.randint(0, 2)),
        color=rng.choice(COLORS),
        created="2025-01-14T10:00:00+00:00",
        updated="2025-01-14T10:00:00+00:00",
        text_hash=digest or text_hash(text),
    )


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run(
    n_clips: int, n_notes: int, samples: int, rounds: int, workdir: Path
) -> list[tuple[str, str, str]]:
    """Run every measurement; returns (measure, figure, goal/ratio) rows."""
    rows: list[tuple[str, str, str]] = []
    items = to_items(clippings(n_clips, seed=1))
    articles = [a for _, arts in items for a in arts]
    megabytes = sum(len(a.text.encode("utf-8")) for a in articles) / 1e6
    rows.append(("articles / clippings", f"{len(articles):,} / {n_clips:,}", ""))

    full = Store(workdir / "full")
    seconds = timed(lambda: full.save_documents(items))
    rows.append(("save_documents (all, one call)", f"{seconds:.2f} s", ""))
    rows.append(
        ("  throughput (article text)", f"{megabytes / seconds:.1f} MB/s", f"{megabytes:.1f} MB")
    )

    READ_CACHE.clear()
    cold = timed(full.list_articles)
    warm = statistics.median(timed(full.list_articles) for _ in range(5))
    rows.append((f"list_articles on {len(articles):,} (cold)", f"{cold * 1000:.0f} ms", ""))
    rows.append((f"list_articles on {len(articles):,} (warm)", f"{warm * 1000:.0f} ms", ""))

    rng = random.Random(7)
    notes = [make_note(rng, rng.choice(articles), n, "bulk") for n in range(n_notes)]
    seconds = timed(lambda: full.put_annotations(notes))
    rows.append((f"put_annotations bulk of {n_notes:,}", f"{seconds:.1f} s", "goal < 60 s"))

    empty = Store(workdir / "empty")
    ratios: list[float] = []
    on_empty: list[float] = []
    on_full: list[float] = []
    for round_no in range(rounds):
        round_empty: list[float] = []
        round_full: list[float] = []
        for number in range(samples):
            article = rng.choice(articles)
            # alternate which store goes first so neither always pays a warm-up
            pair = [(empty, round_empty, "e"), (full, round_full, "f")]
            for store, into, prefix in pair if number % 2 else pair[::-1]:
                note = make_note(rng, article, round_no * samples + number, f"lat-{prefix}")
                into.append(timed(lambda s=store, n=note: s.put_annotation(n)))  # type: ignore[misc]
        ratios.append(statistics.median(round_full) / statistics.median(round_empty))
        on_empty += round_empty
        on_full += round_full
    median_empty = statistics.median(on_empty)
    median_full = statistics.median(on_full)
    rows.append(("put_annotation, empty store (median)", f"{median_empty * 1000:.2f} ms", ""))
    rows.append(
        (
            f"put_annotation, {n_notes:,} notes (median)",
            f"{median_full * 1000:.2f} ms",
            f"ratio {median_full / median_empty:.2f} (goal <= 1.25)",
        )
    )
    spread = ", ".join(f"{r:.2f}" for r in ratios)
    rows.append((f"  ratio in each of {rounds} rounds", spread, f"{samples} samples per store"))
    edit = notes[0]
    edit.note = "edited"
    edit_s = statistics.median(timed(lambda: full.put_annotation(edit)) for _ in range(9))
    rows.append(("put_annotation, edit existing (median)", f"{edit_s * 1000:.2f} ms", ""))

    target = notes[0].article_id
    for label, action in (
        ("annotations_for one article", lambda: full.annotations_for(target)),
        ("get_annotation by id", lambda: full.get_annotation(notes[1].id)),
        ("annotation_counts", full.annotation_counts),
        ("all_tags", full.all_tags),
        ("get_article", lambda: full.get_article(target)),
    ):
        READ_CACHE.clear()
        cold = timed(action)
        warm = statistics.median(timed(action) for _ in range(5))
        rows.append((label, f"{cold * 1000:.1f} ms cold", f"{warm * 1000:.2f} ms warm"))
    READ_CACHE.clear()
    seconds = timed(full.all_annotations)
    rows.append((f"all_annotations ({n_notes + samples * rounds:,})", f"{seconds:.2f} s", "cold"))
    reopen = timed(lambda: Store(workdir / "full"))
    rows.append(("open the full store", f"{reopen * 1000:.1f} ms", ""))
    return rows


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    for measure, value, note in rows:
        print(f"{measure:<{width}}  {value:>{value_width}}  {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark reader.store")
    parser.add_argument("--small", action="store_true", help="1,000 clippings, 10,000 notes")
    parser.add_argument("--clips", type=int, help="number of clippings (default 10,000)")
    parser.add_argument("--notes", type=int, help="number of annotations (default 100,000)")
    parser.add_argument("--samples", type=int, default=60, help="latency samples per round")
    parser.add_argument("--rounds", type=int, default=3, help="latency rounds")
    parser.add_argument("--dir", type=Path, help="where to make the stores (default: a temp dir)")
    args = parser.parse_args(argv)
    n_clips = args.clips or (1_000 if args.small else 10_000)
    n_notes = args.notes or (10_000 if args.small else 100_000)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        started = time.perf_counter()
        rows = run(n_clips, n_notes, args.samples, args.rounds, Path(folder))
        rows.append(("total benchmark time", f"{time.perf_counter() - started:.0f} s", ""))
    print_table(rows)


if __name__ == "__main__":
    main()
