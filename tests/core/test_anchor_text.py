"""Folding text without losing offsets, and placing a passage's ends."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.anchor_text import NormalizedText, context_score, fold, refine, similarity

MESSY = st.text(alphabet="ab .\n\t\u00a0\u2018\u2019\u201c\u201d'\"", max_size=40)


def test_fold_straightens_quotes_and_collapses_whitespace() -> None:
    assert fold("\u201cIt\u2019s  here,\u201d\n\n she\tsaid") == '"It\'s here," she said'
    assert fold("") == ""


@settings(max_examples=150, deadline=None)
@given(MESSY)
def test_every_folded_character_maps_back_to_its_origin(raw: str) -> None:
    norm = NormalizedText.of(raw)
    assert norm.text == fold(raw)
    assert norm.origin(len(norm.text)) == len(raw)
    for i, char in enumerate(norm.text):
        source = raw[norm.origin(i)]
        assert fold(source) == char or (char == " " and source.isspace())
        assert norm.from_raw(norm.origin(i)) == i


@settings(max_examples=150, deadline=None)
@given(MESSY, st.data())
def test_a_folded_span_maps_to_a_raw_span_that_folds_back_to_it(
    raw: str, data: st.DataObject
) -> None:
    norm = NormalizedText.of(raw)
    start = data.draw(st.integers(0, len(norm.text)))
    end = data.draw(st.integers(start, len(norm.text)))
    raw_start, raw_end = norm.to_raw(start, end)
    assert 0 <= raw_start <= raw_end <= len(raw)
    assert fold(raw[raw_start:raw_end]) == norm.text[start:end]


def test_paragraph_breaks_are_counted_line_breaks_are_not() -> None:
    norm = NormalizedText.of("One line\nstill one.\n\nTwo.\n \n\tThree.")
    assert norm.text == "One line still one. Two. Three."
    assert len(norm.breaks) == 2
    assert norm.breaks_in(0, norm.text.index("Two")) == 1
    assert norm.breaks_in(0, len(norm.text)) == 2
    assert norm.breaks_in(0, norm.text.index("still")) == 0


def test_similarity_bounds() -> None:
    assert similarity("", "") == 1.0
    assert similarity("abc", "abc") == 1.0
    assert similarity("abc", "xyz") == 0.0
    assert 0.0 < similarity("kitten", "sitting") < 1.0


def test_context_score_tells_the_right_neighbours_from_others() -> None:
    text = "Prices rose again. The decision was final. Nobody expected it."
    start = text.index("The decision")
    end = start + len("The decision was final.")
    right = context_score("Prices rose again. ", " Nobody expected", text, start, end)
    wrong = context_score("Late in the evening ", " The court closed", text, start, end)
    assert right == 1.0
    assert wrong < 0.6


def test_refine_keeps_a_reworded_last_word_inside() -> None:
    quote = "Historically, plague was responsible for widespread pandemics with high mortality."
    text = (
        "It spread fast. Historically, plague was responsible for widespread pandemics"
        " with high strike. Then it faded."
    )
    start = text.index("Historically")
    rough_end = text.index(" with high")
    s, e = refine(quote, text, start, rough_end, "It spread fast. ", " Then it faded.")
    assert (
        text[s:e]
        == "Historically, plague was responsible for widespread pandemics with high strike."
    )


def test_refine_does_not_swallow_a_copy_inserted_after() -> None:
    quote = "The mayor said the money would go to schools and roads."
    copy = " The mayor said the money would go to schools and roads."
    text = "Budget news. The mayor said the money would go to schools and parks." + copy + " Next."
    start = text.index("The mayor")
    s, e = refine(quote, text, start, start + len(quote) + 20, "Budget news. ", " Next.")
    assert text[s:e] == "The mayor said the money would go to schools and parks."


def test_refine_stays_inside_one_paragraph_when_told() -> None:
    raw = "First paragraph ends here.\n\nThe quoted passage is in this one."
    norm = NormalizedText.of(raw)
    quote = "The quoted passage is in this one."
    s, e = refine(quote, norm.text, 5, len(norm.text), barriers=(norm, 0))
    assert norm.breaks_in(s, e) == 0
    assert norm.text[s:e] == quote
