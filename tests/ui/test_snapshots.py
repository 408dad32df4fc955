"""SVG snapshots of the app (pytest-textual-snapshot): look at them before updating them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reader.service.library import Library
from reader.ui.app import make_app
from tests.ui.conftest import ROOT, settle

CORPUS = (ROOT / ".." / "shared" / "corpora" / "scrapinghub-ground-truth.json").resolve()
#: a long English article of the corpus (Quanta Magazine, tuft cells)
LONG_KEY = "bdb56ac83513635db1d8b9eb46b2da4c0de8da2f1f28f5bf5163df3eb3d3ec06"
LONG_TITLE = "Tuft Cells That Taste Danger Set Off Immune Responses"


@pytest.fixture
def snap_library(library_dir: Path) -> Library:
    """The usual library plus one long article from the shared corpus."""
    body = json.loads(CORPUS.read_text(encoding="utf-8"))[LONG_KEY]["articleBody"]
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    document = "\n".join(
        [LONG_TITLE, "November 15, 2019", "Reprinted from Quanta Magazine", *paragraphs]
    )
    (library_dir / "tuft-cells.txt").write_text(document + "\n", encoding="utf-8")
    library = Library.open(library_dir)
    library.sync()
    return library


def snap(
    snap_compare: Any,
    library: Library,
    *,
    press: tuple[str, ...] = (),
    size: tuple[int, int] = (140, 45),
    open_article: str | None = None,
) -> bool:
    app = make_app(library, open_article=open_article)

    async def ready(pilot: Any) -> None:
        await settle(app, pilot)
        await pilot.press(*press)
        await pilot.pause()
        for widget in app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # a blinking cursor makes the picture flaky

    return bool(snap_compare(app, terminal_size=size, run_before=ready))


def test_main_screen_with_a_highlight(snap_compare: Any, snap_library: Library) -> None:
    assert snap(snap_compare, snap_library, press=("j", "h", "j", "j"))


def test_note_editor(snap_compare: Any, snap_library: Library) -> None:
    assert snap(snap_compare, snap_library, press=("j", "h", "n", "w", "h", "y", "?"))


def test_help_screen(snap_compare: Any, snap_library: Library) -> None:
    assert snap(snap_compare, snap_library, press=("question_mark",))


def test_narrow_terminal(snap_compare: Any, snap_library: Library) -> None:
    assert snap(snap_compare, snap_library, press=("h",), size=(80, 24))


def test_long_article(snap_compare: Any, snap_library: Library) -> None:
    assert snap(
        snap_compare, snap_library, press=("space", "space", "J", "h"), open_article=LONG_TITLE
    )


def test_annotations_view(snap_compare: Any, snap_library: Library) -> None:
    # one highlight: several would be ordered by a timestamp with one-second resolution
    keys = ("J", "h", "n", "w", "h", "y", "ctrl+s", "t", "i", "r", "a", "n", "enter", "A")
    assert snap(snap_compare, snap_library, press=keys)
