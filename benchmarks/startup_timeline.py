"""Where start-up time goes: a timeline of one launch of the TUI, measured inside the process.

    python -m benchmarks.startup_timeline seeds                 # a library folder
    python -m benchmarks.startup_timeline big.txt --marker Bench  # until this text shows
    python -m benchmarks.startup_timeline --bare                # the bare app, for comparison
    python -m benchmarks.startup_timeline seeds --runs 7        # medians, beside the bare app

The app runs in a fresh tmux session (140x45), as ``reader`` would, with a few of Textual's
methods wrapped to stamp the time since the process started (wall clock, and the process's
CPU time, which other jobs on the machine disturb less): every frame written to the terminal
(and its size), the main screen's mount, the first article opening, and the garbage
collector's passes. It stops once every ``--marker`` (repeatable) has been written, by
default the first listed title and the open article's first words (the first full screen),
and prints the timeline. With ``--runs N`` it launches the bare app and the target
alternately N times each and prints the medians of both and their ratio instead.
Reader's bytecode is compiled first, as ``pip install`` does (``tui_bench`` does the same).
This is how the start-up work of ``benchmarks/README.md`` ("Every budget met", "The first
full screen") was found; ``tui_bench`` gives the figures.
It patches Textual internals (pinned 8.2.8), so it is a tool for looking, not a test.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: joins the markers in the probe's command line (the ASCII unit separator)
SEPARATOR = "\x1f"


def _probe(target: str, marker: str, out: str) -> None:  # pragma: no cover - runs in tmux
    """Run the app with the stamps (in the child process); ``marker``: texts joined by US."""
    started, cpu_started = time.perf_counter(), time.process_time()
    stamps: list[tuple[float, float, str]] = []
    markers = set(marker.split(SEPARATOR))
    seen: set[str] = set()

    def stamp(what: str) -> None:
        stamps.append((time.perf_counter() - started, time.process_time() - cpu_started, what))

    import gc

    if target != "--bare":
        gc.disable()  # as reader's run_tui does before it imports the UI
    gc_started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started.append(time.perf_counter())
        elif gc_started:
            took = (time.perf_counter() - gc_started.pop()) * 1000
            if info["generation"] == 2 or took > 2:
                stamp(f"gc generation {info['generation']}: {took:.1f} ms")

    gc.callbacks.append(on_gc)
    from textual.drivers import linux_driver

    write = linux_driver.LinuxDriver.write

    def stamped_write(self: linux_driver.LinuxDriver, data: str) -> None:
        write(self, data)
        if len(data) > 200:
            stamp(f"frame written ({len(data):,} bytes)")
        seen.update(text for text in markers if text in data)
        if seen == markers:
            stamp("first frame completing " + " + ".join(repr(text) for text in sorted(markers)))
            lines = [f"{at * 1000:8.1f} ms {cpu * 1000:8.1f} ms cpu  {what}"
                     for at, cpu, what in stamps]  # fmt: skip
            Path(out + ".tmp").write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(out + ".tmp", out)  # whole, or not there yet
            os._exit(0)

    linux_driver.LinuxDriver.write = stamped_write  # type: ignore[method-assign]
    stamp("Textual's terminal driver imported")
    if target == "--bare":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bare_app import BareApp

        BareApp().run()
        return
    from reader.ui.screens.main import MainScreen

    def stamped(name: str) -> object:
        original = getattr(MainScreen, name)

        def wrapped(self: MainScreen) -> None:  # one argument: Textual inspects handlers
            stamp(f"MainScreen.{name} starts")
            original(self)
            stamp(f"MainScreen.{name} ends")

        return wrapped

    MainScreen.on_mount = stamped("on_mount")
    from reader.ui.screens.start_up import StartUp

    original_begin = StartUp.begin

    def begin(self: StartUp) -> None:
        stamp("MainScreen.startup.begin starts")
        original_begin(self)
        stamp("MainScreen.startup.begin ends")

    StartUp.begin = begin  # type: ignore[method-assign]
    stamp("reader imported")
    from reader.cli import main

    sys.argv = ["reader", target]
    main()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("target", nargs="?", help="a folder or document to open")
    parser.add_argument("--bare", action="store_true", help="time the bare Textual app")
    parser.add_argument(
        "--marker", action="append", help="stop once this text was written (repeatable)"
    )
    parser.add_argument("--runs", type=int, help="medians of this many launches, and the bare app")
    args = parser.parse_args()
    if args.bare:
        target, markers = "--bare", args.marker or [BARE_MARKER]
    elif args.target:
        target = str(Path(args.target).resolve())
        markers = args.marker or _first_screen(Path(target))
    else:
        parser.error("give a folder or document, or --bare")
    compile_bytecode()
    if args.runs:
        _compare(target, markers, args.runs)
        return
    print(_timeline(target, markers), end="")


BARE_MARKER = "BAREITEM 2"


def compile_bytecode() -> None:
    """Compile reader's modules as ``pip install`` does (PYTHONDONTWRITEBYTECODE is set on
    the machines here: each launch would compile them anew, ~100 ms an installed copy never
    pays)."""
    import compileall

    compileall.compile_dir(ROOT / "reader", quiet=1)


def _first_screen(target: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.tui_bench import first_screen

    folder = target if target.is_dir() else target.parent
    try:
        return list(first_screen(folder))
    except IndexError:
        return ["No articles"]


def _compare(target: str, markers: list[str], runs: int) -> None:
    """Medians of ``runs`` launches of the bare app and of ``target``, alternating."""
    import statistics

    times: dict[str, list[tuple[float, float]]] = {"bare Textual app": [], target: []}
    for _ in range(runs):
        for name, (what, texts) in {
            "bare Textual app": ("--bare", [BARE_MARKER]),
            target: (target, markers),
        }.items():
            last = _timeline(what, texts).splitlines()[-1].split()
            times[name].append((float(last[0]), float(last[2])))
    bare_wall = statistics.median(wall for wall, _ in times["bare Textual app"])
    bare_cpu = statistics.median(cpu for _, cpu in times["bare Textual app"])
    print(f"first frame completing {markers!r}; medians of {runs} launches")
    for name, pairs in times.items():
        wall = statistics.median(w for w, _ in pairs)
        cpu = statistics.median(c for _, c in pairs)
        print(f"{name:40} {wall:7.1f} ms ({wall / bare_wall:.2f}x)  "
              f"cpu {cpu:7.1f} ms ({cpu / bare_cpu:.2f}x)")  # fmt: skip


def _timeline(target: str, markers: list[str]) -> str:
    """One launch in tmux: the timeline's lines."""
    marker = SEPARATOR.join(markers)
    out = Path(tempfile.mkdtemp(prefix="reader-timeline-")) / "timeline.txt"
    session = f"timeline{os.getpid()}"
    command = (
        f"cd {shlex.quote(str(ROOT))} && PYTHONPATH={shlex.quote(str(ROOT))} exec "
        f"{shlex.quote(sys.executable)} -c "
        + shlex.quote(
            "import sys; from benchmarks.startup_timeline import _probe; "
            "_probe(sys.argv[1], sys.argv[2], sys.argv[3])"
        )
        + f" {shlex.quote(target)} {shlex.quote(marker)} {shlex.quote(str(out))}"
    )
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "45", command],
                   check=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    if not out.exists():
        sys.exit(f"{markers!r} never showed within 60 s")
    text = out.read_text(encoding="utf-8")
    shutil.rmtree(out.parent, ignore_errors=True)
    return text


if __name__ == "__main__":
    main()
