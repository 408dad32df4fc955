"""Reading pane speed on a 1 MB article, against Textual's OptionList in the same run.

Run from the repo root: ``/work/venv/bin/python benchmarks/reading_pane_bench.py``.

Measures (medians): laying the article out, the time to the first screen in ``run_test``,
a cursor move (``j``) and a page down, each through Pilot so the full key -> repaint path is
timed. "cursor back (warm)" walks back over sentences already split (the pane splits a
paragraph into sentences the first time the cursor enters it; pySBD takes ~10 ms per
paragraph, and the pane prefetches the next paragraph after each repaint). The "(direct)"
rows call the same actions without Pilot and redraw every visible row: the widget's own work.
The baseline is an OptionList holding the same number of lines (one option per display line),
moved with ``down``/``up``/``pagedown``. Figures are printed as a table with ratios
(pane / baseline); lower is better for the pane.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.app import App, ComposeResult  # noqa: E402
from textual.geometry import Region  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widget import Widget  # noqa: E402
from textual.widgets import OptionList  # noqa: E402

from reader.core.models import Article  # noqa: E402
from reader.ui.layout import layout_article  # noqa: E402
from reader.ui.widgets.reading_pane import ReadingPane  # noqa: E402

CORPUS = (ROOT / ".." / "shared" / "corpora" / "scrapinghub-ground-truth.json").resolve()
TARGET_CHARS = 1_000_000
SIZE = (100, 40)
MOVES = 60
PAGES = 20
ROUNDS = 3


def big_article() -> Article:
    """A 1 MB article made of real article paragraphs (repeated as needed)."""
    data: Any = json.loads(CORPUS.read_text(encoding="utf-8"))
    items = data.values() if isinstance(data, dict) else data
    paragraphs: list[str] = []
    for item in items:
        body = item.get("articleBody", "") if isinstance(item, dict) else ""
        paragraphs += [p.strip() for p in body.split("\n") if p.strip()]
    text: list[str] = []
    size = 0
    while size < TARGET_CHARS:
        for paragraph in paragraphs:
            text.append(paragraph)
            size += len(paragraph) + 2
            if size >= TARGET_CHARS:
                break
    return Article(id="bench", title="A very long article", paragraphs=text, source="Bench")


class PaneApp(App[None]):
    """The reading pane alone, showing the article."""

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article

    def compose(self) -> ComposeResult:
        yield ReadingPane()

    def on_mount(self) -> None:
        pane = self.query_one(ReadingPane)
        pane.show_article(self.article, [])
        pane.focus()


class ListApp(App[None]):
    """The baseline: an OptionList with one option per display line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        yield OptionList(*self.lines)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()


async def time_app(
    app: App[None], steps: list[tuple[str, str, int]], widget_type: type[Widget]
) -> dict[str, float]:
    """Seconds to the first screen, the median seconds per press of each step key, and the
    median cost of the same actions called directly plus redrawing every visible row (the
    widget's own work, without Pilot's waiting)."""
    results: dict[str, float] = {}
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        results["first screen"] = time.perf_counter() - started
        for name, key, repeat in steps:
            results[name] = await median_press(pilot, key, repeat)
        widget = app.query_one(widget_type)
        for name, key, repeat in steps:
            action = _action_for(widget, key)
            results[f"{name} (direct)"] = median_call(partial(redraw_after, widget, action), repeat)
            await pilot.pause()
    return results


def _action_for(widget: Widget, key: str) -> Callable[[], object]:
    """The widget's action method bound to ``key``."""
    for binding in widget._bindings.get_bindings_for_key(key):
        return getattr(widget, f"action_{binding.action}")  # type: ignore[no-any-return]
    raise KeyError(key)


def redraw_after(widget: Widget, action: Callable[[], object]) -> None:
    """Run an action, then draw every visible row as the compositor would."""
    action()
    widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


async def median_press(pilot: Pilot[None], key: str, repeat: int) -> float:
    """The median time of ``repeat`` presses of ``key`` (each waits for the repaint)."""
    times: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        await pilot.press(key)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median_call(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


PANE_STEPS = [
    ("cursor move", "j", MOVES),
    ("cursor back (warm)", "k", MOVES),
    ("page down", "pagedown", PAGES),
]
LIST_STEPS = [
    ("cursor move", "down", MOVES),
    ("cursor back (warm)", "up", MOVES),
    ("page down", "pagedown", PAGES),
]


async def run() -> list[tuple[str, float, float | None]]:
    """Alternate pane and baseline over ``ROUNDS`` rounds (the machine may be busy with other
    work; alternating spreads that over both) and keep the median of each figure."""
    article = big_article()
    lines = [line.prefix + line.text for line in layout_article(article, SIZE[0]).lines]
    samples: dict[str, list[tuple[float, float]]] = {}
    for _ in range(ROUNDS):
        ours = median_call(partial(layout_article, article, SIZE[0]), 3)
        # the baseline's "layout": building the OptionList's options for the same lines
        theirs = median_call(partial(OptionList, *lines), 1)
        samples.setdefault("layout / build options", []).append((ours, theirs))
        pane = await time_app(PaneApp(article), PANE_STEPS, ReadingPane)
        baseline = await time_app(ListApp(lines), LIST_STEPS, OptionList)
        for name in pane:
            samples.setdefault(name, []).append((pane[name], baseline[name]))
    print(
        f"article: {len(article.text):,} characters, {len(lines):,} display lines, "
        f"median of {ROUNDS} alternating rounds"
    )
    return [
        (
            name,
            statistics.median(p for p, _ in pairs),
            statistics.median(b for _, b in pairs),
        )
        for name, pairs in samples.items()
    ]


def print_table(rows: list[tuple[str, float, float | None]]) -> None:
    print(f"{'measure':<30}{'reading pane':>14}{'OptionList':>14}{'ratio':>9}")
    for name, ours, theirs in rows:
        ratio = f"{ours / theirs:.2f}" if theirs else "-"
        base = f"{theirs * 1000:.2f} ms" if theirs is not None else "-"
        print(f"{name:<30}{ours * 1000:>11.2f} ms{base:>14}{ratio:>9}")


def main() -> None:
    """Run the benchmark and print the table."""
    print_table(asyncio.run(run()))


if __name__ == "__main__":
    main()
