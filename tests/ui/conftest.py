"""Fixtures for the app's Pilot tests: a real Library in a tmp folder (the seed plus two small
hand-written documents), and helpers to read what a widget shows."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / ".." / "shared" / "seeds" / "000_8086b627738b3232.txt").resolve()
SIZE = (140, 45)

#: small documents in the seed's shape: title, date, source line, paragraphs
DOC_TREATY = """\
Town Council Approves New Harbour Lights
March 3, 2024
Reprinted from The Coastal Gazette
The town council voted on Monday to install new lights along the old pier. The work starts in April.
Residents had asked for better lighting for years. Several said the pier was too dark after sunset.
The mayor said the lights would be powered by the sun. She thanked the volunteers who raised funds.
"""

DOC_GARDEN = """\
Community Garden Doubles Its Plots
May 12, 2024
Reprinted from The Valley Courier
The community garden on Elm Street will double its plots this summer. Demand has grown every year.
Gardeners share tools and water. A new shed was built by students from the high school.
"""


def visible_text(widget: Widget) -> str:
    """The plain text a widget currently draws, line by line (what a user sees)."""
    lines = []
    for y in range(widget.size.height):
        lines.append(widget.render_line(y).text.rstrip())
    return "\n".join(lines)


class Harness(App[None]):
    """Mounts one widget and records every message that bubbles up to the app."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_mount(self) -> None:
        self.widget.focus()

    def _on_message(self, message: Message) -> Any:
        self.messages.append(message)
        return super()._on_message(message)

    def received(self, kind: type[Message]) -> list[Any]:
        """The messages of one type received so far."""
        return [m for m in self.messages if isinstance(m, kind)]


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    """A library folder: the real seed and two small documents."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED, docs / SEED.name)
    (docs / "harbour.txt").write_text(DOC_TREATY, encoding="utf-8")
    (docs / "garden.txt").write_text(DOC_GARDEN, encoding="utf-8")
    return docs


@pytest.fixture
def library(library_dir: Path) -> Iterator[Any]:
    """The Library over ``library_dir``, synced."""
    from reader.service.library import Library

    lib = Library.open(library_dir)
    lib.sync()
    yield lib


async def settle(app: App[Any], pilot: Any) -> None:
    """Let background work (import, index) finish and its messages be handled."""
    for _ in range(6):
        await pilot.pause()
        # the folder's watch runs as long as the window: it is never "finished"
        busy = [w for w in app.workers if w.is_running and w.group != "watch"]
        if not busy:
            break
        await app.workers.wait_for_complete(busy)
    await pilot.pause()


@asynccontextmanager
async def running(library: Any, size: tuple[int, int] = SIZE, **options: Any) -> Any:
    """The app on ``library``, started and settled; yields ``(app, pilot)``."""
    from reader.ui.app import make_app

    app = make_app(library, **options)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot


def by_title(library: Any, fragment: str) -> str:
    """The id of the article whose title holds ``fragment``."""
    return next(s.id for s in library.articles() if fragment in s.title)


def highlight_sentence(library: Any, article_id: str, sentence: str, **extra: Any) -> str:
    """Highlight ``sentence`` of an article through the library; the new id."""
    article = library.article(article_id)
    assert article is not None
    start = article.text.index(sentence)
    return str(library.highlight(article_id, start, start + len(sentence), **extra).id)
