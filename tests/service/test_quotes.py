"""The quote search's cheap pre-check never hides a quote the real search finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

_ALPHABET = "abcAB Zß ẞİıΣσς1“”\"'’–—-\u00a0\n\tﬁ"


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=_ALPHABET, max_size=40),
    cut=st.tuples(st.integers(0, 40), st.integers(0, 40)),
    change=st.sampled_from(["none", "upper", "lower", "casefold", "straight"]),
)
def test_the_scan_pre_check_never_hides_a_quote_that_would_be_found(
    text: str, cut: tuple[int, int], change: str
) -> None:
    from reader.core.locate import locate_quote
    from reader.service.quotes import QuoteProbe

    quote = text[min(cut) : max(cut)]
    if change == "straight":
        quote = quote.replace("“", '"').replace("”", '"').replace("’", "'")
    elif change != "none":
        quote = getattr(quote, change)()
    if locate_quote(text, quote) is not None:
        assert QuoteProbe(quote).may_hold(text)


def test_the_pre_check_rules_out_a_text_without_the_words() -> None:
    from reader.service.quotes import QuoteProbe

    probe = QuoteProbe("the harbour’s lights")
    assert probe.may_hold("At night THE HARBOUR'S  lights shone.")
    assert not probe.may_hold("The trams of the city ran all night.")
