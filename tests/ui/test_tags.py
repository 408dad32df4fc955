"""The tag view (#): counts, filter by a tag, rename and merge everywhere."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from reader.service.library import Library
from reader.ui.screens.main import MainScreen
from reader.ui.screens.tags import TagNamePrompt, TagsScreen, counts_text
from reader.ui.widgets.article_list import FilterInput
from tests.ui.conftest import running, settle, visible_text


def by_title(library: Library, fragment: str) -> str:
    return next(s.id for s in library.articles() if fragment in s.title)


def tagged(library: Library) -> tuple[str, str, str]:
    """Garden tagged #town with a #school highlight; Harbour tagged #town and #pier."""
    garden, harbour = by_title(library, "Garden"), by_title(library, "Harbour")
    library.set_article_tags(garden, ["town"])
    library.set_article_tags(harbour, ["town", "pier"])
    made = library.highlight(garden, 0, 30, tags=["school", "town"])
    return garden, harbour, made.id


async def open_tags(app: Any, pilot: Any) -> TagsScreen:
    await pilot.press("#")
    await pilot.pause()
    assert isinstance(app.screen, TagsScreen)
    return app.screen


async def ask_about(app: Any, pilot: Any, tag: str, key: str) -> TagNamePrompt:
    """In the open tag view: move to ``tag`` and press ``key`` (r renames, m merges)."""
    view = app.screen
    assert isinstance(view, TagsScreen)
    for _ in view.tags:
        if view.highlighted_tag == tag:
            break
        await pilot.press("j")
    assert view.highlighted_tag == tag
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, TagNamePrompt)
    return app.screen


def test_counts_text() -> None:
    assert counts_text(2, 1) == "2 articles · 1 highlight"
    assert counts_text(0, 3) == "3 highlights"
    assert counts_text(1, 0) == "1 article"


async def test_tag_view_lists_counts_and_enter_filters_the_list(library: Library) -> None:
    garden, _harbour, _made = tagged(library)
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        view = await open_tags(app, pilot)
        assert view.tags == ["pier", "school", "town"]
        text = visible_text(view.query_one("#tags-list"))
        assert "#town  2 articles · 1 highlight" in text
        assert "#school  1 highlight" in text
        await pilot.press("j", "enter")  # school
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.article_list.article_ids == [garden]
        assert screen.query_one(FilterInput).value == "tag:school"


async def test_rename_a_tag_everywhere(library: Library) -> None:
    garden, harbour, made = tagged(library)
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        view = await open_tags(app, pilot)
        prompt = await ask_about(app, pilot, "town", "r")
        assert prompt.query_one(Input).value == "town"  # prefilled, to edit
        prompt.query_one(Input).value = "Village"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is view
        assert view.tags == ["pier", "school", "village"]
        assert view.highlighted_tag == "village"
        assert library.tag_counts()["village"] == (2, 1)
        assert library.store.get_annotation(made).tags == ["school", "village"]  # type: ignore[union-attr]
        # the main screen shows the new tag on the article rows already
        assert screen.summaries[harbour].tags == ["village", "pier"]
        assert screen.summaries[garden].tags == ["village"]


async def test_u_undoes_a_merge_of_tags_and_the_prompt_says_it_can(library: Library) -> None:
    garden, harbour, made = tagged(library)
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await open_tags(app, pilot)
        prompt = await ask_about(app, pilot, "town", "m")  # merged into pier
        assert "back in the panes, u undoes it" in str(prompt.query_one("#dialog").border_subtitle)
        await pilot.press(*"pier", "enter")
        await settle(app, pilot)
        assert library.find_article("Harbour").tags == ["pier"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        screen.pane.focus()
        await pilot.press("u")
        await settle(app, pilot)
        assert library.find_article("Harbour").tags == ["town", "pier"]
        assert library.store.get_annotation(made).tags == ["school", "town"]  # type: ignore[union-attr]
        assert screen.summaries[harbour].tags == ["town", "pier"]  # the rows show it too
        assert screen.summaries[garden].tags == ["town"]
        assert any("Undid merging #town into #pier" in str(n.message) for n in app._notifications)


async def test_merge_a_tag_into_another(library: Library) -> None:
    tagged(library)
    async with running(library) as (app, pilot):
        view = await open_tags(app, pilot)
        assert view.highlighted_tag == "pier"
        await pilot.press("m")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TagNamePrompt)
        assert prompt.query_one(Input).value == ""
        await pilot.press(*"tow", "right", "enter")  # → takes the suggested tag
        await settle(app, pilot)
        assert view.tags == ["school", "town"]
        assert library.tag_counts()["town"] == (2, 1)
        assert library.find_article("Harbour").tags == ["town"]  # no duplicate
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_tag_view_from_the_palette_and_escape_in_the_prompt(library: Library) -> None:
    tagged(library)
    async with running(library) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"everywhere: tags")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.screen
        assert isinstance(view, TagsScreen)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("escape")  # cancelled: nothing renamed
        await pilot.pause()
        assert app.screen is view
        assert library.tag_counts()["pier"] == (1, 0)
