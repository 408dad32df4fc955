"""Text helpers for anchoring: a normalisation that keeps offsets, and similarity measures.

Re-anchoring compares texts after folding away differences a reader does not see as edits:
runs of whitespace (including line breaks and non-breaking spaces) become one space, and
typographic quotes become straight ones. :class:`NormalizedText` keeps, for every character
of the folded text, the offset of the character it came from, so a match found in folded
text maps back to exact offsets in the original.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rapidfuzz.distance import Indel

# Typographic single and double quotes (and primes, acute accent, backtick) fold to ASCII.
# Two regex substitutions run in C and are much faster than str.translate with a table.
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b\u2032\u00b4`]")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u2033]")


def _straighten(text: str) -> str:
    return _DOUBLE_QUOTES.sub('"', _SINGLE_QUOTES.sub("'", text))


_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` with whitespace runs collapsed to one space and curly quotes made straight."""
    return _WHITESPACE.sub(" ", _straighten(text))


# whitespace that folding changes: runs of two or more, or one that is not a plain space
_FOLDED_SPACE = re.compile(r"\s{2,}|[^\S ]")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A folded text plus the map from its offsets back to the original text.

    The map is kept as breakpoints: after each whitespace run folding changed,
    ``(folded offset, raw offset)`` of the next character; in between, offsets move in step
    (up to and including the space a run became, which lines up with the run's start).
    """

    raw: str
    text: str
    _folded: list[int]
    _raw: list[int]
    #: folded offsets of the spaces that stand for a paragraph break (two or more newlines)
    breaks: list[int]

    @classmethod
    def of(cls, raw: str) -> NormalizedText:
        """Fold ``raw`` and record where the folded characters came from."""
        translated = _straighten(raw)
        parts: list[str] = []
        folded, raws, breaks = [0], [0], []
        pos = 0
        length = 0
        for match in _FOLDED_SPACE.finditer(translated):
            parts.append(translated[pos : match.start()])
            parts.append(" ")
            length += match.start() - pos + 1
            if match.group().count("\n") >= 2:
                breaks.append(length - 1)
            pos = match.end()
            folded.append(length)
            raws.append(pos)
        parts.append(translated[pos:])
        return cls(raw, "".join(parts), folded, raws, breaks)

    def breaks_in(self, start: int, end: int) -> int:
        """How many paragraph breaks fall inside folded ``[start, end)``."""
        return bisect_left(self.breaks, end) - bisect_left(self.breaks, start)

    def origin(self, offset: int) -> int:
        """The raw offset of folded character ``offset`` (``len(text)`` maps to ``len(raw)``).

        The space a whitespace run folded into maps to the run's first character.
        """
        index = bisect_right(self._folded, offset) - 1
        return self._raw[index] + (offset - self._folded[index])

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering the folded span ``[start, end)``.

        The end maps to just after the last folded character's origin, so a span ending
        in a collapsed whitespace run covers only the first character of that run.
        """
        raw_start = self.origin(start)
        raw_end = self.origin(end - 1) + 1 if end > start else raw_start
        return raw_start, raw_end

    def from_raw(self, offset: int) -> int:
        """The folded offset of the first folded character at or after raw ``offset``."""
        index = bisect_right(self._raw, offset) - 1
        folded = self._folded[index] + (offset - self._raw[index])
        if index + 1 < len(self._raw):
            run_start = self._folded[index + 1] - 1  # the folded space of the next run
            if folded > run_start:
                # inside a run (past its first character): the character after the run
                return self._folded[index + 1]
        return folded


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


#: how many characters of context next to a candidate weigh in when placing its ends
EDGE_CONTEXT = 16
#: weight of that context against the quote's own similarity
EDGE_WEIGHT = 0.35


def refine(
    quote: str,
    text: str,
    start: int,
    end: int,
    prefix: str = "",
    suffix: str = "",
    slack: int | None = None,
    barriers: tuple[NormalizedText, int] | None = None,
) -> tuple[int, int]:
    """Move ``[start, end)`` to the nearby span of ``text`` that best fits ``quote``.

    The fit is the quote's similarity plus, at a lower weight, how well the few characters
    of ``prefix``/``suffix`` next to the quote agree with the text beside the candidate: a
    reworded first or last word then stays inside the passage (dropping it would leave it
    in the context), while a copy of a sentence inserted right after the passage stays
    outside (taking it in costs more similarity than the context gains). Starts and ends
    are tried at word boundaries (anywhere, when the quote begins or ends inside a word,
    judged by its context) within ``slack`` characters, one side at a time, until nothing
    improves.
    With ``barriers`` ``(folded text, n)`` a candidate may hold at most ``n`` paragraph
    breaks (a passage does not grow into the next paragraph); the result can still break
    that rule when nothing nearby keeps it.
    """
    if slack is None:
        slack = max(12, len(quote) // 4)
    head, tail = prefix[-EDGE_CONTEXT:], suffix[:EDGE_CONTEXT]
    mid_start = bool(quote and head) and _is_word(quote[0]) and _is_word(head[-1])
    mid_end = bool(quote and tail) and _is_word(quote[-1]) and _is_word(tail[0])

    def fit(s: int, e: int) -> float:
        if barriers is not None and barriers[0].breaks_in(s, e) > barriers[1]:
            return -1.0
        edges = 0.0
        if head:
            edges += similarity(head, text[max(0, s - len(head)) : s])
        elif s == 0 or (barriers is not None and barriers[0].breaks_in(s - 1, s)):
            edges += 1.0  # the quote began the text: a paragraph start agrees
        if tail:
            edges += similarity(tail, text[e : e + len(tail)])
        elif e == len(text) or (barriers is not None and barriers[0].breaks_in(e, e + 1)):
            edges += 1.0
        return similarity(quote, text[s:e]) + EDGE_WEIGHT * edges / 2

    if barriers is not None and barriers[1] == 0 and barriers[0].breaks_in(start, end):
        # a rough window straddling paragraphs: start from its largest one-paragraph piece
        inner = [b for b in barriers[0].breaks if start <= b < end]
        pieces = list(zip([start] + [b + 1 for b in inner], [*inner, end], strict=True))
        start, end = max(pieces, key=lambda piece: piece[1] - piece[0])
    best = (fit(start, end), start, end)
    for _ in range(4):
        before = best
        _, s0, e0 = best
        for s in _start_points(text, s0 - slack, min(e0, s0 + slack), mid_start):
            if s < e0:
                score = fit(s, e0)
                if score > best[0]:
                    best = (score, s, e0)
        _, s0, e0 = best
        for e in _end_points(text, max(s0 + 1, e0 - slack), e0 + slack, mid_end):
            score = fit(s0, e)
            if score > best[0]:
                best = (score, s0, e)
        if best == before:
            break
    return best[1], best[2]
