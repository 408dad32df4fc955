"""Hostile text: notes, tags and titles never drive the terminal (issue 14, injection)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.models import Annotation
from reader.service.library import Library

DOC = """Harbour Crane Operators Vote \u202eto Extend Night Shifts
March 3, 2025
Reprinted from The Quay Gazette
Crane operators at the eastern harbour voted on Monday to extend night shifts through the spring.
The union said the vote passed by a wide margin after two weeks of talks.
"""

#: what a terminal acts on: C0 (but tab/newline), DEL, C1 and the bidi controls
LIVE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE = (
    "title\x1b]0;pwned\x07 clear\x1b[2J link\x1b]8;;http://x.example\x1b\\"
    " clip\x1b]52;c;cGF5bG9hZA==\x1b\\ c1\x9b31m end"
)


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("READER_DB", raising=False)
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "harbour.txt").write_text(DOC, encoding="utf-8")
    store = tmp_path / "store"
    assert main(["--db", str(store), "import", str(folder)]) == 0
    return store


def test_annotate_note_and_tag_lose_escape_sequences(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--db",
            str(db),
            "annotate",
            "--quote",
            "voted on Monday",
            "--note",
            HOSTILE + "\nsecond line\tkept",
            "--tag",
            "x\x1b[31mred",
        ]
    )
    assert code == 0
    capsys.readouterr()
    (stored,) = Library.open(None, db).all_annotations()
    assert stored.note == "title clear link clip c1 end\nsecond line\tkept"
    assert stored.tags == ["xred"]
    assert main(["--db", str(db), "show", "Harbour"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and LIVE.search(out.replace("\t", "")) is None
    assert "second line" in out


def test_show_and_list_render_notes_stored_raw_and_bidi_visibly(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = Library.open(None, db)
    (summary,) = library.articles()
    made = library.highlight(summary.id, 0, 12)
    # a note written raw by an older reader or another tool
    library.store.put_annotation(Annotation(**{**made.to_dict(), "note": HOSTILE}))
    capsys.readouterr()
    assert main(["--db", str(db), "show", summary.id]) == 0
    shown = capsys.readouterr().out
    assert LIVE.search(shown) is None
    assert "<U+202E>" in shown
    assert main(["--db", str(db), "list"]) == 0
    listed = capsys.readouterr().out
    assert LIVE.search(listed) is None and "Vote <U+202E>to Extend" in listed
    for argv in (["list", "--json"], ["show", summary.id, "--json"], ["export"]):
        assert main(["--db", str(db), *argv]) == 0
        out = capsys.readouterr().out
        assert LIVE.search(out) is None
        json.loads(out)  # still the same JSON, with \u escapes


def test_error_messages_quote_user_text_safely(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "import", str(tmp_path / "nothing\x1b]0;x\x07 \u202e")]) == 1
    err = capsys.readouterr().err
    assert LIVE.search(err) is None and len(err.strip().splitlines()) == 1
    assert "nothing <U+202E>" in err


def test_service_cleans_notes_and_tags_from_every_caller(db: Path) -> None:
    library = Library.open(None, db)
    (summary,) = library.articles()
    made = library.highlight(summary.id, 0, 12, note="a\x1b[2Jb", tags=["\x1b]0;t\x07ok"])
    assert (made.note, made.tags) == ("ab", ["ok"])
    assert library.set_note(made.id, "n\x9d52;c;eA==\x9cote").note == "note"
    assert library.set_tags(made.id, ["q\x07r"]).tags == ["qr"]
    library.set_article_tags(summary.id, ["\x1b[1mbold"])
    assert library.articles()[0].tags == ["bold"]


def test_deleted_that_is_not_text_never_breaks_the_trash(db: Path) -> None:
    library = Library.open(None, db)
    (summary,) = library.articles()
    one = library.highlight(summary.id, 0, 12)
    two = library.highlight(summary.id, 13, 20)
    library.delete(two.id)
    library.store.put_annotation(Annotation.from_dict({**one.to_dict(), "deleted": 5}))
    assert {a.id for a in library.trash()} == {one.id, two.id}


def test_tag_annotate_undo_and_review_print_bidi_controls_visibly(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``tag``, ``annotate --note``, ``undo`` and ``review`` printed the title (whose
    U+202E reorders the rest of the line) and the tags live; ``list`` and ``show`` did not."""
    store = ["--db", str(db)]
    assert main([*store, "annotate", "--quote", "voted on Monday", "--tag", "a\u202eb"]) == 0
    assert main([*store, "tag", "Harbour", "x\u2066y"]) == 0
    assert main([*store, "annotate", "--article", "Harbour", "--note", "n"]) == 0
    assert main([*store, "review"]) == 0
    assert main([*store, "undo"]) == 0
    out = capsys.readouterr().out
    assert LIVE.search(out) is None, out
    assert "#x<U+2066>y  Harbour Crane Operators Vote <U+202E>to Extend" in out
    assert "note saved: Harbour Crane Operators Vote <U+202E>to" in out
    assert "— Harbour Crane Operators Vote <U+202E>to Extend Night Shifts" in out
