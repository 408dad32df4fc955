"""The command line as a script or a person uses it: exit codes, output, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import ROOT, SEED_FILE

SECOND_DOC = """Harbour Crane Operators Vote to Extend Night Shifts
March 3, 2025
Reprinted from The Quay Gazette
Crane operators at the eastern harbour voted on Monday to extend night shifts through the spring.
The union said the vote passed by a wide margin after two weeks of talks.
Shipping lines welcomed the decision, saying it would shorten waiting times for vessels.
"""


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    """A folder holding the real seed and one small clipping of our own."""
    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    (folder / "harbour.txt").write_text(SECOND_DOC, encoding="utf-8")
    return folder


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``reader`` as a separate process, as a user would."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("READER_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "reader.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("reader ")
    helped = run("--help")
    assert helped.returncode == 0
    for command in ("import", "list", "show", "parse", "annotate", "export"):
        assert command in helped.stdout


def test_parse_json_gives_the_seed_structure() -> None:
    result = run("parse", str(SEED_FILE), "--json")
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)["articles"]
    assert len(articles) == 2
    first, second = articles
    assert first["date"] == "2025-01-14"
    assert first["source"] == "The Algemeiner"
    assert second["related_to"] == first["id"]
    for key in (
        "id",
        "title",
        "date",
        "source",
        "caption",
        "author",
        "summary",
        "paragraphs",
        "related_to",
        "embeds",
    ):
        assert key in first
    again = json.loads(run("parse", str(SEED_FILE), "--json").stdout)["articles"]
    assert [a["id"] for a in again] == [first["id"], second["id"]]


def test_parse_does_not_import_textual() -> None:
    code = (
        "import sys; from reader.cli import main; "
        f"main(['parse', {str(SEED_FILE)!r}, '--json']); "
        "sys.stderr.write('TEXTUAL' if 'textual' in sys.modules else 'CLEAN')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=60,
    )
    assert result.stderr.endswith("CLEAN"), result.stderr


def test_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01binary")
    result = run("parse", str(binary))
    assert result.returncode == 1
    assert "photo.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    missing = run("parse", str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "nope.txt" in missing.stderr


def test_import_list_annotate_show_export_round_trip(library: Path, tmp_path: Path) -> None:
    db = tmp_path / "store"
    imported = run("--db", str(db), "import", str(library))
    assert imported.returncode == 0, imported.stderr
    listed = json.loads(run("--db", str(db), "list", "--json").stdout)["articles"]
    assert len(listed) == 3
    assert {"id", "title", "date", "source", "tags", "annotations"} <= set(listed[0])

    made = run(
        "--db",
        str(db),
        "annotate",
        "--quote",
        "extend night shifts through the spring",
        "--note",
        "check the union's figures",
        "--tag",
        "Labour",
        "--color",
        "green",
    )
    assert made.returncode == 0, made.stderr
    annotation_id = made.stdout.strip()
    assert annotation_id

    shown = json.loads(run("--db", str(db), "show", "Harbour Crane", "--json").stdout)
    assert [a["id"] for a in shown["annotations"]] == [annotation_id]
    assert shown["annotations"][0]["note"] == "check the union's figures"
    assert shown["annotations"][0]["tags"] == ["labour"]

    text = run("--db", str(db), "export", "--format", "json").stdout
    exported = json.loads(text)
    (record,) = exported["annotations"]
    # one highlight per line (readable and diff-friendly)
    assert json.loads(text.splitlines()[3].strip().rstrip(",")) == record
    assert record["quote"] == "extend night shifts through the spring"
    assert record["article_title"].startswith("Harbour Crane")

    counts = json.loads(run("--db", str(db), "list", "--json").stdout)["articles"]
    assert sum(a["annotations"] for a in counts) == 1


def test_annotate_errors_are_clear(library: Path, tmp_path: Path) -> None:
    db = tmp_path / "store"
    run("--db", str(db), "import", str(library))
    absent = run("--db", str(db), "annotate", "--quote", "words that appear nowhere at all")
    assert absent.returncode == 1 and "not found" in absent.stderr
    # "Iran" is in both articles of the seed: ambiguous without --article
    ambiguous = run("--db", str(db), "annotate", "--quote", "Iran")
    assert ambiguous.returncode == 1 and "--article" in ambiguous.stderr
    assert "Traceback" not in ambiguous.stderr


def test_import_annotations_reports_bad_records_and_keeps_good(
    library: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store"
    run("--db", str(db), "import", str(library))
    listed = json.loads(run("--db", str(db), "list", "--json").stdout)["articles"]
    harbour = next(a for a in listed if a["title"].startswith("Harbour"))
    payload = [
        {
            "article_id": harbour["id"],
            "quote": "Shipping lines welcomed the decision",
            "note": "good news",
            "tags": ["ports"],
            "color": "blue",
        },
        {"article_id": harbour["id"]},
        {"article_id": "nope", "quote": "x"},
    ]
    source = tmp_path / "in.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    result = run("--db", str(db), "import-annotations", str(source))
    assert "imported 1 annotation" in result.stdout
    assert "record 1" in result.stderr and "record 2" in result.stderr
    shown = json.loads(run("--db", str(db), "show", harbour["id"], "--json").stdout)
    assert [a["note"] for a in shown["annotations"]] == ["good news"]


def test_store_lives_next_to_documents_by_default(library: Path) -> None:
    assert main(["import", str(library)]) == 0
    assert (library / ".reader").is_dir()


def test_corrupt_store_is_a_clear_error_and_restore_brings_it_back(
    library: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store"
    run("--db", str(db), "import", str(library))
    made = run(
        "--db",
        str(db),
        "annotate",
        "--quote",
        "Shipping lines welcomed the decision",
        "--note",
        "precious",
    )
    assert made.returncode == 0, made.stderr
    # a second write, so every file touched by the first has a good backup
    run("--db", str(db), "annotate", "--quote", "The union said the vote passed")
    shard = next((db / "annotations").glob("*.json"))
    good = shard.read_bytes()
    shard.write_bytes(good[: len(good) // 2])
    broken = run("--db", str(db), "show", "Harbour Crane", "--json")
    assert broken.returncode == 1
    assert shard.name in broken.stderr and "Traceback" not in broken.stderr
    assert shard.read_bytes() == good[: len(good) // 2]  # never overwritten
    restored = run("--db", str(db), "restore")
    assert restored.returncode == 0, restored.stderr
    shown = run("--db", str(db), "show", "Harbour Crane", "--json")
    assert shown.returncode == 0, shown.stderr
    assert "precious" in [a["note"] for a in json.loads(shown.stdout)["annotations"]]


def test_export_query_matches_colour_labels_and_tags(library: Path, tmp_path: Path) -> None:
    db = tmp_path / "store"
    run("--db", str(db), "import", str(library))
    run(
        "--db",
        str(db),
        "annotate",
        "--quote",
        "Shipping lines welcomed the decision",
        "--color",
        "green",
        "--tag",
        "ports",
    )
    run("--db", str(db), "annotate", "--quote", "The union said the vote passed", "--color", "blue")
    picked = run("--db", str(db), "export", "--query", 'color:"key idea"')
    assert picked.returncode == 0, picked.stderr
    quotes = [a["quote"] for a in json.loads(picked.stdout)["annotations"]]
    assert quotes == ["Shipping lines welcomed the decision"]
    tagged = json.loads(run("--db", str(db), "export", "--tag", "ports").stdout)
    assert len(tagged["annotations"]) == 1
    bad = run("--db", str(db), "export", "--query", "date:2024-99")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_reader_undo_takes_back_a_whole_import_of_annotations_and_never_a_window_change(
    tmp_path: Path,
) -> None:
    import json

    from reader.service.library import Library

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "trains.txt").write_text(
        "Night Trains Return\nApril 2, 2025\nThe first night train left at eleven.\n"
        "Passengers filled every couchette.\n",
        encoding="utf-8",
    )
    db = str(folder / ".reader")
    window = Library.open(folder, kind="tui")
    window.sync()
    article = window.find_article("Night Trains")
    text = window.article(article.id).text  # type: ignore[union-attr]
    mine = window.highlight(article.id, 0, text.index(".") + 1)
    records = [
        {"id": f"imp{n}", "article_id": article.id, "quote": "Passengers filled every couchette."}
        for n in range(1)
    ]
    export = tmp_path / "in.json"
    export.write_text(json.dumps({"annotations": records}), encoding="utf-8")
    assert run("--db", db, "import-annotations", str(export)).returncode == 0
    imported = {a.id for a in window.annotations(article.id)} - {mine.id}
    assert len(imported) == 1
    undone = run("--db", db, "undo")
    assert undone.returncode == 0 and "Undid the import" in undone.stdout
    assert {a.id for a in window.annotations(article.id)} == {mine.id}  # the window's stays
    assert run("--db", db, "undo").stdout.strip() == "nothing to undo"
    assert run("--db", db, "redo").returncode == 0
    assert {a.id for a in window.annotations(article.id)} == {mine.id, *imported}


def test_edit_changes_only_the_fields_given_and_delete_moves_to_the_trash(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.service.library import Library

    db = ["--db", str(library / ".reader")]
    assert main([*db, "import", str(library)]) == 0
    quote = "extend night shifts through the spring"
    capsys.readouterr()
    assert main([*db, "annotate", "--quote", quote, "--note", "n1", "--tag", "a"]) == 0
    made = capsys.readouterr().out.strip()

    def stored() -> object:
        found = Library.open(None, library / ".reader").store.get_annotation(made)
        assert found is not None
        return found

    assert main([*db, "edit", made, "--color", "blue"]) == 0
    assert capsys.readouterr().out.strip() == made
    note = stored()
    assert (note.note, note.tags, note.color) == ("n1", ["a"], "blue")  # type: ignore[attr-defined]
    assert main([*db, "edit", made, "--tag", "x", "--tag", "Y z"]) == 0  # replaces the set
    assert stored().tags == ["x", "y-z"]  # type: ignore[attr-defined]
    assert main([*db, "edit", made, "--no-tags", "--note", ""]) == 0
    note = stored()
    assert (note.note, note.tags, note.color) == ("", [], "blue")  # type: ignore[attr-defined]
    # annotating the same passage again makes nothing new and says so
    capsys.readouterr()
    assert main([*db, "annotate", "--quote", quote]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == made and "already highlighted" in err
    assert main([*db, "delete", made]) == 0
    assert stored().deleted is not None  # type: ignore[attr-defined]
    # errors: one line each, exit status 1
    for args in (["edit", made], ["edit", "nosuchid", "--note", "x"], ["delete", "nosuchid"]):
        capsys.readouterr()
        assert main([*db, *args]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("reader: ")
    assert main([*db, "edit", made, "--tag", "a", "--no-tags"]) != 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks (POSIX)")
def test_parse_names_odd_files_instead_of_reading_them(tmp_path: Path) -> None:
    """A FIFO would block ``reader parse`` forever; a link loop or a device is not "missing"."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    for path, words in (
        (fifo, "named pipe"),
        (loop, "link loop"),
        (Path("/dev/null"), "character device"),
    ):
        result = run("parse", str(path))
        assert result.returncode == 1, path
        assert words in result.stderr and str(path) in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_query_naming_no_colour_is_an_error_not_an_empty_export(library: Path) -> None:
    store = library.parent / "store"
    assert run("--db", str(store), "import", str(library)).returncode == 0
    for args in (
        ("export", "--query", "color:bogus"),
        ("list", "--search", "color:bogus"),
        ("review", "--query", "color:bogus"),
    ):
        result = run("--db", str(store), *args)
        assert result.returncode == 1, args
        assert "no colour or label 'bogus'" in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_w3c_export_holding_an_orphan_imports_back_unchanged(library: Path) -> None:
    store = str(library.parent / "store")
    assert run("--db", store, "import", str(library)).returncode == 0
    quote = "The union said the vote passed by a wide margin after two weeks of talks."
    assert run("--db", store, "annotate", "--quote", quote, "--note", "kept").returncode == 0
    doc = library / "harbour.txt"
    doc.write_text(doc.read_text("utf-8").replace(quote, "Talks went on."), "utf-8")
    assert run("--db", store, "import", str(library)).returncode == 0  # now an orphan
    out = library.parent / "notes.jsonld"
    assert run("--db", store, "export", "--format", "w3c", "--output", str(out)).returncode == 0
    back = run("--db", store, "import-annotations", str(out))
    assert back.returncode == 0, back.stderr
    assert "quote not found" not in back.stderr and "1 unchanged" in back.stdout
