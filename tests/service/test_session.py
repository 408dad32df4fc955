"""The reading session of one window, without any widget: what it holds, what it writes,
and what it notices others changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.service.changes import EditConflict, StaleText
from reader.service.library import Library
from reader.service.session import Pending, ReadingSession, follow_offset
from tests.service.conftest import NIGHT_TRAINS

FIRST = "The first night train in twelve years left the central station at eleven on Tuesday."
SECOND = "Passengers filled every couchette, and the buffet car ran out of soup before midnight."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "trains.txt").write_text(NIGHT_TRAINS, encoding="utf-8")
    Library.open(docs).sync()
    return docs


@pytest.fixture
def session(folder: Path) -> ReadingSession:
    window = ReadingSession(Library.open(folder))
    window.open(window.library.find_article("Night Trains").id)
    return window


def span(session: ReadingSession, text: str) -> tuple[int, int]:
    assert session.article is not None
    start = session.article.text.index(text)
    return start, start + len(text)


def test_a_session_is_a_window_whose_undo_is_its_own(session: ReadingSession) -> None:
    assert session.library.changes.owner.startswith("tui:")


def test_highlight_uses_the_pen_and_remembers_it_for_repeat(session: ReadingSession) -> None:
    session.set_pen("green")
    made = session.highlight(*span(session, FIRST)).annotation
    assert made.color == "green" and session.annotations == [made]
    session.set_pen("blue")
    again = session.repeat(*span(session, SECOND)).annotation
    assert again.color == "green"  # the last highlight's colour, not the pen's
    assert session.live_count == 2


def test_an_editor_closed_without_text_makes_nothing(session: ReadingSession) -> None:
    place = Pending(*span(session, FIRST))
    assert session.save_note(place, "   ") is None
    assert session.save_tags(place, []) is None
    assert session.annotations == []
    made = session.save_note(place, "worth keeping")
    assert made is not None and made.note == "worth keeping" and made.quote == FIRST


def test_a_note_changed_by_another_window_is_not_overwritten(
    session: ReadingSession, folder: Path
) -> None:
    made = session.highlight(*span(session, FIRST)).annotation
    opened_on = session.find(made.id)
    assert opened_on is not None
    Library.open(folder).set_note(made.id, "from the other window")
    with pytest.raises(EditConflict) as raised:
        session.save_note(opened_on, "from this window")
    assert raised.value.current.note == "from the other window"


def test_poll_reports_another_process_change_once(session: ReadingSession, folder: Path) -> None:
    assert session.poll() is None  # nothing changed since the article opened
    other = Library.open(folder)
    article_id = session.article.id  # type: ignore[union-attr]
    made = other.highlight(article_id, *span(session, SECOND), note="from the shell")
    update = session.poll()
    assert update is not None and update.annotations
    assert [a.id for a in session.annotations] == [made.id]
    assert update.summaries is not None
    assert next(s for s in update.summaries if s.id == article_id).annotation_count == 1
    assert session.poll() is None


def test_poll_follows_the_cursor_into_a_changed_text(session: ReadingSession, folder: Path) -> None:
    cursor = span(session, SECOND)
    edited = NIGHT_TRAINS.replace(FIRST, "A new first paragraph.\n" + FIRST)
    (folder / "trains.txt").write_text(edited, encoding="utf-8")
    Library.open(folder).sync()
    update = session.poll(cursor)
    assert update is not None and update.article is not None
    assert update.cursor is not None
    assert update.article.text[update.cursor :].startswith(SECOND)
    assert session.article is update.article


def test_poll_says_when_the_open_article_left_the_library(
    session: ReadingSession, folder: Path
) -> None:
    (folder / "trains.txt").unlink()
    Library.open(folder).sync()
    update = session.poll()
    assert update is not None and update.closed and session.article is None


def test_a_highlight_on_a_text_that_changed_lands_on_its_words_or_nowhere(
    session: ReadingSession, folder: Path
) -> None:
    second = span(session, SECOND)
    (folder / "trains.txt").write_text(
        NIGHT_TRAINS.replace(FIRST, "Inserted.\n" + FIRST), encoding="utf-8"
    )
    Library.open(folder).sync()  # the window has not polled yet: it shows the old text
    made = session.highlight(*second).annotation
    assert made.quote == SECOND
    first = (0, len(FIRST))
    (folder / "trains.txt").write_text(NIGHT_TRAINS.replace(FIRST, "Gone."), encoding="utf-8")
    Library.open(folder).sync()
    session.poll()
    (folder / "trains.txt").write_text(NIGHT_TRAINS, encoding="utf-8")
    Library.open(folder).sync()
    with pytest.raises(StaleText):
        session.highlight(*first)  # "Gone." is not the first sentence any more


def test_undo_in_a_session_takes_its_own_change_only(session: ReadingSession, folder: Path) -> None:
    mine = session.highlight(*span(session, FIRST)).annotation
    article_id = session.article.id  # type: ignore[union-attr]
    theirs = Library.open(folder).highlight(article_id, *span(session, SECOND))
    done = session.undo()
    assert done is not None and "moved to the trash" in done.message
    assert [a.id for a in session.annotations] == [theirs.id]
    assert [a.id for a in session.library.trash()] == [mine.id]


def test_follow_offset_keeps_a_passage_or_falls_back_near_it() -> None:
    old = "One. Two three. Four."
    assert follow_offset(old, "Zero. " + old, 5, 15) == 11
    assert follow_offset(old, "One. Four.", 5, 15) == 5  # gone: near where it was
