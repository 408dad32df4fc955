"""Speed you can feel: the TUI's budgets, measured in tmux as a person sees them.

    python -m benchmarks.tui_bench            # 10,000 clippings, 100,000 highlights
    python -m benchmarks.tui_bench --small    # 1,000 clippings, 10,000 highlights (quick)
    python -m benchmarks.tui_bench --dir /tmp/tuilib --runs 7 --presses 40
    python -m benchmarks.tui_bench --dir /tmp/tuilib --paints-only --runs 9   # first screens

Every figure is a median of wall-clock times taken *outside* the app: the command is
started in a fresh tmux session (140x45) and ``tmux capture-pane`` is polled until the
expected text shows, or until the screen changes after ``send-keys`` (keystrokes). The first
screen counts once the list's first title *and* the open article's text are both on screen
(the first full screen); the bare app's once its last list item shows. Ratios are against
baselines measured in the same run, alternating with the cases: a bare Textual app
(``bare_app.py``: Header, 3-item ListView, Static, Footer) for the first screens, and a bare
OptionList of the same size (``bare_option_list.py``) for the keys.
Memory is the resident set (``VmRSS``) of the app's process, read from ``/proc``.

The large library is generated, imported and annotated once into ``--dir`` (see
``tui_library.py``) and reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.tui_library import prepare  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "scrapinghub-ground-truth.json"
COLUMNS, ROWS = 140, 45
BIG_MARKER = "Benchstart: the first paragraph"
PYTHON = shlex.quote(sys.executable)
#: a keystroke that changed nothing on screen after this long counts as this long (seconds)
KEY_TIMEOUT = 5.0


# ---------------------------------------------------------------------------------- tmux
def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def _screen(session: str, colours: bool = False) -> str:
    """The pane's text (with ``colours``, its escape sequences too: a moved highlight)."""
    return _tmux("capture-pane", "-p", *(["-e"] if colours else []), "-t", session)


_sessions = 0


@contextmanager
def launched(command: str) -> Iterator[tuple[str, float]]:
    """Run ``command`` (from the repo root) in a new tmux session; yields (name, start time).

    The command is exec'd, so the pane's process is the app itself (for ``/proc``).
    """
    global _sessions
    _sessions += 1
    session = f"tuibench{os.getpid()}x{_sessions}"
    shell = f"cd {shlex.quote(str(ROOT))} && PYTHONPATH={shlex.quote(str(ROOT))} exec {command}"
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(COLUMNS), "-y", str(ROWS), shell],
        check=True,
    )
    try:
        yield session, start
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@contextmanager
def tmux_server() -> Iterator[None]:
    """Keep one idle session open for the whole run.

    Without it the tmux server exits whenever a measured session is killed, and a launch
    racing that exit failed ("server exited unexpectedly").
    """
    keeper = f"tuibench{os.getpid()}keeper"
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 86400"], check=True)
    try:
        yield
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keeper], capture_output=True)


def wait_for(
    session: str, marker: str | tuple[str, ...], start: float, timeout: float = 120.0
) -> float:
    """Seconds from ``start`` until ``marker`` (every one of several) is on the screen."""
    markers = (marker,) if isinstance(marker, str) else marker
    while time.perf_counter() - start < timeout:
        screen = _screen(session)
        if all(text in screen for text in markers):
            return time.perf_counter() - start
        time.sleep(0.002)
    raise TimeoutError(f"{markers!r} never appeared:\n{_screen(session)}")


def wait_still(session: str, quiet: float = 1.0, timeout: float = 120.0) -> None:
    """Wait until the screen has not changed for ``quiet`` seconds (an import finished)."""
    started = time.perf_counter()
    last, since = _screen(session, True), time.perf_counter()
    while time.perf_counter() - started < timeout:
        time.sleep(0.02)
        now = _screen(session, True)
        if now != last:
            last, since = now, time.perf_counter()
        elif time.perf_counter() - since >= quiet:
            return


def key_latency(session: str, key: str, presses: int) -> list[float]:
    """Seconds from ``send-keys`` until the screen differs, for each of ``presses`` presses."""
    times = []
    for _ in range(presses):
        before = _screen(session, True)
        start = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
        while _screen(session, True) == before:
            if time.perf_counter() - start > KEY_TIMEOUT:
                break  # counted as KEY_TIMEOUT: an app too busy to answer is measured too
        times.append(time.perf_counter() - start)
        time.sleep(0.03)  # let any second frame land before the next press
    return times


def pane_pid(session: str) -> int:
    return int(_tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------------------------- data
def megabyte_clipping(folder: Path) -> Path:
    """A clipping of one article with about 1 MB of real article paragraphs."""
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    items = data.values() if isinstance(data, dict) else data
    paragraphs = [p.strip() for item in items for p in item.get("articleBody", "").split("\n")]
    paragraphs = [p for p in paragraphs if p]
    lines = [
        "A Megabyte of Reading for the Benchmark",
        "January 14, 2025",
        "Reprinted from The Bench Times",
        f"{BIG_MARKER} of a very long article, which goes on for a megabyte.",
    ]
    size = 0
    while size < 1_000_000:
        for paragraph in paragraphs:
            lines.append(paragraph)
            size += len(paragraph) + 1
            if size >= 1_000_000:
                break
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "megabyte.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def compile_bytecode() -> None:
    """Compile reader's modules as ``pip install`` does, before any timed launch.

    Textual's modules were compiled when pip installed them; reader's, run from the source
    tree with PYTHONDONTWRITEBYTECODE set (as on the machines here), would otherwise be
    compiled anew by every launch (~100 ms) — a cost an installed copy never pays.
    """
    import compileall

    compileall.compile_dir(ROOT / "reader", quiet=1)


def reader_import(folder: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "reader.cli", "import", str(folder)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, check=True,
    )  # fmt: skip


def first_title(folder: Path) -> str:
    from reader.service.library import Library

    return Library.open(folder).articles()[0].title[:30]


def first_screen(folder: Path) -> tuple[str, str]:
    """What reader's first full screen on ``folder`` shows: the list's first title and the
    open article's text.

    The article is the one reader opens (the last one read, else the first listed); its text
    is the first words of the paragraph holding the saved reading position (the position
    is on screen). Words, not a whole line: the pane wraps the paragraph to its width.
    """
    from reader.service.library import Library

    library = Library.open(folder)
    listed = library.articles()
    article_id = library.last_article_id()
    if article_id not in {summary.id for summary in listed}:
        article_id = listed[0].id
    article = library.require_article(article_id)
    position = library.reading_state(article_id).position
    spans = article.paragraph_spans()
    here = next((n for n, span in enumerate(spans) if span.end >= position), 0)
    words = article.paragraphs[here].split()[:3]
    return listed[0].title[:30], " ".join(words)[:24]


def display_lines(path: Path) -> int:
    """How many display lines the reading pane lays the 1 MB article out in (for its baseline)."""
    from reader.core.parser import parse_bytes
    from reader.ui.layout import layout_article

    article = parse_bytes(path.read_bytes(), path.name)[0]
    return len(layout_article(article, 70).lines)


# ---------------------------------------------------------------------------------- cases
def reader_cmd(folder: Path | str) -> str:
    return f"{PYTHON} -m reader.cli {shlex.quote(str(folder))}"


def paint(command: str, marker: str | tuple[str, ...]) -> float:
    with launched(command) as (session, start):
        return wait_for(session, marker, start)


def keys_and_memory(
    command: str,
    marker: str,
    setup: list[str],
    key: str,
    presses: int,
    *,
    far_keys: tuple[str, ...] = (),
) -> tuple[list[float], float, float]:
    """Key latencies; RSS after the first paint (and settling) and after scrolling."""
    with launched(command) as (session, start):
        wait_for(session, marker, start)
        wait_still(session)
        pid = pane_pid(session)
        settled = rss_mb(pid)
        for setup_key in setup:
            subprocess.run(["tmux", "send-keys", "-t", session, setup_key], check=True)
        wait_still(session, 0.3)
        times = key_latency(session, key, presses)
        for far in far_keys:  # scroll a long way, e.g. to the end and back
            key_latency(session, far, 1)
        after = rss_mb(pid)
    return times, settled, after


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="1,000 clippings, quick run")
    parser.add_argument("--dir", type=Path, help="where the large library is kept (reused)")
    parser.add_argument("--runs", type=int, default=5, help="launches per first-paint case")
    parser.add_argument("--presses", type=int, default=30, help="keystrokes per key case")
    parser.add_argument(
        "--paints-only", action="store_true", help="only the first screens (no keys, no memory)"
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed")
    compile_bytecode()
    clips, notes = (1_000, 10_000) if args.small else (10_000, 100_000)
    large = args.dir or Path(tempfile.gettempdir()) / f"reader-tui-bench-{clips}"
    prepare(large, clips, notes)
    work = Path(tempfile.mkdtemp(prefix="reader-tui-bench-"))
    seeds = work / "seeds"
    shutil.copytree(ROOT / "seeds", seeds, ignore=shutil.ignore_patterns(".reader"))
    reader_import(seeds)
    megabyte = megabyte_clipping(work / "megabyte")
    reader_import(megabyte.parent)
    from reader.service.library import Library

    articles = len(Library.open(large).articles())
    large_case = f"reader on {articles:,} articles"
    cases: dict[str, tuple[str, str | tuple[str, ...]]] = {
        "bare Textual app": (f"{PYTHON} benchmarks/bare_app.py", "BAREITEM 2"),
        "reader on seeds/": (reader_cmd(seeds), first_screen(seeds)),
        large_case: (reader_cmd(large), first_screen(large)),
        "reader opening a 1 MB article": (reader_cmd(megabyte), (first_title(megabyte.parent),
                                                                 BIG_MARKER)),
    }  # fmt: skip
    paints: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, (command, marker) in cases.items():
            paints[name].append(paint(command, marker))
    bare = statistics.median(paints["bare Textual app"])
    budgets = {"reader on seeds/": 1.3, large_case: 1.5, "reader opening a 1 MB article": 2.0}
    rows: list[tuple[str, str, str, str]] = []
    for name, times in paints.items():
        median = statistics.median(times)
        budget = budgets.get(name)
        spread = f" ({min(times) / bare:.2f}-{max(times) / bare:.2f})" if budget else ""
        rows.append(
            ("first full screen: " + name, ms(median), f"{median / bare:.2f}x",
             f"<= {budget}x{spread}" if budget else "baseline")
        )  # fmt: skip
    if args.paints_only:
        report(rows, f"{clips:,} clippings, {articles:,} articles; medians of {args.runs} launches")
        shutil.rmtree(work, ignore_errors=True)
        return

    lines = display_lines(megabyte)
    option_cmd = f"{PYTHON} benchmarks/bare_option_list.py"
    list_base, _, _ = keys_and_memory(
        f"{option_cmd} {articles} 2", "OPTION 0", [], "Down", args.presses
    )
    # the reader focuses the open article; shift+tab goes to the list
    list_ours, rss_open, rss_scrolled = keys_and_memory(
        reader_cmd(large),
        first_title(large),
        ["BTab"],
        "Down",
        args.presses,
        far_keys=("End", "Home", "End"),
    )
    pane_base, _, _ = keys_and_memory(
        f"{option_cmd} {lines} 1", "OPTION 0", [], "Down", args.presses
    )
    pane_ours, _, _ = keys_and_memory(reader_cmd(megabyte), BIG_MARKER, [], "j", args.presses)
    for name, ours, theirs in (
        (f"key: list cursor ({articles:,} rows)", list_ours, list_base),
        (f"key: reading pane cursor (1 MB, {lines:,} lines)", pane_ours, pane_base),
    ):
        mine, base = statistics.median(ours), statistics.median(theirs)
        rows.append((name, ms(mine), f"{mine / base:.2f}x", "<= 1.5x, < 50 ms"))
        rows.append(("  baseline: bare OptionList, same size", ms(base), "", ""))
    rows.append((f"memory after first paint ({articles:,} articles)", f"{rss_open:9.1f} MB", "",
                 "< 300 MB"))  # fmt: skip
    rows.append(("memory after scrolling the list", f"{rss_scrolled:9.1f} MB", "", "< 300 MB"))

    report(
        rows,
        f"{clips:,} clippings, {articles:,} articles, {notes:,} highlights; "
        f"medians of {args.runs} launches / {args.presses} keystrokes",
    )
    shutil.rmtree(work, ignore_errors=True)


def report(rows: list[tuple[str, str, str, str]], what: str) -> None:
    """Print the table (budget column: the ratio's range over the launches, in brackets)."""
    print(f"library: {what}; tmux {COLUMNS}x{ROWS}")
    print(f"{'measure':56}{'figure':>13}{'ratio':>9}  budget")
    for name, figure, ratio, budget in rows:
        print(f"{name:56}{figure:>13}{ratio:>9}  {budget}")


if __name__ == "__main__":
    with tmux_server():
        main()
