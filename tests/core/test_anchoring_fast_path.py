"""Re-anchoring on an unchanged text takes the fast path: the stored offsets, at once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.anchoring import make_selector, reanchor_many

TEXT = st.text(alphabet="ab .\n“”", min_size=1, max_size=60)


@given(text=TEXT, cuts=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=5))
def test_an_unchanged_text_finds_every_highlight_by_position(
    text: str, cuts: list[tuple[int, int]]
) -> None:
    selectors = [make_selector(text, a, b) for a, b in cuts]
    selectors = [s for s in selectors if s.quote]
    for selector, found in zip(selectors, reanchor_many(selectors, text, text), strict=True):
        assert found.method == "position"
        assert (found.start, found.end, found.status) == (selector.start, selector.end, "anchored")
