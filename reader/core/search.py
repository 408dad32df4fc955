"""Full-text search over the article list: an in-memory inverted index.

Tokens are runs of word characters after *folding* (Unicode NFKD, combining marks
dropped, case-folded), so ``Café`` finds ``cafe`` and ``CAFÉ``. The last word of a query
is matched as a prefix, because the user is still typing it; the other words must match
whole tokens. Every word must match somewhere in a document (title, source, author or
body). Hits are ranked title first, then source/author, then body.

Posting lists are Python ``int`` bitsets (bit ``i`` = document ``i``) for common tokens,
so AND/OR over thousands of documents run in C; rare tokens keep a small tuple instead
to save memory. The unions for one- and two-letter prefixes, which would otherwise OR
together most of the vocabulary, are computed once at build time.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

__all__ = ["FIELDS", "SearchHit", "SearchIndex", "fold", "highlight_ranges", "query_terms"]

#: Fields in rank order with their weights: a title match outranks any number of body ones.
FIELDS: tuple[str, ...] = ("title", "source", "author", "body")
_WEIGHTS = {"title": 1000, "source": 30, "author": 30, "body": 1}

_WORD_RE = re.compile(r"\w+")
#: Tokens found in fewer documents than this keep a tuple posting instead of a bitset.
_DENSE_MIN = 16
#: Prefixes up to this length have their union precomputed.
_CACHED_PREFIX_LEN = 2


@cache
def _combining_marks() -> re.Pattern[str]:
    """A character class of every combining mark (built once, on first non-ASCII text)."""
    ranges: list[str] = []
    start = prev = -2
    for code in range(sys.maxunicode + 1):
        if unicodedata.combining(chr(code)):
            if code != prev + 1:
                if start >= 0:
                    ranges.append(_range(start, prev))
                start = code
            prev = code
    ranges.append(_range(start, prev))
    return re.compile("[" + "".join(ranges) + "]+")


def _range(start: int, end: int) -> str:
    return re.escape(chr(start)) + ("-" + re.escape(chr(end)) if end > start else "")


def fold(text: str) -> str:
    """Normalise text for matching: NFKD, combining marks removed, case-folded.

    The result can be longer or shorter than ``text`` (``ß`` folds to ``ss``), so offsets
    in folded text do not map back; use :func:`highlight_ranges` for positions.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return _combining_marks().sub("", decomposed).casefold()


def query_terms(query: str) -> tuple[list[str], bool]:
    """The folded words of ``query`` and whether the last one is a prefix (still typed)."""
    folded = fold(query)
    words = _WORD_RE.findall(folded)
    last_is_prefix = bool(words) and bool(re.search(r"\w$", folded))
    return words, last_is_prefix


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching document: its id, a rank score and the best field that matched."""

    id: str
    score: int
    field: str


Posting = int | tuple[int, ...]


def _to_bits(docs: Iterable[int]) -> int:
    """A bitset of the given document numbers."""
    docs = list(docs)
    if not docs:
        return 0
    buf = bytearray(max(docs) // 8 + 1)
    for doc in docs:
        buf[doc >> 3] |= 1 << (doc & 7)
    return int.from_bytes(buf, "little")


def _bits_to_docs(bits: int) -> list[int]:
    """The document numbers set in a bitset, ascending."""
    if not bits:
        return []
    reversed_bin = bin(bits)[:1:-1]
    return [m.start() for m in re.finditer("1", reversed_bin)]


class _FieldIndex:
    """Token -> posting for one field, with a sorted vocabulary for prefix lookups."""

    __slots__ = ("_postings", "_prefix_cache", "_vocab")

    def __init__(self, token_docs: dict[str, list[int]], cache_prefixes: bool) -> None:
        self._postings: dict[str, Posting] = {}
        for token, docs in token_docs.items():
            self._postings[token] = _to_bits(docs) if len(docs) >= _DENSE_MIN else tuple(docs)
        self._vocab = sorted(self._postings)
        self._prefix_cache: dict[str, int] = {}
        if cache_prefixes:
            groups: dict[str, set[int]] = {}
            dense: dict[str, int] = {}
            for token, posting in self._postings.items():
                for size in range(1, min(_CACHED_PREFIX_LEN, len(token)) + 1):
                    key = token[:size]
                    if isinstance(posting, int):
                        dense[key] = dense.get(key, 0) | posting
                    else:
                        groups.setdefault(key, set()).update(posting)
            for key in set(groups) | set(dense):
                self._prefix_cache[key] = dense.get(key, 0) | _to_bits(groups.get(key, ()))

    def exact(self, token: str) -> int:
        """Documents whose field holds ``token``."""
        posting = self._postings.get(token, 0)
        return posting if isinstance(posting, int) else _to_bits(posting)

    def prefix(self, prefix: str) -> int:
        """Documents whose field holds a token starting with ``prefix``."""
        cached = self._prefix_cache.get(prefix)
        if cached is not None:
            return cached
        lo = bisect.bisect_left(self._vocab, prefix)
        bits = 0
        rare: set[int] = set()
        postings = self._postings
        for token in self._vocab[lo:]:
            if not token.startswith(prefix):
                break
            posting = postings[token]
            if isinstance(posting, int):
                bits |= posting
            else:
                rare.update(posting)
        return bits | _to_bits(rare) if rare else bits


class SearchIndex:
    """An inverted index over ``(id, title, source, author, text)`` records.

    Build once (or again after the library changes); :meth:`search` is cheap enough to
    run on every keystroke for a library of tens of thousands of articles.
    """

    def __init__(
        self, records: Iterable[tuple[str, str | None, str | None, str | None, str | None]]
    ) -> None:
        self._ids: list[str] = []
        per_field: dict[str, dict[str, list[int]]] = {name: {} for name in FIELDS}
        for number, (doc_id, *values) in enumerate(records):
            self._ids.append(doc_id)
            for name, value in zip(FIELDS, values, strict=True):
                if not value:
                    continue
                table = per_field[name]
                for token in set(_WORD_RE.findall(fold(value))):
                    docs = table.get(token)
                    if docs is None:
                        table[token] = [number]
                    else:
                        docs.append(number)
        self._fields = {
            name: _FieldIndex(table, cache_prefixes=name == "body")
            for name, table in per_field.items()
        }
        self._recent: dict[tuple[str, str, bool], int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def _term_bits(self, field: str, term: str, is_prefix: bool) -> int:
        key = (field, term, is_prefix)
        bits = self._recent.get(key)
        if bits is None:
            index = self._fields[field]
            bits = index.prefix(term) if is_prefix else index.exact(term)
            # Typing "strategic" asks for s, st, str...: remember the last few answers.
            if len(self._recent) > 256:
                self._recent.clear()
            self._recent[key] = bits
        return bits

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        """Documents matching every word of ``query`` (the last one as a prefix), best first.

        An empty query matches nothing. Equal scores keep the order the records were given.
        """
        words, last_is_prefix = query_terms(query)
        if not words:
            return []
        # Repeated words add nothing; keep the prefix flag only for the last one.
        terms: dict[str, bool] = {}
        for position, word in enumerate(words):
            is_prefix = last_is_prefix and position == len(words) - 1
            # An exact occurrence is the stricter requirement and wins.
            terms[word] = terms.get(word, True) and is_prefix

        candidates = -1  # all bits set: the AND identity
        per_term: list[dict[str, int]] = []
        for term, is_prefix in terms.items():
            field_bits = {name: self._term_bits(name, term, is_prefix) for name in FIELDS}
            any_field = 0
            for bits in field_bits.values():
                any_field |= bits
            candidates &= any_field
            if not candidates:
                return []
            per_term.append(field_bits)

        docs = _bits_to_docs(candidates)
        scores = dict.fromkeys(docs, 0)
        best: dict[int, str] = {}
        for field_bits in per_term:
            boosted = 0
            for name in ("title", "source", "author"):
                hits = field_bits[name] & candidates & ~boosted
                boosted |= hits
                for doc in _bits_to_docs(hits):
                    scores[doc] += _WEIGHTS[name]
                    if doc not in best or FIELDS.index(name) < FIELDS.index(best[doc]):
                        best[doc] = name
            for doc in _bits_to_docs(candidates & ~boosted):
                scores[doc] += _WEIGHTS["body"]
        ranked = sorted(docs, key=lambda doc: -scores[doc])
        if limit is not None:
            ranked = ranked[: max(limit, 0)]
        ids = self._ids
        return [SearchHit(ids[doc], scores[doc], best.get(doc, "body")) for doc in ranked]


def highlight_ranges(text: str, query: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets in ``text`` of the words that match ``query``.

    Matching follows :meth:`SearchIndex.search`: whole words, the last query word also as a
    prefix. Offsets are into the original ``text``, ascending and non-overlapping.
    """
    words, last_is_prefix = query_terms(query)
    if not words:
        return []
    exact = set(words if not last_is_prefix else words[:-1])
    prefix = words[-1] if last_is_prefix else None
    ranges: list[tuple[int, int]] = []
    for match in _WORD_RE.finditer(text):
        token = match.group()
        for folded in _WORD_RE.findall(fold(token)) or [""]:
            if folded in exact or (prefix is not None and folded.startswith(prefix)):
                ranges.append(match.span())
                break
    return ranges
