"""Sentence segmentation: the Golden Rules, exact spans, long and pathological input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import sentences
from reader.core.models import Article
from reader.core.sentences import article_sentences, split_sentences

GOLDEN = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "corpora"
    / "sentence-golden-rules-en.json"
)

#: Golden Rule cases pySBD is known to get wrong, by the start of their text, with the reason.
KNOWN_MISSES = {
    "At 5 a.m. Mr. Smith": "pySBD ends a sentence at 'a.m.' before a capitalised title (Mr.)",
}


def _cases() -> list[dict[str, object]]:
    return list(json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"])


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def _golden_params() -> list[object]:
    params: list[object] = []
    for index, case in enumerate(_cases()):
        text = str(case["text"])
        marks = [
            pytest.mark.xfail(reason=reason, strict=True)
            for prefix, reason in KNOWN_MISSES.items()
            if text.startswith(prefix)
        ]
        params.append(pytest.param(text, case["sentences"], id=f"rule{index + 1:02d}", marks=marks))
    return params


@pytest.mark.parametrize(("text", "expected"), _golden_params())
def test_golden_rule(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_golden_rules_score_at_least_47_of_48() -> None:
    cases = _cases()
    passed = sum(_texts(str(c["text"])) == c["sentences"] for c in cases)
    assert len(cases) == 48
    assert passed >= 47


def _assert_well_formed(text: str, spans: list[sentences.Span]) -> None:
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        assert not text[span.start].isspace() and not text[span.end - 1].isspace()
        previous_end = span.end
    covered = {i for s in spans for i in range(s.start, s.end)}
    for i, char in enumerate(text):
        if not char.isspace():
            assert i in covered, f"non-space character {char!r} at {i} is in no sentence"


def test_quotes_abbreviations_and_ellipses() -> None:
    text = (
        "On Oct. 7 the U.S. envoy arrived. “We will talk,” she said. “Will you?” "
        "He paused… Then he left. Mr. Jones stayed."
    )
    assert _texts(text) == [
        "On Oct. 7 the U.S. envoy arrived.",
        "“We will talk,” she said.",
        "“Will you?”",
        "He paused… Then he left.",
        "Mr. Jones stayed.",
    ]


def test_repeated_sentences_get_their_own_spans() -> None:
    text = "It rained. It rained. It rained."
    assert [(s.start, s.end) for s in split_sentences(text)] == [(0, 10), (11, 21), (22, 32)]


def test_blank_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []


def test_long_paragraph_is_chunked_and_maps_exactly() -> None:
    sentence = "The tram left the depot at dawn and crossed the river quickly. "
    text = sentence * 400  # ~25k characters: several pySBD chunks
    spans = split_sentences(text)
    assert len(spans) == 400
    assert all(text[s.start : s.end] == sentence.strip() for s in spans)
    _assert_well_formed(text, spans)


def test_huge_paragraph_uses_the_fast_splitter() -> None:
    text = "Word word word. " * (sentences.PYSBD_LIMIT // 10)
    spans = split_sentences(text)
    assert len(spans) == sentences.PYSBD_LIMIT // 10
    _assert_well_formed(text, spans)


def test_text_without_any_punctuation_or_spaces() -> None:
    text = "x" * 10_000
    spans = split_sentences(text)
    _assert_well_formed(text, spans)


def test_article_sentences_never_cross_paragraphs() -> None:
    article = Article(
        id="a",
        title="T",
        paragraphs=["First one. Second one", "Third one. Fourth one."],
    )
    spans = article_sentences(article)
    got = [article.text[s.start : s.end] for s in spans]
    assert got == ["First one.", "Second one", "Third one.", "Fourth one."]
    _assert_well_formed(article.text, spans)


_sentence_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ .!?…“”\"'()\n\t0123456789Mr")), max_size=300
)


@settings(max_examples=150, deadline=None)
@given(_sentence_text)
def test_spans_are_ordered_in_bounds_and_cover_everything(text: str) -> None:
    spans = split_sentences(text)
    _assert_well_formed(text, spans)
    assert split_sentences(text) == spans  # stable


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_text_is_covered(text: str) -> None:
    _assert_well_formed(text, split_sentences(text))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="ab. \n?", max_size=40), max_size=5))
def test_article_sentences_stay_inside_paragraphs(paragraphs: list[str]) -> None:
    article = Article(id="a", title="T", paragraphs=paragraphs)
    spans = article_sentences(article)
    _assert_well_formed(article.text, spans)
    pspans = article.paragraph_spans()
    for span in spans:
        assert any(p.start <= span.start and span.end <= p.end for p in pspans)


_words = st.sampled_from(
    ["the", "tram", "Mr.", "U.S.", "left", "Oct.", "7", "“Yes.”", "at", "dawn"]
)
_sentence = st.lists(_words, min_size=1, max_size=12).map(" ".join).map(lambda s: s + ".")


def _long(parts: list[str]) -> str:
    text = " ".join(parts)
    return " ".join([text] * (sentences.CHUNK_CHARS * 2 // len(text) + 1))


@settings(max_examples=8, deadline=None)
@given(st.lists(_sentence, min_size=5, max_size=40).map(_long))
def test_chunked_long_text_maps_exactly(text: str) -> None:
    assert len(text) > sentences.CHUNK_CHARS
    _assert_well_formed(text, split_sentences(text))
