"""Export benchmark: wall time and peak memory of whole ``reader export`` processes.

    python -m benchmarks.export_bench                    # 10,000 clippings, 100,000 notes
    python -m benchmarks.export_bench --small            # 1,000 clippings, 10,000 notes
    python -m benchmarks.export_bench --store /tmp/exports --runs 3
    python -m benchmarks.export_bench --store /tmp/exports --before /tmp/old-checkout

Budgets (benchmarks/README.md, "Streaming exports", issue 19): ``export --format json``
and ``--format w3c`` peak at <= 300 MB of resident memory each at 100,000 highlights,
and the Markdown export takes <= 2x the JSON export's time. The reference, measured in
the same run, is a process that reads every annotation shard and ``json.dump``s them
("shards read and dumped"): what holding the highlights once in memory costs.

Peak memory is the ``ru_maxrss`` of each process (``os.wait4``). ``--store DIR`` builds
the library and its store there once (import, then ``import-annotations`` of the notes)
and reuses them on later runs. ``--before TREE`` also measures the exports of another
checkout of the code (put first on ``PYTHONPATH``) in the same run.
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

from benchmarks.cli_bench import Table, article_texts, minimal_records
from benchmarks.generate_library import write_library

ROOT = Path(__file__).resolve().parents[1]

#: reads every annotation shard (json.load) and dumps them all as one JSON file
REFERENCE = """
import json, os, sys
folder, out = sys.argv[1], sys.argv[2]
shards = {}
for name in sorted(os.listdir(folder)):
    if name.endswith(".json"):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            shards[name] = json.load(f)
with open(out, "w", encoding="utf-8") as f:
    json.dump(shards, f, ensure_ascii=False)
"""


def measured(command: list[str], tree: Path = ROOT) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one process (``tree`` first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "READER_DB": ""}
    started = time.perf_counter()
    # run from the tree: ``python -m`` puts the working folder first on the path
    process = subprocess.Popen(
        command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    return elapsed, usage.ru_maxrss / 1024  # kilobytes on Linux


def reader(*args: str) -> list[str]:
    return [sys.executable, "-m", "reader.cli", *args]


def build(folder: Path, clips: int, notes: int, rng: random.Random) -> Path:
    """The store of ``clips`` clippings holding ``notes`` highlights, built once in ``folder``."""
    store = folder / "store"
    if (folder / "built").exists():
        return store
    shutil.rmtree(folder, ignore_errors=True)
    library = folder / "library"
    size = write_library(library, clips)
    print(f"building: {clips} clippings, {size / 1e6:.1f} MB; {notes} notes", flush=True)
    subprocess.run(reader("--db", str(store), "import", str(library)), check=True, cwd=ROOT)
    records = folder / "minimal.json"
    records.write_text(json.dumps(minimal_records(article_texts(store), notes, rng)))
    subprocess.run(reader("--db", str(store), "import-annotations", str(records)), check=True)
    (folder / "built").write_text("")
    return store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="1,000 clippings, 10,000 notes")
    parser.add_argument("--runs", type=int, default=3, help="processes per measure")
    parser.add_argument("--store", type=Path, help="build (once) and reuse the store here")
    parser.add_argument("--before", type=Path, help="another checkout to measure as well")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    clips, notes = (1_000, 10_000) if args.small else (10_000, 100_000)
    keep = args.store is not None
    folder = args.store or Path(tempfile.mkdtemp(prefix="reader-export-bench-"))
    out = Path(tempfile.mkdtemp(prefix="reader-export-out-"))
    try:
        store = build(folder, clips, notes, random.Random(args.seed))
        table = measure(store, out, args.runs, args.before)
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    print()
    print(table.markdown())


def measure(store: Path, out: Path, runs: int, before: Path | None) -> Table:
    """Every export (and the reference) ``runs`` times, alternately; medians and peaks."""
    cases: dict[str, tuple[list[str], Path]] = {
        "shards read and dumped (reference)": (
            [sys.executable, "-c", REFERENCE, str(store / "annotations"), str(out / "ref.json")],
            ROOT,
        )
    }
    trees = [("", ROOT)] + ([("before: ", before)] if before else [])
    for label, tree in trees:
        for fmt in ("json", "w3c", "markdown"):
            target = out / f"{label.strip(': ')}export.{fmt}"
            command = reader("--db", str(store), "export", "--format", fmt, "--output", str(target))
            cases[f"{label}export --format {fmt}"] = (command, tree)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    rng = random.Random(0)
    for _ in range(runs):
        names = list(cases)
        rng.shuffle(names)
        for name in names:
            command, tree = cases[name]
            results[name].append(measured(command, tree))
    table = Table()
    reference = results["shards read and dumped (reference)"]
    ref_mb = max(mb for _, mb in reference)
    json_s = {label: statistics.median(s for s, _ in results[f"{label}export --format json"])
              for label, _ in trees}  # fmt: skip
    for name, figures in results.items():
        seconds = statistics.median(s for s, _ in figures)
        peak = max(mb for _, mb in figures)
        label = name.split("export")[0]
        note = f"{peak / ref_mb:.2f} x reference memory"
        if name.endswith("markdown"):
            note += f"; {seconds / json_s[label]:.2f} x json time (<= 2)"
        elif "reference" not in name:
            note += " (<= 300 MB)"
        table.add(name, f"{seconds:.2f} s, {peak:.0f} MB", note)
    return table


if __name__ == "__main__":
    main()
