"""Exports and annotation imports, tying reader.export's formats to the library."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.models import (
    Annotation,
    Article,
    ArticleSummary,
    normalize_tags,
    now_iso,
    text_hash,
)
from reader.service.library import Library, LibraryError


def _write_atomic(path: Path, text: str) -> None:
    """Write a file whole or not at all (an export must never leave half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render(
    library: Library,
    annotations: list[Annotation],
    fmt: str,
    article_ids: Sequence[str] = (),
) -> str:
    """The export as one text (JSON, W3C JSON-LD or a Markdown document).

    Besides the highlights' own, what is put on their articles goes along: tags, read state
    and article note. ``article_ids`` names articles to carry even without a highlight.
    """
    summaries = {s.id: s for s in library.articles()}
    wanted = _wanted_articles(summaries, annotations, article_ids)
    if fmt == "json":
        from reader.export.jsonfmt import export_json
        from reader.service.articles import article_record

        titles = {k: v.title for k, v in summaries.items()}
        records = [article_record(summaries[i]) for i in wanted]
        return _one_record_per_line(export_json(annotations, titles, records))
    if fmt == "w3c":
        from reader.export.w3c import to_w3c

        known: dict[str, ArticleSummary | Article] = dict(summaries)
        whole = [summaries[i] for i in wanted]
        collection = to_w3c(annotations, known, whole_articles=whole)
        return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
    from reader.export.markdown import render_article

    labels = library.settings.color_labels()
    parts = []
    for article_id in wanted:
        mine = [a for a in annotations if a.article_id == article_id]
        # the summary, not the full article: the export shows its tags and note
        parts.append(render_article(summaries[article_id], mine, labels))
    return "\n\n".join(parts)


def _wanted_articles(
    summaries: dict[str, ArticleSummary],
    annotations: list[Annotation],
    article_ids: Sequence[str] = (),
) -> list[str]:
    """The articles of the highlights (and those named), in the list's order."""
    wanted = {a.article_id for a in annotations} | set(article_ids)
    return [article_id for article_id in summaries if article_id in wanted]


def _one_record_per_line(export: dict[str, Any]) -> str:
    """The JSON export laid out with one highlight (and one article) per line.

    Still readable and diff-friendly, and written by json's C encoder: ``indent=2`` runs the
    pure-Python one, ~5 of the 13 s of exporting 100,000 highlights.
    """
    listed = ("annotations", "articles")
    fields = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in export.items()
              if key not in listed]  # fmt: skip
    for key in listed:
        if key not in export:
            continue
        records = ",\n".join(
            f"    {json.dumps(record, ensure_ascii=False)}" for record in export[key]
        )
        fields.append(f'  "{key}": [\n{records}\n  ]' if records else f'  "{key}": []')
    return "{\n" + ",\n".join(fields) + "\n}\n"


def export(
    library: Library,
    annotations: list[Annotation],
    fmt: str,
    output: Path | None,
    article_ids: Sequence[str] = (),
) -> int:
    """``reader export``: to stdout, a file, or (Markdown) a folder of one file per article."""
    if fmt == "markdown" and output is not None and (output.is_dir() or str(output).endswith("/")):
        return _export_markdown_folder(library, annotations, output, article_ids)
    text = render(library, annotations, fmt, article_ids)
    if output is None:
        sys.stdout.write(text)
        return 0
    _write_atomic(output, text)
    print(
        f"wrote {len(annotations)} highlight{'s' * (len(annotations) != 1)} to {output}",
        file=sys.stderr,
    )
    return 0


def _export_markdown_folder(
    library: Library, annotations: list[Annotation], folder: Path, article_ids: Sequence[str] = ()
) -> int:
    """One file per article; a re-export updates only reader's own blocks in each file."""
    from reader.export.markdown import merge_into, render_article, stable_filename

    folder.mkdir(parents=True, exist_ok=True)
    labels = library.settings.color_labels()
    summaries = {s.id: s for s in library.articles()}
    # summaries, not full articles: the files show the articles' tags and notes
    articles = [summaries[i] for i in _wanted_articles(summaries, annotations, article_ids)]
    for article in articles:
        mine = [a for a in annotations if a.article_id == article.id]
        path = folder / stable_filename(article)
        if path.exists():
            text = merge_into(path.read_text(encoding="utf-8"), article, mine, labels)
        else:
            text = render_article(article, mine, labels)
        _write_atomic(path, text)
    print(f"wrote {len(articles)} file{'s' * (len(articles) != 1)} to {folder}", file=sys.stderr)
    return 0


@dataclass
class ImportReport:
    """What ``reader import-annotations`` did."""

    #: highlights new to this library, and ones whose note, tags, colour or place changed
    added: int = 0
    changed: int = 0
    #: highlights already in the library exactly as in the file (not written again)
    unchanged: int = 0
    #: articles whose tags, read state or note the file changed, and those already so
    articles_changed: int = 0
    articles_unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        """Highlights of the file that are now in the library."""
        return self.added + self.changed + self.unchanged

    def summary(self) -> str:
        """One line: ``imported 3 annotations, 16 unchanged; 2 articles updated``."""
        parts = []
        written = self.added + self.changed
        if written or not self.unchanged:
            parts.append(f"imported {written} annotation{'s' * (written != 1)}")
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        line = ", ".join(parts)
        if self.articles_changed:
            n = self.articles_changed
            line += f"; {n} article{'s' * (n != 1)} updated (tags, read state, note)"
        if self.errors:
            line += f", {len(self.errors)} rejected"
        return line


def _same(old: Annotation, new: Annotation) -> bool:
    """Whether importing ``new`` over ``old`` would change anything a user sees."""
    return (old.article_id, old.quote, old.start, old.end, old.note, old.tags, old.color,
            old.status, old.deleted) == (new.article_id, new.quote, new.start, new.end,
            new.note, new.tags, new.color, new.status, new.deleted)  # fmt: skip


def import_annotations(library: Library, data: Any) -> tuple[int, list[str]]:
    """Import annotations from ``export --format json`` output, minimal records or W3C.

    Returns how many are now in the library and one error line per rejected record; good
    records are imported even when others are bad. :func:`import_file` says more.
    """
    report = import_file(library, data)
    return report.accepted, report.errors


def import_file(library: Library, data: Any) -> ImportReport:
    """Import highlights (and, from a JSON export, what was put on their articles).

    A highlight already in the library as the file has it is counted unchanged and not
    written again; so is a record without an id that matches a highlight on the same
    passage with the same note, tags and colour (importing a file twice adds nothing).
    """
    from reader.core.anchoring import TextSelector, make_selector, reanchor
    from reader.core.locate import locate_quote
    from reader.export.jsonfmt import parse_import, w3c_article_records

    records, errors = parse_import(data)
    # a W3C annotation of a whole article has no quote: it is read as an article record
    whole = {f"record {index}" for index, _ in w3c_article_records(data)}
    errors = [error for error in errors if error.partition(":")[0] not in whole]
    report = ImportReport(errors=errors)
    known = {s.id for s in library.articles()}
    full: list[Annotation] = []
    texts: dict[str, str] = {}
    # per article, not per record: the text's hash and whether its snapshot is stored;
    # snapshots to add are written together, in one store write, before the annotations
    hashes: dict[str, str] = {}
    stored: dict[str, bool] = {}
    snapshots: dict[str, str] = {}

    def text_of(article_id: str) -> str | None:
        if article_id not in texts:
            article = library.article(article_id)
            if article is None:
                return None
            texts[article_id] = article.text
        return texts[article_id]

    def snapshot(article_id: str, text: str) -> str:
        """The hash of an article's current text, its snapshot kept (like ``put_text``)."""
        digest = hashes.get(article_id)
        if digest is None:
            digest = hashes[article_id] = text_hash(text)
            if not is_stored(digest):
                snapshots[digest] = text
        return digest

    def is_stored(digest: str) -> bool:
        if digest not in stored:
            stored[digest] = digest in snapshots or library.store.get_text(digest) is not None
        return stored[digest]

    for record in records:
        label = f"record {record.index}"
        if record.kind == "full" and record.annotation is not None:
            annotation = record.annotation
            if annotation.article_id not in known:
                errors.append(f"{label}: no article {annotation.article_id} in this library")
                continue
            if annotation.text_hash is None or not is_stored(annotation.text_hash):
                # keep the text the highlight stands on, so a later edit can be diffed
                text = text_of(annotation.article_id)
                if text is not None and text[annotation.start : annotation.end] == annotation.quote:
                    annotation.text_hash = snapshot(annotation.article_id, text)
            full.append(annotation)
            continue
        article_id = record.article_id
        if article_id is None or article_id not in known:
            errors.append(f"{label}: no article {article_id!r} in this library")
            continue
        text = text_of(article_id)
        if text is None:
            errors.append(f"{label}: article {article_id} has no text")
            continue
        span: tuple[int, int] | None = None
        if record.start is not None and record.end is not None:
            hint = TextSelector(
                record.quote, record.prefix, record.suffix, record.start, record.end
            )
            result = reanchor(hint, text, None)
            if result.status != "orphaned":
                span = (result.start, result.end)
        if span is None:
            span = locate_quote(text, record.quote)
        if span is None:
            errors.append(f"{label}: quote not found in article {article_id}")
            continue
        selector = make_selector(text, span[0], span[1])
        stamp = now_iso()
        full.append(
            Annotation(
                id=record.id or _new_id(),
                article_id=article_id,
                **selector.as_fields(),
                note=record.note or "",
                tags=normalize_tags(list(record.tags or [])),
                color=record.color or "yellow",
                status="anchored",
                created=record.created or stamp,
                updated=record.modified or stamp,
                text_hash=snapshot(article_id, text),
            )
        )
    writes = _changes_only(library, full, report)
    if writes:
        library.store.put_texts(list(snapshots.values()))
        library.store.put_annotations(writes)
    _import_articles(library, data, report)
    return report


def _changes_only(
    library: Library, annotations: list[Annotation], report: ImportReport
) -> list[Annotation]:
    """The annotations that add or change something; the others are counted unchanged."""
    if not annotations:
        return []
    # one read of every highlight (the trash too), not one per record: 100,000-record files
    existing = {a.id: a for a in library.all_annotations(include_deleted=True)}
    by_place: dict[tuple[str, int, int], list[Annotation]] = {}
    for kept in existing.values():
        if not kept.deleted:
            by_place.setdefault((kept.article_id, kept.start, kept.end), []).append(kept)
    writes: list[Annotation] = []
    for annotation in annotations:
        old = existing.get(annotation.id)
        if old is None:
            # a record without an id got a new one: the same passage and note is the same
            place = (annotation.article_id, annotation.start, annotation.end)
            if any(_same(twin, annotation) for twin in by_place.get(place, ())):
                report.unchanged += 1
                continue
            report.added += 1
        elif _same(old, annotation):
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        writes.append(annotation)
    return writes


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


def _new_id() -> str:
    import uuid

    return uuid.uuid4().hex[:16]


__all__ = [
    "ImportReport",
    "LibraryError",
    "export",
    "import_annotations",
    "import_file",
    "render",
]
