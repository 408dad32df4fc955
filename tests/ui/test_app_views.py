"""Library-wide views: all highlights with a query (A), anchor review (R), import progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import OptionList, Static

from reader.service.library import Library
from reader.ui.messages import SyncProgress
from reader.ui.screens.anchor_review import AnchorReviewScreen
from reader.ui.screens.annotations import AnnotationsScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.reading_pane import ReadingPane
from tests.ui.conftest import (
    DOC_TREATY,
    by_title,
    highlight_sentence,
    running,
    settle,
    visible_text,
)


async def test_annotations_view_queries_and_opens_the_passage(library: Library) -> None:
    garden = by_title(library, "Garden")
    harbour = by_title(library, "Harbour")
    shed = highlight_sentence(
        library,
        garden,
        "A new shed was built by students from the high school.",
        color="green",
        tags=["school"],
    )
    highlight_sentence(library, harbour, "The work starts in April.")
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await pilot.press("A")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, AnnotationsScreen)
        assert len(view.result_ids) == 2
        await pilot.press(*"tag:school")
        await pilot.pause()
        assert view.result_ids == [shed]
        assert "1 of 2 highlights" in visible_text(view.query_one("#hint", Static))
        await pilot.press("enter", "enter")  # to the results, then open
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert screen.article is not None and screen.article.id == garden
        assert screen.pane.cursor.start == library.annotations(garden)[0].start
        assert isinstance(app.focused, ReadingPane)
        assert screen.sidebar.selected_annotation_id == shed


async def test_annotations_view_escape_closes_and_says_what_it_did_not_understand(
    library: Library,
) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("A")
        await pilot.pause()
        await pilot.press(*"colr:x")
        await pilot.pause()
        assert "highlights" in visible_text(app.screen.query_one("#hint", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_anchor_review_keeps_an_orphan_and_accepts_a_moved_highlight(
    library: Library, library_dir: Path
) -> None:
    harbour = by_title(library, "Harbour")
    gone = "Residents had asked for better lighting for years."
    moved = "The mayor said the lights would be powered by the sun."
    lost = highlight_sentence(library, harbour, gone)
    shifted = highlight_sentence(library, harbour, moved)
    highlight_sentence(library, harbour, "The work starts in April.")
    edited = DOC_TREATY.replace(gone, "Hm.").replace(
        moved, "The mayor said the new lights would be powered by the sun."
    )
    (library_dir / "harbour.txt").write_text(edited, encoding="utf-8")
    async with running(library) as (app, pilot):
        statuses = {a.id: a.status for a in library.annotations(harbour)}
        assert statuses[lost] == "orphaned" and statuses[shifted] == "fuzzy"
        messages = [str(n.message) for n in app._notifications]
        assert "2 highlights moved or lost their passage: R reviews them" in messages
        await pilot.press("R")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, AnchorReviewScreen)
        shown = [o.id for o in review.query_one(OptionList).options if o.id]
        assert sorted(shown) == sorted([lost, shifted])
        for _ in shown:  # decide each: accept the moved one, keep the orphan
            option = review.query_one(OptionList).highlighted_option
            assert option is not None
            await pilot.press("a" if option.id == shifted else "o")
            await pilot.pause()
        assert library.anchors.needs_review() == []
        statuses = {a.id: a.status for a in library.annotations(harbour)}
        assert statuses[shifted] == "anchored"
        assert statuses[lost] == "orphaned"  # kept, never deleted
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_anchor_review_enter_opens_the_passage(library: Library, library_dir: Path) -> None:
    harbour = by_title(library, "Harbour")
    moved = "The mayor said the lights would be powered by the sun."
    highlight_sentence(library, harbour, moved)
    (library_dir / "harbour.txt").write_text(
        DOC_TREATY.replace(moved, "The mayor said the new lights would be powered by the sun."),
        encoding="utf-8",
    )
    async with running(library) as (app, pilot):
        await pilot.press("R", "enter")
        await pilot.pause()
        screen: MainScreen = app.main_screen
        assert screen.article is not None and screen.article.id == harbour
        (annotation,) = library.annotations(harbour)
        assert screen.pane.cursor.start <= annotation.start < screen.pane.cursor.end
        assert isinstance(app.focused, ReadingPane)


async def test_import_progress_shows_in_the_status_line(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        status = screen.query_one("#status", Static)
        assert not status.display
        screen.post_message(SyncProgress(3, 12, "news/a.txt"))
        await pilot.pause()
        assert status.display
        assert "Importing 3/12 · news/a.txt" in visible_text(status)


async def test_a_quick_scan_shows_no_status_line_a_slow_one_does(library: Library) -> None:
    from reader.ui.messages import SyncFinished
    from reader.ui.screens.background_work import SCAN_NOTICE_DELAY

    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        status = screen.query_one("#status", Static)
        screen.post_message(SyncProgress(0, 0, ""))  # the scan for changed documents began
        await pilot.pause()
        assert not status.display  # most scans end before anyone could read it
        await pilot.pause(SCAN_NOTICE_DELAY + 0.2)
        assert status.display
        assert "Looking for new or changed documents" in visible_text(status)
        screen.post_message(SyncFinished(None, None))
        await pilot.pause()
        assert not status.display


async def test_palette_exports_the_article_to_markdown_under_the_store(library: Library) -> None:
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"article to mark")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        folder = Path(library.store.root) / "exports"
        (written,) = folder.glob("*.md")
        assert screen.article is not None
        quote = library.annotations(screen.article.id)[0].quote
        assert quote[:40] in written.read_text(encoding="utf-8")
        assert any(str(written) in str(n.message) for n in app._notifications)
        assert library.docs_root is not None
        assert not list(library.docs_root.glob("*.md"))  # nothing among the documents


async def test_a_cancelled_import_stops_at_its_next_step(
    library: Library, monkeypatch: Any
) -> None:
    import threading

    from reader.ui.screens.background_work import ImportCancelled

    started, proceed = threading.Event(), threading.Event()
    outcome: list[str] = []

    def slow_sync(progress: Any) -> None:
        started.set()
        proceed.wait(timeout=30)
        try:
            progress(1, 3, "a.txt")
        except ImportCancelled:
            outcome.append("stopped")
            raise
        outcome.append("went on")

    monkeypatch.setattr(library, "sync", slow_sync)
    from reader.ui.app import make_app

    app = make_app(library)
    async with app.run_test() as pilot:
        while not started.is_set():
            await pilot.pause()
        (worker,) = [w for w in app.workers if w.group == "sync"]
        worker.cancel()  # what quitting does to every worker
        proceed.set()
        for _ in range(200):  # the thread runs on after the cancel; wait for its next step
            if outcome:
                break
            await pilot.pause(0.01)
        assert outcome == ["stopped"]
        assert not any("Import failed" in str(n.message) for n in app._notifications)
