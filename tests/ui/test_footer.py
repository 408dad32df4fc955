"""The footer: what a newcomer needs stays when it is narrow; a dialog shows its own keys."""

from __future__ import annotations

from typing import Any

import pytest

from reader.service.library import Library
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.widgets.key_footer import KeyFooter
from tests.ui.conftest import running, visible_text


@pytest.mark.parametrize("size", [(140, 45), (80, 24), (60, 20)])
async def test_help_and_quit_stay_in_a_narrow_footer(library: Library, size: Any) -> None:
    async with running(library, size=size) as (app, _pilot):
        footer = app.screen.query_one(KeyFooter)
        shown = visible_text(footer)
        assert "? Help" in shown
        assert "q Quit" in shown
        if size[0] >= 140:
            assert "h Highlight" in shown


async def test_the_reading_keys_that_matter_most_go_last(library: Library) -> None:
    async with running(library, size=(80, 24)) as (app, _pilot):
        shown = visible_text(app.screen.query_one(KeyFooter))
        assert "h Highlight" in shown


async def test_a_dialog_shows_its_own_keys_in_the_footer(library: Library) -> None:
    async with running(library, size=(80, 24)) as (app, pilot):
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        footer = app.screen.query_one(KeyFooter)
        assert footer.region.y == 23  # the bottom row, over the main screen's footer
        shown = visible_text(footer)
        assert "Save" in shown and "Cancel" in shown
        assert "Highlight" not in shown


async def test_the_palette_offers_one_quit(library: Library) -> None:
    from reader.ui.commands import RegistryCommands

    async with running(library, size=(80, 24)) as (app, _pilot):
        system = [command.title for command in app.get_system_commands(app.screen)]
        assert "Quit" not in system
        assert "Theme" in system  # the rest of Textual's commands stay
        provider = RegistryCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert [name for name in names + system if "Quit" in name] == ["Everywhere: Quit"]


async def test_a_dialogs_palette_offers_only_what_runs_there(library: Library) -> None:
    from reader.ui.commands import RegistryCommands
    from reader.ui.screens.review import ReviewScreen

    async with running(library) as (app, pilot):
        on_main = [name for name, _, _ in RegistryCommands(app.screen)._commands()]
        assert "Everywhere: Trash" in on_main and "Everywhere: Daily review" in on_main
        await pilot.press("V")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        names = [name for name, _, _ in RegistryCommands(app.screen)._commands()]
        # the main screen's views cannot open over the review: not offered there
        assert "Everywhere: Trash" not in names and "Everywhere: Daily review" not in names
        assert "Everywhere: Help" in names and "Everywhere: Quit" in names
        assert "Daily review: Skip" in names  # the review's own actions are
