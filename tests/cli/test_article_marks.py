"""What is put on a whole article (tags, read state, its note) goes out with every export and
comes back with import-annotations; ``reader tag`` and ``annotate --article --note`` set it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.service.library import Library
from tests.cli.test_cli import SECOND_DOC
from tests.export.w3c_suite import SUITE, failures

TRAMS = """Trams Return to the Old Town After Sixty Years
April 2, 2025
Reprinted from The Alder Ledger
The last tram ran in the spring of 1965 on a wet Tuesday.
On Saturday the trams came back, and eleven thousand people were waiting.
"""


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store over two clippings: Harbour (one highlight) and Trams (none)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("READER_DB", raising=False)
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "harbour.txt").write_text(SECOND_DOC, encoding="utf-8")
    (folder / "trams.txt").write_text(TRAMS, encoding="utf-8")
    store = tmp_path / "store"
    assert main(["--db", str(store), "import", str(folder)]) == 0
    assert main(["--db", str(store), "annotate", "--quote", "The union said the vote passed"]) == 0
    return store


def _run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _summary(db: Path, start: str):  # type: ignore[no-untyped-def]
    return next(s for s in Library.open(None, db).articles() if s.title.startswith(start))


def test_tag_command_adds_removes_and_shows(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(db, capsys, "tag", "Harbour", "Ports", "labour")
    assert code == 0 and "#ports #labour" in out
    code, out, _ = _run(db, capsys, "tag", "Harbour", "--remove", "ports")
    assert code == 0 and "#labour" in out and "#ports" not in out
    assert _summary(db, "Harbour").tags == ["labour"]
    code, out, _ = _run(db, capsys, "tag", "Harbour")
    assert "#labour" in out


def test_article_note_from_the_cli_shows_and_searches(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = "Ask Ruth\nabout it"
    code, out, err = _run(db, capsys, "annotate", "--article", "Trams", "--note", note)
    assert code == 0, err
    assert _summary(db, "Trams").note == "Ask Ruth\nabout it"
    _, out, _ = _run(db, capsys, "show", "Trams")
    assert "note: Ask Ruth\n      about it" in out
    _, out, _ = _run(db, capsys, "list", "--search", "has:note", "--json")
    titles = [a["title"] for a in json.loads(out)["articles"]]
    assert titles == [_summary(db, "Trams").title]
    code, _, err = _run(db, capsys, "annotate", "--note", "x")
    assert code == 2 and "--article" in err  # a usage error


def test_json_export_carries_the_articles_and_import_brings_them_back(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, capsys, "tag", "Harbour", "ports")
    _run(db, capsys, "annotate", "--article", "Harbour", "--note", "Follow the union")
    harbour = _summary(db, "Harbour")
    store = Library.open(None, db).store
    state = store.get_state(harbour.id)
    state.read = True
    store.put_state(state)
    _, out, _ = _run(db, capsys, "export", "--format", "json")
    exported = json.loads(out)
    assert exported["version"] == 2
    (article,) = exported["articles"]  # the article of the one highlight
    assert article == {
        "id": harbour.id,
        "title": harbour.title,
        "source": harbour.source,
        "date": harbour.date,
        "author": harbour.author,
        "path": "harbour.txt",
        "tags": ["ports"],
        "read": True,
        "note": "Follow the union",
    }
    file = tmp_path / "export.json"
    file.write_text(out, encoding="utf-8")

    other = tmp_path / "other"  # the same clippings, another store: nothing on them yet
    code, out, err = _run(other, capsys, "import", str(tmp_path / "clips"))
    code, out, err = _run(other, capsys, "import-annotations", str(file))
    assert code == 0, err
    assert "imported 1 annotation" in out and "1 article" in out
    back = _summary(other, "Harbour")
    assert (back.tags, back.read, back.note) == (["ports"], True, "Follow the union")
    code, out, err = _run(other, capsys, "import-annotations", str(file))
    assert out.strip() == "1 unchanged"


def test_version_1_files_are_still_read(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = _run(db, capsys, "export", "--format", "json")
    old = json.loads(out)
    del old["articles"]
    old["version"] = 1
    file = tmp_path / "v1.json"
    file.write_text(json.dumps(old), encoding="utf-8")
    code, out, err = _run(db, capsys, "import-annotations", str(file))
    assert code == 0 and out.strip() == "1 unchanged", err


def test_reimporting_the_same_file_says_unchanged(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    harbour = _summary(db, "Harbour")
    minimal = [
        {"article_id": harbour.id, "quote": "Shipping lines welcomed the decision"},
        {"article_id": harbour.id, "quote": "extend night shifts", "note": "n"},
    ]
    file = tmp_path / "min.json"
    file.write_text(json.dumps(minimal), encoding="utf-8")
    _, out, _ = _run(db, capsys, "import-annotations", str(file))
    assert out.strip() == "imported 2 annotations (2 new)"
    _, out, _ = _run(db, capsys, "import-annotations", str(file))
    assert out.strip() == "2 unchanged"
    assert len(Library.open(None, db).all_annotations()) == 3


def test_markdown_front_matter_has_the_article_tags_and_note_on_top(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, capsys, "tag", "Harbour", "ports", "labour")
    _run(db, capsys, "annotate", "--article", "Harbour", "--note", "Follow the union")
    _, out, _ = _run(db, capsys, "export", "--format", "markdown")
    assert 'tags: ["ports", "labour"]' in out
    note, highlight = out.index("Follow the union"), out.index("The union said the vote passed")
    assert out.index("# Harbour") < note < highlight
    folder = tmp_path / "md"
    _run(db, capsys, "export", "--format", "markdown", "--output", f"{folder}/")
    _run(db, capsys, "annotate", "--article", "Harbour", "--note", "Second thoughts")
    _run(db, capsys, "export", "--format", "markdown", "--output", f"{folder}/")
    (file,) = folder.glob("*.md")
    text = file.read_text(encoding="utf-8")
    assert "Second thoughts" in text and "Follow the union" not in text
    assert text.count("reader:block article-note") == 1


def test_export_tag_selects_highlights_of_tagged_articles(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, capsys, "tag", "Harbour", "science")
    for args in (("--tag", "science"), ("--query", "tag:science")):
        _, out, _ = _run(db, capsys, "export", *args)
        assert len(json.loads(out)["annotations"]) == 1, args
    _, out, _ = _run(db, capsys, "export", "--query", "tag:nothing")
    assert json.loads(out)["annotations"] == []


def test_query_colour_keys_work_like_the_color_option(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, capsys, "annotate", "--quote", "Shipping lines welcomed", "--color", "2")
    for number, count in (("1", 1), ("2", 1), ("3", 0)):
        _, out, _ = _run(db, capsys, "export", "--query", f"color:{number}")
        assert len(json.loads(out)["annotations"]) == count, number


@pytest.mark.skipif(not SUITE.is_dir(), reason="W3C test suite not found")
def test_w3c_export_has_the_article_note_as_a_whole_resource_annotation(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, capsys, "tag", "Harbour", "ports")
    _run(db, capsys, "annotate", "--article", "Harbour", "--note", "Follow the union")
    _, out, _ = _run(db, capsys, "export", "--format", "w3c", "--article", "Harbour")
    items = json.loads(out)["first"]["items"]
    whole = [i for i in items if isinstance(i["target"], str)]
    assert len(whole) == 1
    harbour = _summary(db, "Harbour")
    assert whole[0]["target"] == f"urn:reader:article:{harbour.id}"
    bodies = {(b["purpose"], b["value"]) for b in whole[0]["body"]}
    assert bodies == {("commenting", "Follow the union"), ("tagging", "ports")}
    for item in items:
        assert failures("annotations/annotationMusts.test", item) == []


def test_messages_say_what_happened(db: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(db, capsys, "show", "")
    assert code == 1 and "name is needed" in err
    code, _, err = _run(db, capsys, "import-annotations", str(tmp_path / "nope.json"))
    assert code == 1 and err.strip() == f"reader: {tmp_path / 'nope.json'}: no such file"
    assert main(["parse", str(tmp_path)]) == 1
    assert "a folder" in capsys.readouterr().err


def test_show_keeps_quotes_spanning_paragraphs_indented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "q"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "A Title Of Some Length Here\n\n“They are first.\n\nAnd second,” she said.\n",
        encoding="utf-8",
    )
    store = tmp_path / "s"
    _run(store, capsys, "import", str(folder))
    code, out, err = _run(store, capsys, "annotate", "--quote", "“They are first. And second,”")
    assert code == 0, err
    _, out, _ = _run(store, capsys, "show", "A Title")
    lines = out.split("highlights:\n", 1)[1].splitlines()
    assert "““" not in out and "””" not in out
    start = lines[0].index("“")
    assert lines[0].endswith("“They are first.") and lines[1] == ""
    assert lines[2] == " " * start + "And second,”"


def test_w3c_import_puts_the_article_note_and_tags_back(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, capsys, "tag", "Harbour", "ports")
    _run(db, capsys, "annotate", "--article", "Harbour", "--note", "Follow the union")
    _, out, _ = _run(db, capsys, "export", "--format", "w3c")
    file = tmp_path / "w3c.jsonld"
    file.write_text(out, encoding="utf-8")
    _run(db, capsys, "tag", "Harbour", "--remove", "ports")
    _run(db, capsys, "annotate", "--article", "Harbour", "--note", "")
    code, out, err = _run(db, capsys, "import-annotations", str(file))
    assert code == 0 and err == "", err
    assert out.strip() == "1 unchanged; 1 article updated (tags, read state, note)"
    harbour = _summary(db, "Harbour")
    assert (harbour.tags, harbour.note) == (["ports"], "Follow the union")


def test_importing_never_loses_what_the_article_holds(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, capsys, "tag", "Harbour", "ports")
    _run(db, capsys, "annotate", "--article", "Harbour", "--note", "From the file")
    _, out, _ = _run(db, capsys, "export")
    file = tmp_path / "old.json"
    file.write_text(out, encoding="utf-8")
    _run(db, capsys, "tag", "Harbour", "labour", "--remove", "ports")
    _run(db, capsys, "annotate", "--article", "Harbour", "--note", "Written since")
    _run(db, capsys, "import-annotations", str(file))
    harbour = _summary(db, "Harbour")
    assert harbour.tags == ["labour", "ports"]
    assert harbour.note == "Written since\n\nFrom the file"
    _run(db, capsys, "import-annotations", str(file))  # again: nothing doubles
    assert _summary(db, "Harbour").note == "Written since\n\nFrom the file"


def test_the_whole_library_export_carries_notes_of_articles_without_highlights(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An article note is "carried by every export": a plain ``reader export`` (a backup)
    left out the note and tags of an article with no highlight, so they were lost on
    import-annotations; an export limited by --tag or --query still names only its own."""
    assert _run(db, capsys, "annotate", "--article", "Trams", "--note", "ride it")[0] == 0
    assert _run(db, capsys, "tag", "Trams", "transit")[0] == 0
    code, out, _ = _run(db, capsys, "export")
    assert code == 0
    exported = json.loads(out)
    trams = next(a for a in exported["articles"] if a["title"].startswith("Trams"))
    assert trams["note"] == "ride it" and trams["tags"] == ["transit"]
    backup = tmp_path / "backup.json"
    backup.write_text(out, encoding="utf-8")
    code, out, _ = _run(db, capsys, "export", "--format", "markdown")
    assert "ride it" in out
    code, out, _ = _run(db, capsys, "export", "--query", "vote")
    assert [a["title"][:6] for a in json.loads(out)["articles"]] == ["Harbou"]
    # the backup brings the note back to a library that lost it
    assert _run(db, capsys, "annotate", "--article", "Trams", "--note", "")[0] == 0
    assert _run(db, capsys, "import-annotations", str(backup))[0] == 0
    assert _summary(db, "Trams").note == "ride it"
