"""The palette's "Add URL…": the page is fetched off the UI thread, listed and opened."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from reader.service.library import Library
from reader.ui.screens.input_prompt import InputPrompt
from reader.ui.screens.main import MainScreen
from tests.ui.conftest import running, settle
from tests.web.server import serving


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as base:
        yield base


async def add_from_palette(app: Any, pilot: Any, url: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"add url")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, InputPrompt)
    await pilot.press(*url, "enter")
    await settle(app, pilot)
    await settle(app, pilot)


async def test_add_url_lists_and_opens_the_page(library: Library, server: str) -> None:
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await add_from_palette(app, pilot, f"{server}/story")
        assert screen.article is not None
        assert screen.article.title.startswith("New York State Attorney General")
        assert screen.article.id in screen.summaries
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Added: New York State Attorney General") for m in messages)
        # said once: not also as the import's "Import: 1 article added"
        assert not any(m.startswith("Import:") for m in messages), messages


async def test_a_failed_fetch_is_a_notification_and_changes_nothing(
    library: Library, server: str
) -> None:
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        before = set(screen.summaries)
        await add_from_palette(app, pilot, f"{server}/missing")
        assert set(screen.summaries) == before
        messages = [str(n.message) for n in app._notifications]
        assert f"{server}/missing: HTTP 404 Not Found" in messages
