"""A clipping edited on one machine: highlights made on the other land on the same words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.service.gitsync import sync
from reader.service.library import Library
from tests.service.test_gitsync import _machine, _mark, remote  # noqa: F401 (a fixture)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="sync needs git")

INSERTED = "Tickets for the first month sold out within an hour of going on sale.\n"


def _edit_clipping(library: Library, old: str, new: str) -> None:
    """Edit the trains clipping in this machine's folder and rescan it."""
    path = library.docs_root / "news" / "trains.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    library.sync()


def _trains_text(library: Library) -> str:
    article = library.article(library.find_article("Night Trains").id)
    assert article is not None
    return article.text


def test_a_highlight_made_on_the_other_text_lands_on_the_same_words(
    tmp_path: Path,
    remote: str,  # noqa: F811
) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    sync(b.store, remote)
    # the desktop's copy gains a sentence before the passage: every later offset moves
    _edit_clipping(b, "Passengers filled", INSERTED + "Passengers filled")
    assert _trains_text(a) != _trains_text(b)
    words = "buffet car ran out of soup"
    made = _mark(a, "Night Trains", words, note="cold dinner")

    sync(a.store)
    outcome = sync(b.store)
    assert "1 highlight in" in outcome.summary()
    assert "re-anchored" in outcome.summary()

    there = b.store.get_annotation(made)
    text = _trains_text(b)
    assert there is not None and there.status == "anchored"
    assert text[there.start : there.end] == words == there.quote
    assert there.note == "cold dinner"
    # the laptop keeps its own placement, and nothing goes back and forth any more
    assert sync(b.store).summary() == "0 highlights in, 0 out"
    assert sync(a.store).summary() == "0 highlights in, 0 out"
    here = a.store.get_annotation(made)
    assert here is not None and here.status == "anchored"
    assert _trains_text(a)[here.start : here.end] == words
    assert here.start < there.start  # the inserted sentence is only on the desktop

    # a note edited on the desktop still reaches the laptop, on the laptop's words
    b.set_note(made, "cold dinner, no soup")
    sync(b.store)
    assert sync(a.store).summary().startswith("0 highlights in, 1 note changed")
    here = a.store.get_annotation(made)
    assert here is not None and here.note == "cold dinner, no soup"
    assert _trains_text(a)[here.start : here.end] == words


def test_words_gone_from_the_text_here_make_an_orphan_here_only(
    tmp_path: Path,
    remote: str,  # noqa: F811
) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    sync(b.store, remote)
    _edit_clipping(
        b,
        "Passengers filled every couchette, and the buffet car ran out of soup before midnight.",
        "Passengers were few.",
    )
    made = _mark(a, "Night Trains", "buffet car ran out of soup")
    sync(a.store)
    outcome = sync(b.store)
    assert "(1 orphaned)" in outcome.summary()
    there = b.store.get_annotation(made)
    assert there is not None and there.status == "orphaned"
    assert there.quote == "buffet car ran out of soup"  # kept, for the person to place again
    assert sync(a.store).summary() == "0 highlights in, 0 out"
    here = a.store.get_annotation(made)
    assert here is not None and here.status == "anchored"


def test_a_file_renamed_on_both_computers_stays_one_article(
    tmp_path: Path,
    remote: str,  # noqa: F811
) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    sync(b.store, remote)
    before = a.find_article("Night Trains").id
    for library in (a, b):  # renamed by hand, or by the tool that copies the folder
        news = library.docs_root / "news"
        (news / "trains.txt").rename(news / "rail.txt")
        library.sync()
        assert library.find_article("Night Trains").id == before  # content identity
    made = _mark(a, "Night Trains", "buffet car", note="after the rename")
    sync(a.store)
    sync(b.store)
    there = b.store.get_annotation(made)
    assert there is not None and there.article_id == before and there.status == "anchored"
    assert there.note == "after the rename"
