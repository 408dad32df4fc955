"""First paint and start-up, measured as a person sees it: in tmux, from launch until the
expected text is on the screen. Figures are ratios against a bare Textual app measured in the
same run.

    python -m benchmarks.first_paint [--runs 5] [--library PATH]

Needs tmux. ``--library`` adds the first paint on a large library (see generate_library.py).
The full set of TUI budgets (large library, 1 MB article, keystrokes, memory) is measured by
``benchmarks/tui_bench.py``; this script also times the CLI commands against the TUI.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_8086b627738b3232.txt"


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def paint_time(command: str, marker: str, timeout: float = 60.0) -> float:
    """Seconds from starting ``command`` in a fresh tmux session until ``marker`` shows."""
    session = f"bench{os.getpid()}{time.monotonic_ns() % 100000}"
    env = f"cd {shlex.quote(str(ROOT))} && PYTHONPATH={shlex.quote(str(ROOT))} "
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "45", env + command],
        check=True,
    )
    try:
        while time.perf_counter() - start < timeout:
            if marker in _tmux("capture-pane", "-p", "-t", session):
                return time.perf_counter() - start
            time.sleep(0.005)
        raise TimeoutError(f"{marker!r} never appeared for {command}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def command_time(args: list[str]) -> float:
    """Wall time of one whole CLI process."""
    start = time.perf_counter()
    subprocess.run(
        args, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, check=True
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--library", type=Path, help="a large generated library folder")
    parser.add_argument("--marker", default=None, help="text that shows the large library")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed")
    python = shlex.quote(sys.executable)
    work = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    seeds = work / "seeds"
    shutil.copytree(ROOT / "seeds", seeds, ignore=shutil.ignore_patterns(".reader"))
    # import once so the measured launch is the everyday one (store present, nothing new)
    subprocess.run(
        [sys.executable, "-m", "reader.cli", "import", str(seeds)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        check=True,
    )
    first_title = _first_title(seeds)

    cases: dict[str, list[float]] = {"bare Textual app": [], "reader on seeds/": []}
    cli: dict[str, list[float]] = {"reader parse": [], "reader list": [], "reader annotate": []}
    if args.library:
        cases["reader on large library"] = []
    for run in range(args.runs):
        cases["bare Textual app"].append(
            paint_time(f"{python} benchmarks/bare_app.py", "BAREITEM 2")
        )
        cases["reader on seeds/"].append(
            paint_time(f"{python} -m reader.cli {shlex.quote(str(seeds))}", first_title[:30])
        )
        if args.library:
            cases["reader on large library"].append(
                paint_time(
                    f"{python} -m reader.cli {shlex.quote(str(args.library))}",
                    args.marker or _first_title(args.library)[:30],
                )
            )
        cli["reader parse"].append(
            command_time([sys.executable, "-m", "reader.cli", "parse", str(SEED), "--json"])
        )
        cli["reader list"].append(
            command_time(
                [sys.executable, "-m", "reader.cli", "--db", str(seeds / ".reader"), "list"]
            )
        )
        cli["reader annotate"].append(
            command_time(
                [
                    sys.executable,
                    "-m",
                    "reader.cli",
                    "--db",
                    str(seeds / ".reader"),
                    "annotate",
                    "--quote",
                    _a_quote(seeds),
                    "--note",
                    f"bench {run}",
                ]
            )
        )
    base = statistics.median(cases["bare Textual app"])
    print(f"{'case':32} {'median s':>10} {'ratio to bare app':>18}")
    for name, times in {**cases, **cli}.items():
        median = statistics.median(times)
        print(f"{name:32} {median:10.3f} {median / base:18.2f}")
    tui = statistics.median(cases["reader on seeds/"])
    for name, times in cli.items():
        print(f"{name} / TUI first paint: {statistics.median(times) / tui:.2f}")
    shutil.rmtree(work, ignore_errors=True)


def _first_title(folder: Path) -> str:
    from reader.service.library import Library

    library = Library.open(folder)
    return library.articles()[0].title


def _a_quote(folder: Path) -> str:
    from reader.service.library import Library

    library = Library.open(folder)
    article = library.article(library.articles()[-1].id)
    assert article is not None
    return article.paragraphs[0][:40]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
