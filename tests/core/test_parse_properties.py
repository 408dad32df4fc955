"""Parser properties: never crashes, never loses a line, copes with huge input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.clean import clean_text
from reader.core.models import article_id_for
from reader.core.parse_audit import unaccounted_lines
from reader.core.parser import ParseError, parse_bytes, parse_text

#: lines shaped like clipping furniture, mixed with random text to stress the rules
FURNITURE = [
    "RELATED:",
    "Related: A Linked Headline",
    "Read more:",
    "January 14, 2025",
    "Sept. 3, 2024",
    "Published 2024-05-01 at 10:00",
    "Reprinted from The Daily Planet",
    "Source: Northern Post",
    "By Jane Doe",
    "By Jane Doe and John Roe | March 3, 2025",
    "Leave A Comment",
    "Share this:",
    "Advertisement",
    "Jane Doe has covered science for ten years.",
    "A harbour at dawn. Photo: Sam Lee/Courier",
    "Teaser that stops short…",
    "Hello world pic.twitter.com/abc123— Ann Bo (@annbo) May 2, 2024",
    "Watch: the launch in full",
    "Related Posts",
    "You may also like",
    "A short headline",
    "“A quoted sentence,” she said. Then another one followed.",
    "",
    "   ",
]

_line = st.one_of(
    st.sampled_from(FURNITURE), st.text(max_size=80).map(lambda s: s.replace("\n", " "))
)
_document = st.lists(_line, min_size=1, max_size=25).map("\n".join)


def _check(text: str) -> None:
    try:
        articles = parse_text(text, "doc.txt")
    except ParseError:
        assert not clean_text(text).strip(), "ParseError is only for empty documents"
        return
    assert articles, "a non-empty document yields at least one article"
    for index, article in enumerate(articles):
        assert article.title.strip()
        assert article.id == article_id_for("doc.txt", index) and article.index == index
        assert article.related_to == (None if index == 0 else articles[0].id)
        assert all(p.strip() == p and p for p in article.paragraphs)
    assert unaccounted_lines(text, articles) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document)
def test_clipping_shaped_documents_lose_nothing(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises_unexpectedly(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_parse_or_raise_parse_error(data: bytes) -> None:
    try:
        articles = parse_bytes(data, "doc.txt")
    except ParseError as error:
        assert str(error).startswith("doc.txt: ") and "\n" not in str(error)
    else:
        assert articles


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_markdown_never_raises_unexpectedly(text: str) -> None:
    try:
        articles = parse_text(text, "doc.md")
    except ParseError:
        assert not clean_text(text).strip()
    else:
        assert articles and all(a.title for a in articles)


def test_parsing_is_deterministic() -> None:
    text = "\n".join(FURNITURE)
    assert [a.to_dict() for a in parse_text(text, "d.txt")] == [
        a.to_dict() for a in parse_text(text, "d.txt")
    ]


def test_two_megabyte_single_line() -> None:
    line = "The tram [rolled **on and _on (past @the depot. " * 45_000
    (article,) = parse_text(line, "huge.txt")
    assert article.paragraphs == [line.strip()]
    (md,) = parse_text(line, "huge.md")
    assert len(md.paragraphs) == 1


def test_twenty_megabyte_file() -> None:
    paragraph = "A paragraph of ordinary news prose, said Mr. Smith on Oct. 7, 2024. " * 5 + "\n"
    data = ("Big Title\nJanuary 1, 2025\n" + paragraph * 60_000).encode()
    assert len(data) > 20_000_000
    (article,) = parse_bytes(data, "big.txt")
    assert article.title == "Big Title" and len(article.paragraphs) == 60_000
