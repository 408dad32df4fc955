"""Filter as you type: per-key latency of the article list's filter (``/``), in process.

    python -m benchmarks.filter_bench --db STORE DOCS [--text "harbor strike"] [--passes 3]

Opens the TUI headless (Textual's ``run_test``, 140x45) on an imported library, presses
``/`` and types ``--text`` one key at a time, then erases it, timing the CPU each key costs
from the press until the app is idle again (``pilot.pause``: the list re-filtered and the
screen rendered; CPU time, because the pilot's own waits are idle time), and the part of
that spent in ``MainScreen.show_list`` (CPU time of the UI thread). The machine is shared:
CPU time is what the key costs whatever else runs. The reference, measured the same
way in the same run, is a bare Textual app: an Input over an OptionList of the same titles
re-filtered by substring on each key (what any Textual filter box costs).

Import the library first (``reader --db STORE import DOCS``); the first pass also brings
the store's search index up to date (it is built by the import).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList

from reader.service.library import Library
from reader.ui.app import make_app
from reader.ui.screens.main import MainScreen


def percentile(samples: list[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class BareFilter(App[None]):
    """The reference: an Input filtering an OptionList of titles by substring."""

    def __init__(self, titles: list[str]) -> None:
        super().__init__()
        self.titles = titles

    def compose(self) -> ComposeResult:
        yield Input()
        yield OptionList(*self.titles)

    def on_input_changed(self, event: Input.Changed) -> None:
        wanted = event.value.lower()
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([t for t in self.titles if wanted in t.lower()])


async def _type(
    press: Callable[[str], Awaitable[None]], pause: Callable[[], Awaitable[None]], text: str
) -> list[float]:
    keys = [("space" if c == " " else c) for c in text] + ["backspace"] * len(text)
    samples = []
    for key in keys:
        start = time.process_time()  # CPU: what the key cost, not the pilot's idle waits
        await press(key)
        await pause()
        samples.append(time.process_time() - start)
    return samples


async def reader_keys(
    db: Path, docs: Path, text: str, passes: int
) -> tuple[list[float], list[float]]:
    """Per-key latencies and ``show_list`` times of the reader's filter."""
    library = Library.open(docs, db=db)
    app = make_app(library)
    spent: list[float] = []
    original = MainScreen.show_list

    def timed(self: MainScreen, **options: Any) -> None:
        start = time.thread_time()
        original(self, **options)
        spent.append(time.thread_time() - start)

    MainScreen.show_list = timed  # type: ignore[method-assign]
    samples: list[float] = []
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen = app.main_screen
            for _ in range(600):  # a minute at most: a screen that failed to mount says so
                if not screen.syncing and screen.article is not None:
                    break
                await pilot.pause(0.1)
            else:
                raise SystemExit("the reader window never showed an article")
            screen.article_list.focus()
            await pilot.press("/")
            await pilot.pause(0.5)
            while any(w.group == "index" and w.is_running for w in app.workers):
                await pilot.pause(0.2)  # the body index is brought up to date (or built)
            for number in range(passes + 1):
                spent.clear()
                found = await _type(pilot.press, pilot.pause, text)
                if number:  # the first pass warms caches
                    samples.extend(found)
            kept = list(spent)
    finally:
        MainScreen.show_list = original  # type: ignore[method-assign]
    return samples, kept


async def bare_keys(titles: list[str], text: str, passes: int) -> list[float]:
    """Per-key latencies of the bare Input + OptionList filter."""
    app = BareFilter(titles)
    samples: list[float] = []
    async with app.run_test(size=(140, 45)) as pilot:
        app.query_one(Input).focus()
        await pilot.pause()
        for number in range(passes + 1):
            found = await _type(pilot.press, pilot.pause, text)
            if number:
                samples.extend(found)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, required=True, help="the imported store")
    parser.add_argument("docs", type=Path, help="the library folder")
    parser.add_argument("--text", default="harbor strike", help="what is typed")
    parser.add_argument("--passes", type=int, default=3, help="typing passes measured")
    parser.add_argument("--keys", action="store_true", help="also each key's CPU per pass")
    args = parser.parse_args()
    titles = [s.title for s in Library.open(args.docs, db=args.db).articles()]
    reader, in_list = asyncio.run(reader_keys(args.db, args.docs, args.text, args.passes))
    bare = asyncio.run(bare_keys(titles, args.text, args.passes))
    print(f"{len(titles)} articles, typing {args.text!r} and erasing it, {args.passes} passes")
    print("| measure | median | p95 | worst | keys over 50 ms |")
    print("|---|---|---|---|---|")
    for name, samples in (
        ("reader: CPU per key", reader),
        ("reader: show_list", in_list),
        ("bare Input + OptionList: CPU per key", bare),
    ):
        median = statistics.median(samples) * 1000
        p95, worst = percentile(samples, 0.95) * 1000, max(samples) * 1000
        over = sum(1 for sample in samples if sample > 0.050)
        print(
            f"| {name} | {median:.0f} ms | {p95:.0f} ms | {worst:.0f} ms "
            f"| {over} of {len(samples)} |"
        )
    if args.keys:  # the line typed after each key, and what the key cost in each pass
        lines = [args.text[: n + 1] for n in range(len(args.text))]
        lines += [args.text[:n] for n in range(len(args.text) - 1, -1, -1)]
        for name, samples in (("reader", reader), ("bare", bare)):
            print(name)
            for n, line in enumerate(lines):
                costs = " ".join(f"{s * 1000:4.0f}" for s in samples[n :: len(lines)])
                print(f"  {line!r:18} {costs} ms")


if __name__ == "__main__":
    main()
