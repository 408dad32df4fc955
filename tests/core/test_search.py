"""Full-text search index: folding, prefix matching, ranking and highlight ranges."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.search import SearchIndex, fold, highlight_ranges

DOCS = [
    (
        "body-only",
        "Weather report",
        "Local Times",
        "Ann Lee",
        "A strategic partnership was signed.",
    ),
    ("title", "Strategic pact signed", "The Algemeiner", "Bob Roe", "Iran and Russia agreed."),
    ("author", "Markets today", "Reuters", "Strat Egic", "Stocks rose in Zürich."),
    ("source", "Opinion", "Strategic Review", None, "Nothing else here."),
    ("none", "Gardening", None, None, "Tomatoes need sun."),
]


def ids(hits: list) -> list[str]:
    return [hit.id for hit in hits]


def test_fold_ignores_case_and_accents() -> None:
    assert fold("Zürich CAFÉ Straße") == "zurich cafe strasse"
    assert fold("ﬁnancial") == "financial"


def test_decomposed_accents_are_found_like_composed_ones() -> None:
    index = SearchIndex(
        [("nfd", "Cafe\u0301 society", None, None, "Zu\u0308rich"), ("x", "t", None, None, "")]
    )
    assert [h.id for h in index.search("café zurich")] == ["nfd"]
    assert [h.id for h in index.search("CAFÉ")] == ["nfd"]


def test_titles_rank_before_source_and_author_before_body() -> None:
    index = SearchIndex(DOCS)
    hits = index.search("strategic")
    assert ids(hits) == ["title", "source", "body-only"]
    assert [h.field for h in hits] == ["title", "source", "body"]
    assert hits[0].score > hits[1].score > hits[2].score


def test_last_word_is_a_prefix_earlier_words_are_whole() -> None:
    index = SearchIndex(DOCS)
    assert set(ids(index.search("strat"))) == {"title", "author", "source", "body-only"}
    assert ids(index.search("strat ")) == ["author"]  # a finished word matches whole tokens
    assert ids(index.search("strategic p")) == ["title", "body-only"]
    assert ids(index.search("strat pact")) == []


def test_every_word_must_match_somewhere() -> None:
    index = SearchIndex(DOCS)
    assert ids(index.search("iran pact")) == ["title"]
    assert ids(index.search("zurich")) == ["author"]
    assert ids(index.search("ZÜRICH stocks")) == ["author"]
    assert index.search("unicorn") == []
    assert index.search("") == [] and index.search("  ,. ") == []


def test_limit() -> None:
    index = SearchIndex(DOCS)
    assert ids(index.search("strat", limit=2)) == ["title", "source"]  # then author
    assert index.search("strat", limit=0) == []


def test_equal_scores_keep_the_given_order() -> None:
    docs = [(f"d{i}", "t", None, None, "same words here") for i in range(40)]
    assert ids(SearchIndex(docs).search("same")) == [f"d{i}" for i in range(40)]


def test_common_and_rare_tokens_across_many_documents() -> None:
    docs = [(str(i), f"title {i}", None, None, f"common word{i % 7} t{i}") for i in range(500)]
    index = SearchIndex(docs)
    assert len(index.search("common")) == 500
    assert len(index.search("word3")) == len([i for i in range(500) if i % 7 == 3])
    assert ids(index.search("t499")) == ["499"]
    assert len(index.search("t4")) == 1 + 10 + 100  # t4, t40-t49, t400-t499
    assert ids(index.search("title 7")) == ["7"] + [str(i) for i in range(70, 80)]


def test_highlight_ranges_point_into_the_original_text() -> None:
    text = "The Café's strategic plan; STRATEGY and strata."
    ranges = highlight_ranges(text, "cafe strat")
    assert [text[a:b] for a, b in ranges] == ["Café", "strategic", "STRATEGY", "strata"]
    assert highlight_ranges(text, "cafe strat ") == [(4, 8)]
    assert highlight_ranges(text, "") == []


_words = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "Ælfric", "naïve"]), max_size=8
)


@settings(max_examples=100, deadline=None)
@given(
    docs=st.lists(st.tuples(_words, _words), max_size=12),
    query=st.lists(
        st.sampled_from(["al", "alpha", "be", "gamma", "aelf", "naive", "zz"]),
        min_size=1,
        max_size=3,
    ),
    trailing_space=st.booleans(),
)
def test_search_agrees_with_a_naive_scan(
    docs: list[tuple[list[str], list[str]]], query: list[str], trailing_space: bool
) -> None:
    records = [(str(i), " ".join(t), None, None, " ".join(b)) for i, (t, b) in enumerate(docs)]
    text = " ".join(query) + (" " if trailing_space else "")
    expected = []
    for doc_id, title, _, _, body in records:
        tokens = re.findall(r"\w+", fold(f"{title} {body}"))
        ok = True
        for position, word in enumerate(query):
            is_prefix = position == len(query) - 1 and not trailing_space
            if not any(t == word or (is_prefix and t.startswith(word)) for t in tokens):
                ok = False
        if ok:
            expected.append(doc_id)
    assert sorted(ids(SearchIndex(records).search(text))) == sorted(expected)


def test_add_replace_and_remove_without_rebuilding() -> None:
    index = SearchIndex(DOCS)
    index.add(("new", "Strategic review", None, None, "fresh text"))
    assert ids(index.search("fresh")) == ["new"]
    index.add(("new", "Renamed", None, None, "other words"))  # replaces
    assert index.search("fresh") == [] and ids(index.search("renamed")) == ["new"]
    assert index.remove("title") and not index.remove("title")
    assert "title" not in index and len(index) == len(DOCS)
    assert ids(index.search("strategic")) == ["source", "body-only"]


_record = st.tuples(
    st.sampled_from(["a", "b", "c", "d"]),
    st.lists(st.sampled_from(["alpha", "beta", "Gamma", "gammas", "délta"]), max_size=3).map(
        " ".join
    ),
    st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "zeta"]), max_size=30).map(
        " ".join
    ),
)


@settings(max_examples=100, deadline=None)
@given(
    initial=st.lists(_record, max_size=6),
    operations=st.lists(st.tuples(st.booleans(), _record), max_size=40),
    query=st.sampled_from(["a", "alpha", "gam", "gamma ", "delta b", "z", "beta gamma"]),
)
def test_updates_give_the_same_hits_as_a_rebuild(
    initial: list[tuple[str, str, str]],
    operations: list[tuple[bool, tuple[str, str, str]]],
    query: str,
) -> None:
    def record(r: tuple[str, str, str]) -> tuple[str, str, None, None, str]:
        return (r[0], r[1], None, None, r[2])

    index = SearchIndex([record(r) for r in initial])
    live = {r[0]: record(r) for r in initial}
    for adding, r in operations:
        if adding:
            index.add(record(r))
            live[r[0]] = record(r)
        else:
            assert index.remove(r[0]) == (r[0] in live)
            live.pop(r[0], None)
    rebuilt = SearchIndex(list(live.values()))
    assert len(index) == len(live)
    assert sorted(index.search(query)) == sorted(rebuilt.search(query))


def test_hits_built_by_tuple_new_equal_hits_built_by_their_constructor() -> None:
    from reader.core.search import SearchHit

    fields = ("doc-1", 3.5, "title")[: len(SearchHit._fields)]
    assert tuple.__new__(SearchHit, fields) == SearchHit(*fields)
