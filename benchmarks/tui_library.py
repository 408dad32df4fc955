"""The large library the TUI benchmark opens: generated, imported, and annotated once.

    python -m benchmarks.tui_library DIR [--clips 10000] [--notes 100000]

``DIR`` gets the clipping files (``benchmarks/generate_library.py``), its store in
``DIR/.reader`` (imported with ``reader import``, the everyday path) and ``--notes``
generated highlights spread over the articles (``Store.put_annotations``). A ``DIR`` that
already holds a finished library of that size is reused as it is (a stamp file records it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAMP = ".tui-bench.json"
NOTE_BATCH = 20_000


def prepare(folder: Path, clips: int, notes: int, *, log: bool = True) -> Path:
    """Make (or reuse) a library of ``clips`` clippings with ``notes`` highlights in ``folder``."""
    wanted = {"clips": clips, "notes": notes}
    stamp = folder / STAMP
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return folder
    from benchmarks.generate_library import write_library

    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    write_library(folder, clips)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "reader.cli", "--db", str(folder / ".reader"), "import",
         str(folder)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    if log:
        print(f"imported {clips} clippings in {time.perf_counter() - started:.0f} s", flush=True)
    add_notes(folder / ".reader", notes)
    if log:
        print(f"library ready in {time.perf_counter() - started:.0f} s", flush=True)
    stamp.write_text(json.dumps(wanted))
    return folder


def add_notes(store_dir: Path, notes: int, seed: int = 7) -> None:
    """Spread ``notes`` generated highlights over the store's articles (reading each once)."""
    from benchmarks.store_bench import make_note
    from reader.core.models import Annotation, text_hash
    from reader.store import Store

    store = Store(store_dir)
    summaries = store.list_articles()
    rng = random.Random(seed)
    per_article = [0] * len(summaries)
    for _ in range(notes):
        per_article[rng.randrange(len(summaries))] += 1
    batch: list[Annotation] = []
    number = 0
    for summary, count in zip(summaries, per_article, strict=True):
        if not count:
            continue
        article = store.get_article(summary.id)
        if article is None:
            continue
        text = article.text
        digest = text_hash(text)
        for _ in range(count):
            batch.append(make_note(rng, article, number, "bench", digest))
            number += 1
        if len(batch) >= NOTE_BATCH:
            store.put_annotations(batch)
            batch = []
    store.put_annotations(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--clips", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=100_000)
    args = parser.parse_args()
    prepare(args.folder, args.clips, args.notes)


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    main()
