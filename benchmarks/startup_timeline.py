"""Where start-up time goes: a timeline of one launch of the TUI, measured inside the process.

    python -m benchmarks.startup_timeline seeds                 # a library folder
    python -m benchmarks.startup_timeline big.txt --marker Bench  # until this text shows
    python -m benchmarks.startup_timeline --bare                # the bare app, for comparison

The app runs in a fresh tmux session (140x45), as ``reader`` would, with a few of Textual's
methods wrapped to stamp the time since the process started: every frame written to the
terminal (and its size), the main screen's mount, the first article opening, and the garbage
collector's passes. It stops at the first frame holding ``--marker`` (default: the first
listed title) and prints the timeline. This is how the start-up work of
``benchmarks/README.md`` ("Every budget met") was found; ``tui_bench`` gives the figures.
It patches Textual internals (pinned 8.2.8), so it is a tool for looking, not a test.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _probe(target: str, marker: str, out: str) -> None:  # pragma: no cover - runs in tmux
    """Run the app with the stamps (in the child process)."""
    started = time.perf_counter()
    stamps: list[tuple[float, str]] = []

    def stamp(what: str) -> None:
        stamps.append((time.perf_counter() - started, what))

    import gc

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
        if marker in data:
            stamp(f"first frame holding {marker!r}")
            lines = [f"{at * 1000:8.1f} ms  {what}" for at, what in stamps]
            Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
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

    for name in ("on_mount", "_open_first_then_sync"):
        setattr(MainScreen, name, stamped(name))
    stamp("reader imported")
    from reader.cli import main

    sys.argv = ["reader", target]
    main()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("target", nargs="?", help="a folder or document to open")
    parser.add_argument("--bare", action="store_true", help="time the bare Textual app")
    parser.add_argument("--marker", help="stop at the first frame holding this text")
    args = parser.parse_args()
    if args.bare:
        target, marker = "--bare", args.marker or "BAREITEM 2"
    elif args.target:
        target = str(Path(args.target).resolve())
        if args.marker:
            marker = args.marker
        else:
            sys.path.insert(0, str(ROOT))
            from reader.service.library import Library

            listed = Library.open(Path(target)).articles()
            marker = listed[0].title[:20] if listed else "No articles"
    else:
        parser.error("give a folder or document, or --bare")
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
        sys.exit(f"{marker!r} never showed within 60 s")
    print(out.read_text(encoding="utf-8"), end="")


if __name__ == "__main__":
    main()
