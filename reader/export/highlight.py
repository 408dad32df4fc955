"""A highlight with what flash-card and highlight services want beside it (Anki, Readwise)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reader.core.models import Annotation, Article, ArticleSummary
from reader.core.review import context_around


@dataclass(frozen=True, slots=True)
class HighlightInContext:
    """A highlight, its article's title, author, source and URL, and a sentence of context
    either side of the quote (empty for an orphan, whose passage is gone)."""

    annotation: Annotation
    title: str
    author: str | None = None
    source: str | None = None
    url: str | None = None
    before: str = ""
    after: str = ""


def context_fields(
    annotation: Annotation,
    article: Article | None,
    about: Article | ArticleSummary | None = None,
) -> dict[str, Any]:
    """The fields of a :class:`HighlightInContext`: the article's details (from ``article``,
    else ``about``, its catalog entry) and the sentence either side of the quote, unless the
    highlight is orphaned or its article is gone."""
    before = after = ""
    if article is not None and annotation.status != "orphaned":
        before, after = context_around(article, annotation.start, annotation.end)
    details = article if article is not None else about
    return {
        "annotation": annotation,
        "title": details.title if details is not None else "(article gone)",
        "author": details.author if details is not None else None,
        "source": details.source if details is not None else None,
        "url": details.url if details is not None else None,
        "before": before,
        "after": after,
    }
