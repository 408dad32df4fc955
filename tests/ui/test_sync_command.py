"""The palette's "Sync": what another computer wrote shows in the open window."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reader.service.gitsync import sync
from reader.service.library import Library
from reader.ui.screens.main import MainScreen
from tests.ui.conftest import running, settle, visible_text

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="sync needs git")


async def test_sync_from_the_palette_shows_what_arrived(library: Library, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    assert library.docs_root is not None
    other_folder = tmp_path / "desktop" / "docs"
    shutil.copytree(library.docs_root, other_folder, ignore=shutil.ignore_patterns(".reader"))
    desktop = Library.open(other_folder)
    desktop.sync()
    sync(library.store, str(remote))
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        assert screen.article is not None
        article = screen.article
        words = article.text.split(". ")[0][:30]
        start = article.text.index(words)
        desktop.highlight(article.id, start, start + len(words), note="written on the desktop")
        sync(desktop.store, str(remote))

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sync")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.pause(0.3)
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Synced: 1 highlight in") for m in messages), messages
        assert "written on the desktop" in visible_text(screen.sidebar)


async def test_sync_not_set_up_says_how(library: Library) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sync")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("reader sync --remote URL" in m for m in messages), messages
