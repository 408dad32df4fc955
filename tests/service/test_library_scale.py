"""Behaviour of the command-line paths made fast for large libraries (no timings here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.service import exporting, parse_workers
from reader.service import sync as library_sync
from reader.service.library import Library, LibraryError

DOCS = {
    "harbour.txt": """Harbour Crane Operators Vote to Extend Night Shifts
March 3, 2025
Reprinted from The Quay Gazette
Crane operators at the eastern harbour voted on Monday to extend night shifts.
The union said the vote passed by a wide margin after “two weeks” of talks.
Shipping lines welcomed the decision, saying it would shorten waiting times.
""",
    "trams.txt": """City Trams Return to the Old Bridge
April 9, 2025
Reprinted from The Daily Ledger
The first tram crossed the old bridge on Tuesday after two years of repairs.
Riders said the shorter route would save them ten minutes each morning.
""",
}


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    opened = Library.open(folder, tmp_path / "store")
    opened.sync()
    return opened


def _by_title(library: Library, start: str) -> str:
    return next(s.id for s in library.articles() if s.title.startswith(start))


def test_imported_annotations_keep_the_text_they_stand_on(library: Library) -> None:
    harbour, trams = _by_title(library, "Harbour"), _by_title(library, "City")
    records = [
        {"article_id": harbour, "quote": "extend night shifts"},
        {"article_id": harbour, "quote": "Shipping lines welcomed"},
        {"article_id": trams, "quote": "ten minutes each morning", "tags": ["commute"]},
    ]
    report = exporting.import_annotations(library, records)
    assert (report.added, report.errors) == (3, [])
    # an export whose records lost their text hash gets the snapshot back on re-import
    exported = [a.to_dict() | {"text_hash": None} for a in library.all_annotations()]
    again = exporting.import_annotations(library, exported)
    assert (again.imported, again.errors) == (3, [])
    notes = library.all_annotations()
    assert len(notes) == 3
    for note in notes:
        text = library.store.get_text(note.text_hash or "")
        assert text == library.article(note.article_id).text  # type: ignore[union-attr]
        assert text[note.start : note.end] == note.quote


def test_annotate_without_an_article_finds_a_quote_typed_differently(library: Library) -> None:
    # capitals and straight quotes for curly ones: only the folded comparison finds it
    note = library.annotate_quote('BY A WIDE MARGIN AFTER "TWO WEEKS"').annotation
    assert note.article_id == _by_title(library, "Harbour")
    assert note.quote == "by a wide margin after “two weeks”"
    with pytest.raises(LibraryError, match="found in 2 articles"):
        library.annotate_quote("two")
    with pytest.raises(LibraryError, match="not found"):
        library.annotate_quote("a quote that is nowhere")


def test_annotate_with_an_article_id_or_title(library: Library) -> None:
    trams = _by_title(library, "City")
    first = library.annotate_quote("old bridge", article=trams)
    assert first.annotation.article_id == trams and first.outcome == "new"
    again = library.annotate_quote("old bridge", article="city trams")
    # the same passage again: the highlight it already has, not a duplicate
    assert again.outcome == "exists" and again.annotation.id == first.annotation.id
    with pytest.raises(LibraryError, match="quote not found"):
        library.annotate_quote("night shifts", article=trams)


def test_an_import_saved_in_many_batches_keeps_every_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "many"
    for number in range(30):
        path = folder / f"{number % 4}" / f"clip{number}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Headline {number}\nMay 1, 2025\nBody of clipping {number}.\n")
    monkeypatch.setattr(library_sync, "BATCH_BYTES", 100)  # a flush every file or two
    opened = Library.open(folder, tmp_path / "store")
    assert opened.sync().added == 30
    paths = {s.path for s in opened.articles()}
    assert paths == {f"{n % 4}/clip{n}.txt" for n in range(30)}
    assert opened.sync().unchanged == 30


def test_symlinks_are_named_by_their_link_path_and_never_collide(tmp_path: Path) -> None:
    for name, title in (("one", "First Linked Story"), ("two", "Second Linked Story")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "real.txt").write_text(f"{title}\nMay 2, 2025\nA body of {name}.\n")
    folder = tmp_path / "docs"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    # two links in two folders whose targets share a file name: two documents
    (folder / "a" / "link.txt").symlink_to(tmp_path / "one" / "real.txt")
    (folder / "b" / "link.txt").symlink_to(tmp_path / "two" / "real.txt")
    (folder / "plain.txt").write_text("Plain Story\nMay 3, 2025\nA plain body.\n")
    (folder / "b" / "inside.txt").symlink_to(folder / "plain.txt")  # the same document again
    opened = Library.open(folder, tmp_path / "store")
    opened.sync()
    paths = {s.path: s.title for s in opened.articles()}
    assert paths == {
        "a/link.txt": "First Linked Story",
        "b/link.txt": "Second Linked Story",
        "plain.txt": "Plain Story",
    }


def _modules_after(args: list[str], tmp_path: Path) -> set[str]:
    """The heavy modules a ``reader`` command loaded (run in a fresh interpreter)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import sys, contextlib, io\n"
        "from reader.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({args!r})\n"
        "heavy = ('tinydb', 'filelock', 'textual', 'rapidfuzz', 'pysbd')\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules if m.startswith(heavy)})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_light_commands_load_only_what_they_use(library: Library, tmp_path: Path) -> None:
    from tests.conftest import SEED_FILE

    assert _modules_after(["parse", str(SEED_FILE)], tmp_path) == set()
    # listing reads the store but takes no lock
    assert _modules_after(["--db", str(library.store.root), "list"], tmp_path) == {"tinydb"}


def test_parsing_in_worker_processes_imports_exactly_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    for number in range(6):
        (folder / f"clip{number}.txt").write_text(
            f"Headline {number}\nMay {number + 1}, 2025\nReprinted from X\nBody {number}.\n"
        )
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (folder / "empty.txt").write_text("   \n")

    def imported(store: Path) -> tuple[list[str], list[tuple[str, str, str | None, str]]]:
        opened = Library.open(None, store)
        report = opened.import_paths([folder])
        rows = []
        for summary in opened.articles():
            article = opened.article(summary.id)
            assert article is not None
            rows.append((summary.path, summary.title, summary.date, article.text))
        return sorted(report.errors), rows

    monkeypatch.setattr(parse_workers, "PARALLEL_MIN_FILES", 10**9)
    alone = imported(tmp_path / "alone")
    monkeypatch.setattr(parse_workers, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(parse_workers, "PARALLEL_CHUNK", 3)
    assert imported(tmp_path / "workers") == alone
    assert len(alone[0]) == 2 and len(alone[1]) == 8

    # no process pool on this system (e.g. inside a Textual app, whose stderr has no file
    # descriptor): the import parses in its own process, with the same result
    def no_pool(*args: object, **kwargs: object) -> None:
        raise ValueError("bad value(s) in fds_to_keep")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert imported(tmp_path / "no-pool") == alone
