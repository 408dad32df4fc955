"""Damaged stores are never a dead end (issue 14): ``reader restore`` rebuilds what has no
backup and says what it did and checked; one unreadable shard does not stop an export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main

DOCS = {
    "harbour.txt": "Harbour Crane Operators Vote\nMarch 3, 2025\n"
    "Crane operators at the eastern harbour voted on Monday to extend night shifts.\n",
    "trams.txt": "City Trams Run Late\nApril 4, 2025\n"
    "The trams ran ten minutes late each morning this week, the city said.\n",
}


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store after one import and one highlight per article: most files written once."""
    monkeypatch.delenv("READER_DB", raising=False)
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    assert main(["--db", str(store), "import", str(folder)]) == 0
    for quote, note in (("voted on Monday", "keep me"), ("ten minutes late", "me too")):
        assert main(["--db", str(store), "annotate", "--quote", quote, "--note", note]) == 0
    return store


def _listing(db: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert main(["--db", str(db), "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["articles"]


def test_files_without_backups_are_rebuilt_and_restore_says_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _listing(db, capsys)
    files = sum(1 for path in db.rglob("*.json") if "pending" not in path.parts)
    damaged = [db / "catalog.json", db / "files.json", *(db / "marks").glob("*.json")]
    assert not any(Path(f"{path}.bak").exists() for path in damaged)  # written only once
    for path in damaged:
        path.write_bytes(path.read_bytes()[:10])
    assert main(["--db", str(db), "list"]) == 1
    capsys.readouterr()
    assert main(["--db", str(db), "restore"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "rebuilt catalog.json (no backup) from the article shards" in out[0]
    assert any(line.startswith("rebuilt marks/") for line in out)
    assert out[-1] == f"checked {files} store files in {db}: {len(damaged)} unreadable"
    assert _listing(db, capsys) == before  # counts too
    for path in damaged:  # the damaged file is kept beside its name, never deleted
        assert list(path.parent.glob(f"{path.name}.corrupt-*"))
    assert main(["--db", str(db), "restore"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said == [
        f"rebuilt the search index ({len(before)} articles)",
        f"checked {files} store files in {db}: all readable, nothing to restore",
    ]


def test_a_lost_article_shard_comes_back_on_import_with_its_highlights(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _listing(db, capsys)
    for shard in (db / "articles").glob("*.json"):
        shard.write_text("{")
    assert main(["--db", str(db), "restore"]) == 0
    assert main(["--db", str(db), "import", str(tmp_path / "docs")]) == 0
    assert _listing(db, capsys) == before


def test_an_unreadable_annotation_shard_does_not_stop_export(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = sorted((db / "annotations").glob("*.json"))
    first.write_text("{not json")
    out = tmp_path / "out.json"
    capsys.readouterr()
    assert main(["--db", str(db), "export", "--output", str(out)]) == 1
    wrote, damaged = capsys.readouterr().err.splitlines()
    assert wrote.startswith("wrote 1 highlight to ")
    assert first.name in damaged and damaged.endswith("its highlights are not in this export")
    (kept,) = json.loads(out.read_text())["annotations"]
    assert kept["article_id"] == second.stem
    # restore says plainly what it cannot bring back, keeps the file, and the rest works
    assert main(["--db", str(db), "restore"]) == 1
    said = capsys.readouterr().out
    assert f"cannot restore annotations/{first.name}: no backup" in said
    assert list((db / "annotations").glob(f"{first.name}.corrupt-*"))
    assert main(["--db", str(db), "export"]) == 0


def test_restore_rebuilds_the_search_index(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The index is derived data: lost or damaged, ``restore`` builds it from the shards."""
    (db / "search.sqlite").write_bytes(b"garbage" * 50)
    for extra in db.glob("search.sqlite-*"):
        extra.unlink()
    assert main(["--db", str(db), "restore"]) == 0
    assert "rebuilt the search index (2 articles)" in capsys.readouterr().out
    assert main(["--db", str(db), "list", "--json", "--search", "night shi"]) == 0
    found = json.loads(capsys.readouterr().out)["articles"]
    assert [a["title"] for a in found] == ["Harbour Crane Operators Vote"]


def test_a_damaged_review_partition_is_rebuilt_not_called_lost(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (partition,) = (db / "review" / "new").glob("*.json")
    partition.write_text("{")
    Path(f"{partition}.bak").unlink()  # and no good version to go back to
    capsys.readouterr()
    assert main(["--db", str(db), "restore"]) == 0
    said = capsys.readouterr().out
    name = f"review/new/{partition.name}"
    assert f"rebuilt {name} (no backup) from the highlights and their review cards" in said
    assert "cannot restore" not in said
    assert main(["--db", str(db), "review", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["queue"]) == 2  # both highlights again
