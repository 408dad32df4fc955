"""A highlight with what flash-card and highlight services want beside it (Anki, Readwise)."""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.models import Annotation


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
