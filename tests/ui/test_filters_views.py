"""Saved views of the annotations view (ctrl+s, "View: name" in the palette) and colour labels."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from reader.service.library import Library
from reader.ui.screens.annotations import AnnotationsScreen
from reader.ui.screens.input_prompt import InputPrompt
from reader.ui.screens.labels import ColorLabelsScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.reading_pane import ReadingPane
from tests.ui.conftest import by_title, highlight_sentence, running, settle, visible_text


async def palette(app: Any, pilot: Any, text: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*text)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_save_a_query_and_open_it_from_the_palette(library: Library) -> None:
    garden, harbour = by_title(library, "Garden"), by_title(library, "Harbour")
    shed = highlight_sentence(
        library, garden, "A new shed was built by students from the high school.", color="green"
    )
    highlight_sentence(library, harbour, "The work starts in April.")
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await pilot.press("A")
        await pilot.pause()
        await pilot.press(*"color:green")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InputPrompt)
        await pilot.press(*"Key ideas", "enter")
        await settle(app, pilot)
        view = app.screen
        assert isinstance(view, AnnotationsScreen)
        assert library.settings.saved_views() == {"Key ideas": "color:green"}
        assert view.view_name == "Key ideas"
        await pilot.press("escape")
        await pilot.pause()
        await palette(app, pilot, "view: key")
        view = app.screen
        assert isinstance(view, AnnotationsScreen)
        assert view.query_one("#query", Input).value == "color:green"
        assert view.result_ids == [shed]
        await pilot.press("enter", "enter")  # to the results, then open at the passage
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.article is not None and screen.article.id == garden
        assert screen.pane.cursor.start == library.annotations(garden)[0].start
        assert isinstance(app.focused, ReadingPane)


async def test_saving_needs_a_query_and_views_can_be_deleted(library: Library) -> None:
    library.settings.save_view("[b]odd[/b] name", "tag:x")  # a name is data, never markup
    async with running(library) as (app, pilot):
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("ctrl+s")  # an empty query is every highlight: nothing to save
        await pilot.pause()
        assert isinstance(app.screen, AnnotationsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await palette(app, pilot, "delete view")
        assert library.settings.saved_views() == {}
        assert isinstance(app.screen, MainScreen)


async def test_colour_labels_dialog_from_the_palette(library: Library) -> None:
    garden = by_title(library, "Garden")
    highlight_sentence(library, garden, "Demand has grown every year.", color="green")
    async with running(library, open_article="Garden") as (app, pilot):
        screen: MainScreen = app.main_screen
        await palette(app, pilot, "colour labels")
        dialog = app.screen
        assert isinstance(dialog, ColorLabelsScreen)
        assert dialog.query_one("#label-green", Input).value == "key idea"
        dialog.query_one("#label-green", Input).value = "evidence"
        dialog.query_one("#label-blue", Input).value = ""  # back to the default
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert library.settings.color_labels()["green"] == "evidence"
        assert library.settings.color_labels()["blue"] == "question"
        assert screen.labels["green"] == "evidence"
        assert "evidence" in visible_text(screen.sidebar)  # the sidebar shows it at once
        # and the query language knows the label
        await pilot.press("A")
        await pilot.pause()
        await pilot.press(*'color:"evidence"')
        await pilot.pause()
        assert len(app.screen.result_ids) == 1


async def test_colour_labels_escape_changes_nothing(library: Library) -> None:
    async with running(library) as (app, pilot):
        await palette(app, pilot, "colour labels")
        assert isinstance(app.screen, ColorLabelsScreen)
        await pilot.press(*"xyz", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert library.store.get_meta("color_labels") is None
