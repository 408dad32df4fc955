"""The screen's handling of the reading pane's and the sidebar's requests, checked in the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader.service.library import Library
from reader.ui.screens.main import MainScreen
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.screens.search_bar import SearchBar
from reader.ui.screens.tag_editor import TagEditor
from reader.ui.screens.trash import TrashScreen
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.sidebar import Sidebar
from tests.ui.conftest import DOC_TREATY, running, visible_text


def main(app: Any) -> MainScreen:
    return app.main_screen


def sentence(screen: MainScreen) -> str:
    """The text of the sentence under the reading cursor."""
    assert screen.article is not None
    cursor = screen.pane.cursor
    return screen.article.text[cursor.start : cursor.end]


def open_id(screen: MainScreen) -> str:
    assert screen.article is not None
    return screen.article.id


async def test_h_highlights_the_cursor_sentence(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("j")
        quote = sentence(screen)
        await pilot.press("h")
        await pilot.pause()
        saved = library.annotations(open_id(screen))
        assert [a.quote for a in saved] == [quote.strip()]
        assert saved[0].color == "yellow"
        assert screen.sidebar.annotation_ids == [saved[0].id]
        assert screen.sidebar.selected_annotation_id == saved[0].id
        assert screen.sub_title == "4 articles · 1 highlight"
        row = screen.article_list.get_option(open_id(screen)).prompt
        assert "1 highlight" in row.plain
        assert screen.pane.annotation_at_cursor() is not None


async def test_pen_and_recolour_keys(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("p", "2", "j")  # pen: green
        assert screen.pen == "green"
        assert str(screen.pane.border_subtitle).startswith("pen 2 green")
        await pilot.press("h")
        await pilot.pause()
        (made,) = library.annotations(open_id(screen))
        assert made.color == "green"
        await pilot.press("p", "4")  # on a highlight, p only sets the pen
        await pilot.pause()
        assert library.annotations(open_id(screen))[0].color == "green"
        await pilot.press("p", "2", "r", "4")  # r recolours the highlight under the cursor
        await pilot.pause()
        assert library.annotations(open_id(screen))[0].color == "pink"
        assert screen.pen == "green"
        assert "disagree" in visible_text(screen.sidebar)


async def test_count_highlights_n_sentences_in_the_pen_colour(
    library: Library,
) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        first = screen.pane.cursor
        await pilot.press("3", "h")
        await pilot.pause()
        (made,) = library.annotations(open_id(screen))
        assert screen.pen == "yellow"  # "3" was a count, not a colour
        assert made.color == "yellow"
        assert made.start == first.start
        assert made.end > first.end
        await pilot.press("j", "j", "j", "1", "2", "h")  # 12 sentences; no pen change
        await pilot.pause()
        assert screen.pen == "yellow"
        assert len(library.annotations(open_id(screen))) == 2


async def test_count_over_a_highlight_does_not_recolour_it(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("h")
        await pilot.pause()
        (first,) = library.annotations(open_id(screen))
        await pilot.press("2", "h")  # 2h over the highlight: it grows to 2 sentences, no recolour
        await pilot.pause()
        (grown,) = library.annotations(open_id(screen))
        assert grown.id == first.id and grown.color == "yellow"
        assert grown.start == first.start and grown.end > first.end


async def test_note_key_creates_a_highlight_and_saves_the_note(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"quite", "enter", "q", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.is_running
        (made,) = library.annotations(open_id(screen))
        assert made.note == "quite\nq"
        assert "✎ quite\n  q" in visible_text(screen.sidebar)  # its line break kept
        await pilot.press("n", "x", "escape")  # cancelled: the note stays
        await pilot.pause()
        assert library.annotations(open_id(screen))[0].note == "quite\nq"


async def test_tags_key_and_repeat_carry_colour_and_tags(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("p", "3", "j", "h", "t")
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"Treaty, iran", "enter")
        await pilot.pause()
        (made,) = library.annotations(open_id(screen))
        assert made.tags == ["treaty", "iran"]
        await pilot.press("j", "full_stop")
        await pilot.pause()
        second = [a for a in library.annotations(open_id(screen)) if a.id != made.id]
        assert [(a.color, a.tags) for a in second] == [("blue", ["treaty", "iran"])]
        assert second[0].quote == sentence(screen).strip()


async def test_delete_undo_redo(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("h")
        await pilot.pause()
        (made,) = library.annotations(open_id(screen))
        await pilot.press("x")
        await pilot.pause()
        assert library.annotations(open_id(screen)) == []
        assert [a.id for a in library.trash()] == [made.id]
        assert screen.sidebar.annotation_ids == []
        await pilot.press("u")
        await pilot.pause()
        assert [a.id for a in library.annotations(open_id(screen))] == [made.id]
        assert screen.sidebar.annotation_ids == [made.id]
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert library.annotations(open_id(screen)) == []
        await pilot.press("u", "u")  # undo the delete, then the highlight itself
        await pilot.pause()
        assert library.annotations(open_id(screen)) == []
        assert screen.sub_title.endswith("0 highlights")


async def test_next_highlight_moves_the_cursor_and_the_sidebar_follows(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("h", "j", "j", "j", "h", "g")  # g: not a pane key; harmless
        await pilot.pause()
        first, second = library.annotations(open_id(screen))
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.pane.cursor.start == first.start
        assert screen.sidebar.selected_annotation_id == first.id
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.pane.cursor.start == second.start
        assert screen.sidebar.selected_annotation_id == second.id


async def test_search_prompt_marks_hits(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchBar)
        await pilot.press(*"Lavrov", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert len(screen.pane.hits) >= 2
        assert "Lavrov" in sentence(screen)


async def test_sidebar_keys_jump_edit_and_delete(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("h", "J", "J", "h")
        await pilot.pause()
        first, second = library.annotations(open_id(screen))
        await pilot.press("tab")
        assert isinstance(app.focused, Sidebar)
        await pilot.press("k", "enter")
        await pilot.pause()
        assert isinstance(app.focused, ReadingPane)
        assert screen.pane.cursor.start == first.start
        await pilot.press("tab", "j", "e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"why", "ctrl+s")
        await pilot.pause()
        assert {a.id: a.note for a in library.annotations(open_id(screen))}[second.id] == "why"
        await pilot.press("x")
        await pilot.pause()
        assert [a.id for a in library.annotations(open_id(screen))] == [first.id]


async def test_trash_restores(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("h", "x", "ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, TrashScreen)
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert len(library.annotations(open_id(screen))) == 1
        assert len(screen.sidebar.annotation_ids) == 1


async def test_quit_and_relaunch_restores_article_position_and_highlights(
    library: Library, library_dir: Path
) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("shift+tab", "j", "j", "enter")
        await pilot.pause()
        article_id = open_id(screen)
        await pilot.press("j", "h", "j", "j")
        await pilot.pause()
        position = screen.pane.cursor.start
        quotes = [a.quote for a in library.annotations(article_id)]
        await pilot.press("q")
    again = Library.open(library_dir)
    async with running(again) as (app, _pilot):
        screen = main(app)
        assert open_id(screen) == article_id
        assert screen.pane.cursor.start == position
        assert [a.quote for a in again.annotations(article_id)] == quotes
        assert len(screen.sidebar.annotation_ids) == 1


async def test_orphans_are_listed_and_reattached_with_a(
    library: Library, library_dir: Path
) -> None:
    harbour = next(s.id for s in library.articles() if "Harbour" in s.title)
    article = library.article(harbour)
    assert article is not None
    gone = "Residents had asked for better lighting for years."
    start = article.text.index(gone)
    made = library.highlight(harbour, start, start + len(gone), tags=["lights"])
    library.set_note(made.id, "keep this")
    (library_dir / "harbour.txt").write_text(
        DOC_TREATY.replace(gone, "People wanted it."), encoding="utf-8"
    )
    async with running(library, open_article=harbour) as (app, pilot):
        screen = main(app)
        (orphan,) = library.annotations(harbour)
        assert orphan.status == "orphaned"
        assert "⚠ orphaned" in visible_text(screen.sidebar)
        assert screen.sidebar.selected_annotation_id == orphan.id
        await pilot.press("J", "a")  # next paragraph (the edited one), attach here
        await pilot.pause()
        (moved,) = library.annotations(harbour)
        assert moved.status == "anchored"
        assert moved.note == "keep this" and moved.tags == ["lights"]
        assert moved.quote == sentence(screen).strip()
        assert "⚠ orphaned" not in visible_text(screen.sidebar)


async def test_a_with_one_orphan_needs_no_sidebar_pick_and_warns_without_any(
    library: Library, library_dir: Path
) -> None:
    harbour = next(s.id for s in library.articles() if "Harbour" in s.title)
    article = library.article(harbour)
    assert article is not None
    kept = "The work starts in April."
    gone = "Residents had asked for better lighting for years."
    for text in (kept, gone):
        start = article.text.index(text)
        library.highlight(harbour, start, start + len(text))
    (library_dir / "harbour.txt").write_text(
        DOC_TREATY.replace(gone, "People wanted it."), encoding="utf-8"
    )
    async with running(library, open_article=harbour) as (app, pilot):
        screen = main(app)
        assert screen.sidebar.selected_annotation is not None
        assert screen.sidebar.selected_annotation.status == "anchored"  # not the orphan
        await pilot.press("J", "a")
        await pilot.pause()
        assert sorted(a.status for a in library.annotations(harbour)) == ["anchored", "anchored"]
        await pilot.press("J", "a")  # no orphan left
        await pilot.pause()
        assert any("no orphaned highlight" in str(n.message) for n in app._notifications)


async def test_the_open_article_leaving_the_library_opens_another(
    library: Library, library_dir: Path
) -> None:
    harbour = next(s.id for s in library.articles() if "Harbour" in s.title)
    library.save_reading_state(library.reading_state(harbour))  # the last one read
    (library_dir / "harbour.txt").unlink()
    async with running(library) as (app, _pilot):
        screen = main(app)
        assert harbour not in screen.summaries
        assert screen.article is not None and screen.article.id != harbour
        assert screen.pane.article is not None and screen.pane.article.id == screen.article.id
