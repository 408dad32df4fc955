"""The JSON and W3C exports as streams of text pieces, one record at a time.

At 100,000 highlights, building the whole document (a dict per highlight, then one string)
took 0.5-1.2 GB; these write each record as it comes, so the caller can read the highlights
one article at a time and hand the pieces to an atomic file writer or to stdout.

Both lay a document out with one record per line (diff-friendly, and written by json's C
encoder: ``indent`` runs the pure-Python one). The JSON stream is byte for byte what
:func:`json_document` gives for the same records; the W3C one parses to what
:func:`reader.export.w3c.to_w3c` builds, except that ``total`` comes after the page (it is
known only at the end; the members of a JSON object have no order).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from reader.export.jsonfmt import FORMAT_VERSION
from reader.export.w3c import ANNO_CONTEXT

__all__ = ["json_chunks", "json_document", "w3c_chunks"]


def _dumps(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False)


def _records(records: Iterable[Mapping[str, Any]], indent: str) -> Iterator[str]:
    """The ``[...]`` of a list, one record per line (``[]`` when empty)."""
    yield "["
    first = True
    for record in records:
        yield ("\n" if first else ",\n") + indent + _dumps(record)
        first = False
    if not first:
        yield "\n" + indent[:-2] + "]"
    else:
        yield "]"


def json_chunks(
    annotations: Iterable[Mapping[str, Any]],
    articles: Callable[[], Iterable[Mapping[str, Any]]],
) -> Iterator[str]:
    """``reader export --format json`` as pieces of text: the highlight records (see
    :func:`reader.export.jsonfmt.json_record`) as they come, then ``articles()``, called once
    the highlights are written (which articles go out depends on them)."""
    yield '{\n  "version": ' + json.dumps(FORMAT_VERSION) + ',\n  "annotations": '
    yield from _records(annotations, "    ")
    yield ',\n  "articles": '
    yield from _records(articles(), "    ")
    yield "\n}\n"


def json_document(export: Mapping[str, Any]) -> str:
    """A whole export dict (:func:`reader.export.jsonfmt.export_json`) laid out as
    :func:`json_chunks` writes it."""
    return "".join(json_chunks(export["annotations"], lambda: export["articles"]))


def w3c_chunks(
    items: Iterable[Mapping[str, Any]],
    base: str = "urn:reader:",
    *,
    label: str = "reader highlights",
) -> Iterator[str]:
    """An ``AnnotationCollection`` holding ``items`` (W3C annotations, see
    :func:`reader.export.w3c.to_w3c_annotation`) in one embedded ``AnnotationPage``, as
    :func:`reader.export.w3c.to_w3c` shapes it: no page when there are no items."""
    head = {
        "@context": ANNO_CONTEXT,
        "id": f"{base}collection:export",
        "type": "AnnotationCollection",
        "label": label,
    }
    yield "{\n" + "".join(f"  {_dumps(k)}: {_dumps(v)},\n" for k, v in head.items())
    page = {"id": f"{base}collection:export:page:0", "type": "AnnotationPage", "startIndex": 0}
    total = 0
    for item in items:
        if total == 0:
            members = "".join(f"    {_dumps(k)}: {_dumps(v)},\n" for k, v in page.items())
            yield '  "first": {\n' + members + '    "items": [\n      ' + _dumps(item)
        else:
            yield ",\n      " + _dumps(item)
        total += 1
    if total:
        yield "\n    ]\n  },\n"
    yield f'  "total": {total}\n}}\n'
