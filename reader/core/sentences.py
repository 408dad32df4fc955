"""Sentence segmentation: character spans of the sentences of a text.

pySBD does the real work (it follows the Golden Rules closely) but it is quadratic in the
length of what it is given, so long texts are cut into chunks at safe sentence boundaries
first, and enormous texts use a simple regex splitter instead. Whatever splitter ran, the
spans are mapped back onto the original string, so they always index it exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from reader.core.models import Article, Span

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterator

#: pySBD is given at most this many characters at a time (it is quadratic in its input).
CHUNK_CHARS = 3000
#: beyond this many characters a text is split by the regex splitter alone (pySBD would take
#: minutes on a multi-megabyte paragraph).
PYSBD_LIMIT = 200_000

_segmenter: Any = None

# A sentence end that is safe to cut at: terminal punctuation, optional closing quotes or
# brackets, whitespace, then something that starts a sentence. The word before the stop must
# have 3+ letters so that "Mr. Smith" or "U.S. Army" are not cut.
_SAFE_BREAK = re.compile(r"[a-z]{3}[.!?…][\"'”’)\]]*(\s+)(?=[\"“‘(\[]?[A-Z0-9])")
# The fallback splitter: a run of terminal punctuation (plus closing quotes) then whitespace.
_REGEX_BREAK = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NON_SPACE = re.compile(r"\S")


def _get_segmenter() -> Any:
    """The pySBD segmenter, built on first use (building it compiles many regexes)."""
    global _segmenter
    if _segmenter is None:
        import pysbd

        _segmenter = pysbd.Segmenter(language="en", clean=False)
    return _segmenter


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """``[start, end)`` shrunk to exclude surrounding whitespace, or None if it is blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def _regex_spans(text: str, start: int, end: int) -> list[Span]:
    """Split ``text[start:end]`` at terminal punctuation followed by whitespace."""
    spans: list[Span] = []
    cursor = start
    for match in _REGEX_BREAK.finditer(text, start, end):
        span = _trimmed(text, cursor, match.end())
        if span is not None:
            spans.append(span)
        cursor = match.end()
    tail = _trimmed(text, cursor, end)
    if tail is not None:
        spans.append(tail)
    return spans


def _map_pieces(text: str, start: int, end: int, pieces: list[str]) -> list[Span] | None:
    """Map segmenter output back onto ``text[start:end]`` by counting non-space characters.

    Returns None when the pieces do not spell out the original's non-space characters in
    order (the segmenter altered the text), so the caller can fall back.
    """
    positions = [m.start() + start for m in _NON_SPACE.finditer(text[start:end])]
    spans: list[Span] = []
    index = 0
    for piece in pieces:
        chars = [c for c in piece if not c.isspace()]
        if not chars:
            continue
        if index + len(chars) > len(positions):
            return None
        for offset, char in enumerate(chars):
            if text[positions[index + offset]] != char:
                return None
        spans.append(Span(positions[index], positions[index + len(chars) - 1] + 1))
        index += len(chars)
    if index != len(positions):
        return None
    return spans


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut ``[start, end)`` into pieces of at most about CHUNK_CHARS at safe boundaries."""
    cursor = start
    while end - cursor > CHUNK_CHARS:
        limit = cursor + CHUNK_CHARS
        cut = -1
        for match in _SAFE_BREAK.finditer(text, cursor + CHUNK_CHARS // 3, limit):
            cut = match.start(1)
        if cut < 0:
            newline = text.rfind("\n", cursor + 1, limit)
            space = text.rfind(" ", cursor + 1, limit)
            cut = newline if newline > cursor else space if space > cursor else limit
        yield cursor, cut
        cursor = cut
    yield cursor, end


def _pysbd_spans(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    segmenter = _get_segmenter()
    for chunk_start, chunk_end in _chunks(text, start, end):
        if not text[chunk_start:chunk_end].strip():
            continue
        try:
            pieces = [str(p) for p in segmenter.segment(text[chunk_start:chunk_end])]
            mapped = _map_pieces(text, chunk_start, chunk_end, pieces)
        except Exception:  # pySBD has crashed on odd input before; never let that escape
            mapped = None
        spans.extend(mapped if mapped is not None else _regex_spans(text, chunk_start, chunk_end))
    return spans


def split_sentences(text: str) -> list[Span]:
    """The spans of the sentences of ``text``, in order.

    Spans are whitespace-trimmed, do not overlap, and together cover every non-space
    character of ``text``. A blank text has no sentences.
    """
    if not text.strip():
        return []
    if len(text) > PYSBD_LIMIT:
        return _regex_spans(text, 0, len(text))
    return list(_cached_spans(text))


@lru_cache(maxsize=4096)
def _cached_spans(text: str) -> tuple[Span, ...]:
    """pySBD runs at tens of kilobytes a second: paragraphs seen again (an article reopened,
    a re-render) are not split twice."""
    return tuple(_pysbd_spans(text, 0, len(text)))


def article_sentences(article: Article) -> list[Span]:
    """Sentence spans over ``article.text``; a sentence never crosses a paragraph."""
    spans: list[Span] = []
    for paragraph, pspan in zip(article.paragraphs, article.paragraph_spans(), strict=True):
        spans.extend(
            Span(s.start + pspan.start, s.end + pspan.start) for s in split_sentences(paragraph)
        )
    return spans
