"""The rules an imported highlight must meet: ``import-annotations`` is a trust boundary.

A file to import may come from anywhere (a shared export, another tool, a hand edit), so
every field is checked for its type and range before anything is built from it, and text
is cleaned like anything typed (:func:`reader.core.clean.clean_field`). A field that breaks
a rule rejects its record with one line naming the field; the caller names the record.
Anything past the rules (does the quote stand at its offsets in *this* library's text?) is
the importer's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from reader.core.clean import clean_field
from reader.core.models import (
    ANCHOR_STATUSES,
    COLORS,
    DEFAULT_COLOR,
    Annotation,
    is_valid_id,
    normalize_tags,
    safe_id,
)

__all__ = [
    "MAX_OFFSET",
    "MAX_TAGS",
    "MAX_TEXT",
    "InvalidRecord",
    "check_color",
    "check_tags",
    "check_text",
    "full_annotation",
    "parse_time",
]

#: the longest quote or note imported (characters); a longer one is a broken file
MAX_TEXT = 1_000_000
#: tags per highlight, and characters per tag
MAX_TAGS = 200
MAX_TAG_CHARS = 200
#: offsets past this cannot be in any document reader imports (50 MB): a W3C position past it
#: is dropped as a hint (the quote anchors the highlight)
MAX_OFFSET = 50 * 1024 * 1024
#: a text hash is hex (reader writes 24 digits)
_HEX = frozenset("0123456789abcdef")


class InvalidRecord(ValueError):
    """A record breaks a rule; ``str(e)`` names the field: ``deleted: not a time (5)``."""


def _show(value: Any) -> str:
    """A short picture of a bad value for the message (never the whole of it)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_text(
    record: Mapping[str, Any], key: str, *, required: bool = False, limit: int = MAX_TEXT
) -> str | None:
    """Field ``key`` as cleaned text; None when absent or null (an error if ``required``)."""
    value = record.get(key)
    if value is None:
        if required:
            raise InvalidRecord(f"{key}: missing")
        return None
    if not isinstance(value, str):
        raise InvalidRecord(f"{key}: not text ({type(value).__name__})")
    if len(value) > limit:
        raise InvalidRecord(f"{key}: longer than {limit:,} characters")
    cleaned = clean_field(value)
    if required and not cleaned.strip():
        raise InvalidRecord(f"{key}: empty")
    return cleaned


def check_tags(record: Mapping[str, Any]) -> list[str]:
    """``tags``: a list of text, or one text of comma- or space-separated tags."""
    value = record.get("tags")
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list):
        raise InvalidRecord(f"tags: not a list of text ({type(value).__name__})")
    if len(value) > MAX_TAGS:
        raise InvalidRecord(f"tags: more than {MAX_TAGS}")
    for tag in value:
        if not isinstance(tag, str):
            raise InvalidRecord(f"tags: {_show(tag)} is not text")
        if len(tag) > MAX_TAG_CHARS:
            raise InvalidRecord(f"tags: a tag longer than {MAX_TAG_CHARS} characters")
    return normalize_tags(value)


def check_color(record: Mapping[str, Any]) -> str:
    """``color``: one of :data:`COLORS` (absent or null: the default)."""
    value = record.get("color")
    if value is None or value == "":
        return DEFAULT_COLOR
    if value not in COLORS:
        raise InvalidRecord(f"color: unknown color {_show(value)} (one of {', '.join(COLORS)})")
    return str(value)


def parse_time(value: str) -> datetime | None:
    """An ISO 8601 time (a date alone counts as its midnight; no zone means UTC), or None."""
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def _time(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise InvalidRecord(f"{key}: not a time ({_show(value)})")
    if value and parse_time(value) is None:
        raise InvalidRecord(f"{key}: not an ISO 8601 time ({_show(value)})")
    return value


def _offset(record: Mapping[str, Any], key: str) -> int:
    value = record.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidRecord(f"{key}: not an integer ({_show(value)})")
    if value < 0:
        raise InvalidRecord(f"{key}: negative ({value})")
    # past the end of the text (even 10**9) it is only a wrong hint: the importer re-anchors
    # the highlight by its quote rather than lose its note
    return value


def full_annotation(record: Mapping[str, Any]) -> tuple[Annotation, str | None]:
    """A highlight of reader's own JSON export, every field checked.

    Returns the annotation and, when its id was not one reader can use as is (spaces,
    markup, too long), a line saying which id it got instead: the same stand-in on every
    import of the file, so a re-import updates rather than duplicates.
    """
    raw_id = record.get("id")
    if not isinstance(raw_id, str) or not raw_id or len(raw_id) > 1000:
        raise InvalidRecord(f"id: not an id ({_show(raw_id)})")
    article_id = record.get("article_id")
    if not is_valid_id(article_id):
        raise InvalidRecord(f"article_id: not an article id ({_show(article_id)})")
    start, end = _offset(record, "start"), _offset(record, "end")
    if start > end:
        raise InvalidRecord(f"start/end: out of order ({start} > {end})")
    status = record.get("status")
    if status is not None and status not in ANCHOR_STATUSES:
        raise InvalidRecord(f"status: not one of {', '.join(ANCHOR_STATUSES)} ({_show(status)})")
    text_hash = record.get("text_hash")
    if text_hash is not None and (
        not isinstance(text_hash, str) or not 0 < len(text_hash) <= 64 or set(text_hash) - _HEX
    ):
        raise InvalidRecord(f"text_hash: not a hash ({_show(text_hash)})")
    annotation_id = safe_id(raw_id)
    annotation = Annotation(
        id=annotation_id,
        article_id=str(article_id),
        quote=check_text(record, "quote", required=True) or "",
        start=start,
        end=end,
        prefix=check_text(record, "prefix") or "",
        suffix=check_text(record, "suffix") or "",
        note=check_text(record, "note") or "",
        tags=check_tags(record),
        color=check_color(record),
        status=status or "anchored",
        created=_time(record, "created") or "",
        updated=_time(record, "updated") or "",
        original_quote=check_text(record, "original_quote"),
        text_hash=text_hash,
        deleted=_time(record, "deleted") or None,
    )
    renamed = None
    if annotation_id != raw_id:
        renamed = (
            f"id {_show(raw_id)} is not a reader id (letters, digits, _ and -, at most 64):"
            f" imported as {annotation_id}"
        )
    return annotation, renamed
