"""The word diff carries offsets from an old text to a new one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.anchor_diff import TextDiff

WORDS = ["alpha", "beta", "gamma", "delta", "north", "south", "river", "stone", "light"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=5, max_size=40))) + "."


@settings(max_examples=80, deadline=None)
@given(texts(), st.data())
def test_an_insertion_shifts_what_follows_and_nothing_else(old: str, data: st.DataObject) -> None:
    spaces = [i + 1 for i, c in enumerate(old) if c == " "]
    at = data.draw(st.sampled_from([0, *spaces]))
    inserted = "Quite unrelated words here. "
    new = old[:at] + inserted + old[at:]
    diff = TextDiff(old, new)
    starts = [0, *spaces]
    start = data.draw(st.sampled_from(starts))
    end = data.draw(st.sampled_from([i - 1 for i in spaces if i - 1 > start] + [len(old)]))
    shift = len(inserted) if start >= at else 0
    if start < at < end:
        return  # the insertion lands inside the passage: checked below
    mapped = (diff.map_start(start), diff.map_end(end))
    assert mapped == (start + shift, end + shift)
    assert new[mapped[0] : mapped[1]] == old[start:end]
    assert diff.survived(start, end) == 1.0


def test_text_inserted_inside_a_passage_stays_inside() -> None:
    old = "The council met on Tuesday and approved the budget after a debate."
    new = old.replace("approved", "finally, after much noise, approved")
    diff = TextDiff(old, new)
    start, end = old.index("met"), old.index(" after")
    assert new[diff.map_start(start) : diff.map_end(end)] == (
        "met on Tuesday and finally, after much noise, approved the budget"
    )


def test_a_deleted_passage_does_not_survive() -> None:
    old = "Keep this sentence. Delete this whole sentence right here. Keep that one too."
    new = "Keep this sentence. Keep that one too."
    diff = TextDiff(old, new)
    start = old.index("Delete")
    end = old.index("Keep that")
    assert diff.survived(start, end) == 0.0
    assert diff.map_span(start, end)[0] == diff.map_span(start, end)[1]


def test_a_repeated_sentence_keeps_the_passage_on_the_first_copy() -> None:
    sentence = "The vote was close."
    old = f"It was late. {sentence} Everyone went home."
    new = f"It was late. {sentence} {sentence} Everyone went home."
    diff = TextDiff(old, new)
    start = old.index(sentence)
    assert diff.map_span(start, start + len(sentence)) == (start, start + len(sentence))


def test_origin_and_unchanged_share_tell_new_text_from_old() -> None:
    old = "First paragraph stays. Second paragraph stays too."
    new = "First paragraph stays. A brand new paragraph arrives. Second paragraph stays too."
    diff = TextDiff(old, new)
    inserted = new.index("A brand")
    inserted_end = new.index(" Second")
    assert diff.unchanged_share(inserted, inserted_end) == 0.0
    assert diff.unchanged_share(0, len("First paragraph stays.")) == 1.0
    kept = new.index("Second")
    assert diff.origin(kept, len(new)) == (old.index("Second"), len(old))


def test_empty_texts() -> None:
    assert TextDiff("", "").map_span(0, 0) == (0, 0)
    diff = TextDiff("", "Something new.")
    assert diff.unchanged_share(0, 5) == 0.0
    gone = TextDiff("Something old.", "")
    assert gone.survived(0, 9) == 0.0
    assert gone.map_span(0, 9) == (0, 0)
