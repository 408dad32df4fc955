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
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from itertools import compress, repeat
from typing import NamedTuple

__all__ = [
    "FIELDS", "SearchHit", "SearchIndex", "fold", "highlight_ranges", "query_terms", "tokens",
    "words",
]  # fmt: skip

#: Fields in rank order with their weights: a title match outranks any number of body ones.
FIELDS: tuple[str, ...] = ("title", "source", "author", "body")
_WEIGHTS = {"title": 1000, "source": 30, "author": 30, "body": 1}

_WORD_RE = re.compile(r"\w+")
#: Tokens found in fewer documents than this keep a tuple posting instead of a bitset.
_DENSE_MIN = 16
#: Prefixes up to this length have their union precomputed.
_CACHED_PREFIX_LEN = 2


def fold(text: str) -> str:
    """Normalise text for matching: NFKD, combining marks removed, case-folded.

    The result can be longer or shorter than ``text`` (``ß`` folds to ``ss``), so offsets
    in folded text do not map back; use :func:`highlight_ranges` for positions.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    # Combining marks all lie above U+02FF; the cheap comparison skips the lookup for
    # the ASCII/Latin-1 bulk of most texts.
    kept = [c for c in decomposed if c < "\u0300" or not unicodedata.combining(c)]
    return "".join(kept).casefold()


@lru_cache(maxsize=1 << 18)
def _fold_token(token: str) -> tuple[str, ...]:
    """The folded word(s) of one raw word (folding can split one: "½" -> "1", "2")."""
    return tuple(_WORD_RE.findall(fold(token)))


def tokens(text: str) -> set[str]:
    """The distinct folded words of ``text``, as the index stores them.

    Words are found first and folded one distinct word at a time (memoised), which is
    much cheaper than folding long non-ASCII texts whole.
    """
    if text.isascii():
        return set(_WORD_RE.findall(text.lower()))
    found: set[str] = set()
    for raw in set(_WORD_RE.findall(unicodedata.normalize("NFC", text))):
        found.update(_fold_token(raw))
    return found


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order, repeats kept (what a ranking index counts)."""
    if text.isascii():
        return _WORD_RE.findall(text.lower())
    found: list[str] = []
    for raw in _WORD_RE.findall(unicodedata.normalize("NFC", text)):
        found.extend(_fold_token(raw))
    return found


def query_terms(query: str) -> tuple[list[str], bool]:
    """The folded words of ``query`` and whether the last one is a prefix (still typed)."""
    folded = fold(query)
    words = _WORD_RE.findall(folded)
    last_is_prefix = bool(words) and bool(re.search(r"\w$", folded))
    return words, last_is_prefix


class SearchHit(NamedTuple):
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


_BITS_TABLE = bytes.maketrans(b"01", b"\x00\x01")


def _bits_to_docs(bits: int) -> list[int]:
    """The document numbers set in a bitset, ascending (C-speed: no per-bit Python loop)."""
    if not bits:
        return []
    flags = bin(bits)[:1:-1].encode("ascii").translate(_BITS_TABLE)
    return list(compress(range(len(flags)), flags))


class _FieldIndex:
    """Token -> posting for one field, with a sorted vocabulary for prefix lookups."""

    __slots__ = ("_cache_prefixes", "_postings", "_prefix_cache", "_vocab")

    def __init__(self, token_docs: dict[str, list[int]], cache_prefixes: bool) -> None:
        self._postings: dict[str, Posting] = {}
        for token, docs in token_docs.items():
            self._postings[token] = _to_bits(docs) if len(docs) >= _DENSE_MIN else tuple(docs)
        self._vocab = sorted(self._postings)
        self._prefix_cache: dict[str, int] = {}
        self._cache_prefixes = cache_prefixes
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

    def add(self, token: str, doc: int) -> None:
        """Record that document ``doc`` (newer than all others) holds ``token``."""
        posting = self._postings.get(token)
        if posting is None:
            bisect.insort(self._vocab, token)
            self._postings[token] = (doc,)
        elif isinstance(posting, int):
            self._postings[token] = posting | (1 << doc)
        else:
            grown = (*posting, doc)
            self._postings[token] = _to_bits(grown) if len(grown) >= _DENSE_MIN else grown
        if self._cache_prefixes:
            for size in range(1, min(_CACHED_PREFIX_LEN, len(token)) + 1):
                key = token[:size]
                self._prefix_cache[key] = self._prefix_cache.get(key, 0) | (1 << doc)

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

    :meth:`search` is cheap enough to run on every keystroke for a library of tens of
    thousands of articles. :meth:`add` and :meth:`remove` keep the index current when one
    article changes, without a rebuild (an updated article ranks after the others among
    equal scores; a rebuild restores the given order and frees removed entries).
    """

    Record = tuple[str, str | None, str | None, str | None, str | None]

    def __init__(self, records: Iterable[SearchIndex.Record]) -> None:
        self._ids: list[str] = []
        per_field: dict[str, defaultdict[str, list[int]]] = {
            name: defaultdict(list) for name in FIELDS
        }
        for number, (doc_id, *values) in enumerate(records):
            self._ids.append(doc_id)
            for name, value in zip(FIELDS, values, strict=True):
                if value:
                    table = per_field[name]
                    for token in tokens(value):
                        table[token].append(number)
        self._fields = {
            name: _FieldIndex(table, cache_prefixes=name == "body")
            for name, table in per_field.items()
        }
        self._recent: dict[tuple[str, str, bool], int] = {}
        self._number = {doc_id: number for number, doc_id in enumerate(self._ids)}
        #: documents removed (or replaced) since the build: masked out of every search
        self._removed = 0
        for number, doc_id in enumerate(self._ids):
            if self._number[doc_id] != number:  # a repeated id: the last record wins
                self._removed |= 1 << number

    def __len__(self) -> int:
        return len(self._number)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._number

    def add(self, record: SearchIndex.Record) -> None:
        """Index one record; one with an id already indexed replaces it."""
        doc_id, *values = record
        self.remove(doc_id)
        number = len(self._ids)
        self._ids.append(doc_id)
        self._number[doc_id] = number
        for name, value in zip(FIELDS, values, strict=True):
            if value:
                index = self._fields[name]
                for token in tokens(value):
                    index.add(token, number)
        self._recent.clear()

    def remove(self, doc_id: str) -> bool:
        """Forget a record; False if it was not indexed."""
        number = self._number.pop(doc_id, None)
        if number is None:
            return False
        self._removed |= 1 << number
        self._recent.clear()
        return True

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

        An empty query matches nothing. Equal scores go by best field (title first), then
        keep the order the records were given.
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

        candidates = ~self._removed  # every live document: the AND identity
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

        # Score whole groups of documents with bit operations instead of one by one: a
        # group is the documents whose terms hit the same fields, so it shares one score
        # and one best field. There are few distinct groups, however many the documents.
        groups: dict[tuple[int, int], int] = {(0, len(FIELDS) - 1): candidates}
        for field_bits in per_term:
            split: dict[tuple[int, int], int] = {}
            for (score, best), members in groups.items():
                for rank, name in enumerate(FIELDS):
                    hits = members & field_bits[name] if rank < len(FIELDS) - 1 else members
                    if not hits:
                        continue
                    members &= ~hits
                    key = (score + _WEIGHTS[name], min(best, rank))
                    split[key] = split.get(key, 0) | hits
            groups = split
        ids = self._ids
        ranked: list[SearchHit] = []
        for (score, best), members in sorted(groups.items(), key=lambda g: (-g[0][0], g[0][1])):
            name = FIELDS[best]
            # Built by C-level iteration: one hit each for up to every document per keystroke.
            fields = zip(map(ids.__getitem__, _bits_to_docs(members)), repeat(score), repeat(name))
            ranked.extend(map(tuple.__new__, repeat(SearchHit), fields))  # type: ignore[arg-type]
            if limit is not None and len(ranked) >= limit:
                break
        return ranked if limit is None else ranked[: max(limit, 0)]


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
        for folded in _fold_token(token):
            if folded in exact or (prefix is not None and folded.startswith(prefix)):
                ranges.append(match.span())
                break
    return ranges
