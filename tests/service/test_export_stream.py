"""Exports written as a stream (issue 19): the same documents as built whole, and a failure
half-way leaves the old file (or none) and no temporary file."""

from __future__ import annotations

import errno
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.models import COLORS, Annotation
from reader.export.jsonfmt import export_json
from reader.export.markdown import render_article
from reader.export.w3c import to_w3c
from reader.service import exporting
from reader.service.articles import article_record, set_article_note
from reader.service.export_stream import Highlights
from reader.service.library import Library
from reader.store import StoreError, storage
from tests.export.w3c_suite import SUITE, failures

WORDS = ["harbour", "crane", "night", "shift", "union", "vote", "tram", "bridge", "river"]
ODD = [
    "Zürich « café » — 東京 🚀",
    "bidi \u202e reversed",
    'quotes "and" \\ slashes',
    "line\nbreak",
]


def _document(rng: random.Random, number: int) -> str:
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))).capitalize() + "."
        for _ in range(rng.randint(4, 9))
    ]
    return f"Clipping Number {number}\nMarch {number + 1}, 2025\n\n" + "\n\n".join(paragraphs)


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    """Eight clippings, 600 highlights (odd text in notes and tags), notes and tags on some
    articles, one highlight in the trash, one article without highlights."""
    rng = random.Random(19)
    folder = tmp_path / "docs"
    folder.mkdir()
    for number in range(8):
        (folder / f"clip{number}.txt").write_text(_document(rng, number), encoding="utf-8")
    opened = Library.open(folder, tmp_path / "store")
    opened.sync()
    summaries = opened.articles()
    notes = []
    for number in range(600):
        summary = rng.choice(summaries[:-1])  # the last article keeps none
        text = opened.article(summary.id).text  # type: ignore[union-attr]
        start, end = 0, 0
        while not text[start:end].strip() or text[start:end] != text[start:end].strip():
            start = rng.randrange(0, len(text) - 20)
            end = start + rng.randint(1, 20)
        notes.append(
            Annotation(
                id=f"note{number:04d}",
                article_id=summary.id,
                quote=text[start:end],
                start=start,
                end=end,
                note=rng.choice(["", *ODD, f"note {number}"]),
                tags=rng.sample(["a", "b", "ünï", "x-y"], rng.randint(0, 2)),
                color=rng.choice(COLORS),
                created=f"2025-01-{1 + number % 28:02d}T10:00:00+00:00",
            )
        )
    opened.store.put_annotations(notes)
    opened.delete("note0007")
    set_article_note(opened, summaries[0].id, "Whole article: " + ODD[0])
    opened.set_article_tags(summaries[1].id, ["weekly"])
    opened.set_article_tags(summaries[-1].id, ["unread"])  # named below, no highlight
    return opened


def _streamed(library: Library, fmt: str, path: Path, named: tuple[str, ...] = ()) -> str:
    code = exporting.export(library, Highlights.stored(library), fmt, path, named)
    assert code == 0
    return path.read_text(encoding="utf-8")


def _whole(library: Library, named: tuple[str, ...] = ()) -> tuple[list[Annotation], list]:  # type: ignore[type-arg]
    """Every live highlight, and the summaries that go out with them, held whole."""
    annotations = library.all_annotations()
    wanted = {a.article_id for a in annotations} | set(named)
    return annotations, [s for s in library.articles() if s.id in wanted]


def test_streamed_json_is_the_whole_document_and_imports_back(
    library: Library, tmp_path: Path
) -> None:
    named = (library.articles()[-1].id,)
    text = _streamed(library, "json", tmp_path / "out.json", named)
    annotations, summaries = _whole(library, named)
    titles = {s.id: s.title for s in library.articles()}
    whole = export_json(annotations, titles, [article_record(s) for s in summaries])
    assert json.loads(text) == whole
    assert len(whole["annotations"]) == 599 and len(whole["articles"]) == 8
    assert "\u202e" not in text  # bidi controls escaped: nothing live on a terminal
    # one record per line, as before
    assert text.count("\n") == 599 + 8 + 7
    # read back by import-annotations into a new store over the same documents
    fresh = Library.open(library.docs_root, tmp_path / "fresh")
    fresh.sync()
    report = exporting.import_file(fresh, json.loads(text))
    assert report.errors == [] and report.added == 599

    def fields(notes: list[Annotation]) -> list[tuple[object, ...]]:
        return [(a.id, a.quote, a.start, a.note, a.tags, a.color) for a in notes]

    assert fields(fresh.all_annotations()) == fields(annotations)


def test_streamed_w3c_is_the_whole_collection_and_passes_the_suite(
    library: Library, tmp_path: Path
) -> None:
    named = (library.articles()[-1].id,)
    text = _streamed(library, "w3c", tmp_path / "out.jsonld", named)
    annotations, summaries = _whole(library, named)
    articles = {s.id: s for s in library.articles()}
    collection = json.loads(text)
    assert collection == to_w3c(annotations, articles, whole_articles=summaries)
    assert collection["total"] == 599 + 3  # three articles carry a note or tags
    if SUITE.is_dir():
        assert failures("collections/collectionMusts.test", collection) == []
        assert failures("collections/pages/pageMusts.test", collection) == []
        for item in collection["first"]["items"][:50]:
            assert failures("annotations/annotationMusts.test", item) == []


def test_an_empty_w3c_stream_is_the_empty_collection(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "one.txt").write_text("One\nMarch 1, 2025\n\nNothing marked here.\n")
    library = Library.open(folder, tmp_path / "store")
    library.sync()
    collection = json.loads(_streamed(library, "w3c", tmp_path / "out.jsonld"))
    assert collection == to_w3c([], {}) and "first" not in collection


def test_streamed_markdown_is_the_whole_document(library: Library, tmp_path: Path) -> None:
    named = (library.articles()[-1].id,)
    text = _streamed(library, "markdown", tmp_path / "out.md", named)
    annotations, summaries = _whole(library, named)
    labels = library.settings.color_labels()
    mine = {s.id: [a for a in annotations if a.article_id == s.id] for s in summaries}
    assert text == "\n\n".join(render_article(s, mine[s.id], labels) for s in summaries)


@pytest.mark.parametrize("fmt", ["json", "w3c", "markdown"])
def test_a_listed_export_is_the_streamed_one(library: Library, tmp_path: Path, fmt: str) -> None:
    """``render`` (the TUI's export of a list in memory) writes the same text."""
    assert exporting.render(library, library.all_annotations(), fmt) == _streamed(
        library, fmt, tmp_path / "out"
    )


def test_the_command_line_streams_with_its_filters(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tagged.json"
    db = str(library.store.paths.root)
    assert main(["--db", db, "export", "--format", "json", "--tag", "b", "--output", str(out)]) == 0
    exported = json.loads(out.read_text("utf-8"))["annotations"]
    wanted = [a.id for a in library.all_annotations() if "b" in a.tags]
    assert [r["id"] for r in exported] == wanted and wanted
    assert f"wrote {len(wanted)} highlights" in capsys.readouterr().err
    assert main(["--db", db, "export", "--format", "json", "--query", "tag:b"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)["annotations"]] == wanted


# ------------------------------------------------------------- failures half-way


def _failing(pieces: int) -> Iterator[str]:
    """A stream that breaks after ``pieces`` pieces of 600 kB (past one write call)."""
    for _ in range(pieces):
        yield "x" * 600_000
    raise RuntimeError("the source broke")


@pytest.fixture(params=["unnamed", "named", "link refused"])
def writer_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way the atomic writer can go: O_TMPFILE named by a link, a named temp file
    (no O_TMPFILE), O_TMPFILE copied out where the filesystem refuses the link."""
    if request.param == "named":
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    elif request.param == "link refused":

        def refuse(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EXDEV, "Invalid cross-device link")

        monkeypatch.setattr(storage.os, "link", refuse)
    return str(request.param)


@pytest.mark.parametrize("existing", [True, False])
def test_a_source_failing_half_way_leaves_the_old_file_and_no_temp(
    tmp_path: Path, writer_path: str, existing: bool
) -> None:
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    if existing:
        target.write_text("the old export\n")
    with pytest.raises(RuntimeError, match="the source broke"):
        exporting.write_file(target, _failing(4))
    assert os.listdir(target.parent) == (["export.json"] if existing else [])
    if existing:
        assert target.read_text() == "the old export\n"


def test_a_full_disk_leaves_the_old_file_and_no_temp(
    tmp_path: Path, writer_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export.json"
    target.write_text("the old export\n")
    calls = []
    real = storage._write_all

    def full(fd: int, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(storage, "_write_all", full)
    with pytest.raises(StoreError, match=r"export\.json: cannot write \(No space left"):
        exporting.write_file(target, ("y" * 600_000 for _ in range(5)))
    assert os.listdir(tmp_path) == ["export.json"]
    assert target.read_text() == "the old export\n"


def test_a_whole_stream_is_written(tmp_path: Path, writer_path: str) -> None:
    target = tmp_path / "export.txt"
    target.write_text("old")
    target.chmod(0o640)
    exporting.write_file(target, (f"{n}\n" for n in range(300_000)))
    assert target.read_text().splitlines() == [str(n) for n in range(300_000)]
    assert os.listdir(tmp_path) == ["export.txt"]
    assert target.stat().st_mode & 0o777 == 0o640  # an existing file keeps its mode


def test_a_shard_failing_during_a_cli_export_keeps_the_old_file(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "keep" / "export.jsonld"
    target.parent.mkdir()
    target.write_text("the old export\n")
    store_class = type(library.store)
    real = store_class.annotation_groups

    def breaking(self, **options):  # type: ignore[no-untyped-def]
        groups = real(self, **options)
        yield next(groups)
        yield next(groups)
        raise StoreError("shard 3 is corrupt; run `reader restore` to repair it")

    monkeypatch.setattr(store_class, "annotation_groups", breaking)
    db = str(library.store.paths.root)
    for fmt in ("json", "w3c"):
        assert main(["--db", db, "export", "--format", fmt, "--output", str(target)]) == 1
        err = capsys.readouterr().err
        assert err == "reader: shard 3 is corrupt; run `reader restore` to repair it\n"
        assert target.read_text() == "the old export\n"
        assert os.listdir(target.parent) == ["export.jsonld"]


@pytest.mark.parametrize("fmt", ["json", "w3c", "markdown"])
def test_the_palettes_export_file_is_the_streamed_one(
    library: Library, tmp_path: Path, fmt: str
) -> None:
    from reader.ui.screens.exports import write_export

    path = write_export(library, library.all_annotations(), fmt, "all-highlights")
    assert path.parent == Path(library.store.root) / "exports"
    assert path.read_text("utf-8") == _streamed(library, fmt, tmp_path / "out")
    # "all highlights" from the palette reads the store shard by shard: the same file
    again = write_export(library, None, fmt, "all-highlights-streamed")
    assert again.read_text("utf-8") == path.read_text("utf-8")
