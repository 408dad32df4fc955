"""W3C Web Annotation Data Model (JSON-LD) export and import.

Each highlight becomes an ``Annotation`` whose target is a SpecificResource over the
article (``urn:reader:article:<id>``) with a TextQuoteSelector (exact/prefix/suffix) and,
while the highlight is anchored, a TextPositionSelector (start/end). The note is a
``TextualBody`` with purpose ``commenting``, each tag a ``TextualBody`` with purpose
``tagging``. The colour is carried the way the model intends for styling: the target's
``styleClass`` (``reader-color-<name>``) plus an embedded ``CssStylesheet`` defining the
class, so other clients can render it and :func:`from_w3c` reads the colour back.

The export is an ``AnnotationCollection`` whose ``first`` is an embedded
``AnnotationPage`` holding all items, which the W3C test-suite schemas accept (the
``items`` of a page may be Annotation objects).

A note or tags put on a whole article are one more ``Annotation`` whose target is the
article's IRI itself, with no selector (what Hypothesis calls a page note).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from reader.core.models import COLORS, Annotation, Article, ArticleSummary

__all__ = [
    "ANNO_CONTEXT",
    "W3CImportError",
    "from_w3c",
    "from_w3c_article",
    "to_w3c",
    "to_w3c_annotation",
    "to_w3c_article",
]

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_STYLE_PREFIX = "reader-color-"
#: CSS used for the embedded stylesheet: readable highlight tints.
_CSS_COLORS = {
    "yellow": "#fff3a3",
    "green": "#c8f0c0",
    "blue": "#c4dcff",
    "pink": "#ffc9e0",
    "purple": "#e2ccff",
}
_CLASS_RE = re.compile(r"^" + re.escape(_STYLE_PREFIX) + r"([a-z]+)$")


class W3CImportError(ValueError):
    """A W3C annotation this importer cannot turn into a highlight (message says why)."""


def _iso(value: str) -> str | None:
    """``value`` if it is an ISO 8601 date-time with a zone (xsd:dateTime), else None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.isoformat()


def to_w3c_annotation(
    annotation: Annotation,
    article: ArticleSummary | Article | None = None,
    base: str = "urn:reader:",
) -> dict[str, Any]:
    """One highlight as a standalone W3C ``Annotation`` (with its own ``@context``).

    The target's ``source`` is the page's address for an article clipped from the web
    (``article.url``), else reader's IRI for the article. The model has no property for a
    target's title, so titles stay in the JSON export.
    """
    url = getattr(article, "url", None)
    own = f"{base}article:{_iri_part(annotation.article_id)}"
    selectors: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": annotation.quote,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        }
    ]
    # An orphaned highlight's offsets point at nothing in the current text: leave them out.
    if annotation.status != "orphaned" and annotation.end >= annotation.start >= 0:
        selectors.append(
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end}
        )
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": url if _is_web_address(url) else own,
        "selector": selectors,
    }
    color = annotation.color if annotation.color in COLORS else None
    if color:
        target["styleClass"] = _STYLE_PREFIX + color
    bodies = _bodies(annotation.note, annotation.tags)
    item: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": f"{base}annotation:{_iri_part(annotation.id)}",
        "type": "Annotation",
        "motivation": "commenting" if annotation.note.strip() else "highlighting",
    }
    created, modified = _iso(annotation.created), _iso(annotation.updated)
    if created:
        item["created"] = created
    if modified:
        item["modified"] = modified
    if bodies:
        item["body"] = bodies
    item["target"] = target
    if color:
        item["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{_STYLE_PREFIX}{color} {{ background-color: {_CSS_COLORS[color]}; }}",
        }
    return item


def _bodies(note: str, tags: Iterable[str]) -> list[dict[str, Any]]:
    """A note (commenting) and tags (tagging) as W3C ``TextualBody`` bodies."""
    bodies: list[dict[str, Any]] = []
    if note.strip():
        bodies.append(
            {"type": "TextualBody", "value": note, "format": "text/plain", "purpose": "commenting"}
        )
    bodies.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags)
    return bodies


def to_w3c_article(summary: ArticleSummary, base: str = "urn:reader:") -> dict[str, Any] | None:
    """What is put on a whole article (its note, its tags) as one W3C ``Annotation`` whose
    target is the article itself, without a selector (Hypothesis' page note); None when the
    article has neither."""
    bodies = _bodies(summary.note, summary.tags)
    if not bodies:
        return None
    return {
        "@context": ANNO_CONTEXT,
        "id": f"{base}article-note:{_iri_part(summary.id)}",
        "type": "Annotation",
        "motivation": "commenting" if summary.note.strip() else "tagging",
        "body": bodies,
        "target": f"{base}article:{_iri_part(summary.id)}",
    }


def to_w3c(
    annotations: Iterable[Annotation],
    articles: Mapping[str, ArticleSummary | Article],
    base: str = "urn:reader:",
    *,
    label: str = "reader highlights",
    whole_articles: Iterable[ArticleSummary] = (),
) -> dict[str, Any]:
    """An ``AnnotationCollection`` of the highlights (trashed ones left out), preceded by
    one annotation of the whole article for each of ``whole_articles`` with a note or tags.

    The collection embeds one ``AnnotationPage`` as ``first``; an empty export has
    ``total`` 0 and no page, as the model allows.
    """
    notes = (to_w3c_article(summary, base) for summary in whole_articles)
    items = [note for note in notes if note is not None]
    items += [
        to_w3c_annotation(a, articles.get(a.article_id), base) for a in annotations if not a.deleted
    ]
    collection: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": f"{base}collection:export",
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
    }
    if items:
        collection["first"] = {
            "id": f"{base}collection:export:page:0",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        }
    return collection


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _has_type(obj: Any, name: str) -> bool:
    return isinstance(obj, dict) and name in _as_list(obj.get("type"))


def _is_web_address(url: object) -> bool:
    """Whether ``url`` is an http(s) address fit to be a target's source IRI."""
    return (
        isinstance(url, str)
        and url.startswith(("http://", "https://"))
        and not any(c.isspace() or c in '<>"{}|\\^`' for c in url)
    )


def _iri_part(local_id: str) -> str:
    """An id made safe for an IRI (ids are hex today; imported ones could be anything)."""
    return quote(local_id, safe="-._~")


def _local_id(iri: str, kind: str, base: str) -> str | None:
    """Our id inside ``<base><kind>:<id>``, or None when the IRI is not one of ours."""
    prefix = f"{base}{kind}:"
    return unquote(iri[len(prefix) :]) if iri.startswith(prefix) else None


def from_w3c_article(item: Any, base: str = "urn:reader:") -> dict[str, Any] | None:
    """What a whole-article annotation (target: one of our articles, no selector) puts on
    the article: ``{"id", "tags", "note"?}`` (``note`` only when it has a comment); None
    for anything else."""
    if not _has_type(item, "Annotation"):
        return None
    targets = _as_list(item.get("target"))
    if len(targets) != 1:
        return None
    target = targets[0]
    if isinstance(target, dict):
        if "selector" in target or not isinstance(target.get("source"), str):
            return None
        target = target["source"]
    if not isinstance(target, str):
        return None
    article_id = _local_id(target, "article", base)
    if not article_id:
        return None
    notes: list[str] = []
    tags: list[str] = []
    for body in _as_list(item.get("body")) + _as_list(item.get("bodyValue")):
        if isinstance(body, str):
            notes.append(body)
        elif _has_type(body, "TextualBody") and isinstance(body.get("value"), str):
            purposes = _as_list(body.get("purpose"))
            (tags if "tagging" in purposes else notes).append(body["value"])
    fields: dict[str, Any] = {"id": article_id, "tags": tags}
    if notes:
        fields["note"] = "\n\n".join(notes)
    return fields


def from_w3c(item: Any, base: str = "urn:reader:") -> dict[str, Any]:
    """The fields of a highlight read from one W3C ``Annotation``.

    Returns a dict with ``source`` (the target IRI), ``article_id`` (the local id when
    the source is one of ours, else None), ``quote``, ``prefix``, ``suffix``, ``start``,
    ``end`` (None without a TextPositionSelector), ``note``, ``tags``, ``color`` (None if
    unknown), ``id`` (our local id, or the foreign IRI), ``created``, ``modified``.
    Raises :class:`W3CImportError` when there is no text quote to anchor.
    """
    if not isinstance(item, dict):
        raise W3CImportError("not an object")
    if not _has_type(item, "Annotation"):
        raise W3CImportError("type is not Annotation")
    targets = _as_list(item.get("target"))
    if not targets:
        raise W3CImportError("missing target")
    target = targets[0]
    if isinstance(target, str):
        raise W3CImportError("target has no selector (a whole-resource annotation)")
    if not isinstance(target, dict) or not isinstance(target.get("source"), str):
        raise W3CImportError("target has no source")
    quote_selector: dict[str, Any] | None = None
    position_selector: dict[str, Any] | None = None
    for selector in _as_list(target.get("selector")):
        if _has_type(selector, "TextQuoteSelector") and quote_selector is None:
            quote_selector = selector
        elif _has_type(selector, "TextPositionSelector") and position_selector is None:
            position_selector = selector
    if quote_selector is None or not isinstance(quote_selector.get("exact"), str):
        raise W3CImportError("missing quote (no TextQuoteSelector with exact)")
    if not quote_selector["exact"]:
        raise W3CImportError("empty quote")
    start = end = None
    if position_selector is not None:
        raw_start, raw_end = position_selector.get("start"), position_selector.get("end")
        if isinstance(raw_start, int) and isinstance(raw_end, int) and 0 <= raw_start <= raw_end:
            start, end = raw_start, raw_end
    notes: list[str] = []
    tags: list[str] = []
    color: str | None = None
    for body in _as_list(item.get("body")) + _as_list(item.get("bodyValue")):
        if isinstance(body, str):
            notes.append(body)
            continue
        if not _has_type(body, "TextualBody") or not isinstance(body.get("value"), str):
            continue
        purposes = _as_list(body.get("purpose"))
        value = body["value"]
        if "tagging" in purposes:
            if value.startswith("color:") and value[6:] in COLORS:
                color = value[6:]  # colour as a tag, as some tools write it
            else:
                tags.append(value)
        else:
            notes.append(value)
    style = _CLASS_RE.match(str(target.get("styleClass", "")))
    if style and style.group(1) in COLORS:
        color = style.group(1)
    source = target["source"]
    raw_id = item.get("id")
    return {
        "source": source,
        "article_id": _local_id(source, "article", base),
        "quote": quote_selector["exact"],
        "prefix": str(quote_selector.get("prefix", "") or ""),
        "suffix": str(quote_selector.get("suffix", "") or ""),
        "start": start,
        "end": end,
        "note": "\n\n".join(notes),
        "tags": tags,
        "color": color,
        "id": (_local_id(raw_id, "annotation", base) or raw_id)
        if isinstance(raw_id, str)
        else None,
        "created": item.get("created") if isinstance(item.get("created"), str) else None,
        "modified": item.get("modified") if isinstance(item.get("modified"), str) else None,
    }
