"""Lossless JSON export of highlights, and a forgiving importer.

:func:`export_json` writes every field the model keeps, plus the article's title for
people reading the file. :func:`parse_import` reads back three shapes and reports bad
records by index instead of failing the whole import:

* our own export (``{"version": 2, "annotations": [...], "articles": [...]}``, version 1
  without ``articles``, or a bare list of records with ``id``/``start``/``end``):
  ``ImportRecord(kind="full")`` with a ready Annotation (:func:`parse_articles` reads the
  article records);
* minimal objects ``{"article_id", "quote", "note"?, "tags"?, "color"?}`` that the
  library still has to anchor: ``kind="minimal"``;
* W3C Web Annotations, alone, in a list, a page or an ``AnnotationCollection`` with an
  embedded ``first`` page: ``kind="w3c"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from reader.core.models import DEFAULT_COLOR, Annotation, is_valid_id, safe_id
from reader.export.validate import (
    MAX_OFFSET,
    InvalidRecord,
    check_color,
    check_tags,
    check_text,
    full_annotation,
    parse_time,
)
from reader.export.w3c import W3CImportError, from_w3c, from_w3c_article

__all__ = [
    "FORMAT_VERSION",
    "ImportRecord",
    "export_json",
    "json_record",
    "parse_articles",
    "parse_import",
    "w3c_article_records",
]

#: 2 added ``articles`` beside ``annotations``; files of version 1 are still read
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
_FULL_KEYS = ("id", "article_id", "quote", "start", "end")


@dataclass(slots=True)
class ImportRecord:
    """One importable highlight.

    ``kind="full"`` carries :attr:`annotation`; ``"minimal"`` and ``"w3c"`` carry the
    loose fields for the library to anchor (``article_id`` may be None for a W3C record
    whose ``source`` is not one of ours; ``start``/``end`` are hints when present).
    """

    kind: Literal["full", "minimal", "w3c"]
    #: position of the record in the input, as used in error messages
    index: int = -1
    annotation: Annotation | None = None
    article_id: str | None = None
    source: str | None = None
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    note: str = ""
    tags: list[str] = field(default_factory=list)
    color: str = DEFAULT_COLOR
    id: str | None = None
    created: str | None = None
    modified: str | None = None
    #: a line about what was changed to import it (an id replaced), or None
    notice: str | None = None


def export_json(
    annotations: Iterable[Annotation],
    titles: Mapping[str, str],
    articles: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """A JSON-ready dict of every highlight with every field, plus ``article_title``, and
    beside them the ``articles`` they belong to (id, title, source, date, author, path,
    tags, read, note: what is put on a whole article)."""
    items = [json_record(a, titles.get(a.article_id, "")) for a in annotations]
    records = [dict(a) for a in articles]
    return {"version": FORMAT_VERSION, "annotations": items, "articles": records}


def json_record(annotation: Annotation, title: str) -> dict[str, Any]:
    """One highlight's record in the JSON export: every field, and its article's title."""
    record = annotation.to_dict()
    record["tags"] = list(annotation.tags)
    record["article_title"] = title
    return record


def parse_articles(data: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The article records of an export (version 2), and a message per bad one.

    In a W3C file, the annotations of whole articles (see :func:`w3c_article_records`).
    Version 1 files and files of other shapes have none: ``([], [])``. Never raises.
    """
    if not isinstance(data, dict) or "annotations" not in data:
        return [record for _, record in w3c_article_records(data)], []
    if "articles" not in data:
        return [], []
    if data.get("version", FORMAT_VERSION) not in READABLE_VERSIONS:
        return [], []  # parse_import reports the version
    raw = data["articles"]
    if not isinstance(raw, list):
        return [], ["'articles' is not a list"]
    records: list[dict[str, Any]] = []
    errors: list[str] = []
    for index, record in enumerate(raw):
        problem = _article_problem(record)
        if problem:
            errors.append(f"article {index}: {problem}")
        else:
            records.append(record)
    return records, errors


def w3c_article_records(data: Any) -> list[tuple[int, dict[str, Any]]]:
    """``(record index, article record)`` of each W3C annotation of a whole article (a
    page note: its target is the article, without a selector). :func:`parse_import` reports
    those records as having no quote; the importer reads them here instead."""
    if isinstance(data, dict) and "annotations" in data:
        return []
    candidates, _ = _records_of(data)
    found = []
    for index, candidate in enumerate(candidates):
        record = from_w3c_article(candidate)
        if record is not None:
            found.append((index, record))
    return found


def _article_problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return f"not an object ({type(record).__name__})"
    if not isinstance(record.get("id"), str) or not record["id"]:
        return "missing id"
    for key in ("note", "title", "path"):
        if record.get(key) is not None and not isinstance(record[key], str):
            return f"{key} is not text"
    tags = record.get("tags")
    if tags is not None and (
        not isinstance(tags, list) or not all(isinstance(t, str) for t in tags)
    ):
        return "tags is not a list of text"
    if "read" in record and not isinstance(record["read"], bool):
        return "read is not true or false"
    return None


def _records_of(data: Any) -> tuple[list[Any], list[str]]:
    """The list of candidate records inside whatever top-level shape was given."""
    if isinstance(data, list):
        return data, []
    if not isinstance(data, dict):
        return [], [f"expected a JSON object or list at the top level, got {type(data).__name__}"]
    types = data.get("type")
    types = types if isinstance(types, list) else [types]
    if "annotations" in data:
        version = data.get("version", FORMAT_VERSION)
        if version not in READABLE_VERSIONS or isinstance(version, bool):
            readable = ", ".join(str(v) for v in READABLE_VERSIONS)
            return [], [f"unsupported export version {version!r} (this reader reads {readable})"]
        if not isinstance(data["annotations"], list):
            return [], ["'annotations' is not a list"]
        return data["annotations"], []
    if "AnnotationCollection" in types:
        first = data.get("first")
        if isinstance(first, dict):
            items = first.get("items", [])
            return (items, []) if isinstance(items, list) else ([], ["page 'items' is not a list"])
        if data.get("total", 0) in (0, [0]):
            return [], []
        return [], ["collection has no embedded first page (paged collections are not fetched)"]
    if "AnnotationPage" in types:
        items = data.get("items", [])
        return (items, []) if isinstance(items, list) else ([], ["page 'items' is not a list"])
    return [data], []


def _parse_one(record: Any) -> ImportRecord:
    """One candidate record, every field checked (:mod:`reader.export.validate`)."""
    if not isinstance(record, dict):
        raise InvalidRecord(f"not an object ({type(record).__name__})")
    if "type" in record or "@context" in record:
        try:
            fields = from_w3c(record)
        except W3CImportError as error:
            raise InvalidRecord(str(error)) from None
        raw_id = fields["id"]
        annotation_id = safe_id(raw_id) if raw_id else None
        return ImportRecord(
            kind="w3c",
            article_id=fields["article_id"] if is_valid_id(fields["article_id"]) else None,
            source=fields["source"],
            quote=check_text(fields, "quote", required=True) or "",
            prefix=check_text(fields, "prefix") or "",
            suffix=check_text(fields, "suffix") or "",
            start=fields["start"] if _in_range(fields["start"]) else None,
            end=fields["end"] if _in_range(fields["end"]) else None,
            note=check_text(fields, "note") or "",
            tags=check_tags(fields),
            color=fields["color"] or DEFAULT_COLOR,
            id=annotation_id,
            created=_time_or_none(fields["created"]),
            modified=_time_or_none(fields["modified"]),
        )
    if not check_text(record, "quote"):
        raise InvalidRecord("missing quote")
    if not check_text(record, "article_id"):
        raise InvalidRecord("missing article_id")
    if all(key in record for key in _FULL_KEYS):
        annotation, renamed = full_annotation(record)
        return ImportRecord(
            kind="full",
            annotation=annotation,
            article_id=annotation.article_id,
            notice=renamed,
        )
    article_id = record["article_id"]
    if not is_valid_id(article_id):
        raise InvalidRecord(f"article_id: not an article id ({article_id!r:.40})")
    return ImportRecord(
        kind="minimal",
        article_id=article_id,
        quote=check_text(record, "quote", required=True) or "",
        note=check_text(record, "note") or "",
        tags=check_tags(record),
        color=check_color(record),
    )


def _in_range(offset: int | None) -> bool:
    return offset is not None and 0 <= offset <= MAX_OFFSET


def _time_or_none(value: str | None) -> str | None:
    """A W3C time kept only when it is one (a foreign tool's odd date is dropped)."""
    return value if value and len(value) <= 64 and parse_time(value) is not None else None


def parse_import(data: Any) -> tuple[list[ImportRecord], list[str]]:
    """The importable records in ``data`` and a message per record that was skipped.

    Messages name the record by its index: ``"record 3: missing quote"``. Never raises
    on bad input; a top level that is neither an object nor a list is one error.
    """
    candidates, errors = _records_of(data)
    records: list[ImportRecord] = []
    for index, candidate in enumerate(candidates):
        try:
            record = _parse_one(candidate)
        except InvalidRecord as error:
            errors.append(f"record {index}: {error}")
            continue
        except Exception as error:  # a bug here must never stop the rest of the import
            errors.append(f"record {index}: not readable ({type(error).__name__})")
            continue
        record.index = index
        records.append(record)
    return records, errors
