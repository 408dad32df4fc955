"""The article list's filter: ranked full-text words plus ``key:value`` query terms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from reader.core.models import ArticleSummary
from reader.core.query import Query, parse_query
from reader.core.search import SearchIndex
from reader.library import Library


def title_index(summaries: Iterable[ArticleSummary]) -> SearchIndex:
    """An index of titles, sources and authors (bodies come later, from a worker)."""
    return SearchIndex((s.id, s.title, s.source, s.author, None) for s in summaries)


def full_index(library: Library) -> SearchIndex:
    """An index of titles, sources, authors and bodies (reads every article: use a worker)."""
    records = []
    for summary in library.articles():
        article = library.article(summary.id)
        body = article.text if article is not None else None
        records.append((summary.id, summary.title, summary.source, summary.author, body))
    return SearchIndex(records)


def filter_articles(
    text: str, summaries: Mapping[str, ArticleSummary], index: SearchIndex
) -> list[ArticleSummary]:
    """The articles matching a filter line.

    Bare words go through the search index (ranked: title hits first; the last word is a
    prefix while it is being typed); ``tag:``, ``source:``, ``is:unread``, ``date:`` and
    negated terms go through the query language (lenient: half-typed terms are ignored).
    """
    query = parse_query(text, lenient=True)
    words = [t for t in query.terms if t.key == "text" and not t.negated]
    others = Query(tuple(t for t in query.terms if t not in words))
    candidates: list[ArticleSummary]
    if words:
        only_words = not others.terms and not query.problems
        # the raw line keeps "is the last word finished?" (a trailing space) for the index
        wanted = text if only_words else " ".join(t.value for t in words)
        candidates = [summaries[hit.id] for hit in index.search(wanted) if hit.id in summaries]
    else:
        candidates = list(summaries.values())
    if others.terms:
        candidates = [s for s in candidates if others.match_article(s)]
    return candidates
