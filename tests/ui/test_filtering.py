"""The article list's filter line: ranked words plus query-language terms."""

from __future__ import annotations

from reader.core.models import ArticleSummary
from reader.ui.filtering import filter_articles, title_index

ROWS = {
    s.id: s
    for s in [
        ArticleSummary(
            id="a", title="Iran and Russia sign a pact", source="The Algemeiner", tags=["treaty"]
        ),
        ArticleSummary(
            id="b", title="Garden doubles its plots", source="Valley Courier", read=True
        ),
        ArticleSummary(
            id="c", title="Harbour lights", source="Coastal Gazette", author="Ann Russell"
        ),
    ]
}
INDEX = title_index(ROWS.values())


def ids(text: str) -> list[str]:
    return [s.id for s in filter_articles(text, ROWS, INDEX)]


def test_words_match_titles_sources_and_authors_as_prefixes() -> None:
    assert ids("gard") == ["b"]
    assert ids("russ") == ["a", "c"]  # title before author
    assert ids("coastal") == ["c"]


def test_query_terms_filter() -> None:
    assert ids("tag:treaty") == ["a"]
    assert ids("is:unread") == ["a", "c"]
    assert ids("russ is:unread -tag:treaty") == ["c"]
    assert ids("source:courier") == ["b"]


def test_half_typed_terms_do_not_empty_the_list() -> None:
    assert ids("tag:") == ["a", "b", "c"]
    assert ids("russ tag:") == ["a", "c"]
    assert ids('"iran') == ["a"]  # an unclosed quote
    assert ids("") == ["a", "b", "c"]
