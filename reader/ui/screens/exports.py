"""Export commands for the command palette: the open article's highlights, or all of them,
to Markdown, JSON, W3C JSON-LD, an Anki deck or Readwise CSV, written under the store folder
(never among the documents, where a Markdown file would be imported as a new document)."""

from __future__ import annotations

import os
import re
import tempfile
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
    return cleaned[:60].rstrip("-") or "article"


def write_export(library: Library, annotations: list[Annotation], fmt: str, name: str) -> Path:
    """Render and write one export atomically; returns the file written."""
    from reader.service.exporting import render

    folder = export_folder(library)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}{FORMATS[fmt][1]}"
    if fmt in ("anki", "readwise"):
        from reader.service.card_exports import write_cards

        write_cards(library, annotations, fmt, path)
        return path
    text = render(library, annotations, fmt)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
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
            if only_article is not None:
                annotations = library.annotations(only_article)
                name = slug(article_title)
            else:
                annotations = library.all_annotations()
                name = "all-highlights"
            if not annotations:
                return "Nothing to export: no highlights"
            path = write_export(library, annotations, fmt, name)
            count = len(annotations)
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
