"""The daily review screen (r): one highlight at a time, four answers, open, note, stop."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static, TextArea

from reader.service.library import Library
from reader.service.review import DailyReview
from reader.ui.screens.main import MainScreen
from reader.ui.screens.review import ReviewScreen
from reader.ui.widgets.reading_pane import ReadingPane
from tests.ui.conftest import running, visible_text
from tests.ui.test_app_views import by_title, highlight_sentence

SENTENCES = (
    "The town council voted on Monday to install new lights along the old pier.",
    "Residents had asked for better lighting for years.",
    "The mayor said the lights would be powered by the sun.",
    "She thanked the volunteers who raised funds.",
)


def _highlights(library: Library) -> list[str]:
    harbour = by_title(library, "Harbour")
    return [
        highlight_sentence(library, harbour, sentence, tags=["harbour"] if n == 1 else [])
        for n, sentence in enumerate(SENTENCES)
    ]


def shown(screen: Any) -> str:
    return " ".join(visible_text(screen.query_one("#review-card", Static)).split())


async def test_a_review_session_with_all_four_answers(library: Library) -> None:
    ids = _highlights(library)
    library.set_note(ids[1], "ask <b>them</b>")
    async with running(library) as (app, pilot):
        await pilot.press("V")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        head = visible_text(review.query_one("#review-head", Static))
        assert "1 of 4" in head and "new" in head
        first = shown(review)
        assert f"{SENTENCES[0]} The work starts in April." in first  # quote and context
        assert "Town Council Approves New Harbour Lights · The Coastal Gazette" in first
        answers = visible_text(review.query_one("#review-answers", Static))
        assert "again" in answers and "easy" in answers and "8d" in answers
        await pilot.press("1")
        await pilot.pause()
        second = shown(review)
        assert "note: ask <b>them</b>" in second and "#harbour" in second  # text, not markup
        for key in ("2", "3", "4"):
            await pilot.press(key)
            await pilot.pause()
        summary = shown(review)
        assert "Done: 4 highlights reviewed." in summary
        assert "again 1 hard 1 good 1 easy 1" in summary
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    stored = DailyReview(library)
    answers = [library.store.get_card(i) for i in ids]
    assert [a["last_answer"] for a in answers if a] == ["again", "hard", "good", "easy"]
    assert stored.queue() == []  # all answered: nothing left today (and no new ones)


async def test_skip_stop_edit_note_and_open_in_the_article(library: Library) -> None:
    ids = _highlights(library)
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await pilot.press("V")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.press("s")  # skip: no answer
        await pilot.press("x")  # stop reviewing the second
        await pilot.pause()
        assert "2 of 4" not in visible_text(review.query_one("#review-head", Static))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        await pilot.press(*"lamps", "ctrl+s")
        await pilot.pause()
        assert "note: lamps" in shown(review)
        assert library.store.get_annotation(ids[2]).note == "lamps"  # type: ignore[union-attr]
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert screen.article is not None and screen.article.id == by_title(library, "Harbour")
        assert isinstance(app.focused, ReadingPane)
        assert screen.sidebar.selected_annotation_id == ids[2]
    assert library.store.get_card(ids[0]) is None  # skipped: nothing recorded
    assert ids[0] not in [e.annotation_id for e in DailyReview(library).queue()]  # today
    assert library.store.get_card(ids[1])["suspended"]  # type: ignore[index]
    assert ids[1] not in [e.annotation_id for e in DailyReview(library).queue()]


async def test_an_empty_review_says_so(library: Library) -> None:
    async with running(library) as (app, pilot):
        await pilot.press("V")
        await pilot.pause()
        assert "Nothing to review today." in shown(app.screen)
        await pilot.press("3")  # no highlight: answers do nothing
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_palette_reviews_a_saved_view_and_exports_an_anki_deck(library: Library) -> None:
    import zipfile
    from pathlib import Path

    from tests.ui.conftest import settle

    ids = _highlights(library)
    library.settings.save_view("Harbour", "tag:harbour")
    async with running(library) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"daily review: harb")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert [e.annotation_id for e in review.entries] == [ids[1]]  # only the view's
        assert "Daily review: Harbour" in visible_text(review.query_one("#review-head", Static))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"all highlights to an anki")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        (deck,) = (Path(library.store.root) / "exports").glob("*.apkg")
        assert "collection.anki2" in zipfile.ZipFile(deck).namelist()


async def test_palette_brings_a_stopped_highlight_back_and_sets_new_ones_a_day(
    library: Library,
) -> None:
    from tests.ui.conftest import settle

    ids = _highlights(library)
    DailyReview(library).suspend(ids[0])
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        annotation = library.store.get_annotation(ids[1])
        assert annotation is not None
        screen.views.go_to_annotation(annotation)  # not stopped: no such command
        await settle(app, pilot)
        names = [name for name, _, _ in screen.views.palette_commands()]
        assert "Daily review: bring this highlight back" not in names
        stopped = library.store.get_annotation(ids[0])
        assert stopped is not None
        screen.views.go_to_annotation(stopped)
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"bring this highlight back")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert ids[0] in [e.annotation_id for e in DailyReview(library).queue()]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new highlights a day")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+a", "ctrl+k", "2", "enter")  # the prompt holds today's 10
        await settle(app, pilot)
        messages = [str(n.message) for n in app._notifications]
        assert "2 new highlights a day join the review" in messages
    assert DailyReview(library).new_per_day() == 2
    assert len(DailyReview(library).queue()) == 2
