"""``import-annotations``: highlights from a file put into the library, by its rules.

The file is untrusted (:mod:`reader.export.validate` checks every field). Then, per record:

* the article must be one of this library's;
* a highlight whose quote is not at its offsets in the article's text is re-anchored by its
  quote (and context), else kept as an orphan with its note and tags: never stored as
  ``anchored`` somewhere it is not;
* two records with one id: the one updated last is imported, and the report says so;
* a highlight the library already holds is replaced only by a newer version (``updated``);
  the library's newer one is kept and the report says so; an id that belongs to a highlight
  of another article is refused.

The valid records are imported even when others are rejected; each rejected one is named.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from reader.core.models import AnchorStatus, Annotation, normalize_tags, now_iso, text_hash
from reader.service.changes import WHOLE_FIELDS
from reader.service.library import Library

if TYPE_CHECKING:
    from reader.core.anchoring import AnchorResult, TextSelector

__all__ = ["ImportReport", "import_annotations"]

#: an import writing more highlights than this is not journalled for undo: the journal is
#: rewritten with every later change, and one entry of 100,000 made each annotate 2x slower
UNDOABLE_IMPORT = 2000
#: with more records than this the library's highlights are read once, not one by one
_BULK = 500
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class ImportReport:
    """What an import did: counts, one line per rejected record, one per record changed to
    fit (re-anchored, orphaned, renamed, a duplicate or an older version left out)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    #: records older than the library's version of the highlight (the library's was kept)
    kept: int = 0
    #: articles whose tags, read state or note the file changed, and those already so
    articles_changed: int = 0
    articles_unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """Highlights the import wrote (new or updated)."""
        return self.added + self.updated

    @property
    def imported(self) -> int:
        """Records accepted (new, updated, or already the same in the library)."""
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        """One line for people: ``imported 3 annotations (2 new, 1 updated), 16 unchanged``,
        or ``16 unchanged`` when the file brought nothing new."""
        written = self.added + self.updated
        parts = [f"{n} {what}" for n, what in ((self.added, "new"), (self.updated, "updated")) if n]
        if written or not self.unchanged:
            line = f"imported {written} annotation{'s' * (written != 1)}"
            if parts:
                line += f" ({', '.join(parts)})"
            if self.unchanged:
                line += f", {self.unchanged} unchanged"
        else:
            line = f"{self.unchanged} unchanged"
        if self.kept:
            line += f"; kept the library's version of {self.kept} (the file's was not newer)"
        if self.articles_changed:
            n = self.articles_changed
            line += f"; {n} article{'s' * (n != 1)} updated (tags, read state, note)"
        if self.errors:
            line += f"; {len(self.errors)} rejected (the rest of the file was imported)"
        return line


def _when(stamp: str | None) -> datetime:
    from reader.export.validate import parse_time

    return (parse_time(stamp) if stamp else None) or _NEVER


class _Texts:
    """Article texts and their snapshots, read once per article for the whole import."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._texts: dict[str, str | None] = {}
        self._hashes: dict[str, str] = {}
        self._stored: dict[str, bool] = {}
        #: snapshots to add, written in one store write before the highlights
        self.new: dict[str, str] = {}
        self._anchorers: dict[str, Callable[[TextSelector], AnchorResult]] = {}

    def text(self, article_id: str) -> str | None:
        if article_id not in self._texts:
            article = self.library.article(article_id)
            self._texts[article_id] = article.text if article is not None else None
        return self._texts[article_id]

    def reanchor(self, article_id: str, text: str) -> Callable[[TextSelector], AnchorResult]:
        """Re-anchoring in an article's current text, folded once for all its records."""
        from reader.core.anchoring import reanchorer

        found = self._anchorers.get(article_id)
        if found is None:
            found = self._anchorers[article_id] = reanchorer(text)
        return found

    def snapshot(self, article_id: str, text: str) -> str:
        """The hash of an article's current text, its snapshot kept (like ``put_text``)."""
        digest = self._hashes.get(article_id)
        if digest is None:
            digest = self._hashes[article_id] = text_hash(text)
            if not self.is_stored(digest):
                self.new[digest] = text
        return digest

    def is_stored(self, digest: str) -> bool:
        if digest not in self._stored:
            self._stored[digest] = (
                digest in self.new or self.library.store.get_text(digest) is not None
            )
        return self._stored[digest]


def _place(
    annotation: Annotation, text: str, texts: _Texts, label: str
) -> tuple[Annotation, str | None]:
    """``annotation`` standing where its quote is in ``text`` now, and a line if it moved."""
    from reader.core.anchoring import TextSelector, make_selector
    from reader.core.locate import locate_quote

    start, end, quote = annotation.start, annotation.end, annotation.quote
    if end <= len(text) and text[start:end] == quote:
        selector = make_selector(text, start, end)
        kept: AnchorStatus = "anchored" if annotation.status == "orphaned" else annotation.status
        placed = replace(annotation, **selector.as_fields(), status=kept)
        return replace(placed, text_hash=texts.snapshot(annotation.article_id, text)), None
    hint = TextSelector(
        quote, annotation.prefix, annotation.suffix, min(start, len(text)), min(end, len(text))
    )
    result = texts.reanchor(annotation.article_id, text)(hint)
    span = (result.start, result.end) if result.status != "orphaned" else None
    status: AnchorStatus = result.status if span is not None else "anchored"
    if span is None:
        span = locate_quote(text, quote)
    if span is None:
        orphan = replace(
            annotation,
            status="orphaned",
            start=min(start, len(text)),
            end=min(end, len(text)),
            text_hash=annotation.text_hash if texts.is_stored(annotation.text_hash or "") else None,
        )
        if annotation.status == "orphaned":
            return orphan, None
        return (
            orphan,
            f"{label}: quote not found in article {annotation.article_id}; kept as orphaned",
        )
    selector = make_selector(text, *span)
    original = annotation.original_quote
    if selector.quote != quote and original is None:
        original = quote
    placed = replace(
        annotation,
        **selector.as_fields(),
        status=status,
        original_quote=original,
        text_hash=texts.snapshot(annotation.article_id, text),
    )
    return placed, f"{label}: quote was not at its offsets; re-anchored ({status})"


def _existing(library: Library, ids: list[str]) -> dict[str, Annotation]:
    """The library's highlights with these ids (live or in the trash)."""
    if len(ids) > _BULK:
        wanted = set(ids)
        return {a.id: a for a in library.all_annotations(include_deleted=True) if a.id in wanted}
    found = {}
    for annotation_id in ids:
        annotation = library.store.get_annotation(annotation_id)
        if annotation is not None:
            found[annotation_id] = annotation
    return found


def import_annotations(library: Library, data: Any) -> ImportReport:
    """Import highlights from ``export --format json`` output, minimal records or W3C."""
    from reader.export.jsonfmt import parse_import, w3c_article_records

    records, errors = parse_import(data)
    # a W3C annotation of a whole article has no quote: it is read as an article record
    whole = {f"record {index}" for index, _ in w3c_article_records(data)}
    errors = [error for error in errors if error.partition(":")[0] not in whole]
    report = ImportReport(errors=errors)
    known = {s.id for s in library.articles()}
    texts = _Texts(library)
    chosen: dict[str, tuple[int, Annotation]] = {}  # id -> (record index, highlight)
    #: ids made up for records without one (a file imported twice must not add them twice)
    generated: set[str] = set()
    by_url: dict[str, str] | None = None  # web clippings' addresses, read when first needed

    def take(index: int, annotation: Annotation) -> None:
        earlier = chosen.get(annotation.id)
        if earlier is not None:
            newer = _when(annotation.updated) >= _when(earlier[1].updated)
            kept = index if newer else earlier[0]
            report.notices.append(
                f"record {index}: same id {annotation.id} as record {earlier[0]};"
                f" imported record {kept}, the one updated last"
            )
            if not newer:
                return
        chosen[annotation.id] = (index, annotation)

    for record in records:
        label = f"record {record.index}"
        if record.notice:
            report.notices.append(f"{label}: {record.notice}")
        if record.kind == "full" and record.annotation is not None:
            annotation = record.annotation
            if annotation.article_id not in known:
                report.errors.append(f"{label}: no article {annotation.article_id} in this library")
                continue
            text = texts.text(annotation.article_id)
            if text is None:
                report.errors.append(f"{label}: article {annotation.article_id} has no text")
                continue
            placed, moved = _place(annotation, text, texts, label)
            if moved:
                report.notices.append(moved)
            take(record.index, placed)
            continue
        article_id = record.article_id
        if article_id is None and record.source:
            # a W3C target named by a web page's address: the clipping of that page
            if by_url is None:
                from reader.service.exporting import urls_of

                by_url = urls_of(library, library.articles())
            article_id = by_url.get(record.source)
        if article_id is None or article_id not in known:
            report.errors.append(f"{label}: no article {article_id!r} in this library")
            continue
        text = texts.text(article_id)
        if text is None:
            report.errors.append(f"{label}: article {article_id} has no text")
            continue
        stamp = now_iso()
        new_id = record.id or uuid.uuid4().hex[:16]
        if record.id is None:
            generated.add(new_id)
        loose = Annotation(
            id=new_id,
            article_id=article_id,
            quote=record.quote,
            start=record.start if record.start is not None else 0,
            end=record.end if record.end is not None else 0,
            prefix=record.prefix,
            suffix=record.suffix,
            note=record.note or "",
            tags=normalize_tags(list(record.tags or [])),
            color=record.color,
            created=record.created or stamp,
            updated=record.modified or record.created or stamp,
        )
        placed, _ = _place(loose, text, texts, label)
        if placed.status == "orphaned":
            held = library.store.get_annotation(record.id) if record.id else None
            if held is not None and held.article_id == article_id and held.quote == record.quote:
                # this library's own orphan, exported (W3C) and read back: nothing to do
                report.unchanged += 1
                continue
            report.errors.append(f"{label}: quote not found in article {article_id}")
            continue
        take(record.index, placed)

    existing = _existing(library, list(chosen))
    twins = _Twins(library)
    to_write: list[Annotation] = []
    for annotation_id, (index, annotation) in chosen.items():
        label = f"record {index}"
        current = existing.get(annotation_id)
        if current is None and annotation_id in generated and twins.has(annotation):
            report.unchanged += 1  # the same passage with the same note, tags and colour
        elif current is None:
            to_write.append(annotation)
            report.added += 1
        elif current.article_id != annotation.article_id:
            report.errors.append(
                f"{label}: id {annotation_id} is a highlight of another article"
                f" ({current.article_id}) in this library"
            )
        elif all(getattr(current, f) == getattr(annotation, f) for f in WHOLE_FIELDS):
            report.unchanged += 1  # the same highlight (its revision counts writes here)
        elif _when(annotation.updated) > _when(current.updated):
            to_write.append(annotation)
            report.updated += 1
        else:
            report.kept += 1
            mine, theirs = current.updated or "unknown", annotation.updated or "unknown"
            # equal times are common (a W3C export carries fewer fields than the library
            # holds): "newer in this library" would be untrue
            age = "as new" if _when(annotation.updated) == _when(current.updated) else "newer"
            report.notices.append(
                f"{label}: highlight {annotation_id} is {age} in this library (updated {mine},"
                f" the file's {theirs}); kept the library's"
            )
    if to_write:
        library.store.put_texts(list(texts.new.values()))
        # one undoable step, unless too big for the journal (rewritten with every change)
        undoable = len(to_write) <= UNDOABLE_IMPORT
        library.changes.put_whole(to_write, action="import", journal=undoable)
        if not undoable:
            report.notices.append(
                f"{len(to_write)} highlights written: too many for `reader undo` to take back"
                f" (at most {UNDOABLE_IMPORT:,})"
            )
    _import_articles(library, data, report)
    return report


class _Twins:
    """The library's highlights by place, note, tags and colour, read once per article: what
    a record without an id matches when the same file is imported again."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._known: dict[str, set[tuple[Any, ...]]] = {}

    @staticmethod
    def _key(a: Annotation) -> tuple[Any, ...]:
        return (a.start, a.end, a.note, tuple(a.tags), a.color)

    def has(self, annotation: Annotation) -> bool:
        """Whether the library holds this highlight already under another id."""
        known = self._known.get(annotation.article_id)
        if known is None:
            found = self._library.annotations(annotation.article_id)
            known = self._known[annotation.article_id] = {self._key(a) for a in found}
        return self._key(annotation) in known


def _import_articles(library: Library, data: Any, report: ImportReport) -> None:
    """Tags, read state and note of the exported articles, back on the matching articles."""
    from reader.export.jsonfmt import parse_articles
    from reader.service.articles import restore_articles

    records, errors = parse_articles(data)
    report.errors += errors
    if not records:
        return
    done = restore_articles(library, records)
    report.articles_changed += done.changed
    report.articles_unchanged += done.unchanged
    report.errors += done.errors
