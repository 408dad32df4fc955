"""Export commands for the command palette: the open article's highlights, or all of them,
to Markdown, JSON, W3C JSON-LD, an Anki deck or Readwise CSV, written under the store folder
(never among the documents, where a Markdown file would be imported as a new document)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.core.models import Annotation
from reader.service.library import Library

FORMATS: dict[str, tuple[str, str]] = {  # format -> (name, file suffix)
    "markdown": ("Markdown", ".md"),
    "json": ("JSON", ".json"),
    "w3c": ("W3C Web Annotation", ".jsonld"),
    "anki": ("an Anki deck", ".apkg"),
    "readwise": ("Readwise CSV", ".csv"),
}
#: (name, help, callback), as the command palette provider takes them
Command = tuple[str, str, Callable[[], Any]]


def export_folder(library: Library) -> Path:
    """Where exports go: ``<store>/exports``."""
    return Path(library.store.root) / "exports"


def slug(text: str) -> str:
    """A file-name-safe short form of a title."""
    cleaned = re.sub(r"[^\w]+", "-", text.casefold()).strip("-")
    if len(cleaned) > 60:
        # cut between words, never inside one (a single overlong word is cut)
        cut = cleaned[:61].rfind("-")
        cleaned = cleaned[:cut] if cut > 0 else cleaned[:60]
    return cleaned.rstrip("-") or "article"


def write_export(
    library: Library,
    annotations: list[Annotation] | None,
    fmt: str,
    name: str,
    article_ids: tuple[str, ...] = (),
) -> Path:
    """Render and write one export atomically; returns the file written.

    ``annotations`` None: every live highlight of the library, read one article's shard at
    a time as the file is written (the window never holds 100,000 highlights for it).
    """
    from reader.service.export_stream import Highlights, chunks
    from reader.service.exporting import write_file

    path = export_folder(library) / f"{name}{FORMATS[fmt][1]}"
    highlights = (
        Highlights.stored(library) if annotations is None else Highlights.listed(annotations)
    )
    if fmt in ("anki", "readwise"):
        from reader.service.card_exports import write_cards

        write_cards(library, highlights.all(), fmt, path)  # a deck holds them all anyway
        return path
    # the CLI's one atomic writer, fed as the export is produced (never held whole)
    write_file(path, chunks(library, highlights, fmt, article_ids))
    return path


def export_commands(
    library: Library,
    article_id: str | None,
    article_title: str,
    run: Callable[[Callable[[], str]], object],
) -> list[Command]:
    """Palette commands; ``run`` carries out a job off the UI thread and shows its message."""
    commands: list[Command] = []

    def job(fmt: str, only_article: str | None) -> Callable[[], object]:
        def work() -> str:
            from reader.service.articles import article_marked

            named: tuple[str, ...] = ()
            annotations: list[Annotation] | None = None
            if only_article is not None:
                annotations = library.annotations(only_article)
                count = len(annotations)
                name = slug(article_title)
                # an article note or tags are worth exporting without a highlight
                named = (only_article,) if article_marked(library, only_article) else ()
            else:
                from reader.service.articles import marked_articles

                count = sum(s.annotation_count for s in library.articles())  # the catalog's
                name = "all-highlights"
                named = tuple(marked_articles(library))  # their notes and tags go out too
            if not count and not named:
                return "Nothing to export: no highlights"
            path = write_export(library, annotations, fmt, name, named)
            return f"Exported {count} highlight{'s' * (count != 1)} to {path}"

        return lambda: run(work)

    for fmt, (label, _suffix) in FORMATS.items():
        if article_id is not None:
            commands.append(
                (
                    f"Export: this article to {label}",
                    "Write the open article's highlights to a file under the store folder",
                    job(fmt, article_id),
                )
            )
        commands.append(
            (
                f"Export: all highlights to {label}",
                "Write every highlight of the library to a file under the store folder",
                job(fmt, None),
            )
        )
    return commands
