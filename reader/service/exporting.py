"""Exports and annotation imports, tying reader.export's formats to the library."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.clean import json_safe
from reader.core.models import (
    Annotation,
    Article,
    ArticleSummary,
)
from reader.service.library import Library, LibraryError

if TYPE_CHECKING:
    from reader.service.importing import ImportReport


def write_file(path: Path, text: str | bytes) -> None:
    """Write a file whole or not at all (an export must never leave half a file, nor a
    temporary file); the umask's mode for a new file, an existing file's mode kept."""
    from reader.store.storage import replace_file

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LibraryError(f"{path.parent}: cannot create the folder ({error.strerror})") from None
    replace_file(path, text)


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
        return json_safe(_one_record_per_line(export_json(annotations, titles, records)))
    if fmt == "w3c":
        from reader.export.w3c import to_w3c

        known: dict[str, ArticleSummary | Article] = dict(summaries)
        # web clippings are named by their address: their full articles carry it
        known.update(web_articles(library, summaries.values(), annotations))
        whole = [summaries[i] for i in wanted]
        collection = to_w3c(annotations, known, whole_articles=whole)
        return json_safe(json.dumps(collection, ensure_ascii=False, indent=2)) + "\n"
    from reader.export.markdown import render_article

    labels = library.settings.color_labels()
    _add_urls(library, summaries, annotations)
    by_article = _by_article(annotations)
    parts = []
    for article_id in wanted:
        # the summary, not the full article: the export shows its tags and note
        parts.append(render_article(summaries[article_id], by_article.get(article_id, []), labels))
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
    output: Path | str | None,
    article_ids: Sequence[str] = (),
) -> int:
    """``reader export``: to stdout, a file, or (Markdown) a folder of one file per article.

    ``output`` ending in ``/`` (or an existing folder) means a folder: created if missing
    for Markdown, an error for the one-file formats. ``article_ids`` names articles whose
    note and tags go out even without a highlight.
    """
    if fmt in ("anki", "readwise"):
        from reader.service.card_exports import export_cards

        return export_cards(library, annotations, fmt, Path(output) if output else None)
    if output is not None:
        raw = str(output)
        wants_folder = raw.endswith(("/", os.sep)) or Path(output).is_dir()
        output = Path(output)
        if wants_folder and fmt == "markdown":
            return _export_markdown_folder(library, annotations, output, article_ids)
        if wants_folder:
            example = output / ("highlights." + fmt.replace("w3c", "jsonld"))
            raise LibraryError(
                f"{raw}: names a folder; a {fmt} export is one file (e.g. --output {example})"
            )
    text = render(library, annotations, fmt, article_ids)
    if output is None:
        sys.stdout.write(text)
        return 0
    write_file(output, text)
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

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LibraryError(f"{folder}: cannot create the folder ({error.strerror})") from None
    labels = library.settings.color_labels()
    summaries = {s.id: s for s in library.articles()}
    _add_urls(library, summaries, annotations)
    # summaries, not full articles: the files show the articles' tags and notes
    articles = [summaries[i] for i in _wanted_articles(summaries, annotations, article_ids)]
    by_article = _by_article(annotations)
    for article in articles:
        mine = by_article.get(article.id, [])
        path = folder / stable_filename(article)
        if path.exists():
            text = merge_into(path.read_text(encoding="utf-8"), article, mine, labels)
        else:
            text = render_article(article, mine, labels)
        write_file(path, text)
    print(f"wrote {len(articles)} file{'s' * (len(articles) != 1)} to {folder}", file=sys.stderr)
    return 0


def import_file(library: Library, data: Any) -> ImportReport:
    """Import highlights from ``export --format json`` output, minimal records or W3C (see
    :mod:`reader.service.importing`: every field checked, the valid records imported), and
    what was put on their articles (tags, read state, notes)."""
    from reader.service.importing import import_annotations as run_import

    return run_import(library, data)


def import_annotations(library: Library, data: Any) -> ImportReport:
    """:func:`import_file` (the name the callers of the first version used)."""
    return import_file(library, data)


def _by_article(annotations: list[Annotation]) -> dict[str, list[Annotation]]:
    """The highlights grouped by article, in their order (one pass: filtering the whole list
    once per article took 12,000 x 100,000 comparisons at full size)."""
    groups: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        groups.setdefault(annotation.article_id, []).append(annotation)
    return groups


def _add_urls(
    library: Library, summaries: dict[str, ArticleSummary], annotations: list[Annotation]
) -> None:
    """Give the highlighted web clippings' summaries their address (for front matter)."""
    for article_id, article in web_articles(library, summaries.values(), annotations).items():
        summaries[article_id].url = article.url


def web_articles(
    library: Library, summaries: Iterable[ArticleSummary], annotations: list[Annotation]
) -> dict[str, Article]:
    """The full articles of the highlighted web clippings (pages and e-mails), which carry
    their address; other articles are not read."""
    from reader.core.parser import EMAIL_SUFFIXES, WEB_SUFFIXES

    wanted = {a.article_id for a in annotations}
    found: dict[str, Article] = {}
    for summary in summaries:
        if summary.id in wanted and summary.path.lower().endswith(WEB_SUFFIXES + EMAIL_SUFFIXES):
            article = library.article(summary.id)
            if article is not None and article.url:
                found[summary.id] = article
    return found


def urls_of(library: Library, summaries: Iterable[ArticleSummary]) -> dict[str, str]:
    """Address -> article id of every web clipping (for W3C targets named by address)."""
    from reader.core.parser import EMAIL_SUFFIXES, WEB_SUFFIXES

    found: dict[str, str] = {}
    for summary in summaries:
        if summary.path.lower().endswith(WEB_SUFFIXES + EMAIL_SUFFIXES):
            article = library.article(summary.id)
            if article is not None and article.url:
                found.setdefault(article.url, summary.id)
    return found


__all__ = ["LibraryError", "export", "import_annotations", "import_file", "render", "write_file"]
