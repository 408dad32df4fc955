"""The note on a whole article: ``N`` in the list and the reading pane, shown atop the sidebar;
and the annotations view's hint, which wraps instead of being cut at the border."""

from __future__ import annotations

from textual.widgets import Static

from reader.service.library import Library
from reader.ui.screens.annotations import AnnotationsScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.widgets.article_list import ArticleList
from tests.ui.conftest import running, visible_text


def _note(library: Library, article_id: str) -> str:
    return next(s.note for s in library.articles() if s.id == article_id)


async def test_n_in_the_list_writes_the_article_note_and_the_sidebar_shows_it(
    library: Library,
) -> None:
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        screen.article_list.focus()
        await pilot.pause()
        article_id = screen.article_list.highlighted_article_id
        assert article_id is not None
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Read it again", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert _note(library, article_id) == "Read it again"
        assert "✎ The Algemeiner" in visible_text(screen.article_list)  # the row shows it
        await pilot.press("enter")
        await pilot.pause()
        shown = visible_text(screen.sidebar)
        assert "Note on the article" in shown and "Read it again" in shown
        assert shown.index("Read it again") < len(shown) // 2  # at the top
        assert screen.sidebar.selected_annotation_id is None  # the note is not a highlight


async def test_n_in_the_reading_pane_edits_the_open_article_note(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        assert screen.article is not None
        article_id = screen.article.id
        screen.pane.focus()
        await pilot.pause()
        await pilot.press("N")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Ask Ruth", "ctrl+s")
        await pilot.pause()
        assert _note(library, article_id) == "Ask Ruth"
        assert screen.sidebar.article_note == "Ask Ruth"
        assert "Ask Ruth" in visible_text(screen.sidebar)


async def test_the_list_filter_finds_articles_with_a_note(library: Library) -> None:
    summaries = library.articles()
    library.store.set_article_note(summaries[-1].id, "mine")
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        screen.article_list.focus()
        await pilot.press("slash", *"has:note")
        await pilot.pause()
        assert app.main_screen.query_one(ArticleList).article_ids == [summaries[-1].id]


async def test_the_not_understood_hint_is_not_cut_at_the_border(library: Library) -> None:
    async with running(library, size=(80, 24)) as (app, pilot):
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AnnotationsScreen)
        await pilot.press(*"colr:x")
        await pilot.pause()
        hint = " ".join(visible_text(app.screen.query_one("#hint", Static)).split())
        assert "not understood" in hint and "created:)" in hint


async def test_u_takes_back_the_article_note_and_the_row_and_sidebar_show_it(
    library: Library,
) -> None:
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        assert screen.article is not None
        article_id = screen.article.id
        screen.pane.focus()
        await pilot.pause()
        await pilot.press("N", *"Ask Ruth", "ctrl+s")
        await pilot.pause()
        assert screen.sidebar.article_note == "Ask Ruth"
        await pilot.press("u")
        await pilot.pause()
        assert _note(library, article_id) == ""
        assert screen.sidebar.article_note == ""
        assert "✎" not in visible_text(screen.article_list)
        messages = [str(n.message) for n in app._notifications]
        assert "Undid the article note change" in messages
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert _note(library, article_id) == "Ask Ruth"
        assert screen.sidebar.article_note == "Ask Ruth"
