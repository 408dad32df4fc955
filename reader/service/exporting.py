"""Exports and annotation imports, tying reader.export's formats to the library."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.models import Annotation, ArticleSummary
from reader.service.library import Library, LibraryError

if TYPE_CHECKING:
    from reader.service.export_stream import Highlights
    from reader.service.importing import ImportReport
    from reader.store.storage import Chunks


def write_file(path: Path, text: Chunks) -> None:
    """Write a file whole or not at all (an export must never leave half a file, nor a
    temporary file); the umask's mode for a new file, an existing file's mode kept.

    ``text`` may be a stream of pieces (:func:`reader.service.export_stream.chunks`): they
    are written as they come, and an error while producing them leaves the old file."""
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
    from reader.service.export_stream import Highlights, chunks

    return "".join(chunks(library, Highlights.listed(annotations), fmt, article_ids))


def export(
    library: Library,
    annotations: list[Annotation] | Highlights,
    fmt: str,
    output: Path | str | None,
    article_ids: Sequence[str] = (),
) -> int:
    """``reader export``: to stdout, a file, or (Markdown) a folder of one file per article.

    ``annotations`` may be :class:`~reader.service.export_stream.Highlights` read one
    article at a time (what the command line gives): the export is then written as it is
    produced, never held whole. ``output`` ending in ``/`` (or an existing folder) means a
    folder: created if missing for Markdown, an error for the one-file formats.
    ``article_ids`` names articles whose note and tags go out even without a highlight.
    """
    from reader.service.export_stream import Highlights, chunks

    if isinstance(annotations, Highlights):
        highlights = annotations
    else:
        highlights = Highlights.listed(annotations)
    if fmt in ("anki", "readwise"):
        from reader.service.card_exports import export_cards

        listed = annotations if isinstance(annotations, list) else highlights.all()
        return export_cards(library, listed, fmt, Path(output) if output else None)
    if output is not None:
        raw = str(output)
        wants_folder = raw.endswith(("/", os.sep)) or Path(output).is_dir()
        output = Path(output)
        if wants_folder and fmt == "markdown":
            return _export_markdown_folder(library, highlights, output, article_ids)
        if wants_folder:
            example = output / ("highlights." + fmt.replace("w3c", "jsonld"))
            raise LibraryError(
                f"{raw}: names a folder; a {fmt} export is one file (e.g. --output {example})"
            )
    stream = chunks(library, highlights, fmt, article_ids)
    if output is None:
        for chunk in stream:
            sys.stdout.write(chunk)
        return 0
    write_file(output, stream)
    count = len(annotations) if isinstance(annotations, list) else highlights.written
    print(f"wrote {count} highlight{'s' * (count != 1)} to {output}", file=sys.stderr)
    return 0


def _export_markdown_folder(
    library: Library, highlights: Highlights, folder: Path, article_ids: Sequence[str] = ()
) -> int:
    """One file per article; a re-export updates only reader's own blocks in each file."""
    from reader.export.markdown import merge_into, render_article, stable_filename
    from reader.service.export_stream import with_address

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LibraryError(f"{folder}: cannot create the folder ({error.strerror})") from None
    labels = library.settings.color_labels()
    named = set(article_ids)
    written = 0
    # summaries, not full articles: the files show the articles' tags and notes
    for article in library.articles():
        mine = highlights.of(article.id)
        if not mine and article.id not in named:
            continue
        if mine:
            web = with_address(library, article)
            if web is not None and web is not article:
                article.url = web.url  # for the front matter
        path = folder / stable_filename(article)
        if path.exists():
            text = merge_into(path.read_text(encoding="utf-8"), article, mine, labels)
        else:
            text = render_article(article, mine, labels)
        write_file(path, text)
        written += 1
    print(f"wrote {written} file{'s' * (written != 1)} to {folder}", file=sys.stderr)
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
