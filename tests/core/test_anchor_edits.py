"""The benchmark's edit generator keeps its ground truth straight."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import edits

TEXT = (
    "The council met on Tuesday. Members argued about the budget for hours.\n\n"
    "In the end the council approved the new budget by a narrow margin. Critics objected.\n\n"
    "The mayor said the money would go to schools and roads."
)


def tracked(*quotes: str) -> edits.EditedText:
    spans: list[edits.Span | None] = []
    for quote in quotes:
        start = TEXT.index(quote)
        spans.append((start, start + len(quote)))
    return edits.EditedText(TEXT, spans)


def passages(doc: edits.EditedText) -> list[str | None]:
    return [None if span is None else doc.text[span[0] : span[1]] for span in doc.spans]


def test_replace_shifts_stretches_and_drops_spans() -> None:
    doc = tracked("Members argued", "approved the new budget", "schools and roads")
    doc.replace(0, 0, "Intro. ")  # before everything: all shift
    doc.replace(doc.text.index("new budget"), doc.text.index("new budget") + 3, "revised")
    start = doc.text.index("The mayor")
    doc.replace(start, len(doc.text), "")  # the last paragraph goes, and its passage
    assert passages(doc) == ["Members argued", "approved the revised budget", None]


def test_swapping_paragraphs_carries_spans() -> None:
    doc = tracked("Members argued", "The mayor said")
    doc.swap_paragraphs(0, 2)
    assert passages(doc) == ["Members argued", "The mayor said"]
    assert doc.text.startswith("The mayor said")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32), st.sampled_from(sorted(edits.TARGETED) + sorted(edits.GLOBAL)))
def test_every_edit_keeps_untouched_spans_reading_the_same(seed: int, name: str) -> None:
    rng = random.Random(seed)
    doc = tracked("Members argued about the budget", "the money would go to schools")
    quotes = passages(doc)
    edit = edits.TARGETED.get(name) or edits.GLOBAL[name]
    context = edits.EditContext(["An inserted paragraph."], ["word", "other"], target=0)
    edit(doc, rng, context)
    # the second passage is never targeted: wherever it is now, it reads as before (up to
    # whitespace and quote characters, which these quotes do not have), unless its paragraph
    # was deleted
    second = passages(doc)[1]
    if second is not None:
        assert " ".join(second.split()) == quotes[1]
    if name == "delete passage":
        assert doc.spans[0] is None
        assert quotes[0] not in doc.text


def test_a_swap_that_tears_a_span_apart_keeps_its_larger_piece() -> None:
    doc = tracked("Members argued about the budget for hours.\n\nIn the end")
    doc.swap_paragraphs(1, 2)
    assert passages(doc) == ["Members argued about the budget for hours."]
