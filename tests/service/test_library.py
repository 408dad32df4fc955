"""The library service: importing, changing highlights, undo, trash, edits of documents."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reader.service.library import Library, LibraryError
from tests.conftest import SEED_FILE
from tests.service.conftest import NIGHT_TRAINS

DOC = (
    NIGHT_TRAINS
    + "Critics point out that the timetable still leaves the coastal towns without a stop.\n"
)


def _library(tmp_path: Path) -> tuple[Library, Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    (folder / "trains.txt").write_text(DOC, encoding="utf-8")
    library = Library.open(folder)
    library.sync()
    return library, folder


def _trains(library: Library):
    summary = library.find_article("Night Trains")
    article = library.article(summary.id)
    assert article is not None
    return article


def test_sync_imports_and_skips_unchanged(tmp_path: Path) -> None:
    library, folder = _library(tmp_path)
    assert len(library.articles()) == 3
    again = library.sync()
    assert again.added == 0 and again.updated == 0 and again.unchanged == 2
    assert (folder / ".reader").is_dir()


def test_highlight_note_tags_colour_are_saved_and_survive_reopen(tmp_path: Path) -> None:
    library, folder = _library(tmp_path)
    article = _trains(library)
    start = article.text.index("Passengers filled")
    made = library.highlight(article.id, start, start + 40, color="green")
    library.set_note(made.id, "line one\nline two")
    library.set_tags(made.id, ["Rail", " #travel ", "rail"])
    reopened = Library.open(folder)
    (stored,) = reopened.annotations(article.id)
    assert stored.quote == article.text[start : start + 40]
    assert stored.note == "line one\nline two"
    assert stored.tags == ["rail", "travel"]
    assert stored.color == "green"
    assert reopened.all_tags().get("rail") == 1


def test_undo_and_redo_cover_every_change_and_survive_restart(tmp_path: Path) -> None:
    library, folder = _library(tmp_path)
    library = Library.open(folder, kind="tui")
    article = _trains(library)
    made = library.highlight(article.id, 0, 30)
    library.set_note(made.id, "first")
    library.set_color(made.id, "pink")
    library.delete(made.id)
    assert library.annotations(article.id) == []
    library.changes.end()  # the window closes
    library = Library.open(folder, kind="tui")  # restart: the next window may undo
    assert library.undo() is not None  # undelete
    assert library.annotations(article.id)[0].color == "pink"
    library.undo()  # colour
    assert library.annotations(article.id)[0].color == "yellow"
    library.undo()  # note
    assert library.annotations(article.id)[0].note == ""
    undone = library.undo()  # create: the highlight goes to the trash
    assert undone is not None and "trash" in undone.message
    assert library.annotations(article.id) == []
    assert [a.id for a in library.trash()] == [made.id]
    assert library.undo() is None
    library.redo()
    library.redo()
    (back,) = library.annotations(article.id)
    assert back.note == "first"


def test_trash_and_restore(tmp_path: Path) -> None:
    library, _ = _library(tmp_path)
    article = _trains(library)
    made = library.highlight(article.id, 0, 20, note="keep me")
    library.delete(made.id)
    assert [a.id for a in library.trash()] == [made.id]
    library.restore(made.id)
    assert library.trash() == []
    assert library.annotations(article.id)[0].note == "keep me"


def test_edited_document_keeps_highlights_in_place(tmp_path: Path) -> None:
    library, folder = _library(tmp_path)
    article = _trains(library)
    quote = "the buffet car ran out of soup before midnight"
    start = article.text.index(quote)
    made = library.highlight(article.id, start, start + len(quote), note="soup!")
    doomed_quote = "Critics point out that the timetable still leaves the coastal towns"
    doomed_start = article.text.index(doomed_quote)
    doomed = library.highlight(article.id, doomed_start, doomed_start + len(doomed_quote))
    edited = DOC.replace(
        "The first night train",
        "Station staff cheered as the train pulled out.\nThe first night train",
    ).replace(
        "Critics point out that the timetable still leaves the coastal towns without a stop.\n", ""
    )
    path = folder / "trains.txt"
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    report = library.sync()
    assert report.updated == 1
    new_article = _trains(library)
    assert new_article.id == article.id
    by_id = {a.id: a for a in library.annotations(article.id)}
    moved = by_id[made.id]
    assert moved.status == "anchored"
    assert new_article.text[moved.start : moved.end] == quote
    assert moved.note == "soup!"
    assert by_id[doomed.id].status == "orphaned"
    assert report.reanchored.get("orphaned") == 1


def test_reattach_moves_an_orphan(tmp_path: Path) -> None:
    library, _ = _library(tmp_path)
    article = _trains(library)
    made = library.highlight(article.id, 0, 25, note="mine", tags=["x"])
    target = article.text.index("The operator")
    moved = library.reattach(made.id, target, target + 12)
    assert moved.quote == "The operator"
    assert moved.note == "mine" and moved.tags == ["x"]
    assert moved.original_quote == article.text[0:25].strip()


def test_bad_colour_and_unknown_ids_are_clear_errors(tmp_path: Path) -> None:
    library, _ = _library(tmp_path)
    article = _trains(library)
    with pytest.raises(LibraryError, match="colour"):
        library.highlight(article.id, 0, 10, color="mauve")
    with pytest.raises(LibraryError):
        library.set_note("nope", "x")
    with pytest.raises(LibraryError):
        library.find_article("no such title anywhere")


def test_reading_state_and_last_article(tmp_path: Path) -> None:
    from reader.core.models import ReadingState

    library, folder = _library(tmp_path)
    article = _trains(library)
    library.save_reading_state(ReadingState(article.id, position=120, progress=0.5))
    reopened = Library.open(folder)
    assert reopened.last_article_id() == article.id
    assert reopened.reading_state(article.id).position == 120


def test_unwritable_folder_falls_back_with_a_notice(tmp_path: Path, monkeypatch) -> None:
    if os.geteuid() == 0:
        # root writes everywhere: simulate the check instead
        monkeypatch.setattr("reader.service.opening.writable_dir", lambda path: False)
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "a.txt").write_text(DOC, encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if os.geteuid() != 0:
        folder.chmod(0o555)
    library = Library.open(folder)
    assert library.notice is not None and "not writable" in library.notice
    assert str(tmp_path / "xdg") in str(library.store.root)


def test_anchor_review_accept_keep_and_suggest(tmp_path: Path) -> None:
    library, folder = _library(tmp_path)
    article = _trains(library)
    quote = "The operator says it will add a second weekly service in June if demand holds."
    start = article.text.index(quote)
    fuzzy = library.highlight(article.id, start, start + len(quote), note="June?")
    gone_quote = "Passengers filled every couchette, and the buffet car ran out of soup"
    gone_start = article.text.index(gone_quote)
    gone = library.highlight(article.id, gone_start, gone_start + len(gone_quote))
    path = folder / "trains.txt"
    edited = DOC.replace("a second weekly service in June", "a second weekly service in July")
    edited = edited.replace(
        "Passengers filled every couchette, and the buffet car ran out of soup before midnight.",
        "Passengers filled all the couchettes; the kitchen had nothing left by midnight.",
    )
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    library.sync()
    statuses = {a.id: a.status for a in library.annotations(article.id)}
    assert statuses[fuzzy.id] == "fuzzy"
    assert {a.id for a in library.anchors.needs_review()} == {fuzzy.id, gone.id}
    accepted = library.anchors.accept(fuzzy.id)
    assert accepted.status == "anchored" and accepted.original_quote == quote
    suggestion = library.anchors.suggest_passage(gone.id)
    new_text = library.article(article.id).text
    if statuses[gone.id] == "orphaned":
        library.anchors.keep_orphan(gone.id)
    assert suggestion is not None and "couchettes" in new_text[suggestion[0] : suggestion[1]]
    assert library.anchors.needs_review() == []


def test_bundled_samples_keep_their_store_out_of_the_package(tmp_path: Path, monkeypatch) -> None:
    from reader.service.opening import samples_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("READER_DB", raising=False)
    library = Library.open(samples_path())
    assert not (samples_path() / ".reader").exists()
    assert str(tmp_path / "xdg") in str(library.store.root)
    assert library.notice is None
    library.sync()
    assert len(library.articles()) >= 5


def test_two_folders_with_the_same_file_names_share_one_store(tmp_path: Path) -> None:
    first, second = tmp_path / "clips", tmp_path / "more" / "clips"
    first.mkdir()
    second.mkdir(parents=True)
    (first / "today.txt").write_text(DOC, encoding="utf-8")
    shutil.copy(SEED_FILE, second / "today.txt")  # same name, another clipping
    library = Library.open(None, tmp_path / "store")
    report = library.import_paths([first])
    assert report.added == 1
    article = _trains(library)
    start = article.text.index("Passengers filled")
    made = library.highlight(article.id, start, start + 40, note="mine")

    report = library.import_paths([second])
    assert (report.added, report.updated) == (1, 0)  # not an update of the first folder's file
    titles = {summary.title for summary in library.articles()}
    assert article.title in titles and len(titles) == 3  # the seed holds two articles
    (kept,) = library.annotations(article.id)
    assert (kept.id, kept.quote, kept.note, kept.status) == (
        made.id, article.text[start : start + 40], "mine", "anchored"
    )  # fmt: skip

    again = library.import_paths([second, first])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    # the library's own folder is the first one imported; a sync of it (the TUI at start)
    # leaves the other folder's documents alone
    reopened = Library.open(None, tmp_path / "store")
    assert reopened.docs_root == first.resolve()
    assert reopened.sync().removed == 0
    assert {summary.title for summary in reopened.articles()} == titles
