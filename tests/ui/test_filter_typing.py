"""Typing and erasing the list filter: every state shows its own matches, erasing goes back
through them, and what changed meanwhile shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.service.library import Library
from tests.ui.conftest import by_title, running, settle, visible_text


def shown(app: Any) -> tuple[list[str], str, str]:
    """What the list shows: its ids, its title and its text."""
    listing = app.main_screen.article_list
    return listing.article_ids, str(listing.border_title), visible_text(listing)


async def test_erasing_the_filter_shows_each_state_typed_then_the_whole_list(
    library: Library,
) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("shift+tab", "slash")
        await settle(app, pilot)
        whole = len(library.articles())
        typed = []
        for key in "the ga":
            await pilot.press("space" if key == " " else key)
            await pilot.pause()
            typed.append(shown(app))
        assert typed[0][0] and len(typed[-1][0]) < len(typed[0][0])  # "t" then narrower
        assert "≈ the, garden" in typed[-1][2]
        for state in reversed(typed[:-1]):
            await pilot.press("backspace")
            await pilot.pause()
            assert shown(app) == state
        await pilot.press("backspace")
        await pilot.pause()
        ids, title, _ = shown(app)
        assert title == f"Articles ({whole})" and len(ids) == whole


async def test_erasing_after_a_document_changed_finds_what_it_says_now(
    library: Library, library_dir: Path
) -> None:
    async with running(library) as (app, pilot):
        screen = app.main_screen
        garden = by_title(library, "Community Garden")
        await pilot.press("shift+tab", "slash", *"greenhouses")
        await settle(app, pilot)
        assert screen.article_list.article_ids == []
        path = library_dir / "garden.txt"
        text = path.read_text(encoding="utf-8") + "A greenhouse opens in June.\n"
        path.write_text(text, encoding="utf-8")
        library.sync()
        screen.poll_changes()
        await settle(app, pilot)
        await pilot.press("backspace")  # "greenhouse": typed before, found nothing then
        await settle(app, pilot)
        assert screen.article_list.article_ids == [garden]


async def test_a_row_changed_while_filtered_out_shows_its_change_when_it_comes_back(
    library: Library,
) -> None:
    async with running(library) as (app, pilot):
        screen = app.main_screen
        harbour = by_title(library, "Harbour Lights")
        await pilot.press("shift+tab", "slash", *"volunteers")
        await settle(app, pilot)
        assert screen.article_list.article_ids == [harbour]
        unread = "●" in visible_text(screen.article_list).splitlines()[0]
        await pilot.press(*"zz")  # nothing matches: the harbour row is not listed
        await pilot.pause()
        summary = screen.summaries[harbour]
        summary.read = unread  # marked read (or unread) meanwhile, by another window
        screen.article_list.update_article(summary)
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert screen.article_list.article_ids == [harbour]
        assert ("●" in visible_text(screen.article_list).splitlines()[0]) is not unread


async def test_the_filter_line_shows_its_hint_when_erased_and_the_end_of_a_long_line(
    library: Library,
) -> None:
    from reader.ui.widgets.article_list import FilterInput

    async with running(library, size=(80, 24)) as (app, pilot):
        line = app.main_screen.query_one(FilterInput)
        await pilot.press("shift+tab", "slash", "h", "backspace")
        await pilot.pause()
        assert visible_text(line).strip().startswith("filter: words")
        long = "harbour lights volunteers pier"  # wider than the line's box
        await pilot.press(*long)
        await pilot.pause()
        shown = visible_text(line).strip()
        assert "pier" in shown and not shown.startswith("harbour")  # scrolled to the cursor
