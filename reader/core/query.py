"""The filter language typed into the search boxes of the article and highlight lists.

Examples::

    tag:treaty color:green source:"The Algemeiner" has:note status:orphaned
    date:2024-10..2025-01   date:2024   date:2024-10-01..   date:..2025-01
    "exact phrase"  bare words  -negated  -tag:draft

Every term must hold (AND). Text terms (bare words and quoted phrases) are matched as
folded substrings (case and accents ignored) of the quote, note, tags and article title
of a highlight, or of the title, source, author, tags and body of an article.
``color:`` takes a colour name, its key ``1``-``5`` or its label (``color:"key idea"``).
``tag:`` matches a highlight's tags or its article's; ``has:note`` an article's own note.
``date:`` filters on the article's date, ``created:`` on when a highlight was made; both
take a year, a month or a day, or a range ``A..B`` with either end open, inclusive.

:func:`parse_query` raises :class:`QueryError` (and nothing else) on a bad query; with
``lenient=True`` it never raises and keeps what it can understand, which is what a
search box should use while the user is still typing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from reader.core.models import (
    ANCHOR_STATUSES,
    COLORS,
    DEFAULT_COLOR_LABELS,
    Annotation,
    ArticleSummary,
    normalize_tag,
)
from reader.core.search import fold

__all__ = ["FILTER_KEYS", "Query", "QueryError", "Term", "parse_query"]

#: Keys that take a value; ``colour`` is accepted as a spelling of ``color``.
FILTER_KEYS: tuple[str, ...] = (
    "tag", "color", "source", "author", "title", "has", "status", "is", "date", "created",
)  # fmt: skip
_ALIASES = {"colour": "color", "tags": "tag"}
_HAS_VALUES = ("note", "tags", "highlights")
_IS_VALUES = ("read", "unread")
#: Terms only a highlight can satisfy (an article needs one of its highlights to).
_ANNOTATION_KEYS = frozenset({"color", "status", "created"})
_DATE_PART = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_SAFE_BARE = re.compile(r'[^\s"\\:-][^\s"\\:]*')


class QueryError(ValueError):
    """A query that cannot be understood; the message says what and where."""


@dataclass(frozen=True, slots=True)
class Term:
    """One condition. ``key`` is ``"text"`` for bare words and phrases.

    ``value`` is what the user typed (normalised for tags); dates keep the typed text
    and the inclusive ISO bounds they stand for in ``low``/``high``.
    """

    key: str
    value: str
    negated: bool = False
    low: str | None = None
    high: str | None = None

    def __str__(self) -> str:
        sign = "-" if self.negated else ""
        if self.key == "text":
            return sign + _quote(self.value)
        return f"{sign}{self.key}:{_quote(self.value)}"


def _quote(value: str) -> str:
    """``value`` bare when it reads back the same, else double-quoted with escapes."""
    if _SAFE_BARE.fullmatch(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: the conjunction of its terms. ``str(query)`` parses back to it."""

    terms: tuple[Term, ...] = field(default_factory=tuple)
    #: what could not be understood (lenient parsing only), for a hint under the box
    problems: tuple[str, ...] = field(default_factory=tuple, compare=False)

    def __str__(self) -> str:
        return " ".join(str(term) for term in self.terms)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def check_colors(self, color_labels: Mapping[str, str] | None = None) -> None:
        """Raise :class:`QueryError` for a ``color:`` that is no colour and no label (a
        typo would otherwise match nothing, silently)."""
        labels = DEFAULT_COLOR_LABELS if color_labels is None else color_labels
        known = {fold(name) for name in COLORS} | {fold(label) for label in labels.values()}
        for term in self.terms:
            if term.key == "color" and fold(term.value) not in known:
                names = ", ".join(COLORS)
                raise QueryError(
                    f"no colour or label {term.value!r} (colours: {names}, or 1-5, or a label)"
                )

    def match_annotation(
        self,
        annotation: Annotation,
        article: ArticleSummary | None = None,
        *,
        color_labels: Mapping[str, str] | None = None,
    ) -> bool:
        """Whether a highlight (with its article, if known) satisfies every term."""
        labels = DEFAULT_COLOR_LABELS if color_labels is None else color_labels
        haystack = None
        for term in self.terms:
            if term.key == "text":
                if haystack is None:
                    parts = [annotation.quote, annotation.note, " ".join(annotation.tags)]
                    if article is not None:
                        parts.append(article.title)
                    haystack = fold("\n".join(parts))
                ok = fold(term.value) in haystack
            else:
                ok = self._match_annotation_filter(term, annotation, article, labels)
            if ok == term.negated:
                return False
        return True

    def _match_annotation_filter(
        self,
        term: Term,
        annotation: Annotation,
        article: ArticleSummary | None,
        labels: Mapping[str, str],
    ) -> bool:
        key, value = term.key, term.value
        if key == "tag":
            # the highlight's own tags or its article's, as the article list filters
            return value in annotation.tags or (article is not None and value in article.tags)
        if key == "color":
            wanted = fold(value)
            label = labels.get(annotation.color, "")
            return wanted in (fold(annotation.color), fold(label))
        if key == "status":
            return annotation.status == value
        if key == "has":
            if value == "note":
                return bool(annotation.note.strip())
            if value == "tags":
                return bool(annotation.tags)
            return True  # has:highlights - a highlight is one
        if key == "created":
            return _in_range(annotation.created[:10] or None, term)
        if article is None:
            return False  # article filters cannot hold without the article
        return _match_article_filter(term, article)

    def match_article(
        self,
        summary: ArticleSummary,
        text: str = "",
        annotations: Iterable[Annotation] | None = None,
        *,
        color_labels: Mapping[str, str] | None = None,
    ) -> bool:
        """Whether an article satisfies every term.

        Highlight-only terms (``color:``, ``status:``, ``created:``, ``has:note``) hold when
        one of ``annotations`` satisfies all of them together; without ``annotations``
        they are not checked. ``has:note`` also holds for an article with a note of its own
        (whose words the text terms search too). ``tag:`` matches the article's tags or, given
        ``annotations``, a highlight's tags.
        """
        haystack = None
        notes = list(annotations) if annotations is not None else None
        noted = bool(summary.note.strip())
        for term in self.terms:
            if noted and term.key == "has" and term.value == "note":
                if term.negated:
                    return False  # the article's own note is a note
                continue
            if self._is_annotation_term(term):
                continue
            if term.key == "text":
                if haystack is None:
                    parts = [summary.title, summary.source or "", summary.author or ""]
                    parts += [" ".join(summary.tags), summary.note, text]
                    haystack = fold("\n".join(parts))
                ok = fold(term.value) in haystack
            elif term.key == "tag" and notes is not None:
                ok = term.value in summary.tags or any(term.value in a.tags for a in notes)
            else:
                ok = _match_article_filter(term, summary)
            if ok == term.negated:
                return False
        if notes is None:
            return True
        only = tuple(
            t
            for t in self.terms
            if self._is_annotation_term(t) and not (noted and t.key == "has" and t.value == "note")
        )
        if not only:
            return True
        sub = Query(only)
        return any(sub.match_annotation(a, summary, color_labels=color_labels) for a in notes)

    @staticmethod
    def _is_annotation_term(term: Term) -> bool:
        return term.key in _ANNOTATION_KEYS or (term.key == "has" and term.value != "highlights")


def _match_article_filter(term: Term, article: ArticleSummary) -> bool:
    key, value = term.key, term.value
    if key == "tag":
        return value in article.tags
    if key in ("source", "author", "title"):
        return fold(value) in fold(getattr(article, key) or "")
    if key == "date":
        return _in_range(article.date, term)
    if key == "is":
        return article.read == (value == "read")
    if key == "has":
        return article.annotation_count > 0  # has:highlights
    return False


def _in_range(day: str | None, term: Term) -> bool:
    if not day:
        return False
    day = day[:10]
    return (term.low is None or day >= term.low) and (term.high is None or day <= term.high)


def _date_bound(text: str, upper: bool) -> str:
    """The first (or last) ISO day of a year, month or day written ``YYYY[-MM[-DD]]``."""
    match = _DATE_PART.fullmatch(text)
    if not match:
        raise QueryError(f"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(p) if p else None for p in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 12 if upper else 1, 31 if upper else 1).isoformat()
        if day is None:
            date(year, month, 1)  # validates the month
            return f"{year:04d}-{month:02d}-{31 if upper else 1:02d}"
        return date(year, month, day).isoformat()
    except ValueError as error:
        raise QueryError(f"'{text}' is not a valid date ({error})") from None


def _date_term(key: str, value: str, negated: bool) -> Term:
    if ".." in value:
        low_text, _, high_text = value.partition("..")
        if not low_text and not high_text:
            raise QueryError(f"{key}:.. needs a start or an end date")
        low = _date_bound(low_text, upper=False) if low_text else None
        high = _date_bound(high_text, upper=True) if high_text else None
        if low and high and low > high:
            raise QueryError(f"{key}:{value} ends before it starts")
    else:
        low, high = _date_bound(value, upper=False), _date_bound(value, upper=True)
    return Term(key, value, negated, low, high)


def _make_term(key: str, value: str, negated: bool) -> Term:
    key = _ALIASES.get(key, key)
    if key not in FILTER_KEYS:
        known = ", ".join(f"{k}:" for k in FILTER_KEYS)
        raise QueryError(f"unknown filter '{key}:' (known: {known})")
    if not value.strip():
        raise QueryError(f"'{key}:' needs a value")
    if key in ("date", "created"):
        return _date_term(key, value, negated)
    if key == "tag":
        tag = normalize_tag(value)
        if not tag:
            raise QueryError(f"'{value}' is not a tag")
        return Term(key, tag, negated)
    if key == "color":
        # Colour names are matched folded; labels may contain spaces and capitals; 1-5 are
        # the colours' keys (as ``--color 1`` and the reading pane take them).
        name = value.strip()
        if name.isascii() and name.isdigit() and 1 <= int(name) <= len(COLORS):
            name = COLORS[int(name) - 1]
        return Term(key, name.lower() if name.lower() in COLORS else name, negated)
    allowed = {"has": _HAS_VALUES, "status": ANCHOR_STATUSES, "is": _IS_VALUES}.get(key)
    if allowed is not None:
        lowered = value.lower()
        if lowered == "notes":
            lowered = "note"
        if lowered not in allowed:
            raise QueryError(f"'{key}:{value}': expected one of {', '.join(allowed)}")
        return Term(key, lowered, negated)
    return Term(key, value, negated)


_TOKEN = re.compile(
    r"""\s*(?P<neg>-?)(?:(?P<key>[A-Za-z]+):)?"""
    r"""(?:"(?P<quoted>(?:[^"\\]|\\.)*)(?P<closed>"?)|(?P<bare>[^\s"]*))""",
    re.DOTALL,
)


def parse_query(text: str, *, lenient: bool = False) -> Query:
    """Parse ``text`` into a :class:`Query`.

    Raises :class:`QueryError` with a readable message on the first problem; with
    ``lenient=True`` it skips bad terms instead (an unclosed quote runs to the end) and
    lists them in :attr:`Query.problems`.
    """
    if not isinstance(text, str):
        raise QueryError("a query must be text")
    terms: list[Term] = []
    problems: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match is not None  # every part is optional, so it always matches
        if match.end() == position or not match.group().strip():
            if match.end() == position:
                # A stray quote-less character the pattern cannot consume: skip it.
                position += 1
            else:
                position = match.end()
            continue
        position = match.end()
        try:
            term = _term_from_match(match, lenient)
        except QueryError as error:
            if not lenient:
                raise
            problems.append(str(error))
            continue
        if term is not None:
            terms.append(term)
    return Query(tuple(terms), tuple(problems))


def _term_from_match(match: re.Match[str], lenient: bool) -> Term | None:
    negated = bool(match.group("neg"))
    key = match.group("key")
    quoted = match.group("quoted")
    if quoted is not None:
        if not match.group("closed") and not lenient:
            raise QueryError(f'unclosed quote in {match.group().strip()!r}: add a closing "')
        value = re.sub(r"\\(.)", r"\1", quoted, flags=re.DOTALL)
        if key is None:
            return Term("text", value, negated) if value.strip() else None
        return _make_term(key.lower(), value, negated)
    bare = match.group("bare") or ""
    if key is None:
        if not bare:
            if negated:
                raise QueryError("'-' must be followed by a word or a filter")
            return None
        return Term("text", bare, negated)
    return _make_term(key.lower(), bare, negated)
