"""Records read back as written: every field of a highlight survives to_dict/from_dict."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.models import (
    ANCHOR_STATUSES,
    COLORS,
    DOCUMENT_ORDER,
    Annotation,
    sort_in_document_order,
)

text = st.text(max_size=20)
maybe = st.one_of(st.none(), text)


@given(
    st.builds(
        Annotation,
        id=st.text(min_size=1, max_size=10),
        article_id=st.text(min_size=1, max_size=10),
        quote=text,
        start=st.integers(0, 10_000),
        end=st.integers(0, 10_000),
        prefix=text,
        suffix=text,
        note=text,
        tags=st.lists(st.text(min_size=1, max_size=8), max_size=3),
        color=st.sampled_from(COLORS),
        status=st.sampled_from(ANCHOR_STATUSES),
        created=text,
        updated=text,
        original_quote=maybe,
        text_hash=maybe,
        deleted=maybe,
        revision=st.integers(0, 1000),
    )
)
def test_a_highlight_reads_back_as_it_was_written(annotation: Annotation) -> None:
    assert Annotation.from_dict(annotation.to_dict()) == annotation


def test_odd_stored_values_read_as_text() -> None:
    """A hand-edited file: a number where text belongs is its text, never an int."""
    read = Annotation.from_dict({"id": "a", "article_id": "b", "deleted": 5, "tags": None})
    assert read.deleted == "5"
    assert read.tags == []
    assert read.status == "anchored"


@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 9), st.sampled_from(["", "2025", "2024"])),
        max_size=40,
    )
)
def test_document_order_is_start_end_created_then_id(places: list[tuple[int, int, str]]) -> None:
    """Highlights sharing a start (or more) still come out in the whole order."""
    notes = [
        Annotation(f"h{n % 7}-{n}", "a", "q", start, start + length, created=created)
        for n, (start, length, created) in enumerate(places)
    ]
    ordered = list(notes)
    sort_in_document_order(ordered)
    assert ordered == sorted(notes, key=DOCUMENT_ORDER)
