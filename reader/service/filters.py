"""Selecting articles with a filter line: ranked full-text words plus ``key:value`` terms.

One function, :func:`filter_articles`, serves the TUI's article-list filter and
``reader list --search/--tag``, so both give the same articles in the same order. No
Textual here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from reader.core.models import Annotation, ArticleSummary, normalize_tags
from reader.core.query import Query, Term, parse_query
from reader.core.search import SearchIndex
from reader.service.library import Library

#: article id -> its live highlights; called only when a term needs them
AnnotationLoader = Callable[[], Mapping[str, Sequence[Annotation]]]

__all__ = [
    "AnnotationLoader",
    "TextIndex",
    "annotation_loader",
    "filter_articles",
    "ready_index",
    "select_articles",
    "stored_index",
    "title_index",
    "word_line",
]


class _Hit(Protocol):
    @property
    def id(self) -> str: ...


class TextIndex(Protocol):
    """What the filter needs of a word index: ranked hits for a line of words.

    The store's FTS5 index (:func:`stored_index`) and the in-memory
    :class:`~reader.core.search.SearchIndex` (titles only, until the stored one is ready)
    both are one. A hit with ``ranked`` False is in the unranked tail of a very broad
    query: the filter lists those in library order.
    """

    def search(self, query: str) -> Sequence[_Hit]:
        """Hits for every word of ``query``, best first."""
        ...

    def search_split(self, query: str) -> tuple[Sequence[_Hit], set[str]]:
        """:meth:`search`'s ranked hits, and the ids of its unranked tail (a set: a first
        letter's ~10,000 matches cost no object each)."""
        ...

    def matched_words(self, article_id: str, query: str) -> list[str]:
        """The words of one article that ``query`` matched."""
        ...

    def stamp(self) -> object:
        """A value that changes whenever what the index holds changes (results found
        before are still right while it stays the same)."""
        ...


def title_index(summaries: Iterable[ArticleSummary]) -> TextIndex:
    """An in-memory index of titles, sources and authors (until :func:`stored_index` is
    ready)."""
    return _TitleIndex((s.id, s.title, s.source, s.author, None) for s in summaries)


class _TitleIndex(SearchIndex):
    def matched_words(self, article_id: str, query: str) -> list[str]:
        return []

    def search_split(self, query: str) -> tuple[Sequence[_Hit], set[str]]:
        return self.search(query), set()  # every hit ranked

    def stamp(self) -> object:
        return None  # built once from the summaries it was given


def ready_index(library: Library) -> TextIndex | None:
    """The store's full-text index if it is up to date (a few hundred stats), else None."""
    index = library.store.search
    return index if index.is_fresh() else None


def stored_index(library: Library) -> TextIndex:
    """The store's full-text index of titles, sources, authors and bodies, brought up to
    date first (re-indexes only the article shards that changed; the first time, or after
    its file was lost, every article: seconds at 10,000, so call it from a worker)."""
    index = library.store.search
    index.refresh()
    return index


def annotation_loader(library: Library) -> AnnotationLoader:
    """Every live highlight of the library by article, read when first asked for."""

    def load() -> Mapping[str, Sequence[Annotation]]:
        by_article: dict[str, list[Annotation]] = defaultdict(list)
        for annotation in library.all_annotations():
            by_article[annotation.article_id].append(annotation)
        return by_article

    return load


def _needs_annotations(terms: Iterable[Term]) -> bool:
    """Whether a term looks at highlights: tags (an article's or its highlights'), colours,
    statuses, creation dates, notes."""
    return any(
        t.key in ("tag", "color", "status", "created")
        or (t.key == "has" and t.value != "highlights")
        for t in terms
    )


def word_line(text: str) -> str:
    """The free words of a filter line, as the word index is asked for them ("" if none).

    A line of words only is given whole: it keeps "is the last word finished?" (a trailing
    space), so that the last word is a prefix only while it is being typed.
    """
    query = parse_query(text, lenient=True)
    words = [t for t in query.terms if t.key == "text" and not t.negated]
    if not words:
        return ""
    if len(words) == len(query.terms) and not query.problems:
        return text
    return " ".join(t.value for t in words)


def strict_query(library: Library, text: str) -> Query:
    """``text`` parsed as a command line takes it: a typo, or a colour that is neither one
    of reader's nor one of the library's labels, raises :class:`QueryError` (the TUI's
    filter line shows such terms instead)."""
    query = parse_query(text)
    query.check_colors(library.settings.color_labels())
    return query


def filter_articles(
    text: str,
    summaries: Mapping[str, ArticleSummary],
    index: TextIndex,
    annotations: AnnotationLoader | None = None,
    *,
    color_labels: Mapping[str, str] | None = None,
) -> list[ArticleSummary]:
    """The articles matching a filter line.

    Bare words go through the search index (ranked: title hits first; the last word is a
    prefix while it is being typed); ``tag:``, ``source:``, ``is:unread``, ``date:``,
    ``has:highlights`` and negated terms go through the query language (lenient:
    half-typed terms are ignored). Given ``annotations``, ``tag:x`` also matches an
    article whose highlights carry ``x``, and highlight terms (``color:``, ``has:note``,
    ``status:``) hold when one of its highlights satisfies them; without it they are
    ignored.
    """
    query = parse_query(text, lenient=True)
    words = [t for t in query.terms if t.key == "text" and not t.negated]
    others = Query(tuple(t for t in query.terms if t not in words))
    candidates: list[ArticleSummary]
    if words:
        hits, rest = index.search_split(word_line(text))
        candidates = [summaries[hit.id] for hit in hits if hit.id in summaries]
        if rest:  # a broad query's unranked rest, in library order (C-level: ~10,000 a key)
            candidates.extend(map(summaries.__getitem__, filter(rest.__contains__, summaries)))
    else:
        candidates = list(summaries.values())
    if not others.terms:
        return candidates
    if annotations is not None and _needs_annotations(others.terms):
        notes = annotations()
        return [
            s
            for s in candidates
            if others.match_article(s, annotations=notes.get(s.id, ()), color_labels=color_labels)
        ]
    return [s for s in candidates if others.match_article(s)]


def select_articles(
    library: Library, search: str | None = None, tags: Sequence[str] = ()
) -> list[ArticleSummary]:
    """``reader list --search TEXT --tag T``: what the TUI's filter line ``TEXT tag:T`` shows.

    Raises :class:`reader.core.query.QueryError` for a query the TUI would half ignore.
    """
    parts = [search or ""] + [str(Term("tag", tag)) for tag in normalize_tags(list(tags))]
    line = " ".join(part for part in parts if part.strip())
    summaries = {s.id: s for s in library.articles()}
    if not line.strip():
        return list(summaries.values())
    query = strict_query(library, line)
    has_words = any(t.key == "text" and not t.negated for t in query.terms)
    index = stored_index(library) if has_words else title_index(())
    return filter_articles(
        line,
        summaries,
        index,
        annotation_loader(library),
        color_labels=library.settings.color_labels(),
    )
