"""What the reading pane navigates: sentences, paragraphs, words, highlights, search hits.

Kept free of Textual so it can be reasoned about (and tested) on its own. Sentences are
split lazily, one paragraph at a time, because sentence segmentation of a whole 1 MB article
takes seconds while a reader only ever looks at a few paragraphs at once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from operator import attrgetter, sub

from reader.core.models import Annotation, Article, Span, sort_in_document_order
from reader.core.sentences import split_sentences

_WORD = re.compile(r"\S+")
#: the end of the word before the last one in a piece of text
_PREVIOUS_WORD_END = re.compile(r"\S(?=\s+\S+\s*\Z)")
#: the last word of a piece of text
_LAST_WORD = re.compile(r"\S+(?=\s*\Z)")

SentenceSplitter = Callable[[str], list[Span]]


class ReadingDocument:
    """An article's text with lazy sentence spans and lookups by offset."""

    def __init__(self, article: Article, splitter: SentenceSplitter = split_sentences) -> None:
        self.article = article
        self.text = article.text
        self._splitter = splitter
        self.paragraphs = article.paragraph_spans()
        self._paragraph_starts = [span.start for span in self.paragraphs]
        self._sentences: dict[int, list[Span]] = {}

    # -- paragraphs and sentences -------------------------------------------------------------

    def paragraph_of(self, offset: int) -> int:
        """The index of the paragraph holding ``offset`` (separators belong to the one before)."""
        if not self.paragraphs:
            return -1
        return max(bisect_right(self._paragraph_starts, offset) - 1, 0)

    def sentences_of(self, paragraph: int) -> list[Span]:
        """The sentence spans (over the article text) of one paragraph, split on first use."""
        cached = self._sentences.get(paragraph)
        if cached is None:
            span = self.paragraphs[paragraph]
            cached = [
                Span(s.start + span.start, s.end + span.start)
                for s in self._splitter(self.text[span.start : span.end])
            ]
            self._sentences[paragraph] = cached
        return cached

    def first_sentence(self) -> Span | None:
        """The first sentence of the article (None if it has no text)."""
        return self._first_from(0)

    def last_sentence(self) -> Span | None:
        """The last sentence of the article (None if it has no text)."""
        return self._last_from(len(self.paragraphs) - 1)

    def _first_from(self, paragraph: int) -> Span | None:
        for index in range(max(paragraph, 0), len(self.paragraphs)):
            sentences = self.sentences_of(index)
            if sentences:
                return sentences[0]
        return None

    def _last_from(self, paragraph: int) -> Span | None:
        for index in range(min(paragraph, len(self.paragraphs) - 1), -1, -1):
            sentences = self.sentences_of(index)
            if sentences:
                return sentences[-1]
        return None

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence holding ``offset``; between sentences, the one before it (or the next)."""
        paragraph = self.paragraph_of(offset)
        if paragraph < 0:
            return None
        sentences = self.sentences_of(paragraph)
        position = bisect_right([s.start for s in sentences], offset) - 1
        if position >= 0:
            return sentences[position]
        if sentences:
            return sentences[0]
        return self._first_from(paragraph + 1) or self._last_from(paragraph - 1)

    def next_sentence(self, sentence: Span) -> Span | None:
        """The sentence after ``sentence`` (None at the end)."""
        paragraph = self.paragraph_of(sentence.start)
        for candidate in self.sentences_of(paragraph):
            if candidate.start >= sentence.end:
                return candidate
        return self._first_from(paragraph + 1)

    def previous_sentence(self, sentence: Span) -> Span | None:
        """The sentence before ``sentence`` (None at the start)."""
        paragraph = self.paragraph_of(sentence.start)
        for candidate in reversed(self.sentences_of(paragraph)):
            if candidate.end <= sentence.start:
                return candidate
        return self._last_from(paragraph - 1)

    def sentences_from(self, sentence: Span, count: int) -> Span:
        """The span of ``count`` sentences starting with ``sentence`` (fewer at the end)."""
        last = sentence
        for _ in range(count - 1):
            following = self.next_sentence(last)
            if following is None:
                break
            last = following
        return Span(sentence.start, last.end)

    def next_paragraph_sentence(self, sentence: Span) -> Span | None:
        """The first sentence of the next paragraph with text."""
        return self._first_from(self.paragraph_of(sentence.start) + 1)

    def previous_paragraph_sentence(self, sentence: Span) -> Span | None:
        """The first sentence of this paragraph, or of the previous one if already there."""
        paragraph = self.paragraph_of(sentence.start)
        sentences = self.sentences_of(paragraph)
        if sentences and sentences[0].start < sentence.start:
            return sentences[0]
        for index in range(paragraph - 1, -1, -1):
            earlier = self.sentences_of(index)
            if earlier:
                return earlier[0]
        return None

    # -- words ----------------------------------------------------------------------------------

    def next_word_end(self, offset: int) -> int | None:
        """The end of the next word ending after ``offset`` (None at the end of the text)."""
        match = _WORD.search(self.text, offset)
        return match.end() if match else None

    def next_word_start(self, offset: int) -> int | None:
        """The start of the word after the one at (or after) ``offset`` (None at the end)."""
        here = _WORD.search(self.text, offset)
        following = _WORD.search(self.text, here.end()) if here else None
        return following.start() if following else None

    def previous_word_start(self, offset: int) -> int | None:
        """The start of the last word ending at or before ``offset`` (None at the start)."""
        window = 64
        while True:
            low = max(0, offset - window)
            match = _LAST_WORD.search(self.text, low, offset)
            # a match at the window's edge may be the tail of a longer word: look further
            if match is not None and (match.start() > low or low == 0):
                return match.start()
            if low == 0:
                return None
            window *= 4

    def first_word(self, sentence: Span) -> Span:
        """The first word of a sentence."""
        match = _WORD.search(self.text, sentence.start, sentence.end)
        return Span(match.start(), match.end()) if match else sentence

    def previous_word_end(self, start: int, end: int) -> int | None:
        """Where ``[start, end)`` ends once its last word is dropped (None if one word is left)."""
        match = _PREVIOUS_WORD_END.search(self.text[start:end])
        return start + match.end() if match else None

    # -- search ---------------------------------------------------------------------------------

    def find_all(self, needle: str) -> list[Span]:
        """Every case-insensitive occurrence of ``needle`` (offsets into the original text)."""
        if not needle:
            return []
        pattern = re.compile(re.escape(needle), re.IGNORECASE)
        return [Span(m.start(), m.end()) for m in pattern.finditer(self.text)]


#: highlights longer than this (characters) are looked up apart (see AnnotationIndex)
LONG_HIGHLIGHT = 2000


_START, _END = attrgetter("start"), attrgetter("end")


class AnnotationIndex:
    """The visible annotations of an article, sorted by start, with overlap lookups."""

    def __init__(self, annotations: Iterable[Annotation], text_length: int) -> None:
        shown = [
            a
            for a in annotations
            if a.deleted is None and a.status != "orphaned" and 0 <= a.start < a.end <= text_length
        ]
        sort_in_document_order(shown)  # an int key per highlight: 100,000 in an article
        self.annotations = shown
        self._starts = list(map(_START, shown))
        # A lookup scans back as far as the longest highlight reaches: one highlight over a
        # whole chapter would make every lookup scan every highlight before it (the pane
        # asks for each line drawn and each cursor move). The few long ones are kept apart.
        lengths = list(map(sub, map(_END, shown), self._starts))
        self._longest = max(lengths, default=0)
        self._short, self._short_starts, self._long = shown, self._starts, []
        if self._longest > LONG_HIGHLIGHT:
            self._short = [a for a, n in zip(shown, lengths, strict=True) if n <= LONG_HIGHLIGHT]
            self._short_starts = [a.start for a in self._short]
            self._long = [a for a, n in zip(shown, lengths, strict=True) if n > LONG_HIGHLIGHT]
            self._longest = max((a.end - a.start for a in self._short), default=0)

    def overlapping(self, start: int, end: int) -> list[Annotation]:
        """Annotations overlapping ``[start, end)``, by start (O(log n) plus what is found,
        and the highlights longer than :data:`LONG_HIGHLIGHT`, usually none)."""
        low = bisect_left(self._short_starts, start - self._longest)
        high = bisect_left(self._short_starts, end)
        found = [a for a in self._short[low:high] if a.end > start]
        if self._long:
            found += [a for a in self._long if a.start < end and a.end > start]
            found.sort(key=lambda a: (a.start, a.end))
        return found

    def at(self, span: Span) -> Annotation | None:
        """The annotation under a cursor span: one holding its start, else the first overlapping."""
        found = self.overlapping(span.start, max(span.end, span.start + 1))
        for annotation in found:
            if annotation.start <= span.start < annotation.end:
                return annotation
        return found[0] if found else None

    def next_after(self, span: Span) -> Annotation | None:
        """The first annotation starting after ``span`` (or after its start, within it)."""
        index = bisect_left(self._starts, span.end)
        if index < len(self.annotations):
            return self.annotations[index]
        index = bisect_right(self._starts, span.start)
        return self.annotations[index] if index < len(self.annotations) else None

    def previous_before(self, span: Span) -> Annotation | None:
        """The last annotation starting before ``span``."""
        index = bisect_left(self._starts, span.start) - 1
        return self.annotations[index] if index >= 0 else None


def hits_between(hits: list[Span], starts: list[int], start: int, end: int) -> list[Span]:
    """The hits (sorted, non-overlapping, ``starts`` their starts) overlapping ``[start, end)``."""
    low = max(bisect_left(starts, start) - 1, 0)
    high = bisect_left(starts, end)
    return [hit for hit in hits[low:high] if hit.end > start]
