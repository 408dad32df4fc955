"""Dense articles: opening an article that holds many highlights, and ``j`` in it.

    python -m benchmarks.dense_article_bench [--counts 0 1000 10000 100000] [--presses 40]

For each count it writes a library of one long article (~2.5 MB of prose, 100,000
sentences' worth) holding that many highlights (short, one after another, some with notes
and tags) into a temporary store, then opens the TUI headless on it (Textual's
``run_test``, 140x45) and measures:

- **open**: from the app's start to the article's text and the sidebar's first card on
  screen (wall time, best of ``--runs``), and the ratio to the same article holding none;
  also the CPU time the process spent on it (all its threads; least of the runs), which
  the load of a shared machine moves much less than the wall time. The runs go round the
  counts (one launch of each per round);
- **j**: the CPU time of each ``j`` in the reading pane, from the key to the app idle
  again (median and p95 over every run's presses; CPU time because the machine is shared
  and the pilot's own waits are idle time), and the frames each ``j`` rendered;
- **memory**: the resident memory of the TUI process (``VmRSS``) once the article shows,
  and its peak (``VmHWM``) after the ``j`` presses. Each launch runs in a fresh process
  (this module with ``--child``), so one count's memory does not carry into the next; the
  library is written by the parent, so the figures are the TUI's alone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from reader.core.models import Annotation
from reader.service.library import Library
from reader.ui.app import make_app

WORDS = [
    *[
        "harbour",
        "council",
        "voted",
        "monday",
        "install",
        "lights",
        "along",
        "old",
        "pier",
        "work",
        "starts",
        "april",
    ],
    *[
        "residents",
        "asked",
        "better",
        "lighting",
        "years",
        "several",
        "said",
        "too",
        "dark",
        "after",
        "sunset",
    ],
    *[
        "mayor",
        "powered",
        "sun",
        "thanked",
        "volunteers",
        "raised",
        "funds",
        "market",
        "night",
        "stalls",
    ],
    *["noodles", "lanterns", "canal", "trams", "late", "city"],
]


def write_library(folder: Path, paragraphs: int, seed: int = 7) -> Path:
    """One long article: ``paragraphs`` paragraphs of ten short sentences."""
    rng = random.Random(seed)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    lines = ["Dense Article Under Test", "March 3, 2024", "Reprinted from The Bench Gazette"]
    for _ in range(paragraphs):
        sentences = []
        for _ in range(10):
            words = [rng.choice(WORDS) for _ in range(rng.randint(5, 9))]
            sentences.append(" ".join(words).capitalize() + ".")
        lines.append(" ".join(sentences))
    (docs / "dense.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return docs


def add_highlights(library: Library, count: int) -> str:
    """``count`` short highlights, spread over the article, a few with notes and tags."""
    summary = library.articles()[0]
    article = library.article(summary.id)
    assert article is not None
    text = article.text
    step = max(len(text) // max(count, 1), 12)
    notes = []
    for n in range(count):
        start = n * step
        end = min(start + min(step - 2, 40), len(text))
        if end <= start:
            break
        notes.append(
            Annotation(
                id=f"h{n:06d}",
                article_id=summary.id,
                quote=text[start:end],
                start=start,
                end=end,
                note=f"note {n}: a remark long enough to wrap in the sidebar" if n % 5 == 0 else "",
                tags=["bench"] if n % 7 == 0 else [],
                color=("yellow", "green", "blue", "pink", "purple")[n % 5],
                created="2024-03-03T10:00:00+00:00",
            )
        )
    library.store.put_annotations(notes)
    return summary.id


async def measure(
    docs: Path, db: Path, article_id: str, presses: int, rss: list[float] | None = None
) -> tuple[float, list[float], list[int]]:
    """Open time (s), CPU per ``j`` (s) and frames per ``j`` (and the RSS once open, MB,
    and the CPU time the open took, s, appended to ``rss``)."""
    library = Library.open(docs, db=db, kind="tui")
    start, cpu = time.perf_counter(), time.process_time()
    app = make_app(library, open_article=article_id)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = app.main_screen
        while screen.article is None or not screen.sidebar.option_count:
            await pilot.pause(0.01)
        await pilot.pause()
        opened = time.perf_counter() - start
        if rss is not None:
            rss += [memory_mb("VmRSS"), time.process_time() - cpu]
        while screen.syncing:
            await pilot.pause(0.1)
        screen.pane.focus()
        await pilot.pause()
        frames: list[int] = []
        spent: list[float] = []
        count = [0]
        original = screen._compositor_refresh

        def counted() -> None:
            count[0] += 1
            original()

        screen._compositor_refresh = counted  # type: ignore[method-assign]
        for _ in range(presses):
            count[0] = 0
            begin = time.process_time()
            await pilot.press("j")
            await pilot.pause()
            spent.append(time.process_time() - begin)
            frames.append(count[0])
    return opened, spent, frames


def memory_mb(field: str) -> float:
    """A memory figure of this process in MB from /proc (``VmRSS``, ``VmHWM``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(docs: Path, db: Path, article_id: str, presses: int) -> None:
    """One launch in this (fresh) process: its figures as one line of JSON on stdout."""
    rss: list[float] = []
    opened, spent, frames = asyncio.run(measure(docs, db, article_id, presses, rss))
    figures = {
        "opened": opened,
        "spent": spent,
        "frames": frames,
        "rss_open": rss[0],
        "cpu": rss[1],
        "peak": memory_mb("VmHWM"),
    }
    print(json.dumps(figures))


def launch(docs: Path, db: Path, article_id: str, presses: int) -> dict[str, Any]:
    """:func:`child` in a new interpreter, its figures."""
    command = [sys.executable, "-m", "benchmarks.dense_article_bench", "--child"]
    done = subprocess.run(
        [*command, str(docs), str(db), article_id, str(presses)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank quantile."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--counts", type=int, nargs="+", default=[0, 1000, 10_000, 100_000])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3, help="launches per count (best kept)")
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--child", nargs=4, metavar=("DOCS", "DB", "ARTICLE", "PRESSES"))
    args = parser.parse_args()
    if args.child:
        docs, db, article_id, presses = args.child
        child(Path(docs), Path(db), article_id, int(presses))
        return
    work = Path(tempfile.mkdtemp(prefix="dense-bench-"))
    try:
        docs = write_library(work, args.paragraphs)
        stores = {}
        for count in args.counts:
            db = work / f"store-{count}"
            library = Library.open(docs, db=db)
            library.sync()
            stores[count] = (db, add_highlights(library, count))
        runs: dict[int, list[dict[str, Any]]] = {count: [] for count in args.counts}
        for _ in range(args.runs):
            # one launch of each count per round: a burst of load on the shared machine
            # then falls on every count alike rather than on all the runs of one
            for count, (db, article_id) in stores.items():
                runs[count].append(launch(docs, db, article_id, args.presses))
        print(
            "| highlights | open | vs none | open CPU | j CPU median | j CPU p95 "
            "| frames per j | RSS once open | peak RSS |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        baseline = min(f["opened"] for f in runs[args.counts[0]])
        for count, figures in runs.items():
            best = min(figures, key=lambda f: f["opened"])
            spent = [s for f in figures for s in f["spent"]]
            frames = [n for f in figures for n in f["frames"]]
            # memory does not swing with the machine's load: the largest seen
            rss_open = max(f["rss_open"] for f in figures)
            peak = max(f["peak"] for f in figures)
            cpu = min(f["cpu"] for f in figures)
            print(
                f"| {count:,} | {best['opened']:.2f} s | {best['opened'] / baseline:.2f}x "
                f"| {cpu:.2f} s | {statistics.median(spent) * 1000:.0f} ms "
                f"| {percentile(spent, 0.95) * 1000:.0f} ms | {statistics.median(frames):.0f} "
                f"| {rss_open:.0f} MB | {peak:.0f} MB |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
