"""Command-line benchmark: whole ``reader`` processes on a large generated library.

    python -m benchmarks.cli_bench            # 10,000 clippings (~12,000 articles), 100,000 notes
    python -m benchmarks.cli_bench --small    # 1,000 clippings, 10,000 notes (under a minute)
    python -m benchmarks.cli_bench --dir /dev/shm --runs 15

Every figure is the wall time of a real process (``python -m reader.cli ...``), start-up
included, as a user or a script sees it. Budgets (see benchmarks/README.md, "Command line"):

- ``reader import`` of the library at >= 5 MB/s; a re-import of unchanged files near-instant
  (its ratio to the first import);
- ``reader annotate --quote Q --article ID`` on the full store (every article, 100,000 notes)
  costs <= 1.25x the same command on a store with the same articles and no notes, and on a
  store holding one small document; the stores are measured alternately, median of ``--runs``;
- ``reader import-annotations`` of 100,000 notes (minimal records, and the output of
  ``reader export --format json``) in under a minute;
- ``reader parse``/``list``/``annotate`` start-up, against ``python -c pass`` in the same run
  (compare with the TUI's first paint from ``python -m benchmarks.first_paint``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.generate_library import write_library

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_8086b627738b3232.txt"
TAGS = [f"tag{n}" for n in range(40)]


def run(*args: str, check: bool = True) -> tuple[float, str]:
    """Seconds one ``reader`` process takes, and its standard output."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reader.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "READER_DB": ""},
    )
    elapsed = time.perf_counter() - started
    if check and done.returncode != 0:
        raise SystemExit(f"reader {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, done.stdout


def python_baseline() -> float:
    """Seconds a bare ``python -c pass`` takes (the floor of any command)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def article_texts(db: Path) -> dict[str, str]:
    """article id -> text, read straight from a store (setup only, not timed)."""
    from reader.store import Store

    store = Store(db)
    texts = {}
    for summary in store.list_articles():
        article = store.get_article(summary.id)
        if article is not None and article.paragraphs:
            texts[article.id] = article.text
    return texts


def sentence_of(text: str, rng: random.Random) -> str:
    """A random sentence-sized quote of ``text``."""
    paragraphs = text.split("\n\n")
    sentences = [s for s in rng.choice(paragraphs).split(". ") if len(s) > 20]
    return rng.choice(sentences) if sentences else paragraphs[0][:60]


def unique_quotes(texts: dict[str, str], rng: random.Random, wanted: int) -> list[tuple[str, str]]:
    """(article id, quote) pairs whose quote occurs in that one article only."""
    ids = sorted(texts)
    found: list[tuple[str, str]] = []
    while len(found) < wanted:
        article_id = rng.choice(ids)
        paragraphs = texts[article_id].split("\n\n")
        quote = max(paragraphs, key=len)[:120]
        holders = [i for i in ids if quote in texts[i]]
        if holders == [article_id]:
            found.append((article_id, quote))
    return found


def minimal_records(texts: dict[str, str], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` minimal import records: article id, quote, sometimes a note and tags."""
    ids = sorted(texts)
    records = []
    for number in range(count):
        article_id = rng.choice(ids)
        record: dict[str, Any] = {
            "article_id": article_id,
            "quote": sentence_of(texts[article_id], rng),
        }
        if number % 3 == 0:
            record["note"] = f"note {number}"
        if number % 4 == 0:
            record["tags"] = rng.sample(TAGS, 2)
        records.append(record)
    return records


def alternate(commands: dict[str, list[list[str]]], rng: random.Random) -> dict[str, list[float]]:
    """Run round k of every named command in a shuffled order, round after round."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    rounds = len(next(iter(commands.values())))
    for k in range(rounds):
        names = list(commands)
        rng.shuffle(names)
        for name in names:
            times[name].append(run(*commands[name][k])[0])
    return times


class Table:
    """The printed results: one row per measure."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, measure: str, value: str, note: str = "") -> None:
        self.rows.append((measure, value, note))
        print(f"  {measure:58} {value:>12}  {note}", flush=True)

    def markdown(self) -> str:
        lines = ["| measure | figure | ratio / budget |", "|---|---|---|"]
        lines += [f"| {m} | {v} | {n} |" for m, v, n in self.rows]
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="1,000 clippings, 10,000 notes")
    parser.add_argument("--clips", type=int, help="clippings in the library")
    parser.add_argument("--notes", type=int, help="annotations imported")
    parser.add_argument("--runs", type=int, help="rounds of the latency measures")
    parser.add_argument("--dir", type=Path, help="where the library and stores go")
    parser.add_argument("--keep", action="store_true", help="keep the library and stores")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    clips = args.clips or (1_000 if args.small else 10_000)
    notes = args.notes or (10_000 if args.small else 100_000)
    runs = args.runs or (5 if args.small else 11)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="reader-cli-bench-", dir=args.dir))
    try:
        table = measure(work, clips, notes, runs, rng)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table.markdown())


def measure(work: Path, clips: int, notes: int, runs: int, rng: random.Random) -> Table:
    """Build the library and stores under ``work`` and measure everything."""
    library = work / "library"
    full, same, tiny = work / "full", work / "same-articles", work / "tiny"
    size = write_library(library, clips)
    print(f"{clips} clippings, {size / 1e6:.1f} MB in {library}; {notes} notes; {runs} rounds")
    table = Table()

    # 1. import, re-import
    first, out = run("--db", str(full), "import", str(library))
    table.add("import (whole process)", f"{first:.2f} s", f"{size / 1e6 / first:.1f} MB/s (>= 5)")
    again, _ = run("--db", str(full), "import", str(library))
    table.add("re-import, nothing changed", f"{again:.2f} s", f"{again / first:.3f} x first")
    now = time.time()
    for path in library.rglob("*.txt"):
        os.utime(path, (now, now))
    touched, _ = run("--db", str(full), "import", str(library))
    table.add("re-import, every file touched (same bytes)", f"{touched:.2f} s",
              f"{touched / first:.3f} x first")  # fmt: skip
    texts = article_texts(full)
    shutil.copytree(full, same)
    small = work / "one" / "note.txt"
    small.parent.mkdir()
    small.write_text("A Small Note\n\nJanuary 2, 2025\n\nThe tram runs every ten minutes.\n")
    run("--db", str(tiny), "import", str(small))

    # 2. import-annotations, export, re-import of the export
    minimal = work / "minimal.json"
    minimal.write_text(json.dumps(minimal_records(texts, notes, rng)), encoding="utf-8")
    took, out = run("--db", str(full), "import-annotations", str(minimal))
    table.add(f"import-annotations, {notes:,} minimal records", f"{took:.2f} s",
              f"{out.strip()} (< 60 s)")  # fmt: skip
    exported = work / "export.json"
    took, _ = run("--db", str(full), "export", "--format", "json", "--output", str(exported))
    table.add(f"export --format json, {notes:,} notes", f"{took:.2f} s")
    took, out = run("--db", str(full), "import-annotations", str(exported))
    table.add("import-annotations of that export (same ids)", f"{took:.2f} s",
              f"{out.strip()} (< 60 s)")  # fmt: skip

    # 3. annotate with --article: full store vs same articles without notes vs one document
    picks = unique_quotes(texts, rng, runs)
    tiny_id = json.loads(run("--db", str(tiny), "list", "--json")[1])["articles"][0]["id"]
    commands = {
        "full": [["--db", str(full), "annotate", "--quote", q, "--article", a] for a, q in picks],
        "same": [["--db", str(same), "annotate", "--quote", q, "--article", a] for a, q in picks],
        "tiny": [
            ["--db", str(tiny), "annotate", "--quote", "every ten minutes", "--article", tiny_id]
        ]
        * runs,
    }
    times = alternate(commands, rng)
    full_ms = statistics.median(times["full"])
    same_ms = statistics.median(times["same"])
    tiny_ms = statistics.median(times["tiny"])
    table.add(f"annotate --article, full store ({notes:,} notes)", f"{full_ms * 1e3:.0f} ms")
    table.add("annotate --article, same articles, no notes", f"{same_ms * 1e3:.0f} ms",
              f"full / this = {full_ms / same_ms:.2f} (<= 1.25)")  # fmt: skip
    table.add("annotate --article, store of one small document", f"{tiny_ms * 1e3:.0f} ms",
              f"full / this = {full_ms / tiny_ms:.2f} (<= 1.25)")  # fmt: skip

    # 4. annotate without --article (every article is searched)
    picks = unique_quotes(texts, rng, max(3, runs // 3))
    scan = alternate(
        {
            "full": [["--db", str(full), "annotate", "--quote", q] for _, q in picks],
            "folded": [["--db", str(full), "annotate", "--quote", q.upper()] for _, q in picks],
        },
        rng,
    )
    scan_ms = statistics.median(scan["full"])
    table.add("annotate without --article (scans every article)", f"{scan_ms * 1e3:.0f} ms",
              f"{scan_ms / full_ms:.2f} x with --article")  # fmt: skip
    folded_ms = statistics.median(scan["folded"])
    table.add("  ... quote typed in capitals (folded match)", f"{folded_ms * 1e3:.0f} ms",
              f"{folded_ms / full_ms:.2f} x with --article")  # fmt: skip

    # 5. start-up of the light commands, against a bare interpreter
    base = statistics.median(python_baseline() for _ in range(runs))
    table.add("python -c pass", f"{base * 1e3:.0f} ms", "baseline")
    seed = SEED if SEED.is_file() else small
    startup = alternate(
        {
            "parse": [["parse", str(seed)]] * runs,
            "list, one document": [["--db", str(tiny), "list"]] * runs,
            "list, full store": [["--db", str(full), "list"]] * runs,
            "version": [["--version"]] * runs,
        },
        rng,
    )
    for name, times_of in startup.items():
        median = statistics.median(times_of)
        table.add(f"reader {name}", f"{median * 1e3:.0f} ms", f"{median / base:.2f} x python")
    table.add("annotate --article, one document (from 3.)", f"{tiny_ms * 1e3:.0f} ms",
              f"{tiny_ms / base:.2f} x python")  # fmt: skip
    return table


if __name__ == "__main__":
    main()
