"""Annotation shards read straight into annotations (reader.store.shard_cache).

What a person would notice: every highlight of an article comes back as written, whatever
wrote the file (reader, an older reader, another tool), and a change made by another
process shows, while an unchanged file is not read again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.models import DOCUMENT_ORDER, Annotation
from reader.store import Store
from reader.store.shard_cache import SHARD_CACHE, read_shard
from reader.store.storage import StoreCorrupt
from tests.store.conftest import make_note

TEXT = st.text(max_size=6)
#: field values as reader writes them, and as other writers have (None, ints, bools, "")
ODD: dict[str, Any] = {
    "quote": st.one_of(TEXT, st.integers(-3, 3)),
    "start": st.one_of(st.integers(0, 40), st.booleans(), st.just("7")),
    "end": st.integers(0, 60),
    "prefix": TEXT,
    "note": st.one_of(TEXT, st.none()),
    "tags": st.one_of(st.lists(TEXT, max_size=2), st.none(), st.lists(st.integers(0, 3))),
    "color": st.one_of(st.sampled_from(["yellow", "blue", ""]), st.none()),
    "status": st.sampled_from(["anchored", "fuzzy", "orphaned", "lost", 3]),
    "created": st.sampled_from(["", "2025-01-14T10:00:00+00:00", "2025-01-15T10:00:00+00:00"]),
    "original_quote": st.one_of(st.none(), TEXT, st.integers(0, 3)),
    "text_hash": st.one_of(st.none(), st.just("abc123")),
    "deleted": st.one_of(st.none(), st.just("2025-02-01T00:00:00+00:00"), st.just(5)),
    "revision": st.one_of(st.integers(0, 4), st.none()),
    "extra": st.integers(0, 3),  # a field reader does not know
}


#: field values of the types reader writes (some of them values reader itself never writes)
TYPED: dict[str, Any] = {
    "quote": TEXT,
    "start": st.integers(0, 40),
    "end": st.integers(0, 60),
    "prefix": TEXT,
    "note": TEXT,
    "tags": st.lists(TEXT, max_size=2),
    "color": st.sampled_from(["yellow", "blue", ""]),
    "status": st.sampled_from(["anchored", "fuzzy", "orphaned"]),
    "created": ODD["created"],
    "original_quote": st.one_of(st.none(), TEXT),
    "text_hash": ODD["text_hash"],
    "deleted": st.one_of(st.none(), st.just("2025-02-01T00:00:00+00:00"), st.just("")),
    "revision": st.integers(0, 4),
    "extra": st.integers(0, 3),
}
REQUIRED = ("quote", "start", "end")


@st.composite
def records(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A shard's records: all of them as reader writes them, or some odd ones."""
    typed = draw(st.booleans())
    count = draw(st.integers(0, 6))
    out = []
    for n in range(count):
        record: dict[str, Any] = {"id": f"h{n}", "article_id": "a1"}
        for name, values in (TYPED if typed else ODD).items():
            if (typed and name in REQUIRED) or draw(st.booleans()):  # present or missing
                record[name] = draw(values)
        out.append(record)
    return out


def write_shard(path: Path, docs: list[dict[str, Any]]) -> None:
    path.write_text(
        json.dumps({"annotations": {str(n + 1): doc for n, doc in enumerate(docs)}}),
        encoding="utf-8",
    )


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=records())
def test_a_shard_reads_as_from_dict_reads_each_record(tmp_path: Path, docs: list[dict]) -> None:
    """Whichever way a shard is decoded (straight into annotations when every field is as
    reader writes it, record by record otherwise), the highlights are the same."""
    path = tmp_path / "shard.json"
    write_shard(path, docs)
    expected = sorted((Annotation.from_dict(doc) for doc in docs), key=DOCUMENT_ORDER)
    assert list(read_shard(path, "annotations") or ()) == expected


def test_values_repeated_through_a_shard_are_kept_once(tmp_path: Path) -> None:
    path = tmp_path / "shard.json"
    docs = [make_note(f"h{n}", "a1", start=n, color="green").to_dict() for n in range(50)]
    write_shard(path, docs)
    found = read_shard(path, "annotations") or ()
    assert len(found) == 50
    assert len({id(a.article_id) for a in found}) == 1
    assert len({id(a.color) for a in found}) == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty file"),
        ('{"annotations": {"1": {"id": "h1", "article_id": "a1"', "invalid JSON"),
        ('{"annotations": {"1": {"note": "no id"}}}', "no id or article"),
        ('{"annotations": [1, 2]}', "not a table"),
        ('{"annotations": {"1": {"id": "h1", "article_id": "a1", "start": "x"}}}', "not valid"),
    ],
)
def test_a_damaged_shard_is_reported_not_misread(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "shard.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoreCorrupt, match=reason):
        read_shard(path, "annotations")


def test_an_unchanged_shard_is_not_read_again_and_a_change_shows(store: Store) -> None:
    store.put_annotations([make_note(f"h{n}", "a1", start=n) for n in range(3)])
    first = store.annotations_for("a1")
    again = store.annotations_for("a1")
    assert [a.id for a in first] == ["h0", "h1", "h2"]
    assert all(a is b for a, b in zip(first, again, strict=True))  # the file was not read

    # another process (another Store on the same folder) changes a note
    other = Store(store.paths.root)
    changed = other.annotations_for("a1")[1]
    other.put_annotation(Annotation.from_dict({**changed.to_dict(), "note": "from elsewhere"}))
    assert [a.note for a in store.annotations_for("a1")] == ["", "from elsewhere", ""]


def test_get_annotation_gives_a_copy_of_its_own(store: Store) -> None:
    store.put_annotations([make_note("h1", "a1"), make_note("h2", "a1", start=20)])
    found = store.get_annotation("h2")
    assert found is not None and found.start == 20
    found.note = "changed here only"
    assert store.annotations_for("a1")[1].note == ""
    assert store.get_annotation("nope") is None


def test_the_cache_forgets_the_oldest_shards(tmp_path: Path) -> None:
    SHARD_CACHE.clear()
    store = Store(tmp_path / "store")
    for n in range(20):
        store.put_annotation(make_note(f"h{n}", f"a{n}"))
    first = store.annotations_for("a0")
    for n in range(1, 20):
        store.annotations_for(f"a{n}")
    again = store.annotations_for("a0")
    assert again == first and again[0] is not first[0]  # read again, still right


def test_a_change_reads_the_highlights_as_stored_now(store: Store) -> None:
    """What an edit reads under the lock: another process's change made just before, and
    its own change made earlier in the same transaction."""
    store.put_annotations([make_note("h1", "a1"), make_note("h2", "a1", start=20)])
    assert [a.note for a in store.annotations_for("a1")] == ["", ""]  # now in the cache
    other = Store(store.paths.root)
    first = other.annotations_for("a1")[0]
    other.put_annotation(Annotation.from_dict({**first.to_dict(), "note": "theirs"}))
    with store.edit() as edit:
        assert [a.note for a in edit.annotations("a1")] == ["theirs", ""]
        edit.put(make_note("h3", "a1", start=40))
        assert sorted(a.id for a in edit.annotations("a1")) == ["h1", "h2", "h3"]
    assert [a.id for a in store.annotations_for("a1")] == ["h1", "h2", "h3"]
