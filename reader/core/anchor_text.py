"""Text helpers for anchoring: a normalisation that keeps offsets, and similarity measures.

Re-anchoring compares texts after folding away differences a reader does not see as edits:
runs of whitespace (including line breaks and non-breaking spaces) become one space, and
typographic quotes become straight ones. :class:`NormalizedText` keeps, for every character
of the folded text, the offset of the character it came from, so a match found in folded
text maps back to exact offsets in the original.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz.distance import Indel

# Typographic single/double quotes (and primes, guillemet-free) folded to ASCII quotes.
_QUOTE_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)
_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` with whitespace runs collapsed to one space and curly quotes made straight."""
    return _WHITESPACE.sub(" ", text.translate(_QUOTE_TABLE))


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A folded text plus the map from its offsets back to the original text.

    ``origin[i]`` is the offset in ``raw`` of the character that became ``text[i]``;
    ``origin[len(text)] == len(raw)``, so the map is increasing and defined for every end.
    """

    raw: str
    text: str
    origin: list[int]

    @classmethod
    def of(cls, raw: str) -> NormalizedText:
        """Fold ``raw`` and record where each folded character came from."""
        translated = raw.translate(_QUOTE_TABLE)
        parts: list[str] = []
        origin: list[int] = []
        pos = 0
        for match in _WHITESPACE.finditer(translated):
            parts.append(translated[pos : match.start()])
            origin.extend(range(pos, match.start()))
            parts.append(" ")
            origin.append(match.start())
            pos = match.end()
        parts.append(translated[pos:])
        origin.extend(range(pos, len(raw)))
        origin.append(len(raw))
        return cls(raw, "".join(parts), origin)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering the folded span ``[start, end)``.

        The end maps to just after the last folded character's origin, so a span ending
        in a collapsed whitespace run covers only the first character of that run.
        """
        raw_start = self.origin[start]
        raw_end = self.origin[end - 1] + 1 if end > start else raw_start
        return raw_start, raw_end

    def from_raw(self, offset: int) -> int:
        """The folded offset of the first folded character at or after raw ``offset``."""
        return bisect_left(self.origin, offset)


def similarity(a: str, b: str) -> float:
    """Indel similarity 0..1 (1 when equal; two empty strings count as equal)."""
    if not a and not b:
        return 1.0
    return float(Indel.normalized_similarity(a, b))


def context_score(prefix: str, suffix: str, text: str, start: int, end: int) -> float:
    """How well ``prefix``/``suffix`` agree with the text around ``[start, end)`` (0..1).

    The better of the two sides counts most: one side of a passage often changes (a
    neighbouring sentence reworded, a paragraph moved) while the other still agrees.
    Missing context (a passage at the very start or end of the text) agrees when the
    candidate is also at that edge.
    """
    scores: list[float] = []
    if prefix:
        scores.append(similarity(prefix, text[max(0, start - len(prefix)) : start]))
    else:
        scores.append(1.0 if start == 0 else 0.5)
    if suffix:
        scores.append(similarity(suffix, text[end : end + len(suffix)]))
    else:
        scores.append(1.0 if end == len(text) else 0.5)
    best, worst = max(scores), min(scores)
    return 0.75 * best + 0.25 * worst


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _start_points(text: str, lo: int, hi: int, anywhere: bool) -> list[int]:
    """Candidate passage starts in ``[lo, hi]``: word and punctuation starts, or all."""
    lo, hi = max(0, lo), min(len(text), hi)
    if anywhere:
        return list(range(lo, hi + 1))
    points = []
    for i in range(lo, hi + 1):
        if i == len(text):
            points.append(i)
            continue
        char = text[i]
        if char == " ":
            continue
        if i == 0 or not (_is_word(text[i - 1]) and _is_word(char)):
            points.append(i)
    return points


def _end_points(text: str, lo: int, hi: int, anywhere: bool) -> list[int]:
    """Candidate passage ends in ``[lo, hi]``: word and punctuation ends, or all."""
    lo, hi = max(0, lo), min(len(text), hi)
    if anywhere:
        return list(range(lo, hi + 1))
    points = []
    for i in range(lo, hi + 1):
        if i == 0:
            points.append(i)
            continue
        char = text[i - 1]
        if char == " ":
            continue
        if i == len(text) or not (_is_word(char) and _is_word(text[i])):
            points.append(i)
    return points


def refine(
    quote: str, text: str, start: int, end: int, slack: int | None = None
) -> tuple[int, int]:
    """Move ``[start, end)`` to the nearby span of ``text`` most similar to ``quote``.

    Starts and ends are tried at word boundaries (anywhere, when the quote itself begins or
    ends inside a word) within ``slack`` characters, one side at a time, twice over; a
    coordinate search is enough because the two sides barely interact.
    """
    if slack is None:
        slack = max(8, len(quote) // 5)
    mid_start = bool(quote) and _is_word(quote[0]) and start > 0 and _is_word(text[start - 1])
    mid_end = bool(quote) and _is_word(quote[-1]) and end < len(text) and _is_word(text[end])
    best = (similarity(quote, text[start:end]), start, end)
    for _ in range(2):
        _, s0, e0 = best
        for s in _start_points(text, s0 - slack, min(e0, s0 + slack), mid_start):
            if s < e0:
                score = similarity(quote, text[s:e0])
                if score > best[0]:
                    best = (score, s, e0)
        _, s0, e0 = best
        for e in _end_points(text, max(s0 + 1, e0 - slack), e0 + slack, mid_end):
            score = similarity(quote, text[s0:e])
            if score > best[0]:
                best = (score, s0, e)
    return best[1], best[2]
