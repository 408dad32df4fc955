"""The daily review: cards in the store, FSRS schedules, the queue, deletions and restores."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating

from reader.service.library import Library, LibraryError
from reader.service.review import DailyReview, make_scheduler
from reader.store import Store
from reader.store.review import LIVE_INDEX_VERSION
from tests.conftest import SEED_FILE

DOC = """Night Trains Return to the Northern Line
April 2, 2025
Reprinted from The Rail Weekly
The first night train in twelve years left the central station at eleven on Tuesday.
Passengers filled every couchette, and the buffet car ran out of soup before midnight.
The operator says it will add a second weekly service in June if demand holds.
Critics point out that the timetable still leaves the coastal towns without a stop.
"""

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOON) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    (folder / "trains.txt").write_text(DOC, encoding="utf-8")
    lib = Library.open(folder)
    lib.sync()
    return lib


def _sentences(library: Library) -> list[str]:
    summary = library.find_article("Night Trains")
    article = library.article(summary.id)
    assert article is not None
    ids = []
    for lead in ("The first night", "Passengers filled", "The operator", "Critics point"):
        start = article.text.index(lead)
        end = article.text.index(".", start) + 1
        ids.append(library.highlight(article.id, start, end, tags=["rail"]).id)
    return ids


def test_schedule_equals_the_fsrs_package_for_the_same_answers_and_times(
    library: Library,
) -> None:
    (hid, *_rest) = _sentences(library)
    clock = Clock()
    review = DailyReview(library, clock)
    answers = ["good", "good", "again", "hard", "easy", "good"]
    scheduler = make_scheduler()
    expected = Card(card_id=1, due=NOON)
    for answer in answers:
        due = review.rate(hid, answer)
        expected, _ = scheduler.review_card(
            expected, Rating[answer.capitalize()], review_datetime=clock.now
        )
        assert due == expected.due
        clock.now = due + timedelta(hours=3)  # answered a few hours after it came due
    stored = review.card_state(hid)
    assert stored is not None
    assert (stored.state, stored.stability, stored.difficulty, stored.due) == (
        expected.state,
        expected.stability,
        expected.difficulty,
        expected.due,
    )


def test_no_learning_steps_a_first_good_is_days_away(library: Library) -> None:
    (hid, *_rest) = _sentences(library)
    due = DailyReview(library, Clock()).rate(hid, "good")
    assert due - NOON >= timedelta(days=1)


def test_rating_never_changes_the_highlight_and_survives_a_restart(library: Library) -> None:
    (hid, *_rest) = _sentences(library)
    before = library.store.get_annotation(hid)
    due = DailyReview(library, Clock()).rate(hid, "easy")
    assert library.store.get_annotation(hid) == before
    reopened = Library.open(library.docs_root)
    state = DailyReview(reopened, Clock()).card_state(hid)
    assert state is not None and state.due == due


def test_queue_due_first_then_new_up_to_the_daily_allowance(library: Library) -> None:
    ids = _sentences(library)
    clock = Clock()
    review = DailyReview(library, clock)
    review.set_new_per_day(2)
    first = review.queue()
    assert [e.annotation_id for e in first] == ids[:2]  # oldest first, two a day
    assert all(e.is_new for e in first)
    review.rate(ids[0], "again")
    # answering a new one uses up the day's allowance: no third new highlight today
    assert [e.annotation_id for e in review.queue()] == [ids[1]]
    clock.now = NOON + timedelta(days=1)
    tomorrow = review.queue()
    assert [e.annotation_id for e in tomorrow] == [ids[0], ids[1], ids[2]]
    assert not tomorrow[0].is_new and tomorrow[1].is_new


def test_a_skipped_highlight_stays_out_of_today_s_review_and_is_back_tomorrow(
    library: Library,
) -> None:
    """``s`` "skips it for today": reopening the review (another window, ``reader review``)
    showed it again at once."""
    ids = _sentences(library)
    clock = Clock()
    review = DailyReview(library, clock)
    review.set_new_per_day(2)
    review.skip(ids[0])
    again = DailyReview(Library.open(library.docs_root), clock)  # another window, or the CLI
    assert [e.annotation_id for e in again.queue()] == [ids[1], ids[2]]
    assert library.store.get_card(ids[0]) is None  # no answer recorded
    assert [e.annotation_id for e in again.queue("tag:rail")] == [ids[1], ids[2]]
    clock.now = NOON + timedelta(days=1)
    assert [e.annotation_id for e in again.queue()][:1] == [ids[0]]  # back the next day
    assert again.skipped_today() == frozenset()


def test_queue_limited_by_a_query_or_a_saved_view(library: Library) -> None:
    ids = _sentences(library)
    library.set_tags(ids[2], ["ideas"])
    review = DailyReview(library, Clock())
    assert [e.annotation_id for e in review.queue("tag:ideas")] == [ids[2]]
    library.settings.save_view("Ideas", "tag:ideas")
    assert [e.annotation_id for e in review.queue(view="Ideas")] == [ids[2]]
    with pytest.raises(LibraryError, match="bad query"):
        review.queue("color:")
    with pytest.raises(LibraryError, match="no saved view"):
        review.queue(view="Nope")


def test_deleted_highlights_leave_the_queue_and_come_back_with_their_state(
    library: Library,
) -> None:
    ids = _sentences(library)
    clock = Clock()
    review = DailyReview(library, clock)
    due = review.rate(ids[0], "good")
    library.delete(ids[0])
    library.delete(ids[1])
    clock.now = due + timedelta(hours=1)
    queued = [e.annotation_id for e in review.queue()]
    assert ids[0] not in queued and ids[1] not in queued
    with pytest.raises(LibraryError, match="trash"):
        review.rate(ids[0], "good")
    library.restore(ids[0])
    entries = review.queue()
    assert entries[0].annotation_id == ids[0] and not entries[0].is_new
    state = review.card_state(ids[0])
    assert state is not None and state.due == due


def test_suspended_highlights_stop_coming_until_answered_again(library: Library) -> None:
    ids = _sentences(library)
    review = DailyReview(library, Clock())
    review.suspend(ids[0])
    assert ids[0] not in [e.annotation_id for e in review.queue()]
    review.rate(ids[0], "again")  # an explicit answer brings it back
    assert review.card_state(ids[0]) is not None


def test_a_stopped_highlight_brought_back_returns_as_new_or_when_due(library: Library) -> None:
    ids = _sentences(library)
    clock = Clock()
    review = DailyReview(library, clock)
    due = review.rate(ids[1], "good")  # answered once, then stopped
    review.suspend(ids[1])
    review.suspend(ids[0])  # stopped before its first answer
    queued = [e.annotation_id for e in review.queue()]
    assert ids[0] not in queued and review.is_suspended(ids[0])
    assert review.resume(ids[0]) and not review.is_suspended(ids[0])
    assert review.resume(ids[0]) is False  # not stopped any more: nothing to do
    back = {e.annotation_id: e for e in review.queue()}
    assert back[ids[0]].is_new  # it never had an answer: it comes back as a new one
    assert review.resume(ids[1])
    clock.now = due + timedelta(hours=1)
    later = {e.annotation_id: e for e in DailyReview(library, clock).queue()}
    assert ids[1] in later and not later[ids[1]].is_new  # its schedule was kept


def test_card_shows_context_and_orphans_say_so(library: Library) -> None:
    ids = _sentences(library)
    review = DailyReview(library, Clock())
    entries = {e.annotation_id: e for e in review.queue()}
    card = review.card(entries[ids[1]])
    assert card is not None
    assert card.before.startswith("The first night train")
    assert card.after.startswith(" The operator says")
    assert card.title == "Night Trains Return to the Northern Line"
    assert card.source == "The Rail Weekly" and not card.orphaned
    # the document loses the sentence: the highlight is orphaned and keeps its last quote
    path = Path(str(library.docs_root)) / "trains.txt"
    path.write_text(DOC.replace("Passengers filled every couchette", "Nobody came"), "utf-8")
    library.sync()
    review.forget_cached()
    card = review.card(next(e for e in review.queue() if e.annotation_id == ids[1]))
    assert card is not None and card.orphaned
    assert card.annotation.quote.startswith("Passengers filled every couchette")


def test_unknown_answers_and_highlights_are_one_line_errors(library: Library) -> None:
    ids = _sentences(library)
    review = DailyReview(library, Clock())
    with pytest.raises(LibraryError, match="unknown answer"):
        review.rate(ids[0], "meh")
    with pytest.raises(LibraryError, match="no highlight"):
        review.rate("nope", "good")


def test_a_store_made_before_the_review_index_builds_it_on_first_use(
    library: Library,
) -> None:
    ids = _sentences(library)
    store = library.store
    shutil.rmtree(store.paths.review_dir)
    store.set_meta("review_index", None)
    fresh = Library(Store(store.root), library.docs_root)
    assert [e.annotation_id for e in DailyReview(fresh, Clock()).queue()] == ids
    assert fresh.store.get_meta("review_index") == LIVE_INDEX_VERSION


def test_purging_a_highlight_forgets_its_card(library: Library) -> None:
    ids = _sentences(library)
    DailyReview(library, Clock()).rate(ids[0], "good")
    library.store.purge_annotation(ids[0])
    assert library.store.get_card(ids[0]) is None
    assert ids[0] not in library.store.live_highlights()


def test_rebuilding_indexes_keeps_the_review_index(library: Library) -> None:
    ids = _sentences(library)
    library.delete(ids[3])
    before = library.store.live_highlights()
    library.store.rebuild_indexes()
    assert library.store.live_highlights() == before
    assert ids[3] not in before
