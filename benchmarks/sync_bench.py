"""Sync benchmark: ``reader sync`` between two stores through a bare repository on disk.

    python -m benchmarks.sync_bench            # 10,000 clippings (~12,000 articles), 100,000 notes
    python -m benchmarks.sync_bench --small    # 1,000 clippings, 10,000 notes

Two stores hold the same articles (as two computers with the same library folder would);
the first holds every note. Measured: the first sync of each (everything out, everything
in), a sync with nothing changed (goal <= 1 s at 100,000 notes), and three rounds of 1,000
new notes sent by one store and brought by the other (goal <= 3 s; the median and the
range), then one more brought by a ``reader sync`` process (what a person waits for). The
baseline, measured in the same run on the same repository, is what git alone costs a sync
that finds nothing: ``git status`` and ``git fetch``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate_library import clippings
from benchmarks.store_bench import make_note, print_table, to_items
from reader.service.gitsync import sync, sync_folder
from reader.store import Store, storage

NEW_NOTES = 1_000
#: send/bring rounds: one run on a shared VM swings too much to say anything
ROUNDS = 3
CLI = "import sys; from reader.cli.main import main; sys.exit(main(sys.argv[1:]))"


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def run(n_clips: int, n_notes: int, workdir: Path) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    items = to_items(clippings(n_clips, seed=1))
    articles = [a for _, arts in items for a in arts]
    rng = random.Random(7)
    notes = [make_note(rng, rng.choice(articles), n, "bulk") for n in range(n_notes)]
    storage.SYNC = False  # building the stores is not what is measured
    laptop, desktop = Store(workdir / "laptop"), Store(workdir / "desktop")
    laptop.save_documents(items)
    desktop.save_documents(items)
    laptop.put_annotations(notes)
    storage.SYNC = True
    remote = workdir / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    rows.append(("articles / notes", f"{len(articles):,} / {n_notes:,}", ""))

    seconds, outcome = timed(lambda: sync(laptop, str(remote)))
    rows.append(("first sync, everything out", f"{seconds:.1f} s", outcome.summary()))
    seconds, outcome = timed(lambda: sync(desktop, str(remote)))
    rows.append(("first sync of a second store, everything in", f"{seconds:.1f} s", ""))

    idle = []
    for _ in range(3):
        seconds, outcome = timed(lambda: sync(laptop))
        assert outcome.summary() == "0 highlights in, 0 out", outcome.summary()
        idle.append(seconds)
    folder = str(sync_folder(laptop))
    git = [
        timed(
            lambda: (
                subprocess.run(["git", "-C", folder, "status", "--porcelain"], check=True),
                subprocess.run(["git", "-C", folder, "fetch", "-q"], check=True),
            )
        )[0]
        for _ in range(3)
    ]
    baseline = statistics.median(git)
    median = statistics.median(idle)
    rows.append(("baseline: git status + git fetch", f"{baseline * 1000:.0f} ms", ""))
    rows.append(
        (
            f"sync, nothing changed, {n_notes:,} notes",
            f"{median * 1000:.0f} ms",
            f"goal <= 1 s; {median / baseline:.1f}x baseline",
        )
    )
    command = [sys.executable, "-c", CLI, "--db", str(laptop.root), "sync"]
    seconds, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    rows.append(("  the same as a `reader sync` process", f"{seconds * 1000:.0f} ms", ""))

    sends, brings = [], []
    for r in range(ROUNDS):
        fresh = [make_note(rng, rng.choice(articles), n, f"new{r}-") for n in range(NEW_NOTES)]
        laptop.put_annotations(fresh)
        seconds, outcome = timed(lambda: sync(laptop))
        assert outcome.out == NEW_NOTES, outcome.summary()
        sends.append(seconds)
        seconds, outcome = timed(lambda: sync(desktop))
        assert outcome.arrived.new == NEW_NOTES, outcome.summary()
        brings.append(seconds)
    rows.append((f"sync sending {NEW_NOTES:,} new notes", *_spread(sends, baseline)))
    median, spread = _spread(brings, baseline)
    rows.append((f"sync bringing {NEW_NOTES:,} new notes", median, f"goal <= 3 s; {spread}"))
    fresh = [make_note(rng, rng.choice(articles), n, "cli-") for n in range(NEW_NOTES)]
    laptop.put_annotations(fresh)
    sync(laptop)
    command = [sys.executable, "-c", CLI, "--db", str(desktop.root), "sync"]
    seconds, done = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    assert done.stdout.startswith(f"{NEW_NOTES} highlights in".encode()), done.stdout
    rows.append(("  the same as a `reader sync` process", f"{seconds:.2f} s", "one run"))
    return rows


def _spread(runs: list[float], baseline: float) -> tuple[str, str]:
    """The median of ``runs`` and their range (and the median against the baseline)."""
    median = statistics.median(runs)
    return (
        f"{median:.2f} s",
        f"median of {len(runs)}, {min(runs):.2f} - {max(runs):.2f} s; "
        f"{median / baseline:.0f}x baseline",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="1,000 clippings, 10,000 notes")
    parser.add_argument("--dir", type=Path, help="where to put the stores (default: a temp dir)")
    args = parser.parse_args(argv)
    n_clips, n_notes = (1_000, 10_000) if args.small else (10_000, 100_000)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        print_table(run(n_clips, n_notes, Path(tmp)))


if __name__ == "__main__":
    main()
