"""Exports for flash-card and highlight services: an Anki deck and Readwise's CSV.

Both need more than a highlight: its article's title, author and source, and a sentence of
context either side (:func:`reader.core.review.context_around`), gathered here once per
article.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from reader.core.models import Annotation, Article
from reader.export.highlight import HighlightInContext, context_fields
from reader.service.library import Library, LibraryError

__all__ = ["CARD_FORMATS", "export_cards", "in_context", "write_cards"]

CARD_FORMATS = ("anki", "readwise")


def in_context(library: Library, annotations: list[Annotation]) -> Iterator[HighlightInContext]:
    """Each highlight with its article's details and context (articles read once each)."""
    summaries = {s.id: s for s in library.articles()}
    articles: dict[str, Article | None] = {}
    for annotation in annotations:
        article_id = annotation.article_id
        if article_id not in articles:
            articles[article_id] = library.article(article_id)
        fields = context_fields(annotation, articles[article_id], summaries.get(article_id))
        yield HighlightInContext(**fields)


def export_cards(
    library: Library, annotations: list[Annotation], fmt: str, output: Path | None
) -> int:
    """``reader export --format anki|readwise``: a deck file, or CSV to stdout or a file."""
    from reader.service.exporting import write_file

    plural = "s" * (len(annotations) != 1)
    if fmt == "anki":
        if output is None:
            raise LibraryError("an Anki deck is a file: give --output deck.apkg")
        if output.is_dir():
            raise LibraryError(f"{output} is a folder: give a file name such as deck.apkg")
        write_cards(library, annotations, fmt, output)
        print(f"wrote {len(annotations)} highlight{plural} to {output}", file=sys.stderr)
        return 0
    from reader.export.readwise import readwise_csv

    text = readwise_csv(in_context(library, annotations))
    if output is None:
        sys.stdout.write(text)
        return 0
    write_file(output, text)
    print(f"wrote {len(annotations)} highlight{plural} to {output}", file=sys.stderr)
    return 0


def write_cards(library: Library, annotations: list[Annotation], fmt: str, path: Path) -> None:
    """Write an Anki deck or a Readwise CSV to ``path``, whole or not at all."""
    if fmt == "anki":
        from reader.export.anki import write_deck

        write_deck(path, in_context(library, annotations), f"reader: {library.name}")
        return
    from reader.export.readwise import readwise_csv
    from reader.service.exporting import write_file

    write_file(path, readwise_csv(in_context(library, annotations)))
