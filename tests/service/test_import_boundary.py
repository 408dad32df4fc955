"""``import-annotations`` is a trust boundary: every field checked, nothing stored outside the
rules, the valid records imported and each rejected one named (issue 14)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.models import ANCHOR_STATUSES, COLORS, is_valid_id
from reader.export.validate import parse_time
from reader.service import exporting
from reader.service.library import Library
from tests.service.conftest import NIGHT_TRAINS

DOC = NIGHT_TRAINS
QUOTE = "the buffet car ran out of soup"


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "trains.txt").write_text(DOC, encoding="utf-8")
    opened = Library.open(folder, tmp_path / "store")
    opened.sync()
    return opened


def _article(library: Library) -> tuple[str, str]:
    summary = library.find_article("Night Trains")
    article = library.article(summary.id)
    assert article is not None
    return summary.id, article.text


def _full(library: Library, **fields: Any) -> dict[str, Any]:
    article_id, text = _article(library)
    start = text.index(QUOTE)
    record = {
        "id": "h1",
        "article_id": article_id,
        "quote": QUOTE,
        "start": start,
        "end": start + len(QUOTE),
        "note": "n",
        "tags": [],
        "color": "yellow",
        "status": "anchored",
        "created": "2025-01-01T00:00:00+00:00",
        "updated": "2025-01-01T00:00:00+00:00",
    }
    record.update(fields)
    return record


def test_tags_as_one_text_are_split_on_commas(library: Library) -> None:
    report = exporting.import_annotations(library, [_full(library, tags="a,b")])
    assert report.errors == []
    assert library.all_annotations()[0].tags == ["a", "b"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("note", {"a": 1}, "note: not text (dict)"),
        ("text_hash", 5, "text_hash: not a hash (5)"),
        ("deleted", 5, "deleted: not a time (5)"),
        ("updated", "yesterday", "updated: not an ISO 8601 time ('yesterday')"),
        ("start", -1, "start: negative (-1)"),
        ("end", True, "end: not an integer (True)"),
        ("status", "lost", "status: not one of anchored, fuzzy, orphaned ('lost')"),
        ("article_id", "../x", "article_id: not an article id ('../x')"),
        ("quote", "\x1b[2J", "missing quote"),
    ],
)
def test_a_bad_field_rejects_its_record_by_name_and_the_rest_is_imported(
    library: Library, field: str, value: Any, message: str
) -> None:
    good = _full(library, id="good")
    bad = _full(library, id="bad", **{field: value})
    report = exporting.import_annotations(library, [good, bad])
    assert report.errors == [f"record 1: {message}"]
    assert [a.id for a in library.all_annotations(include_deleted=True)] == ["good"]


def test_offsets_that_disagree_with_the_quote_are_re_anchored_or_orphaned(
    library: Library,
) -> None:
    _, text = _article(library)
    records = [
        _full(library, id="past", start=10**9, end=10**9 + 30),
        _full(library, id="shifted", start=3, end=3 + len(QUOTE)),
        _full(library, id="gone", quote="a quote this article never had", start=0, end=30),
    ]
    report = exporting.import_annotations(library, records)
    assert report.errors == [] and report.added == 3
    stored = {a.id: a for a in library.all_annotations()}
    for ident in ("past", "shifted"):
        note = stored[ident]
        assert note.status == "anchored" and text[note.start : note.end] == QUOTE
    assert stored["gone"].status == "orphaned" and stored["gone"].end <= len(text)
    assert any("record 2: quote not found in article" in line for line in report.notices)


def test_duplicate_ids_import_the_newer_and_say_so(library: Library) -> None:
    newer = _full(library, note="newer", updated="2025-03-01T00:00:00+00:00")
    older = _full(library, note="older", updated="2025-02-01T00:00:00+00:00")
    report = exporting.import_annotations(library, [newer, older])
    assert (report.imported, report.errors) == (1, [])
    assert [a.note for a in library.all_annotations()] == ["newer"]
    assert report.notices == [
        "record 1: same id h1 as record 0; imported record 0, the one updated last"
    ]


def test_an_older_export_never_replaces_newer_notes(library: Library) -> None:
    exporting.import_annotations(library, [_full(library, note="first")])
    library.set_note("h1", "written later")
    report = exporting.import_annotations(library, [_full(library, note="first")])
    assert library.all_annotations()[0].note == "written later"
    assert report.kept == 1 and "newer in this library" in report.notices[0]
    newer = _full(library, note="from elsewhere", updated="2999-01-01T00:00:00+00:00")
    assert exporting.import_annotations(library, [newer]).updated == 1
    assert library.all_annotations()[0].note == "from elsewhere"


def test_a_record_as_old_as_the_library_s_is_kept_out_without_calling_the_library_newer(
    library: Library,
) -> None:
    exporting.import_annotations(library, [_full(library, note="first")])
    # the same revision (same time) with a field the library holds differently: a W3C
    # export carries fewer fields than the library, so this is what re-importing one does
    same_time = _full(library, note="first", color="green")
    report = exporting.import_annotations(library, [same_time])
    assert library.all_annotations()[0].color == "yellow"
    assert report.kept == 1
    assert "is as new in this library" in report.notices[0]  # was "is newer": untrue
    assert "newer version" not in report.summary()
    assert "kept the library's version of 1 (the file's was not newer)" in report.summary()


def test_an_id_reader_cannot_use_gets_a_stable_stand_in(library: Library) -> None:
    record = _full(library, id="x -->\n<img src=y onerror=alert(4)>\n<!-- y")
    first = exporting.import_annotations(library, [record])
    assert first.added == 1 and "imported as h" in first.notices[0]
    again = exporting.import_annotations(library, [record])
    assert (again.added, again.unchanged) == (0, 1)
    (stored,) = library.all_annotations()
    assert is_valid_id(stored.id)


def test_an_id_of_another_articles_highlight_is_refused(library: Library, tmp_path: Path) -> None:
    exporting.import_annotations(library, [_full(library)])
    other = tmp_path / "docs" / "other.txt"
    other.write_text(DOC.replace("Night Trains", "Day Buses"), encoding="utf-8")
    library.sync()
    second = next(s.id for s in library.articles() if s.title.startswith("Day"))
    report = exporting.import_annotations(library, [_full(library, article_id=second)])
    assert report.errors and "another article" in report.errors[0]


def test_cli_names_each_rejected_record_and_deep_json_is_one_line(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps([_full(library), _full(library, id="b", tags=7)]))
    db = ["--db", str(library.store.root)]
    assert main([*db, "import-annotations", str(source)]) == 1
    out, err = capsys.readouterr()
    assert err == "reader: record 1: tags: not a list of text (int); not imported\n"
    assert "imported 1 annotation (1 new); 1 rejected (the rest of the file was imported)" in out
    source.write_text("[" * 100_000 + "]" * 100_000)
    assert main([*db, "import-annotations", str(source)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and "nested too deeply" in err and err.count("\n") == 1


# --- random records ------------------------------------------------------------------

_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10**10)
    | st.floats(allow_nan=True)
    | st.text(max_size=12)
    | st.sampled_from([QUOTE, "yellow", "blue", "orphaned", "2025-01-01", "a,b", "h1", "\x1b[2J"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_KEYS = st.sampled_from(
    ["id", "article_id", "quote", "start", "end", "prefix", "suffix", "note", "tags", "color",
     "status", "created", "updated", "deleted", "original_quote", "text_hash", "type"]
)  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_records_never_crash_and_nothing_breaks_the_rules(
    library: Library, data: st.DataObject
) -> None:
    article_id, text = _article(library)
    records = []
    for _ in range(data.draw(st.integers(1, 4))):
        record = _full(library) if data.draw(st.booleans()) else {}
        if data.draw(st.booleans()):
            record["article_id"] = article_id
        record.update(data.draw(st.dictionaries(_KEYS, _VALUES, max_size=5)))
        records.append(record)
    report = exporting.import_annotations(library, records)
    assert len(report.errors) <= len(records)
    live = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    for note in library.all_annotations(include_deleted=True):
        assert is_valid_id(note.id) and note.article_id == article_id
        assert 0 <= note.start <= note.end <= len(text)
        assert note.color in COLORS and note.status in ANCHOR_STATUSES
        if note.status != "orphaned":
            assert text[note.start : note.end] == note.quote
        assert note.deleted is None or parse_time(note.deleted) is not None
        for value in (note.note, note.quote, *note.tags):
            assert isinstance(value, str) and live.search(value) is None
    library.trash()  # sorting the trash never meets a non-text time


def test_an_import_too_big_for_the_journal_says_it_cannot_be_undone(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal is rewritten with every later change: one entry of 100,000 highlights
    made every annotate twice as slow. A bigger import is not journalled, and says so."""
    from reader.service import importing

    small = exporting.import_annotations(library, [_full(library, id="one")])
    assert [e["action"] for e in library.store.journal()["undo"]] == ["import"]
    monkeypatch.setattr(importing, "UNDOABLE_IMPORT", 1)
    big = exporting.import_annotations(
        library, [_full(library, id="two"), _full(library, id="three")]
    )
    assert big.added == 2 and any("too many for `reader undo`" in n for n in big.notices)
    assert not any("too many" in n for n in small.notices)
    assert [e["action"] for e in library.store.journal()["undo"]] == ["import"]  # no new one
