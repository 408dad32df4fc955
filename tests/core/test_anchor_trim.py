"""Approximate anchors never take in text that was not the passage (issue 13)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.anchoring import make_selector, reanchor

P1 = (
    "The otters came back to the bay this spring after ten years away. The wardens counted"
    " eleven of them. The water was not too warm."
)
P2 = "“They are back for good,” said the warden. Nobody expected it so soon."
P3 = "“They are playful,” a child said. The boats slowed down to watch them."
FIRST_OF_P2 = "“They are back for good,” said the warden."


def test_a_paragraph_and_a_half_whose_second_paragraph_is_deleted_keeps_the_first() -> None:
    """The issue's case: the quote ended "…not too warm.\\n\\n“They are" after the edit."""
    old = "\n\n".join([P1, P2, P3])
    new = "\n\n".join([P1, P3])
    start = old.index(P1)
    quote = P1 + "\n\n" + FIRST_OF_P2
    selector = make_selector(old, start, start + len(quote))
    for old_text in (old, None):  # with the diff and with only the quote and its context
        result = reanchor(selector, new, old_text)
        assert result.status == "fuzzy"
        assert new[result.start : result.end] == P1


def test_a_reworded_last_word_still_ends_the_passage_at_its_sentence_end() -> None:
    old = "Intro here.\n\nThe council met on Tuesday and argued for hours. Then it voted.\n\nEnd."
    new = "Intro here.\n\nThe council met on Tuesday and argued for days. Then it voted.\n\nEnd."
    quote = "The council met on Tuesday and argued for hours."
    start = old.index(quote)
    result = reanchor(make_selector(old, start, start + len(quote)), new, old)
    assert new[result.start : result.end] == "The council met on Tuesday and argued for days."


#: each paragraph draws on its own words: paragraphs are different passages, as in articles
VOCABULARIES = [
    ["tide", "harbour", "lamp", "keeper", "stone", "gull", "rope", "boat"],
    ["council", "budget", "vote", "mayor", "road", "school", "tax", "clerk"],
    ["garden", "plot", "seed", "water", "shed", "tool", "bean", "soil"],
    ["train", "track", "station", "ticket", "driver", "delay", "bridge", "signal"],
    ["museum", "painting", "frame", "visitor", "guard", "hall", "light", "canvas"],
]


@st.composite
def paragraphs(draw: st.DrawFn) -> list[str]:
    """Paragraphs of two or three sentences of plain words."""
    count = draw(st.integers(3, 5))
    made = []
    for index in range(count):
        sentences = []
        for _ in range(draw(st.integers(2, 3))):
            words = draw(st.lists(st.sampled_from(VOCABULARIES[index]), min_size=4, max_size=9))
            sentences.append(" ".join(words).capitalize() + ".")
        made.append(f"Part {index} " + " ".join(sentences))
    return made


@settings(max_examples=60, deadline=None)
@given(paragraphs(), st.data())
def test_a_re_anchored_span_never_takes_in_a_paragraph_it_did_not_cover(
    parts: list[str], data: st.DataObject
) -> None:
    """Highlight paragraph i and the first sentence of i+1, delete i+1: the anchor is
    orphaned or lies inside paragraph i, on word boundaries."""
    index = data.draw(st.integers(0, len(parts) - 2))
    old = "\n\n".join(parts)
    start = old.index(parts[index])
    first = parts[index + 1].split(". ")[0] + "."
    quote = parts[index] + "\n\n" + first
    selector = make_selector(old, start, start + len(quote))
    kept = parts[: index + 1] + parts[index + 2 :]
    new = "\n\n".join(kept)
    home = new.index(parts[index])
    for old_text in (old, None):
        result = reanchor(selector, new, old_text)
        if result.status == "orphaned":
            continue
        assert home <= result.start and result.end <= home + len(parts[index])
        text = new[result.start : result.end]
        assert text == text.strip()
        assert result.start == 0 or not new[result.start - 1].isalnum()
        assert result.end == len(new) or not new[result.end].isalnum()


def test_a_long_second_paragraph_deleted_leaves_the_first_as_the_highlight() -> None:
    """When most of the quote's length is gone with the deleted paragraph's first sentence,
    the whole quote no longer matches anything: its largest paragraph is what is left."""
    first = "The wardens counted eleven otters in the bay this spring."
    second = (
        "Nobody in the village, not even the oldest fishermen who had watched the bay for"
        " sixty years, expected them back so soon after the long winter storms."
    )
    after = "The boats slowed down to watch them play near the harbour wall."
    old = "\n\n".join([first, second, after])
    new = "\n\n".join([first, after])
    quote = first + "\n\n" + second
    selector = make_selector(old, 0, len(first) + 2 + len(second))
    assert selector.quote == quote
    shorter = make_selector(old, 0, len(first) + 2 + 40)  # less than half in the second
    for old_text in (old, None):
        assert reanchor(selector, new, old_text).status == "orphaned"  # most of it is gone
        result = reanchor(shorter, new, old_text)
        assert result.status == "fuzzy"
        assert new[result.start : result.end] == first
