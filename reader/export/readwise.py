"""Readwise's CSV import format: one row per highlight.

Columns Highlight, Title, Author, URL, Note, Location, Date, Tags, as Readwise's CSV
upload takes them. Location is the highlight's character offset in its article (Readwise
orders a source's highlights by it); Date is when it was made, ``YYYY-MM-DD HH:MM:SS`` in
UTC; Tags are comma separated. Author falls back to the source (a clipping's publication)
so that Readwise keeps articles of the same title apart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from reader.export.highlight import HighlightInContext

__all__ = ["COLUMNS", "readwise_csv"]

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date", "Tags")


def _date(stamp: str) -> str:
    """An ISO time as Readwise's ``YYYY-MM-DD HH:MM:SS`` (UTC); empty if unreadable."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def readwise_csv(items: Iterable[HighlightInContext]) -> str:
    """The CSV text (header row first; quotes doubled, as Readwise expects)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in items:
        annotation = item.annotation
        writer.writerow(
            (
                annotation.quote,
                item.title,
                item.author or item.source or "",
                item.url or "",
                annotation.note,
                annotation.start,
                _date(annotation.created),
                ",".join(annotation.tags),
            )
        )
    return out.getvalue()
