"""Highlights survive edits of their article: re-anchoring by position, diff, quote and context."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.anchoring import (
    AnchorResult,
    TextSelector,
    make_selector,
    reanchor,
    reanchor_many,
    reanchorer,
)

SENTENCES = [
    "The council approved the new budget after a long debate on Tuesday.",
    "Rain is expected across the northern valleys for most of the weekend.",
    "Shares of the carmaker fell sharply when the recall was announced.",
    "A small museum in the harbour town reopened after two years of repairs.",
    "Negotiators said the talks would resume early next month in Geneva.",
    "The striker scored twice in the second half to seal the victory.",
    "Researchers found that the new battery lasts twice as long in the cold.",
    "Local farmers worry that the drought will ruin this year's harvest.",
    "The minister denied any knowledge of the payments at a press conference.",
    "Ticket prices for the festival rose by a third compared with last year.",
    "Firefighters brought the blaze under control shortly before midnight.",
    "The library will extend its opening hours during the exam season.",
    "Engineers are testing a quieter engine for regional passenger jets.",
    "Volunteers planted more than four thousand trees along the river bank.",
    "The court postponed its ruling until the experts submit their report.",
    "An unusual comet will be visible to the naked eye later this week.",
]


def paragraphs_text(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs)


def span_of(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


# -- strategies ------------------------------------------------------------------------------


@st.composite
def documents(draw: st.DrawFn) -> list[list[str]]:
    """Paragraphs of distinct sentences (no sentence occurs twice)."""
    chosen = draw(st.lists(st.sampled_from(SENTENCES), min_size=3, max_size=10, unique=True))
    cuts = sorted(draw(st.sets(st.integers(1, len(chosen) - 1), max_size=3)))
    bounds = [0, *cuts, len(chosen)]
    return [chosen[a:b] for a, b in itertools.pairwise(bounds)]


@st.composite
def highlighted(draw: st.DrawFn) -> tuple[str, tuple[int, int], str]:
    """A document, a highlight (20+ characters) and the sentence that holds it."""
    text = paragraphs_text(draw(documents()))
    sentence = draw(st.sampled_from([s for s in SENTENCES if s in text]))
    start, end = span_of(text, sentence)
    a = draw(st.integers(start, end - 20))
    b = draw(st.integers(a + 20, end))
    return text, (a, b), sentence


Highlighted = tuple[str, tuple[int, int], str]


# -- unchanged and shifted text --------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(highlighted(), st.booleans())
def test_unchanged_document_reanchors_exactly(case: Highlighted, old: bool) -> None:
    text, (start, end), _ = case
    result = reanchor(make_selector(text, start, end), text, text if old else None)
    assert (result.status, result.start, result.end) == ("anchored", start, end)
    assert result.quote == text[start:end]
    assert result.score == 1.0


@settings(max_examples=40, deadline=None)
@given(highlighted(), st.booleans(), st.data())
def test_inserted_paragraph_before_never_breaks_a_highlight(
    case: Highlighted, old: bool, data: st.DataObject
) -> None:
    text, (start, end), _ = case
    inserted = data.draw(st.sampled_from([s for s in SENTENCES if s not in text]))
    breaks = [0] + [i + 2 for i in range(start) if text.startswith("\n\n", i)]
    at = data.draw(st.sampled_from(breaks))
    new = text[:at] + inserted + "\n\n" + text[at:]
    shift = len(inserted) + 2
    result = reanchor(make_selector(text, start, end), new, text if old else None)
    assert result.status == "anchored"
    assert (result.start, result.end) == (start + shift, end + shift)
    assert result.quote == text[start:end]


@settings(max_examples=40, deadline=None)
@given(highlighted(), st.booleans())
def test_deleted_passage_is_orphaned_never_placed_elsewhere(case: Highlighted, old: bool) -> None:
    text, (start, end), sentence = case
    s_start, s_end = span_of(text, sentence)
    new = text[:s_start] + text[s_end:]
    result = reanchor(make_selector(text, start, end), new, text if old else None)
    assert result.status == "orphaned"
    assert (result.start, result.end, result.quote) == (start, end, text[start:end])
    assert result.method == "none"


REPLACEMENTS = ["crimson", "odd", "several", "quietly", "blue", "nine"]


@settings(max_examples=40, deadline=None)
@given(documents(), st.booleans(), st.data())
def test_a_reworded_sentence_is_found_where_it_now_is(
    paragraphs: list[list[str]], old: bool, data: st.DataObject
) -> None:
    text = paragraphs_text(paragraphs)
    sentence = data.draw(st.sampled_from([s for s in SENTENCES if s in text]))
    words = sentence.rstrip(".").split(" ")
    index = data.draw(st.integers(0, len(words) - 1))
    replacement = data.draw(st.sampled_from([w for w in REPLACEMENTS if w != words[index]]))
    reworded = " ".join([*words[:index], replacement, *words[index + 1 :]]) + "."
    new = "A new opening line.\n\n" + text.replace(sentence, reworded)
    result = reanchor(make_selector(text, *span_of(text, sentence)), new, text if old else None)
    assert result.status == "fuzzy"
    assert (result.start, result.end) == span_of(new, reworded)
    assert result.quote == reworded


@settings(max_examples=30, deadline=None)
@given(highlighted(), st.integers(0, 2**16))
def test_reanchor_many_matches_one_by_one(case: Highlighted, seed: int) -> None:
    text, _, _ = case
    selectors = [make_selector(text, *span_of(text, s)) for s in SENTENCES if s in text]
    new = text.replace(" the ", " a ", 1 + seed % 3)
    many = reanchor_many(selectors, new, text)
    assert many == [reanchor(selector, new, text) for selector in selectors]


@settings(max_examples=30, deadline=None)
@given(highlighted(), st.integers(0, 2**16), st.booleans())
def test_one_reanchorer_for_many_selectors_matches_one_by_one(
    case: Highlighted, seed: int, with_old: bool
) -> None:
    """An import's records come one at a time in file order; sharing the folded text must
    not carry anything from one selector to the next."""
    text, _, _ = case
    selectors = [make_selector(text, *span_of(text, s)) for s in SENTENCES if s in text]
    selectors += [TextSelector(s.quote, s.prefix, s.suffix, 0, 0) for s in selectors]  # moved
    new = text.replace(" the ", " a ", 1 + seed % 3)
    old = text if with_old else None
    run = reanchorer(new, old)
    assert [run(s) for s in selectors] == [reanchor(s, new, old) for s in selectors]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60), st.integers(-5, 70), st.integers(-5, 70))
def test_any_input_gives_a_result_not_an_exception(
    old: str, new: str, start: int, end: int
) -> None:
    selector = make_selector(old, start, end)
    for old_text in (old, None, ""):
        result = reanchor(selector, new, old_text)
        assert result.status in ("anchored", "fuzzy", "orphaned")
        if result.status != "orphaned":
            assert 0 <= result.start <= result.end <= len(new)
            assert result.quote == new[result.start : result.end]


# -- examples --------------------------------------------------------------------------------

ARTICLE = (
    "The council met on Tuesday evening. Members argued about the budget for hours.\n\n"
    "In the end the council approved the new budget by a narrow margin. "
    "Critics said the vote was rushed.\n\n"
    "The mayor said the money would go to schools and roads."
)
QUOTE = "the council approved the new budget by a narrow margin."


def selector_for(text: str, quote: str, occurrence: int = 0) -> TextSelector:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_selector(text, start, start + len(quote))


def test_make_selector_keeps_context_and_clamps_offsets() -> None:
    selector = selector_for(ARTICLE, QUOTE)
    assert selector.quote == QUOTE
    assert ARTICLE[: selector.start].endswith(selector.prefix)
    assert ARTICLE[selector.end :].startswith(selector.suffix)
    assert len(selector.prefix) == len(selector.suffix) == 32
    backwards = make_selector("abcdef", 9, -3)
    assert (backwards.start, backwards.end, backwards.quote) == (0, 6, "abcdef")
    assert (backwards.prefix, backwards.suffix) == ("", "")


@pytest.mark.parametrize("old", [True, False])
def test_similar_sentence_elsewhere_does_not_catch_a_deleted_highlight(old: bool) -> None:
    text = ARTICLE + "\n\nLast year the council approved the old budget by a wide margin."
    selector = selector_for(text, QUOTE)
    new = text.replace("In the end " + QUOTE + " ", "")
    result = reanchor(selector, new, text if old else None)
    assert result.status == "orphaned"


@pytest.mark.parametrize("old", [True, False])
def test_duplicate_quote_is_told_apart_by_context(old: bool) -> None:
    text = (
        "Prices rose again. The decision was final. Nobody expected a second vote.\n\n"
        "After the appeal failed, the judge spoke. The decision was final. The case closed."
    )
    selector = selector_for(text, "The decision was final.", occurrence=1)
    new = "A short note from the editors.\n\n" + text
    result = reanchor(selector, new, text if old else None)
    expected = new.index("The decision was final.", new.index("the judge"))
    assert (result.status, result.start) == ("anchored", expected)


def test_duplicate_quote_without_position_is_chosen_by_context_alone() -> None:
    text = (
        "Alpha said yes. It was late. Beta said no.\n\nGamma came home. It was late. Delta slept."
    )
    selector = selector_for(text, "It was late.", occurrence=1)
    moved = TextSelector(selector.quote, selector.prefix, selector.suffix, 0, 12)
    result = reanchor(moved, text)
    assert (result.status, result.method) == ("anchored", "context")
    assert result.start == text.index("It was late.", text.index("Gamma"))


@pytest.mark.parametrize("old", [True, False])
def test_whitespace_and_quote_characters_changes_still_anchor_in_place(old: bool) -> None:
    text = (
        "He said: \u201cWe\u2019ll be back next year,\u201d and left the stage.\n\nThen he smiled."
    )
    quote = "\u201cWe\u2019ll be back next year,\u201d and left"
    selector = selector_for(text, quote)
    new = "Intro.\n\n" + text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    new = new.replace("be back", "be\n  back")
    result = reanchor(selector, new, text if old else None)
    assert result.status == "anchored"
    assert result.quote == '"We\'ll be\n  back next year," and left'
    assert new[result.start : result.end] == result.quote
    assert result.score == 1.0


@pytest.mark.parametrize("old", [True, False])
def test_reworded_quote_is_fuzzy_with_the_new_words(old: bool) -> None:
    selector = selector_for(ARTICLE, QUOTE)
    new = ARTICLE.replace("by a narrow margin", "by a slim margin")
    result = reanchor(selector, new, ARTICLE if old else None)
    assert result.status == "fuzzy"
    assert result.quote == "the council approved the new budget by a slim margin."
    assert result.start == new.index(result.quote)
    assert 0.75 <= result.score < 1.0
    assert result.method == ("diff" if old else "fuzzy")


@pytest.mark.parametrize("old", [True, False])
def test_swapped_paragraphs_carry_the_highlight_along(old: bool) -> None:
    paragraphs = ARTICLE.split("\n\n")
    new = "\n\n".join([paragraphs[1], paragraphs[2], paragraphs[0]])
    selector = selector_for(ARTICLE, "Members argued about the budget for hours.")
    result = reanchor(selector, new, ARTICLE if old else None)
    assert result.status == "anchored"
    assert result.start == new.index("Members argued")


def test_heavily_rewritten_passage_is_orphaned_not_fuzzy() -> None:
    selector = selector_for(ARTICLE, QUOTE)
    new = ARTICLE.replace(QUOTE, "a majority finally backed the spending plan, to general relief.")
    for old in (ARTICLE, None):
        assert reanchor(selector, new, old).status == "orphaned"


def test_empty_texts_and_zero_length_selectors_do_not_raise() -> None:
    selector = selector_for(ARTICLE, QUOTE)
    assert reanchor(selector, "", ARTICLE).status == "orphaned"
    assert reanchor(selector, "", None).status == "orphaned"
    assert reanchor(selector, ARTICLE, "").status == "anchored"
    empty = make_selector(ARTICLE, 10, 10)
    same = reanchor(empty, ARTICLE, ARTICLE)
    assert (same.status, same.start, same.end, same.quote) == ("anchored", 10, 10, "")
    shifted = reanchor(empty, "Intro. " + ARTICLE)
    assert (shifted.status, shifted.start) == ("anchored", 17)
    assert reanchor(empty, "", None).status == "orphaned"
    assert reanchor(TextSelector("", "", "", 0, 0), "", "").status in ("anchored", "orphaned")
    assert reanchor_many([], ARTICLE, ARTICLE) == []


def test_selector_made_on_another_version_is_found_in_the_old_text_first() -> None:
    selector = selector_for(ARTICLE, QUOTE)
    older = "Preface.\n\n" + ARTICLE  # the selector's offsets do not fit this old text
    new = older.replace("narrow", "thin")
    result = reanchor(selector, new, older)
    assert result.status == "fuzzy"
    assert result.quote == QUOTE.replace("narrow", "thin")


def test_orphan_keeps_the_old_values() -> None:
    selector = selector_for(ARTICLE, QUOTE)
    result = reanchor(selector, "Something else entirely.", ARTICLE)
    assert result == AnchorResult("orphaned", selector.start, selector.end, QUOTE, 0.0, "none")
