"""The library's tag, saved-view and colour-label services."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.query import parse_query
from reader.service.library import Library, LibraryError
from tests.service.conftest import NIGHT_TRAINS

DOC = NIGHT_TRAINS


@pytest.fixture
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "trains.txt").write_text(DOC, encoding="utf-8")
    library = Library.open(folder)
    library.sync()
    return library


def _highlight(library: Library, sentence: str, **extra: object) -> str:
    summary = library.find_article("Night Trains")
    article = library.article(summary.id)
    assert article is not None
    start = article.text.index(sentence)
    return library.highlight(summary.id, start, start + len(sentence), **extra).id  # type: ignore[arg-type]


def test_rename_tag_everywhere_and_counts(library: Library) -> None:
    article_id = library.find_article("Night Trains").id
    library.set_article_tags(article_id, ["rail", "night"])
    first = _highlight(library, "Passengers filled every couchette", tags=["rail", "food"])
    gone = _highlight(library, "The operator says", tags=["rail"])
    library.delete(gone)
    assert library.tag_counts() == {"food": (0, 1), "night": (1, 0), "rail": (1, 1)}
    assert library.rename_tag("rail", "Railways") == (1, 2)
    assert library.find_article("Night Trains").tags == ["railways", "night"]
    assert library.store.get_annotation(first).tags == ["railways", "food"]  # type: ignore[union-attr]
    assert library.trash()[0].tags == ["railways"]  # the trash too
    assert library.tag_counts() == {"food": (0, 1), "night": (1, 0), "railways": (1, 1)}
    # merging: "food" into "railways" leaves one tag on the highlight
    library.rename_tag("food", "railways")
    assert library.store.get_annotation(first).tags == ["railways"]  # type: ignore[union-attr]
    assert library.all_tags() == {"night": 1, "railways": 2}


def test_a_tag_rename_or_merge_is_undone_and_redone_exactly(library: Library) -> None:
    article_id = library.find_article("Night Trains").id
    library.set_article_tags(article_id, ["night", "rail", "food"])
    first = _highlight(library, "Passengers filled every couchette", tags=["food", "x", "rail"])
    gone = _highlight(library, "The operator says", tags=["rail"])
    library.delete(gone)
    before_counts = library.tag_counts()

    def tags() -> tuple[list[str], list[str], list[str]]:
        note = library.store.get_annotation(first)
        assert note is not None
        return (library.find_article("Night Trains").tags, note.tags, library.trash()[0].tags)

    before = tags()
    library.rename_tag("rail", "food")  # a merge: the article and the highlight had both
    merged = tags()
    assert merged == (["night", "food"], ["food", "x"], ["food"])
    undone = library.undo()
    assert undone is not None and undone.tags == ("rail", "food")
    assert undone.message == "Undid merging #rail into #food"
    assert tags() == before  # the lists as they were, in their order, the trash too
    assert library.tag_counts() == before_counts
    redone = library.redo()
    assert redone is not None and redone.tags == ("rail", "food")
    assert tags() == merged
    undone = library.undo()
    assert undone is not None and undone.tags == ("rail", "food")
    assert undone.message == "Undid merging #rail into #food"
    # the highlight's own undo history is still there, below the rename
    undone = library.undo()
    assert undone is not None and [a.id for a in undone.annotations] == [gone]


def test_a_rename_too_big_to_journal_says_so_first() -> None:
    from reader.service.library import UNDOABLE_TAG_CHANGES, tag_rename_undoable

    assert tag_rename_undoable(3, 40)
    assert not tag_rename_undoable(UNDOABLE_TAG_CHANGES, 1)


def test_rename_tag_refuses_empty_names(library: Library) -> None:
    with pytest.raises(LibraryError):
        library.rename_tag("rail", " # ")
    with pytest.raises(LibraryError):
        library.rename_tag("", "rail")


def test_saved_views_round_trip_sorted_and_validated(library: Library) -> None:
    assert library.settings.saved_views() == {}
    library.settings.save_view("  Key   ideas ", 'color:"key idea" has:note')
    library.settings.save_view("about rail", "tag:rail")
    assert library.settings.saved_views() == {
        "about rail": "tag:rail",
        "Key ideas": 'color:"key idea" has:note',
    }
    library.settings.save_view("about rail", "tag:trains")  # same name: replaced
    assert library.settings.saved_views()["about rail"] == "tag:trains"
    with pytest.raises(LibraryError, match="bad query"):
        library.settings.save_view("broken", "colr:x")
    with pytest.raises(LibraryError, match="name"):
        library.settings.save_view("  ", "tag:x")
    assert library.settings.delete_view("about rail") is True
    assert library.settings.delete_view("about rail") is False
    reopened = Library.open(library.docs_root)
    assert reopened.settings.saved_views() == {"Key ideas": 'color:"key idea" has:note'}


def test_colour_labels_are_set_reset_and_usable_in_queries(library: Library) -> None:
    made = _highlight(library, "The first night train", color="blue")
    assert library.settings.color_labels()["blue"] == "question"
    labels = library.settings.set_color_label("blue", "  to   check ")
    assert labels["blue"] == "to check"
    assert Library.open(library.docs_root).settings.color_labels()["blue"] == "to check"
    note = library.store.get_annotation(made)
    assert note is not None
    summary = library.find_article("Night Trains")
    query = parse_query('color:"To Check"')
    assert query.match_annotation(note, summary, color_labels=library.settings.color_labels())
    assert not parse_query("color:question").match_annotation(
        note, summary, color_labels=library.settings.color_labels()
    )
    # an empty label: the default again
    assert library.settings.set_color_label("3", "")["blue"] == "question"
    assert library.store.get_meta("color_labels") == {}
    with pytest.raises(LibraryError, match="colour"):
        library.settings.set_color_label("orange", "x")
