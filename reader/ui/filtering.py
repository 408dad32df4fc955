"""The article list's filter: ranked full-text words plus ``key:value`` query terms.

The logic lives in :mod:`reader.service.filters` (no Textual) so that ``reader list
--search/--tag`` selects exactly what the TUI's filter line shows; this module keeps the
UI's import path.
"""

from __future__ import annotations

from reader.service.filters import (
    AnnotationLoader,
    TextIndex,
    annotation_loader,
    filter_articles,
    ready_index,
    stored_index,
    title_index,
    word_line,
)

__all__ = [
    "AnnotationLoader",
    "TextIndex",
    "annotation_loader",
    "filter_articles",
    "ready_index",
    "stored_index",
    "title_index",
    "word_line",
]
