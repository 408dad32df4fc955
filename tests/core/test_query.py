"""The filter language: parsing, errors, round trip and matching."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.models import Annotation, ArticleSummary
from reader.core.query import Query, QueryError, Term, parse_query

ARTICLE = ArticleSummary(
    id="art1",
    title="Iran–Russia strategic pact",
    date="2025-01-17",
    source="The Algemeiner",
    author="Jane Doe",
    tags=["geopolitics"],
    annotation_count=2,
)
OLD = ArticleSummary(id="art2", title="Old news", date="2023-05-02", source="Reuters")


def _ann(**kw: object) -> Annotation:
    fields: dict = {
        "id": "h",
        "article_id": "art1",
        "quote": "signed a treaty",
        "start": 0,
        "end": 15,
    }
    fields.update(kw)
    return Annotation(**fields)


def keys(query: Query) -> list[tuple[str, str, bool]]:
    return [(t.key, t.value, t.negated) for t in query.terms]


def test_the_documented_example_parses() -> None:
    query = parse_query(
        'tag:treaty color:red source:"The Algemeiner" has:note status:orphaned '
        'date:2024-10..2025-01 "exact phrase" bare words -negation'
    )
    assert keys(query) == [
        ("tag", "treaty", False),
        ("color", "red", False),
        ("source", "The Algemeiner", False),
        ("has", "note", False),
        ("status", "orphaned", False),
        ("date", "2024-10..2025-01", False),
        ("text", "exact phrase", False),
        ("text", "bare", False),
        ("text", "words", False),
        ("text", "negation", True),
    ]
    date_term = query.terms[5]
    assert (date_term.low, date_term.high) == ("2024-10-01", "2025-01-31")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("date:2024", "2024-01-01", "2024-12-31"),
        ("date:2024-02", "2024-02-01", "2024-02-31"),
        ("date:2024-10-01..", "2024-10-01", None),
        ("date:..2025-01", None, "2025-01-31"),
        ("date:2024-1-5", "2024-01-05", "2024-01-05"),
        ('created:"2024..2025"', "2024-01-01", "2025-12-31"),
    ],
)
def test_date_forms(text: str, low: str | None, high: str | None) -> None:
    (term,) = parse_query(text).terms
    assert (term.low, term.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("foo:bar", "unknown filter 'foo:'"),
        ('"unclosed', "unclosed quote"),
        ("tag:", "needs a value"),
        ("date:2024-13", "not a valid date"),
        ("date:yesterday", "not a date"),
        ("date:2025..2024", "ends before it starts"),
        ('date:"2024\n"', "not a date"),
        ("date:..", "needs a start or an end"),
        ("status:lost", "expected one of anchored, fuzzy, orphaned"),
        ("has:wings", "expected one of"),
        ("a - b", "'-' must be followed"),
    ],
)
def test_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_lenient_mode_keeps_what_it_understands() -> None:
    query = parse_query('treaty foo:bar date:2024-13 "half a phrase', lenient=True)
    assert keys(query) == [("text", "treaty", False), ("text", "half a phrase", False)]
    assert len(query.problems) == 2


def test_aliases_and_normalisation() -> None:
    assert keys(parse_query("colour:GREEN tag:#Big-Deal has:notes")) == [
        ("color", "green", False),
        ("tag", "big-deal", False),
        ("has", "note", False),
    ]


def test_empty_query_matches_everything() -> None:
    query = parse_query("   ")
    assert not query and query.match_annotation(_ann()) and query.match_article(OLD)


def test_text_terms_match_quote_note_tags_and_title_ignoring_case_and_accents() -> None:
    annotation = _ann(note="Ask about the Café meeting", tags=["moscow"])
    assert parse_query("TREATY").match_annotation(annotation)
    assert parse_query("cafe").match_annotation(annotation)
    assert parse_query("moscow").match_annotation(annotation)
    assert parse_query("strategic").match_annotation(annotation, ARTICLE)
    assert not parse_query("strategic").match_annotation(annotation)
    assert parse_query('"a treaty"').match_annotation(annotation)
    assert not parse_query('"treaty a"').match_annotation(annotation)
    assert not parse_query("-treaty").match_annotation(annotation)


def test_filters_on_annotations() -> None:
    green = _ann(color="green", note="n", tags=["iran"], created="2025-01-02T10:00:00+00:00")
    assert parse_query("color:green").match_annotation(green)
    assert parse_query('color:"key idea"').match_annotation(green)
    assert parse_query("color:important").match_annotation(
        green, color_labels={"green": "Important"}
    )
    assert not parse_query("color:yellow").match_annotation(green)
    assert parse_query("tag:iran has:note has:tags").match_annotation(green)
    assert not parse_query("has:note").match_annotation(_ann(note="  "))
    assert parse_query("status:anchored -status:orphaned").match_annotation(green)
    assert parse_query("created:2025-01").match_annotation(green)
    assert not parse_query("created:2024").match_annotation(green)
    assert parse_query(
        'source:algemeiner date:2025 author:jane title:"russia strat"'
    ).match_annotation(green, ARTICLE)
    assert not parse_query("source:algemeiner").match_annotation(green)  # article unknown


def test_match_article() -> None:
    assert parse_query("strategic tag:geopolitics date:2024-10..2025-01").match_article(ARTICLE)
    assert not parse_query("date:2024-10..2025-01").match_article(OLD)
    assert parse_query("source:reuters -tag:geopolitics").match_article(OLD)
    assert parse_query("needle").match_article(OLD, text="a needle in a haystack")
    assert parse_query("has:highlights").match_article(ARTICLE)
    assert not parse_query("has:highlights").match_article(OLD)
    assert parse_query("is:unread").match_article(OLD)
    assert not parse_query("date:2024").match_article(ArticleSummary(id="x", title="undated"))


def test_highlight_terms_on_articles_need_a_matching_highlight() -> None:
    green = _ann(color="green", note="n")
    yellow = _ann(color="yellow", tags=["iran"])
    query = parse_query("color:green has:note")
    assert query.match_article(ARTICLE)  # not checked without highlights
    assert query.match_article(ARTICLE, annotations=[yellow, green])
    assert not query.match_article(ARTICLE, annotations=[yellow])
    # both conditions must hold on the same highlight
    assert not query.match_article(ARTICLE, annotations=[_ann(color="green"), _ann(note="n")])
    assert parse_query("tag:iran").match_article(ARTICLE, annotations=[yellow])


def test_str_is_canonical_and_parses_back() -> None:
    text = 'tag:treaty  -"two words" colour:Key  source:"a \\"quoted\\" name" x:y'
    query = parse_query(text, lenient=True)
    assert str(query) == 'tag:treaty -"two words" color:Key source:"a \\"quoted\\" name"'
    assert parse_query(str(query)) == query


_chars = st.characters(exclude_categories=("Cs",))


@settings(max_examples=400, deadline=None)
@given(st.text(_chars, max_size=40))
def test_parse_never_raises_anything_but_query_error(text: str) -> None:
    with contextlib.suppress(QueryError):
        parse_query(text)
    parse_query(text, lenient=True)  # and lenient mode never raises at all


_pieces = st.sampled_from(
    [
        "tag:",
        "color:",
        "source:",
        "date:",
        "-",
        '"',
        " ",
        "..",
        "2024",
        "-10",
        "has:note",
        "\\",
        ":",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces | st.text(_chars, max_size=5), max_size=12).map("".join))
def test_query_like_input_round_trips(text: str) -> None:
    query = parse_query(text, lenient=True)
    assert parse_query(str(query)) == query


_values = st.text(_chars, min_size=1, max_size=15).filter(str.strip)


@st.composite
def _terms(draw: st.DrawFn) -> Term:
    negated = draw(st.booleans())
    kind = draw(
        st.sampled_from(["text", "source", "author", "title", "tag", "color", "status", "date"])
    )
    if kind == "date":
        low = draw(st.sampled_from(["", "2024", "2024-02", "2024-02-29"]))
        high = draw(st.sampled_from(["", "2025", "2025-1", "2025-01-31"]))
        text = f"{low}..{high}" if (low or high) and draw(st.booleans()) else (low or "2023")
        return parse_query(f"{'-' * negated}date:{text}").terms[0]
    if kind == "status":
        return Term("status", draw(st.sampled_from(["anchored", "fuzzy", "orphaned"])), negated)
    value = draw(_values)
    if kind == "tag":
        # go through the parser's own normalisation
        parsed = parse_query(str(Term("tag", value)), lenient=True).terms
        return Term("tag", parsed[0].value, negated) if parsed else Term("text", "x", negated)
    if kind == "color":
        # through the parser: a colour's key (color:2) is read as the colour's name
        return _color_term(value.strip(), negated)
    return Term(kind, value, negated)


def _color_term(value: str, negated: bool) -> Term:
    """A colour term as the parser makes it (a key, ``2``, stands for its colour's name)."""
    parsed = parse_query(str(Term("color", value)), lenient=True).terms
    return Term("color", parsed[0].value, negated) if parsed else Term("text", "x", negated)


def test_a_colour_that_only_looks_like_a_number_is_a_label_not_a_crash() -> None:
    assert parse_query("color:²").terms[0].value == "²"  # int("²") raised ValueError
    assert parse_query("color:٣").terms[0].value == "٣"


@settings(max_examples=300, deadline=None)
@given(st.lists(_terms(), max_size=6))
def test_any_query_round_trips_through_str(terms: list[Term]) -> None:
    query = Query(tuple(terms))
    assert parse_query(str(query)) == query


def test_colour_keys_name_the_colours() -> None:
    green = Annotation(id="g", article_id="a", quote="q", start=0, end=1, color="green")
    for number, color in enumerate(("yellow", "green", "blue", "pink", "purple"), start=1):
        assert parse_query(f"color:{number}").terms[0].value == color
    assert parse_query("color:2").match_annotation(green)
    assert not parse_query("color:1").match_annotation(green)
    assert not parse_query("color:6").match_annotation(green)  # a label, if anything


def test_tag_matches_a_highlight_through_its_article() -> None:
    plain = Annotation(id="p", article_id="a", quote="q", start=0, end=1)
    tagged = ArticleSummary(id="a", title="T", tags=["science"])
    assert parse_query("tag:science").match_annotation(plain, tagged)
    assert not parse_query("tag:science").match_annotation(plain, ArticleSummary(id="a", title="T"))


def test_has_note_matches_an_article_with_a_note_of_its_own() -> None:
    noted = ArticleSummary(id="a", title="T", note="Ask Ruth")
    bare = ArticleSummary(id="b", title="U")
    query = parse_query("has:note")
    assert query.match_article(noted, annotations=[])
    assert not query.match_article(bare, annotations=[])
    assert not parse_query("-has:note").match_article(noted, annotations=[])
    assert parse_query("ruth").match_article(noted)


def test_a_colour_that_is_no_colour_and_no_label_is_an_error() -> None:
    from reader.core.query import QueryError, parse_query

    labels = {"green": "Key idea"}
    for fine in ("color:green", "color:3", 'color:"key idea"', "colour:YELLOW", "tag:x"):
        parse_query(fine).check_colors(labels)
    with pytest.raises(QueryError, match="no colour or label 'bogus'"):
        parse_query("tag:x color:bogus").check_colors(labels)
    with pytest.raises(QueryError):
        parse_query('color:"key idea"').check_colors({})  # not a label any more
