"""Start-up order: the list and the article paint together, the import runs after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.service.library import Library
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.reading_pane import ReadingPane
from tests.ui.conftest import running, visible_text


async def test_the_last_article_opens_and_the_import_reports_nothing_new(library: Any) -> None:
    async with running(library) as (app, _pilot):
        screen = app.main_screen
        assert screen.article is not None
        assert screen.article.id == screen.article_list.highlighted_article_id
        assert not screen.syncing
        assert screen.pane.has_focus


async def test_an_empty_library_shows_the_hint_not_a_blank_pane(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    async with running(Library.open(empty)) as (app, _pilot):
        assert app.main_screen.article is None
        assert "No article open" in visible_text(app.screen.query_one(ReadingPane))


async def test_a_document_added_before_launch_is_imported_and_listed(
    library: Any, library_dir: Path
) -> None:
    (library_dir / "late.txt").write_text(
        "A Late Arrival\nJanuary 2, 2025\n\nIt came after the first import. It is listed.\n",
        encoding="utf-8",
    )
    async with running(library) as (app, _pilot):
        screen: MainScreen = app.main_screen
        titles = [summary.title for summary in screen.summaries.values()]
        assert "A Late Arrival" in titles
        assert len(screen.article_list.article_ids) == len(titles)


async def test_a_library_longer_than_the_first_rows_is_listed_whole_once_started(
    library: Any, monkeypatch: Any
) -> None:
    from reader.ui.screens import main as main_screen

    ids = [summary.id for summary in library.articles()]
    assert len(ids) > 2
    monkeypatch.setattr(main_screen, "FIRST_ROWS", 2)
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await pilot.press("shift+tab")  # the list: its cursor moves over every row
        await pilot.press("end")
        assert sorted(screen.article_list.article_ids) == sorted(ids)
        assert screen.article_list.highlighted_article_id == screen.article_list.article_ids[-1]


async def test_the_last_article_read_beyond_the_first_rows_opens_highlighted(
    library: Any, monkeypatch: Any
) -> None:
    from reader.ui.screens import main as main_screen

    last = library.articles()[-1].id
    state = library.reading_state(last)
    state.opened = "2030-01-01T00:00:00+00:00"
    library.save_reading_state(state)
    assert library.last_article_id() == last
    monkeypatch.setattr(main_screen, "FIRST_ROWS", 1)
    async with running(library) as (app, _pilot):
        screen: MainScreen = app.main_screen
        assert screen.article is not None and screen.article.id == last
        assert screen.article_list.highlighted_article_id == last
        assert len(screen.article_list.article_ids) == len(library.articles())


async def test_reader_file_opens_that_file_not_the_last_article_read(
    library: Any, library_dir: Path
) -> None:
    garden = next(s for s in library.articles() if s.path == "garden.txt")
    last = next(s.id for s in library.articles() if s.path != "garden.txt")
    state = library.reading_state(last)
    state.opened = "2030-01-01T00:00:00+00:00"
    library.save_reading_state(state)
    assert library.last_article_id() == last
    one_file = Library.open(library_dir / "garden.txt", kind="tui")
    async with running(one_file) as (app, _pilot):
        screen: MainScreen = app.main_screen
        assert screen.article is not None and screen.article.id == garden.id
