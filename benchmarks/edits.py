"""Random edits of a text that keep track of where tracked passages end up (ground truth).

:class:`EditedText` holds a text (paragraphs joined by a blank line) and a list of tracked
spans; every edit goes through :meth:`EditedText.replace` (or a paragraph move), which moves,
stretches or drops (``None``: the passage is gone) each span. The edit functions below are
what a re-anchoring benchmark throws at highlights: paragraphs inserted, deleted and
swapped, words reworded inside and around a passage, sentences duplicated, whitespace and
quote characters changed, and the highlighted passage itself deleted.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

SEPARATOR = "\n\n"
_WORD = re.compile(r"[A-Za-z]+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]+[\"'’”]?(?=\s|$)")

Span = tuple[int, int]


@dataclass
class EditedText:
    """A text under edit plus the tracked spans (``None`` once a passage is deleted)."""

    text: str
    spans: list[Span | None] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    #: tracked span index -> the index it is a copy of (copies made by duplicating text)
    copy_of: dict[int, int] = field(default_factory=dict)

    def copies(self, index: int) -> list[Span]:
        """The surviving copies of tracked span ``index`` made by duplicating its text."""
        found = []
        for copy, origin in self.copy_of.items():
            while origin in self.copy_of:
                origin = self.copy_of[origin]
            span = self.spans[copy]
            if origin == index and span is not None:
                found.append(span)
        return found

    def replace(self, start: int, end: int, new: str) -> None:
        """Replace ``text[start:end]`` by ``new`` and update every tracked span.

        A span inside the edit range's reach stretches; one the edit covers is deleted; one
        partly cut keeps its surviving part, or is deleted when less than half survives.
        """
        delta = len(new) - (end - start)
        self.text = self.text[:start] + new + self.text[end:]
        updated: list[Span | None] = []
        for span in self.spans:
            if span is None:
                updated.append(None)
                continue
            s, e = span
            if end <= s:
                updated.append((s + delta, e + delta))
            elif start >= e:
                updated.append(span)
            elif start >= s and end <= e:
                updated.append((s, e + delta) if e + delta > s else None)
            elif start <= s and end >= e:
                updated.append(None)
            else:
                if start < s:  # the edit cut the beginning
                    kept = (start + len(new), e + delta)
                    survived = e - end
                else:  # the edit cut the end
                    kept = (s, start)
                    survived = start - s
                updated.append(kept if survived * 2 >= e - s else None)
        self.spans = updated

    # -- paragraphs ------------------------------------------------------------------------

    def paragraph_spans(self) -> list[Span]:
        """``(start, end)`` of each paragraph (split on the blank-line separator)."""
        spans, at = [], 0
        for paragraph in self.text.split(SEPARATOR):
            spans.append((at, at + len(paragraph)))
            at += len(paragraph) + len(SEPARATOR)
        return spans

    def swap_paragraphs(self, first: int, second: int) -> None:
        """Swap two paragraphs; tracked spans inside them move along; a span over several
        paragraphs that the swap tears apart keeps its largest piece (if half of it or more)."""
        paragraphs = self.text.split(SEPARATOR)
        old = self.paragraph_spans()
        order = list(range(len(paragraphs)))
        order[first], order[second] = order[second], order[first]
        new_starts, at = {}, 0
        for index in order:
            new_starts[index] = at
            at += len(paragraphs[index]) + len(SEPARATOR)
        moved: list[Span | None] = []
        for span in self.spans:
            if span is None:
                moved.append(None)
                continue
            # the paragraphs the span runs over; they move together unless one is swapped
            home = [i for i, (ps, pe) in enumerate(old) if span[0] < pe and ps < span[1]]
            if not home:
                moved.append(None)
                continue
            if len(home) > 1 and {first, second} & set(home):
                # torn apart: what is left is its largest paragraph piece, if at least half
                pieces = [(min(span[1], old[i][1]) - max(span[0], old[i][0]), i) for i in home]
                size, index = max(pieces)
                if size * 2 < span[1] - span[0]:
                    moved.append(None)
                    continue
                shift = new_starts[index] - old[index][0]
                start = max(span[0], old[index][0])
                moved.append((start + shift, start + size + shift))
                continue
            shift = new_starts[home[0]] - old[home[0]][0]
            moved.append((span[0] + shift, span[1] + shift))
        self.text = SEPARATOR.join(paragraphs[i] for i in order)
        self.spans = moved


# -- the edits ---------------------------------------------------------------------------

Edit = Callable[[EditedText, random.Random, "EditContext"], None]


@dataclass
class EditContext:
    """What the edits draw on: other paragraphs, a vocabulary, the targeted span."""

    pool: list[str]
    vocabulary: list[str]
    target: int | None = None  # index of the tracked span an edit aims at


def insert_paragraph(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Insert a paragraph from another text at a random paragraph boundary."""
    paragraphs = doc.paragraph_spans()
    paragraph = rng.choice(ctx.pool)
    if rng.random() < 0.5 or not paragraphs:
        at = rng.choice([0] + [end for _, end in paragraphs])
        new = paragraph + SEPARATOR if at == 0 else SEPARATOR + paragraph
    else:
        at = rng.choice([start for start, _ in paragraphs])
        new = paragraph + SEPARATOR
    doc.replace(at, at, new)
    doc.log.append("insert paragraph")


def delete_paragraph(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Delete a random paragraph (its highlights go with it)."""
    paragraphs = doc.paragraph_spans()
    if len(paragraphs) < 2:
        return
    index = rng.randrange(len(paragraphs))
    start, end = paragraphs[index]
    if index + 1 < len(paragraphs):
        doc.replace(start, end + len(SEPARATOR), "")
    else:
        doc.replace(start - len(SEPARATOR), end, "")
    doc.log.append("delete paragraph")


def swap_paragraphs(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Swap two paragraphs (neighbours half of the time)."""
    count = len(doc.paragraph_spans())
    if count < 2:
        return
    first = rng.randrange(count - 1)
    second = first + 1 if rng.random() < 0.5 else rng.randrange(first + 1, count)
    doc.swap_paragraphs(first, second)
    doc.log.append("swap paragraphs")


def _words_in(text: str, start: int, end: int) -> list[Span]:
    return [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]


def reword_inside(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Replace, drop or add words inside the target passage, up to ~15% of its characters."""
    span = doc.spans[ctx.target] if ctx.target is not None else None
    if span is None:
        return
    budget = int((span[1] - span[0]) * rng.uniform(0.04, 0.15))
    words = _words_in(doc.text, *span)
    rng.shuffle(words)
    for start, end in sorted(words[: max(1, len(words) // 3)], reverse=True):
        choice = rng.random()
        if choice < 0.7:
            new = rng.choice(ctx.vocabulary)
        elif choice < 0.85:
            new = doc.text[start:end] + " " + rng.choice(ctx.vocabulary)
        else:
            new = ""
            if end < len(doc.text) and doc.text[end] == " ":
                end += 1
        cost = max(end - start, len(new))
        if cost > budget:
            continue
        # keep the passage's first and last characters where they are (clean ground truth)
        current = doc.spans[ctx.target] if ctx.target is not None else None
        if current is None or (not new and (start == current[0] or end >= current[1])):
            continue
        budget -= cost
        doc.replace(start, end, new)
    doc.log.append("reword inside")


def reword_around(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Replace one to three words just before or after the target passage."""
    span = doc.spans[ctx.target] if ctx.target is not None else None
    if span is None:
        return
    before = _words_in(doc.text, max(0, span[0] - 40), span[0])
    after = _words_in(doc.text, span[1], span[1] + 40)
    words = [w for w in before if w[1] < span[0]] + [w for w in after if w[0] > span[1]]
    for start, end in sorted(rng.sample(words, min(len(words), rng.randint(1, 3))), reverse=True):
        doc.replace(start, end, rng.choice(ctx.vocabulary))
    doc.log.append("reword around")


def _sentences(doc: EditedText) -> list[Span]:
    found = []
    for start, end in doc.paragraph_spans():
        for match in _SENTENCE.finditer(doc.text[start:end]):
            lead = len(match.group()) - len(match.group().lstrip())
            found.append((start + match.start() + lead, start + match.end()))
    return found


def _outside_spans(doc: EditedText, point: int) -> bool:
    return all(span is None or not span[0] < point < span[1] for span in doc.spans)


def duplicate_sentence(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Copy a sentence (the target's own, when there is a target) after itself or elsewhere.

    The copy never lands inside a tracked passage: after its sentence when that is free,
    else after the first later sentence end that is.
    """
    sentences = _sentences(doc)
    span = doc.spans[ctx.target] if ctx.target is not None else None
    if span is not None:
        own = [s for s in sentences if s[0] <= span[0] < s[1]]
        sentences = own or sentences
    if not sentences:
        return
    start, end = rng.choice(sentences)
    copy = doc.text[start:end]
    ends = [e for _, e in sentences if e >= end and _outside_spans(doc, e)]
    if rng.random() < 0.5 and ends:
        at, insert = ends[0], " " + copy
    else:
        ends = [e for _, e in doc.paragraph_spans() if _outside_spans(doc, e)]
        if not ends:
            return
        at, insert = rng.choice(ends), SEPARATOR + copy
    inside = [
        (i, span)
        for i, span in enumerate(doc.spans)
        if span is not None and start <= span[0] and span[1] <= end
    ]
    doc.replace(at, at, insert)
    # the passages copied along are tracked too: landing on such a copy is not a wrong place
    base = at + len(insert) - len(copy)
    for index, (s, e) in inside:
        doc.copy_of[len(doc.spans)] = index
        doc.spans.append((base + s - start, base + e - start))
    doc.log.append("duplicate sentence")


_SPACES = ["  ", "\n", "\u00a0", " \t", "   "]


def change_whitespace(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Turn some single spaces into other whitespace, in the target passage or anywhere."""
    span = doc.spans[ctx.target] if ctx.target is not None else None
    lo, hi = span if span is not None else (0, len(doc.text))
    spaces = [m.start() + lo for m in re.finditer(r"(?<=\S) (?=\S)", doc.text[lo:hi])]
    for at in sorted(rng.sample(spaces, min(len(spaces), rng.randint(1, 6))), reverse=True):
        doc.replace(at, at + 1, rng.choice(_SPACES))
    doc.log.append("whitespace")


_CURLY = {"'": "\u2019", '"': "\u201c", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}


def change_quotes(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Swap straight and curly quote characters, in the target passage or everywhere."""
    span = doc.spans[ctx.target] if ctx.target is not None else None
    lo, hi = span if span is not None else (0, len(doc.text))
    chars = list(doc.text)
    changed = False
    for i in range(lo, hi):
        if chars[i] in _CURLY:
            chars[i] = _CURLY[chars[i]]
            changed = True
    if changed:  # one character for one: offsets do not move
        doc.text = "".join(chars)
    doc.log.append("quote characters")


def delete_passage(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """Delete the target passage: just its text, its sentences, or its whole paragraph."""
    span = doc.spans[ctx.target] if ctx.target is not None else None
    if span is None:
        return
    start, end = span
    choice = rng.random()
    if choice < 0.4:
        if end < len(doc.text) and doc.text[end] == " ":
            end += 1
    elif choice < 0.7:
        covering = [s for s in _sentences(doc) if s[0] < end and s[1] > start]
        if covering:
            start, end = min(start, covering[0][0]), max(end, covering[-1][1])
        if end < len(doc.text) and doc.text[end] == " ":
            end += 1
    else:
        for ps, pe in doc.paragraph_spans():
            if ps <= start and end <= pe:
                start, end = ps, min(len(doc.text), pe + len(SEPARATOR))
    doc.replace(start, end, "")
    if ctx.target is not None:
        doc.spans[ctx.target] = None  # whatever little might be left, the passage is gone
    doc.log.append("delete passage")


def paragraph_and_a_half(text: str, span: Span) -> Span | None:
    """The paragraph holding ``span`` and the first sentence of the next one (a highlight
    over a whole paragraph that runs on into the next), or None without a next paragraph."""
    doc = EditedText(text)
    paragraphs = doc.paragraph_spans()
    home = [i for i, (ps, pe) in enumerate(paragraphs) if ps <= span[0] < pe]
    if not home or home[0] + 1 >= len(paragraphs):
        return None
    start, _ = paragraphs[home[0]]
    next_start, next_end = paragraphs[home[0] + 1]
    first = _SENTENCE.match(text, next_start, next_end)
    if first is None:
        return None
    return (start, first.end())


def delete_next_paragraph(doc: EditedText, rng: random.Random, ctx: EditContext) -> None:
    """The paragraph a highlight runs on into is deleted (issue 13); half of the time the
    paragraph after it first gets the deleted one's first words, which a diff may then
    take for the deleted paragraph's own (the highlight must still end where its first
    paragraph does)."""
    span = doc.spans[ctx.target] if ctx.target is not None else None
    if span is None:
        return
    paragraphs = doc.paragraph_spans()
    home = [i for i, (ps, pe) in enumerate(paragraphs) if ps <= span[0] < pe]
    into = [i for i, (ps, pe) in enumerate(paragraphs) if ps < span[1] <= pe]
    if not home or not into or into[0] != home[0] + 1:
        return
    first_end = paragraphs[home[0]][1]
    start, end = paragraphs[into[0]]
    if rng.random() < 0.5:
        lead = " ".join(doc.text[start:end].split(" ")[:2])
        at = end
        doc.replace(at, at, SEPARATOR + lead + " " + rng.choice(ctx.pool))
    if len(doc.text) > end:  # a paragraph follows: it moves up
        doc.replace(start, end + len(SEPARATOR), "")
    else:
        doc.replace(first_end, end, "")
    if ctx.target is not None:
        # what is left is its first paragraph, unless that was less than half of it
        kept = first_end - span[0]
        doc.spans[ctx.target] = (span[0], first_end) if kept * 2 >= span[1] - span[0] else None
    doc.log.append("delete next paragraph")


def plant_near_copy(text: str, span: Span, rng: random.Random, vocabulary: list[str]) -> str:
    """A copy of ``text[span]`` with 10-25% of its characters reworded (a similar sentence)."""
    copy = text[span[0] : span[1]]
    budget = int(len(copy) * rng.uniform(0.10, 0.25))
    words = list(_WORD.finditer(copy))
    rng.shuffle(words)
    edits = []
    for match in words:
        if budget <= 0:
            break
        edits.append((match.start(), match.end(), rng.choice(vocabulary)))
        budget -= max(len(match.group()), len(edits[-1][2]))
    for start, end, new in sorted(edits, reverse=True):
        copy = copy[:start] + new + copy[end:]
    return copy


#: edits aimed at one highlight, by name
TARGETED: dict[str, Edit] = {
    "reword inside": reword_inside,
    "reword around": reword_around,
    "duplicate own sentence": duplicate_sentence,
    "whitespace inside": change_whitespace,
    "quotes inside": change_quotes,
    "delete passage": delete_passage,
    "delete next paragraph": delete_next_paragraph,
}
#: edits anywhere in the text
GLOBAL: dict[str, Edit] = {
    "insert paragraph": insert_paragraph,
    "delete paragraph": delete_paragraph,
    "swap paragraphs": swap_paragraphs,
    "duplicate sentence": duplicate_sentence,
    "whitespace": change_whitespace,
    "quote characters": change_quotes,
}
