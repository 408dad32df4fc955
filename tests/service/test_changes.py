"""Changes made field by field under the lock; undo that belongs to who made the change."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.models import Article, text_hash
from reader.service.changes import EditConflict, StaleText
from reader.service.library import Library, LibraryError
from tests.service.test_library import DOC

TEXTS = [
    "The first night train in twelve years left the central station at eleven on Tuesday.",
    "Passengers filled every couchette, and the buffet car ran out of soup before midnight.",
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "trains.txt").write_text(DOC, encoding="utf-8")
    Library.open(docs).sync()
    return docs


def _trains(library: Library) -> Article:
    article = library.article(library.find_article("Night Trains").id)
    assert article is not None
    return article


def _span(article: Article, text: str) -> tuple[int, int]:
    start = article.text.index(text)
    return start, start + len(text)


# ----------------------------------------------------------------------- two writers


def test_a_write_never_reverts_another_writers_field(folder: Path) -> None:
    one, two = Library.open(folder), Library.open(folder)
    article = _trains(one)
    made = one.highlight(article.id, *_span(article, TEXTS[0]))
    stale_copy = two.store.get_annotation(made.id)  # what a second window shows
    assert stale_copy is not None
    one.set_note(made.id, "from window one")
    two.set_tags(stale_copy.id, ["rail"])  # written after, from an older copy
    stored = one.store.get_annotation(made.id)
    assert stored is not None
    assert stored.note == "from window one" and stored.tags == ["rail"]
    assert stored.revision == made.revision + 2


def test_a_note_saved_over_a_note_changed_meanwhile_is_refused_with_both(folder: Path) -> None:
    one, two = Library.open(folder), Library.open(folder)
    article = _trains(one)
    made = one.highlight(article.id, *_span(article, TEXTS[0]), note="first")
    two.set_note(made.id, "theirs", seen="first")
    with pytest.raises(EditConflict) as raised:
        one.set_note(made.id, "mine", seen="first")  # the editor had opened on "first"
    assert raised.value.current.note == "theirs" and raised.value.yours == "mine"
    assert one.store.get_annotation(made.id).note == "theirs"  # type: ignore[union-attr]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from([0, 1]),
            st.sampled_from(["note", "tags", "color", "delete", "restore"]),
            st.integers(0, 5),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_every_field_ends_at_its_last_acknowledged_value(
    folder: Path, steps: list[tuple[int, str, int]]
) -> None:
    writers = [Library.open(folder), Library.open(folder)]
    article = _trains(writers[0])
    made = writers[0].highlight(article.id, *_span(article, TEXTS[1]))
    # each writer holds a copy read once, as a window that never refreshes would
    expected: dict[str, Any] = {"note": "", "tags": [], "color": "yellow", "deleted": False}
    for who, field, value in steps:
        library = writers[who]
        if field == "note":
            library.set_note(made.id, f"note {who}-{value}")
            expected["note"] = f"note {who}-{value}"
        elif field == "tags":
            library.set_tags(made.id, [f"t{value}", f"w{who}"])
            expected["tags"] = [f"t{value}", f"w{who}"]
        elif field == "color":
            color = ["yellow", "green", "blue", "pink", "purple"][value % 5]
            library.set_color(made.id, color)
            expected["color"] = color
        elif field == "delete":
            library.delete(made.id)
            expected["deleted"] = True
        else:
            library.restore(made.id)
            expected["deleted"] = False
    stored = writers[1].store.get_annotation(made.id)
    assert stored is not None
    got = {
        "note": stored.note,
        "tags": stored.tags,
        "color": stored.color,
        "deleted": stored.deleted is not None,
    }
    assert got == expected
    for library in writers:  # clean up for the next example
        library.store.purge_annotation(made.id)


# ----------------------------------------------------------------------- undo


def test_undo_never_takes_another_process_change(folder: Path) -> None:
    window = Library.open(folder, kind="tui")
    command = Library.open(folder)  # a `reader annotate` beside the window
    article = _trains(window)
    mine = window.highlight(article.id, *_span(article, TEXTS[0]))
    theirs = command.highlight(article.id, *_span(article, TEXTS[1]))
    undone = window.undo()
    assert undone is not None and [a.id for a in undone.annotations] == [mine.id]
    live = {a.id for a in window.annotations(article.id)}
    assert live == {theirs.id}  # the command's highlight is untouched
    assert [a.id for a in window.trash()] == [mine.id]  # an undone creation is in the trash
    assert window.undo() is None  # nothing else of the window's to undo
    redone = window.redo()
    assert redone is not None and {a.id for a in window.annotations(article.id)} == {
        mine.id,
        theirs.id,
    }


def test_an_undo_whose_field_changed_elsewhere_changes_nothing(folder: Path) -> None:
    window, other = Library.open(folder, kind="tui"), Library.open(folder, kind="tui")
    article = _trains(window)
    made = other.highlight(article.id, *_span(article, TEXTS[0]))
    window.set_note(made.id, "window's note")
    other.set_note(made.id, "other window's note")
    refused = window.undo()
    assert refused is not None and refused.message.startswith("Not undone")
    assert window.store.get_annotation(made.id).note == "other window's note"  # type: ignore[union-attr]
    assert window.undo() is None  # the refused entry left the stack


def test_an_undo_leaves_fields_it_did_not_change(folder: Path) -> None:
    window, other = Library.open(folder, kind="tui"), Library.open(folder)
    article = _trains(window)
    made = window.highlight(article.id, *_span(article, TEXTS[0]))
    window.set_note(made.id, "mine")
    other.set_tags(made.id, ["theirs"])
    window.undo()  # the note change
    stored = window.store.get_annotation(made.id)
    assert stored is not None and stored.note == "" and stored.tags == ["theirs"]


def test_an_articles_tags_and_note_are_undone_in_order_and_only_by_their_owner(
    folder: Path,
) -> None:
    from reader.service.articles import set_article_note

    window, command = Library.open(folder, kind="tui"), Library.open(folder)
    article = _trains(window)
    made = window.highlight(article.id, *_span(article, TEXTS[0]))
    window.set_article_tags(article.id, ["rail"])
    set_article_note(window, article.id, "read again")
    set_article_note(command, article.id, "read again\nand again")  # a command beside it

    def marks() -> tuple[list[str], str]:
        summary = window.find_article(article.id)
        return summary.tags, summary.note or ""

    refused = window.undo()  # the window's note change: the command changed the note since
    assert refused is not None and refused.message.startswith("Not undone: that article's note")
    assert marks() == (["rail"], "read again\nand again")
    undone = window.undo()  # then its tag change, not the highlight made before it
    assert undone is not None and undone.article_id == article.id
    assert undone.message == "Undid the article's tag change"
    assert marks() == ([], "read again\nand again")
    assert window.store.get_annotation(made.id) is not None  # still there
    assert command.undo() is not None and marks() == ([], "read again")  # the command's own
    redone = window.redo()
    assert redone is not None and marks() == (["rail"], "read again")
    window.set_article_tags(article.id, ["rail"])  # the same tags: no journal entry
    assert window.undo() is not None and marks() == ([], "read again")


def test_a_window_that_died_leaves_its_undo_to_the_next_window(folder: Path) -> None:
    dead = Library.open(folder, kind="tui")
    dead.changes.owner = "tui:999999999:dead"  # a process id that does not exist
    article = _trains(dead)
    made = dead.highlight(article.id, *_span(article, TEXTS[0]))
    alive = Library.open(folder, kind="tui")
    assert Library.open(folder).undo() is None  # a command never takes a window's undo
    undone = alive.undo()
    assert undone is not None and [a.id for a in undone.annotations] == [made.id]


# ----------------------------------------------------------------------- duplicates


def test_highlighting_a_highlighted_span_makes_nothing_new(folder: Path) -> None:
    library = Library.open(folder)
    article = _trains(library)
    start, end = _span(article, TEXTS[0])
    first = library.mark(article.id, start, end)
    again = library.mark(article.id, start, end)
    inside = library.mark(article.id, start + 4, end - 4)
    assert (first.outcome, again.outcome, inside.outcome) == ("new", "exists", "exists")
    assert len(library.annotations(article.id)) == 1


def test_an_overlapping_highlight_extends_and_merges_as_one_undo(folder: Path) -> None:
    library = Library.open(folder, kind="tui")
    article = _trains(library)
    a_start, a_end = _span(article, TEXTS[0])
    b_start, b_end = _span(article, TEXTS[1])
    first = library.highlight(article.id, a_start, a_end, note="one", tags=["x"])
    second = library.highlight(article.id, b_start, b_end, note="two", tags=["y"])
    joined = library.mark(article.id, a_end - 10, b_start + 10, tags=["z"])
    assert joined.outcome == "extended" and joined.annotation.id == first.id
    (only,) = library.annotations(article.id)
    assert (only.start, only.end) == (a_start, b_end)
    assert only.note == "one\n\ntwo" and only.tags == ["x", "y", "z"]
    assert [a.id for a in library.trash()] == [second.id]  # merged away, not lost
    library.undo()  # one step puts both back
    assert sorted((a.start, a.end) for a in library.annotations(article.id)) == [
        (a_start, a_end),
        (b_start, b_end),
    ]


# ----------------------------------------------------------------------- stale text


def test_a_highlight_asked_for_on_an_older_text_lands_on_the_same_words(folder: Path) -> None:
    library = Library.open(folder)
    old = _trains(library)
    from reader.core.anchoring import make_selector

    start, end = _span(old, TEXTS[1])
    basis = (text_hash(old.text), make_selector(old.text, start, end))
    edited = DOC.replace(TEXTS[0], "A paragraph was inserted here.\n" + TEXTS[0])
    (folder / "trains.txt").write_text(edited, encoding="utf-8")
    Library.open(folder).sync()  # another process imports the edit
    made = library.mark(old.id, start, end, basis=basis).annotation
    assert made.quote == TEXTS[1]
    new = _trains(library)
    assert new.text[made.start : made.end] == TEXTS[1]


def test_a_highlight_whose_words_are_gone_is_refused(folder: Path) -> None:
    library = Library.open(folder)
    old = _trains(library)
    from reader.core.anchoring import make_selector

    start, end = _span(old, TEXTS[1])
    basis = (text_hash(old.text), make_selector(old.text, start, end))
    (folder / "trains.txt").write_text(DOC.replace(TEXTS[1], "Something else."), encoding="utf-8")
    Library.open(folder).sync()
    with pytest.raises(StaleText):
        library.mark(old.id, start, end, basis=basis)
    assert library.annotations(old.id) == []


# ----------------------------------------------------------------------- faults


def test_a_full_disk_stores_neither_the_highlight_nor_its_journal_entry(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.store import storage

    library = Library.open(folder, kind="tui")
    article = _trains(library)
    shards = folder / ".reader" / "annotations"
    before = sorted(p.name for p in shards.glob("*.json")) if shards.exists() else []
    real_fsync = os.fsync

    def full(fd: int) -> None:
        # the disk fills up just as the journal's new version is written
        if ".journal.json." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(storage, "SYNC", True)
    monkeypatch.setattr(storage.os, "fsync", full)
    with pytest.raises(LibraryError, match="No space left"):
        library.highlight(article.id, *_span(article, TEXTS[0]))
    monkeypatch.setattr(storage.os, "fsync", real_fsync)
    assert library.annotations(article.id) == []
    after = sorted(p.name for p in shards.glob("*.json")) if shards.exists() else []
    assert after == before
    assert library.undo() is None


# ----------------------------------------------------------------------- moved files


def test_a_renamed_file_keeps_its_articles_and_their_highlights(folder: Path) -> None:
    library = Library.open(folder)
    article = _trains(library)
    made = library.highlight(article.id, *_span(article, TEXTS[0]), note="kept")
    state = library.reading_state(article.id)
    state.read, state.position = True, 40
    library.save_reading_state(state)
    (folder / "moved").mkdir()
    (folder / "trains.txt").rename(folder / "moved" / "night-trains.txt")
    report = Library.open(folder).sync()
    assert (report.renamed, report.added, report.removed) == (1, 0, 0)
    again = Library.open(folder)
    moved = again.find_article("Night Trains")
    assert moved.id == article.id and moved.path == "moved/night-trains.txt"
    assert moved.read
    (kept,) = again.annotations(article.id)
    assert kept.id == made.id and kept.status == "anchored" and kept.note == "kept"
    assert again.reading_state(article.id).position == 40
    # and the old name is gone for good: a later import does not orphan anything
    assert again.sync().changed is False
    assert again.annotations(article.id)[0].status == "anchored"


def test_a_file_renamed_and_lightly_edited_is_still_the_same_article(folder: Path) -> None:
    library = Library.open(folder)
    article = _trains(library)
    made = library.highlight(article.id, *_span(article, TEXTS[1]))
    (folder / "trains.txt").unlink()
    edited = DOC.replace("at eleven on Tuesday", "at eleven o'clock on Tuesday")
    (folder / "trains-renamed.txt").write_text(edited, encoding="utf-8")
    report = Library.open(folder).sync()
    assert report.renamed == 1
    (kept,) = Library.open(folder).annotations(article.id)
    assert kept.id == made.id and kept.status == "anchored"


def test_a_copy_of_a_file_that_is_still_there_is_a_new_document(folder: Path) -> None:
    shutil.copy(folder / "trains.txt", folder / "copy.txt")
    report = Library.open(folder).sync()
    assert (report.added, report.renamed) == (1, 0)


@pytest.mark.parametrize("back_as", ["trains.txt", "renamed/night-trains.txt"])
def test_a_document_removed_by_one_import_and_back_in_a_later_one_keeps_its_highlights(
    folder: Path, back_as: str
) -> None:
    """Moved out of the folder (an import runs: its highlights lose their article), then
    moved back, under its name or another, lightly edited: the highlights come back."""
    library = Library.open(folder)
    article = _trains(library)
    made = library.highlight(article.id, *_span(article, TEXTS[1]), note="kept")
    away = folder.parent / "away.txt"
    (folder / "trains.txt").rename(away)
    library.sync()
    assert library.store.get_annotation(made.id).status == "orphaned"  # type: ignore[union-attr]
    target = folder / back_as
    target.parent.mkdir(exist_ok=True)
    target.write_text(away.read_text("utf-8").replace("at eleven", "at 11"), "utf-8")
    away.unlink()
    library.sync()
    again = _trains(library)
    assert again.id == article.id
    kept = library.store.get_annotation(made.id)
    assert kept is not None and kept.status == "anchored" and kept.note == "kept"
    assert again.text[kept.start : kept.end] == TEXTS[1]
    assert [a.id for a in library.annotations(again.id)] == [made.id]
