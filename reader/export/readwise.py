"""Readwise's CSV import format: one row per highlight.

Columns Highlight, Title, Author, URL, Note, Location, Date, Tags, as Readwise's CSV
upload takes them. Location is the highlight's character offset in its article (Readwise
orders a source's highlights by it); Date is when it was made, ``YYYY-MM-DD HH:MM:SS`` in
UTC; Tags are comma separated. Author falls back to the source (a clipping's publication)
so that Readwise keeps articles of the same title apart. A text cell that a spreadsheet
would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, tab or CR) is written
with a leading single quote (:func:`spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from reader.export.highlight import HighlightInContext

__all__ = ["COLUMNS", "readwise_csv", "spreadsheet_safe"]

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date", "Tags")

#: a cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a cell no spreadsheet runs as a formula: prefixed with a single quote
    when it starts like one (``=``, ``+``, ``-``, ``@``, tab, carriage return), as OWASP
    recommends; any other text unchanged. Text is data, never live."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


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
    # RFC 4180 line ends: a cell holding a bare CR is then quoted too (with "\n" it was not,
    # and the row broke in two)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        annotation = item.annotation
        writer.writerow(
            (
                spreadsheet_safe(annotation.quote),
                spreadsheet_safe(item.title),
                spreadsheet_safe(item.author or item.source or ""),
                spreadsheet_safe(item.url or ""),
                spreadsheet_safe(annotation.note),
                annotation.start,
                _date(annotation.created),
                spreadsheet_safe(",".join(annotation.tags)),
            )
        )
    return out.getvalue()
