"""An SVG snapshot of the daily review screen (look at it before updating it)."""

from __future__ import annotations

from typing import Any

from reader.service.library import Library
from reader.ui.app import make_app
from tests.ui.conftest import settle
from tests.ui.test_review import _highlights


def test_review_screen(snap_compare: Any, library: Library) -> None:
    ids = _highlights(library)
    library.set_note(ids[0], "Ask the council when the April work ends.")
    library.set_tags(ids[0], ["harbour", "lights"])
    app = make_app(library)

    async def ready(pilot: Any) -> None:
        await settle(app, pilot)
        await pilot.press("V")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
