"""JSON export/import: lossless round trip and a forgiving importer."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.clean import clean_field
from reader.core.models import COLORS, Annotation, ArticleSummary
from reader.export.jsonfmt import export_json, parse_import
from reader.export.w3c import from_w3c, to_w3c

FULL = Annotation(
    id="a1",
    article_id="art1",
    quote="strategic partnership",
    start=5,
    end=26,
    prefix="the ",
    suffix=" between",
    note="multi\nline ✓",
    tags=["treaty", "iran"],
    color="green",
    status="fuzzy",
    created="2025-01-17T09:30:00+00:00",
    updated="2025-01-18T09:30:00+00:00",
    original_quote="strategic partnershp",
    text_hash="abc123",
    deleted="2025-01-19T09:30:00+00:00",
)


def test_export_has_every_model_field_and_the_title() -> None:
    data = export_json([FULL], {"art1": "Iran–Russia pact"})
    assert data["version"] == 2  # 2 added the articles beside the highlights
    (item,) = data["annotations"]
    assert item["article_title"] == "Iran–Russia pact"
    for key in FULL.to_dict():
        assert item[key] == FULL.to_dict()[key], key


def test_export_import_round_trip_through_json_text() -> None:
    text = json.dumps(export_json([FULL], {"art1": "T"}), ensure_ascii=False)
    records, errors = parse_import(json.loads(text))
    assert errors == []
    (record,) = records
    assert record.kind == "full"
    assert record.annotation == FULL


_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    # what reader stores is clean (control characters never are): that round-trips exactly
    quote=_text.map(clean_field).filter(str.strip),
    note=_text.map(clean_field),
    tags=st.lists(st.from_regex(r"[a-z0-9-]{1,10}", fullmatch=True), max_size=3, unique=True),
    color=st.sampled_from(COLORS),
    status=st.sampled_from(("anchored", "fuzzy", "orphaned")),
    start=st.integers(0, 1000),
    length=st.integers(0, 100),
    deleted=st.none() | st.just("2025-01-01T00:00:00+00:00"),
    original=st.none() | _text.map(clean_field),
)
def test_any_annotation_round_trips_losslessly(
    quote: str,
    note: str,
    tags: list[str],
    color: str,
    status: str,
    start: int,
    length: int,
    deleted: str | None,
    original: str | None,
) -> None:
    annotation = Annotation(
        id="x",
        article_id="y",
        quote=quote,
        start=start,
        end=start + length,
        note=note,
        tags=tags,
        color=color,
        status=status,  # type: ignore[arg-type]
        deleted=deleted,
        original_quote=original,
    )
    text = json.dumps(export_json([annotation], {}))
    records, errors = parse_import(json.loads(text))
    assert errors == [] and records[0].annotation == annotation


def test_bare_list_and_minimal_records() -> None:
    records, errors = parse_import(
        [
            {
                "article_id": "art1",
                "quote": "pact",
                "note": "n",
                "tags": ["#Big Deal"],
                "color": "blue",
            },
            {"article_id": "art1", "quote": "only a quote"},
        ]
    )
    assert errors == []
    assert [r.kind for r in records] == ["minimal", "minimal"]
    assert records[0].tags == ["big-deal"] and records[0].color == "blue"
    assert records[1].color == "yellow" and records[1].note == "" and records[1].tags == []


def test_bad_records_are_reported_by_index_and_good_ones_kept() -> None:
    data = [
        {"article_id": "a", "quote": "good"},
        "just a string",
        {"article_id": "a"},
        {"article_id": "a", "quote": "x", "color": "orange"},
        {"quote": "no article"},
        {"article_id": "a", "quote": "x", "tags": [1, 2]},
        {"id": "1", "article_id": "a", "quote": "q", "start": "zero", "end": 3},
        {"id": "1", "article_id": "a", "quote": "q", "start": 9, "end": 3},
        {"type": "Annotation", "target": "http://example.org/page"},
    ]
    records, errors = parse_import(data)
    assert len(records) == 1 and records[0].quote == "good" and records[0].index == 0
    assert errors[0].startswith("record 1: not an object")
    assert "record 2: missing quote" in errors
    assert any(e.startswith("record 3: color: unknown color") for e in errors)
    assert "record 4: missing article_id" in errors
    assert any(e.startswith("record 5: tags") for e in errors)
    assert "record 6: start: not an integer ('zero')" in errors
    assert "record 7: start/end: out of order (9 > 3)" in errors
    assert any(e.startswith("record 8:") for e in errors)
    assert len(errors) == 8


def test_top_level_that_is_not_a_container_is_one_error() -> None:
    for value in (None, 3, "text", 2.5, True):
        records, errors = parse_import(value)
        assert records == [] and len(errors) == 1


def test_unknown_version_is_refused_clearly() -> None:
    records, errors = parse_import({"version": 99, "annotations": []})
    assert records == [] and "version" in errors[0]


_KEYS = [
    "id",
    "article_id",
    "quote",
    "start",
    "end",
    "tags",
    "color",
    "note",
    "type",
    "target",
    "body",
    "selector",
    "first",
    "items",
    "annotations",
    "version",
    "exact",
    "source",
    "status",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS), children, max_size=6)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_parse_import_never_raises(data: Any) -> None:
    records, errors = parse_import(data)
    assert isinstance(records, list) and isinstance(errors, list)


def test_w3c_collection_imports_with_selectors_and_colour() -> None:
    article = ArticleSummary(id="art1", title="T")
    live = Annotation(**{**FULL.to_dict(), "deleted": None, "status": "anchored"})
    plain = Annotation(id="b", article_id="art1", quote="other", start=40, end=45)
    records, errors = parse_import(to_w3c([live, plain], {"art1": article}))
    assert errors == []
    first, second = records
    assert first.kind == "w3c" and first.article_id == "art1" and first.id == "a1"
    assert (first.quote, first.prefix, first.suffix) == (live.quote, live.prefix, live.suffix)
    assert (first.start, first.end) == (5, 26)
    assert first.note == live.note and first.tags == live.tags and first.color == "green"
    assert first.created == live.created and first.modified == live.updated
    assert second.note == "" and second.tags == [] and second.color == "yellow"


def test_foreign_w3c_annotation_is_read() -> None:
    """A Hypothesis-style annotation: string body, tagging body, no positions."""
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno/7",
        "type": "Annotation",
        "bodyValue": "Interesting",
        "target": {
            "source": "http://example.com/article",
            "selector": {"type": "TextQuoteSelector", "exact": "the pact"},
        },
    }
    fields = from_w3c(item)
    assert fields["article_id"] is None and fields["source"] == "http://example.com/article"
    assert fields["quote"] == "the pact" and fields["note"] == "Interesting"
    assert fields["start"] is None and fields["id"] == "http://example.org/anno/7"
    records, errors = parse_import({"type": "AnnotationPage", "items": [item]})
    assert errors == [] and records[0].kind == "w3c" and records[0].article_id is None


def test_orphaned_export_has_no_position_but_keeps_the_quote() -> None:
    orphan = Annotation(id="o", article_id="a", quote="gone", start=3, end=7, status="orphaned")
    records, _ = parse_import(to_w3c([orphan], {}))
    assert records[0].quote == "gone" and records[0].start is None


def test_trashed_highlights_stay_out_of_w3c_but_in_json() -> None:
    assert to_w3c([FULL], {})["total"] == 0
    assert len(export_json([FULL], {})["annotations"]) == 1
