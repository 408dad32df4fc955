"""Word differences for the anchor review screen."""

from hypothesis import given
from hypothesis import strategies as st

from reader.core.worddiff import word_diff


def test_a_changed_word_is_marked_removed_and_added() -> None:
    pieces = word_diff("the pact will last 20 years", "the pact will last 25 years")
    assert ("removed", "20") in pieces
    assert ("added", "25") in pieces
    assert pieces[0] == ("same", "the pact will last ")


def test_identical_text_is_all_same() -> None:
    assert word_diff("same words", "same words") == [("same", "same words")]


@given(st.text(max_size=80), st.text(max_size=80))
def test_both_sides_can_be_rebuilt(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert "".join(t for op, t in pieces if op != "added") == old
    assert "".join(t for op, t in pieces if op != "removed") == new
