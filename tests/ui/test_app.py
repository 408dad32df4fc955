"""The app as a user drives it: start, list keys, filter, global keys, quitting and coming back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from reader.service.library import Library, LibraryError
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.tag_editor import TagEditor
from reader.ui.widgets.article_list import ArticleList, FilterInput
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.sidebar import Sidebar
from tests.ui.conftest import DOC_GARDEN, running, settle, visible_text


def main(app: Any) -> MainScreen:
    return app.main_screen


def titles(library: Library) -> dict[str, str]:
    return {s.title: s.id for s in library.articles()}


async def test_start_opens_the_first_article_and_shows_counts(library: Library) -> None:
    async with running(library) as (app, _pilot):
        screen = main(app)
        first = screen.article_list.article_ids[0]
        assert screen.article is not None and screen.article.id == first
        assert isinstance(app.focused, ReadingPane)
        assert screen.sub_title == "4 articles · 0 highlights"
        assert screen.title == library.name
        # related article listed right under the seed's first article
        related = [s.id for s in library.articles() if s.related_to == first]
        assert screen.article_list.article_ids[1:2] == related
        assert library.last_article_id() == first
        assert not screen.summaries[first].read  # opened, not read: nobody looked at it yet
        assert "No highlights yet" in visible_text(screen.sidebar)


async def test_list_keys_open_articles_and_enter_focuses_the_pane(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("shift+tab")  # pane -> list
        assert isinstance(app.focused, ArticleList)
        await pilot.press("G")
        last = screen.article_list.article_ids[-1]
        assert screen.article_list.highlighted_article_id == last
        await pilot.press("g", "j", "j", "k", "down")
        wanted = screen.article_list.article_ids[2]
        assert screen.article_list.highlighted_article_id == wanted
        await pilot.press("enter")
        await pilot.pause()
        assert screen.article is not None and screen.article.id == wanted
        assert screen.pane.article is not None and screen.pane.article.id == wanted
        assert isinstance(app.focused, ReadingPane)
        assert library.last_article_id() == wanted


async def test_tab_cycles_the_panes(library: Library) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("tab")
        assert isinstance(app.focused, Sidebar)
        await pilot.press("tab")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("tab")
        assert isinstance(app.focused, ReadingPane)
        await pilot.press("shift+tab", "shift+tab")
        assert isinstance(app.focused, Sidebar)


async def test_filter_as_you_type_and_escape_clears(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("shift+tab", "slash")
        assert isinstance(app.focused, FilterInput)
        await pilot.press(*"garden")
        await pilot.pause()
        assert screen.article_list.article_ids == [
            titles(library)["Community Garden Doubles Its Plots"]
        ]
        await pilot.press("q")  # typing, not quitting
        assert app.is_running
        assert screen.query_one(FilterInput).value == "gardenq"
        assert screen.article_list.article_ids == []
        await pilot.press("escape")
        await pilot.pause()
        assert len(screen.article_list.article_ids) == 4
        assert isinstance(app.focused, ArticleList)
        assert not screen.query_one(FilterInput).display


async def test_filter_finds_body_text_and_query_terms(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        harbour = titles(library)["Town Council Approves New Harbour Lights"]
        await pilot.press("shift+tab", "slash", *"volunteers")  # only in the harbour body
        await pilot.pause()
        assert screen.article_list.article_ids == [harbour]
        await pilot.press("enter")  # back to the list, filter kept
        assert isinstance(app.focused, ArticleList)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.article is not None and screen.article.id == harbour
        await pilot.press("shift+tab", "escape", "slash", *"source:courier")
        await pilot.pause()
        assert screen.article_list.article_ids == [
            titles(library)["Community Garden Doubles Its Plots"]
        ]


async def test_t_in_the_list_tags_the_article(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("shift+tab", "j", "j", "t")
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"Gardens, local news", "enter")
        await pilot.pause()
        garden = titles(library)["Community Garden Doubles Its Plots"]
        tags = {s.id: s.tags for s in library.articles()}
        assert tags[garden] == ["gardens", "local-news"]
        row = screen.article_list.get_option(garden).prompt
        assert "#gardens #local-news" in row.plain  # (the narrow list may clip it on screen)
        await pilot.press("slash", *"tag:gardens")
        await pilot.pause()
        assert screen.article_list.article_ids == [garden]


async def test_help_opens_and_closes(library: Library) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")  # closes the help, does not quit
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.is_running


async def test_sidebar_toggles_and_hides_itself_when_narrow(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        assert screen.sidebar.display
        await pilot.press("ctrl+b")
        assert not screen.panes.sidebar_visible
        await pilot.press("tab", "tab")  # the hidden sidebar is skipped
        assert isinstance(app.focused, ReadingPane)
        await pilot.press("ctrl+b")
        assert screen.panes.sidebar_visible
    async with running(library, size=(80, 24)) as (app, pilot):
        screen = main(app)
        assert not screen.panes.sidebar_visible
        await pilot.press("ctrl+b")
        assert screen.panes.sidebar_visible


async def test_q_quits(library: Library) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_command_palette_runs_registry_actions(library: Library) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"help")  # fuzzy: the best match is "Everywhere: Help"
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_palette_runs_pane_actions_on_the_pane(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("shift+tab")  # focus the list; the action must still reach the pane
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"pane: highl")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.article is not None
        assert len(library.annotations(screen.article.id)) == 1
        assert isinstance(app.focused, ReadingPane)


async def test_opening_an_article_by_name(library: Library) -> None:
    async with running(library, open_article="Harbour Lights") as (app, _pilot):
        screen = main(app)
        assert screen.article is not None
        assert screen.article.title == "Town Council Approves New Harbour Lights"


async def test_import_runs_in_the_background_and_lists_new_documents(
    library: Library, library_dir: Path
) -> None:
    (library_dir / "more.txt").write_text(
        DOC_GARDEN.replace("Community Garden Doubles Its Plots", "Library Opens A Reading Room"),
        encoding="utf-8",
    )
    async with running(library) as (app, _pilot):
        screen = main(app)
        assert "Library Opens A Reading Room" in titles(library)
        assert titles(library)["Library Opens A Reading Room"] in screen.article_list.article_ids
        assert screen.sub_title.startswith("5 articles")
        assert not screen.query_one("#status").display
        assert not screen.syncing


async def test_library_errors_become_notifications(library: Library, monkeypatch: Any) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise LibraryError("the store is busy")

    async with running(library) as (app, pilot):
        monkeypatch.setattr(library, "mark", broken)
        await pilot.press("h")
        await pilot.pause()
        assert app.is_running
        assert any("the store is busy" in str(n.message) for n in app._notifications)


async def test_failed_import_is_reported_not_raised(library: Library, monkeypatch: Any) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(library, "sync", broken)
    async with running(library) as (app, _pilot):
        assert app.is_running
        assert any("disk on fire" in str(n.message) for n in app._notifications)
        assert len(main(app).article_list.article_ids) == 4


async def test_filter_input_focus_is_typing(library: Library) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("shift+tab", "slash", "q", "question_mark")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.focused, Input)
        assert app.focused.value == "q?"


async def test_clicking_a_key_in_the_footer_presses_it(library: Library) -> None:
    from reader.ui.widgets.key_footer import KeyFooter

    async with running(library) as (app, pilot):
        footer = app.screen.query_one(KeyFooter)
        line = footer.render().plain
        column = line.index(" Help ") + 1  # on the label, right after the "?" key
        await pilot.click(KeyFooter, offset=(column, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_first_paint_hook_runs_once_with_the_article_on_screen(
    library: Library,
) -> None:
    from reader.ui.app import make_app

    seen: list[str | None] = []

    def after_first_paint() -> None:
        pane = app.screen.query_one(ReadingPane)
        seen.append(pane.article.title if pane.article is not None else None)

    app = make_app(library, after_first_paint=after_first_paint)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert len(seen) == 1
        shown = " ".join(visible_text(app.screen.query_one(ReadingPane)).split())
        assert seen[0] and seen[0] in shown  # the title, wrapped on the pane
        await pilot.press("j", "tab", "j")  # later frames do not run it again
        await pilot.pause()
        assert len(seen) == 1


async def test_the_footer_shows_the_keys_of_the_focused_pane(library: Library) -> None:
    from reader.ui.widgets.key_footer import KeyFooter

    def footer(app: Any) -> set[str]:
        """The labels drawn on the footer's line (each after its key)."""
        line = app.screen.query_one(KeyFooter).render().plain
        return {piece.strip().split(" ", 1)[-1] for piece in line.split("  ") if piece.strip()}

    async with running(library) as (app, pilot):
        assert {"Highlight", "Note", "Undo", "Help", "Quit"} <= footer(app)
        assert "Filter" not in footer(app)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert {"Open", "Filter", "Tag", "Help", "Quit"} <= footer(app)
        assert "Highlight" not in footer(app)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert {"Go to", "Edit note", "Delete"} <= footer(app)


async def test_the_filter_finds_what_a_document_says_after_it_changed(
    library: Library, library_dir: Path
) -> None:
    """The store's search index follows an import made while the app runs."""
    async with running(library) as (app, pilot):
        screen = main(app)
        garden = titles(library)["Community Garden Doubles Its Plots"]
        await pilot.press("shift+tab", "slash", *"greenhouse")
        await pilot.pause()
        assert screen.article_list.article_ids == []
        path = library_dir / "garden.txt"
        path.write_text(
            path.read_text(encoding="utf-8") + "A greenhouse opens in June.\n", encoding="utf-8"
        )
        library.sync()
        screen.poll_changes()
        await settle(app, pilot)
        screen.filter_text = ""
        screen.filter_text = "greenhouse"
        await pilot.pause()
        assert screen.article_list.article_ids == [garden]


async def test_filter_rows_show_the_words_they_matched(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        await pilot.press("shift+tab", "slash", *"volun")  # a prefix: the word it found
        await settle(app, pilot)
        assert "≈ volunteers" in visible_text(screen.article_list)
        await pilot.press(*"teers pier")
        await pilot.pause()
        assert "≈ volunteers, pier" in visible_text(screen.article_list)
        await pilot.press("escape")
        await pilot.pause()
        assert "≈" not in visible_text(screen.article_list)


async def test_an_article_is_read_once_the_person_reads_on_and_m_toggles_it(
    library: Library,
) -> None:
    async with running(library) as (app, pilot):
        screen = main(app)
        assert screen.article is not None
        opened = screen.article.id
        assert not screen.summaries[opened].read  # opened at start: nobody has read it
        await pilot.press("space", "j")  # a page further, and on: reading
        await pilot.pause()
        assert screen.summaries[opened].read
        screen.flush_reading_state()
        assert library.reading_state(opened).read
        await pilot.press("m")  # marked unread again, written at once
        await pilot.pause()
        assert not screen.summaries[opened].read and not library.reading_state(opened).read
