"""Clean edges for an approximate anchor: it never takes in text that was not the passage.

A fuzzy match is found by similarity, which forgives a wrong tail: a highlight over a whole
paragraph and the first sentence of the next, whose next paragraph was deleted, matched the
paragraph plus the first words of the paragraph after it. :func:`trim` takes such edges off
(all on folded text, see :mod:`reader.core.anchor_text`):

1. paragraph pieces at the edges that do not resemble the quote's piece on that side (the
   quote's first or last paragraph is gone; what follows in the new text is another one);
2. a word cut in two, at either edge, when the quote did not begin or end inside a word;
3. when the quote was whole sentences: a sentence cut short at an edge, if that is a small
   part of the passage (a passage ending "…not too warm. They are" ends at "warm.").

The diff's own check (unchanged text beside the old passage stays out) is
:meth:`reader.core.anchor_diff.TextDiff.keep_inside`.
"""

from __future__ import annotations

import re

from reader.core.anchor_text import NormalizedText, fold, similarity

#: least similarity of an edge paragraph piece to the quote's piece on that side
PIECE_FLOOR = 0.75
#: most of a passage a sentence snap may drop (share of its length)
SNAP_SHARE = 0.3
#: how far past a passage's end a sentence snap may look for the sentence's end (characters)
SNAP_AHEAD = 24
#: ... and most it may drop (characters): more would drop a reworded sentence with the tail
SNAP_BACK = 40

_SENTENCE_END = re.compile(r"[.!?…][\"'’”)\]]*$")
#: where a sentence ends inside a text: its final punctuation (and closing quotes)
_SENTENCE_ENDS = re.compile(r"[.!?…][\"'’”)\]]*(?=\s)")
#: where a sentence starts inside a text: after final punctuation and space
_SENTENCE_STARTS = re.compile(r"(?<=[.!?…])[\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9])")


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def whole_sentences(quote: str, prefix: str) -> tuple[bool, bool]:
    """Whether the quote began at a sentence start and ended at a sentence end."""
    head = prefix.rstrip()
    starts = (
        bool(quote) and not quote[0].islower() and (not head or bool(_SENTENCE_END.search(head)))
    )
    return starts, bool(_SENTENCE_END.search(quote.rstrip()))


def trim(
    raw_quote: str,
    prefix: str,
    suffix: str,
    folded: NormalizedText,
    start: int,
    end: int,
) -> tuple[int, int]:
    """``[start, end)`` of ``folded.text`` without edges that were not the passage.

    ``raw_quote`` is the quote as highlighted; ``prefix``/``suffix`` its context, folded.
    """
    text = folded.text
    quote = fold(raw_quote)
    start, end = _trim_pieces(raw_quote, folded, start, end)
    # 2. a word cut in two, when the quote did not start or end inside one
    mid_start = bool(quote and prefix) and _is_word(quote[0]) and _is_word(prefix[-1])
    mid_end = bool(quote and suffix) and _is_word(quote[-1]) and _is_word(suffix[0])
    if not mid_start and 0 < start < end and _is_word(text[start - 1]) and _is_word(text[start]):
        while start < end and _is_word(text[start]):
            start += 1
    if not mid_end and start < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
        while end > start and _is_word(text[end - 1]):
            end -= 1
    # 3. sentences cut short at an edge, when the quote was whole sentences (not where a
    # paragraph starts or ends: that is an edge too)
    starts, ends = whole_sentences(quote, prefix)
    limit = min(SNAP_SHARE * (end - start), SNAP_BACK)
    at_break = end == len(text) or folded.breaks_in(end, end + 1) > 0
    if ends and not at_break and not _SENTENCE_END.search(text[start:end].rstrip()):
        end = _snap_end(folded, start, end, limit)
    if starts and start > 0 and not _starts_sentence(folded, start):
        start = _snap_start(folded, start, end, limit)
    # no space at the edges
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end


def _snap_end(folded: NormalizedText, start: int, end: int, limit: float) -> int:
    """The nearest sentence end to ``end``: a little further on (a word or two, in the same
    paragraph) or back, dropping at most ``limit`` characters; else ``end`` as it is."""
    text = folded.text
    choices = []
    ahead = _SENTENCE_ENDS.search(text, end, min(len(text), end + SNAP_AHEAD))
    if ahead is not None and not folded.breaks_in(end, ahead.end()):
        choices.append(ahead.end())
    back = None
    for match in _SENTENCE_ENDS.finditer(text, max(start, int(end - limit)), end):
        back = match.end()
    if back is not None and back > start:
        choices.append(back)
    return min(choices, key=lambda at: abs(at - end)) if choices else end


def _snap_start(folded: NormalizedText, start: int, end: int, limit: float) -> int:
    """The nearest sentence start to ``start``: a little before it (in the same paragraph)
    or further on, dropping at most ``limit`` characters; else ``start`` as it is."""
    text = folded.text
    choices = []
    back = None
    low = max(0, start - SNAP_AHEAD)
    for match in _SENTENCE_STARTS.finditer(text, low, start + 1):
        back = match.end()
    paragraph = [b + 1 for b in folded.breaks if low <= b < start]
    if paragraph:
        back = max(back or 0, paragraph[-1])
    if back is not None and back <= start:
        choices.append(back)
    ahead = _SENTENCE_STARTS.search(text, start, min(end, int(start + limit) + 1))
    if ahead is not None and ahead.end() < end:
        choices.append(ahead.end())
    return min(choices, key=lambda at: abs(at - start)) if choices else start


def _starts_sentence(folded: NormalizedText, at: int) -> bool:
    """Whether a sentence (or the text, or a paragraph) starts at folded ``at``."""
    head = folded.text[max(0, at - 8) : at].rstrip()
    return not head or bool(_SENTENCE_END.search(head)) or folded.breaks_in(at - 1, at) > 0


def _trim_pieces(quote: str, folded: NormalizedText, start: int, end: int) -> tuple[int, int]:
    """Drop paragraph pieces at the edges that do not resemble the quote's edge pieces."""
    breaks = [b for b in folded.breaks if start <= b < end]
    if not breaks:
        return start, end
    quoted = NormalizedText.of(quote)
    if not quoted.breaks:
        return start, end
    text = folded.text
    first_quote = quoted.text[: quoted.breaks[0]]
    last_quote = quoted.text[quoted.breaks[-1] + 1 :]
    last_piece = text[breaks[-1] + 1 : end]
    if similarity(last_piece.strip(), last_quote.strip()) < PIECE_FLOOR:
        end = breaks[-1]
        breaks = breaks[:-1]
    if breaks:
        first_piece = text[start : breaks[0]]
        if similarity(first_piece.strip(), first_quote.strip()) < PIECE_FLOOR:
            start = breaks[0] + 1
    return start, end
