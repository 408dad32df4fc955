"""Finding a typed quote in an article's text."""

from hypothesis import given
from hypothesis import strategies as st

from reader.core.locate import locate_quote

TEXT = "He said “this treaty is not aimed against anyone,” and left.\n\nThe U.S. disagreed."


def test_exact_quote_is_found_at_its_place() -> None:
    start, end = locate_quote(TEXT, "The U.S. disagreed")
    assert TEXT[start:end] == "The U.S. disagreed"


def test_straight_quotes_and_other_case_find_the_curly_original() -> None:
    span = locate_quote(TEXT, '"THIS treaty is not aimed')
    assert span is not None
    assert TEXT[span[0] : span[1]] == "“this treaty is not aimed"


def test_a_space_matches_a_paragraph_break() -> None:
    span = locate_quote(TEXT, "and left. The U.S.")
    assert span is not None
    assert TEXT[span[0] : span[1]] == "and left.\n\nThe U.S."


def test_absent_or_empty_quote_gives_none() -> None:
    assert locate_quote(TEXT, "not in the text") is None
    assert locate_quote(TEXT, "   ") is None


@given(st.text(min_size=1, max_size=200), st.data())
def test_any_substring_is_found_with_the_same_text(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    span = locate_quote(text, quote)
    if not quote.strip():
        assert span is None
        return
    assert span is not None
    assert text[span[0] : span[1]] == quote.strip()
