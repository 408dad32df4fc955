"""The subcommands of ``reader`` (everything but the TUI). No Textual here."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.errors import CliError, print_json

if TYPE_CHECKING:  # imported where used: ``reader parse`` never loads the store
    from reader.core.models import Annotation, ArticleSummary
    from reader.service.library import Library


def open_library(args: argparse.Namespace, *, import_if_new: bool = True) -> Library:
    """The library a data command works on, as :func:`reader.service.opening.locate` picks
    it: ``--db``/``READER_DB``, else the current folder's, ``./seeds`` or the samples.

    A store that has never imported anything imports its documents first, so ``reader list``
    shows something on a fresh machine.
    """
    from reader.service.library import Library

    library = Library.open(None, args.db, default=True)
    if import_if_new and not library.ever_synced and library.docs_root is not None:
        report = library.sync()
        for error in report.errors:
            print(f"reader: {error}", file=sys.stderr)
    return library


def said_where(library: Library) -> None:
    """After a write: say where it went when that is not ``<folder>/.reader/`` or --db."""
    where = library.location.where_written() if library.location is not None else None
    if where:
        print(f"reader: {where}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    """``reader import PATH...``"""
    from reader.service.library import Library

    db = args.db
    library = Library.open(None if db else args.paths[0], db)
    report = library.import_paths(args.paths)
    for error in report.errors:
        print(f"reader: {error}", file=sys.stderr)
    said_where(library)
    print(f"imported: {report.summary()}")
    return 1 if report.errors and not (report.added or report.updated or report.unchanged) else 0


def _filtered_articles(
    library: Library, tags: list[str], search: str | None
) -> list[ArticleSummary]:
    """What the TUI's filter line ``SEARCH tag:T`` lists, in the same order (one function)."""
    from reader.core.query import QueryError
    from reader.service.filters import select_articles

    try:
        return select_articles(library, search, tags)
    except QueryError as error:
        raise CliError(f"bad search: {error}") from error


def cmd_list(args: argparse.Namespace) -> int:
    """``reader list``"""
    library = open_library(args)
    if library.location is not None and library.location.is_samples:
        print(
            "the samples shipped with reader (no documents, .reader/ or seeds/ here)",
            file=sys.stderr,
        )
    articles = _filtered_articles(library, args.tag, args.search)
    if args.json:
        print_json({"articles": [_summary_json(a) for a in articles]})
        return 0
    for a in articles:
        indent = "  ↳ " if a.related_to else ""
        meta = " · ".join(x for x in (a.source, a.date) if x)
        count = (
            f"  [{a.annotation_count} highlight{'s' * (a.annotation_count != 1)}]"
            if a.annotation_count
            else ""
        )
        tags = "  " + " ".join(f"#{t}" for t in a.tags) if a.tags else ""
        noted = "  ✎" if a.note else ""  # a note on the article (reader show prints it)
        print(f"{a.id}  {indent}{a.title}{'  — ' + meta if meta else ''}{count}{tags}{noted}")
    if not articles:
        print("no articles", file=sys.stderr)
    return 0


def _summary_json(summary: ArticleSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "date": summary.date,
        "source": summary.source,
        "author": summary.author,
        "related_to": summary.related_to,
        "path": summary.path,
        "tags": summary.tags,
        "annotations": summary.annotation_count,
        "read": summary.read,
        "note": summary.note,
    }


def cmd_show(args: argparse.Namespace) -> int:
    """``reader show ARTICLE``"""
    library = open_library(args)
    summary = library.find_article(args.article)
    article = library.article(summary.id)
    if article is None:
        raise CliError(f"article {summary.id} has no stored text; run reader import")
    annotations = library.annotations(article.id)
    if args.json:
        data = article.to_dict()
        data["tags"] = summary.tags
        data["note"] = summary.note
        data["annotations"] = [a.to_dict() for a in annotations]
        print_json(data)
        return 0
    print(article.title)
    meta = " · ".join(x for x in (article.source, article.date, article.author) if x)
    if meta:
        print(meta)
    if article.caption:
        print(f"[photo] {article.caption}")
    if summary.tags:
        print("tags: " + " ".join(f"#{t}" for t in summary.tags))
    if summary.note:
        print(_hanging("note: ", summary.note))
    print()
    for paragraph in article.paragraphs:
        print(paragraph)
        print()
    for embed in article.embeds:
        print(f"  │ {embed.text}")
    if annotations:
        print("\nhighlights:")
        for a in annotations:
            flag = "" if a.status == "anchored" else f" ({a.status})"
            print(_hanging(f"  {a.id} [{a.color}]{flag} ", _quoted(a.quote)))
            if a.note:
                print("    " + a.note.replace("\n", "\n    "))
    return 0


def _quoted(quote: str) -> str:
    """A quote in curly quotes, without doubling the marks it already starts or ends with."""
    opening = "" if quote[:1] in '“"‘«' and quote else "“"
    closing = "" if quote[-1:] in '”"’»' and quote else "”"
    return f"{opening}{quote}{closing}"


def _hanging(head: str, text: str) -> str:
    """``text`` after ``head``, its later lines indented to line up under its first."""
    pad = " " * len(head)
    lines = text.split("\n")
    return "\n".join([head + lines[0], *(pad + line if line.strip() else "" for line in lines[1:])])


def cmd_parse(args: argparse.Namespace) -> int:
    """``reader parse FILE``: parse only, store nothing."""
    from reader.core.parser import ParseError, parse_file

    path: Path = args.file
    if path.is_dir():
        raise CliError(f"{path}: a folder; parse takes one file (reader import reads folders)")
    if not path.is_file():
        raise CliError(f"{path}: no such file")
    try:
        articles = parse_file(path)
    except ParseError as error:
        raise CliError(str(error)) from error
    if args.json:
        print_json({"articles": [a.to_dict() for a in articles]})
        return 0
    for article in articles:
        link = f" (related to {article.related_to})" if article.related_to else ""
        print(f"{article.id}  {article.title}{link}")
        for label, value in (
            ("date", article.date),
            ("source", article.source),
            ("author", article.author),
            ("caption", article.caption),
            ("summary", article.summary),
        ):
            if value:
                print(f"  {label}: {value}")
        print(f"  paragraphs: {len(article.paragraphs)}; embeds: {len(article.embeds)}")
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    """``reader annotate --quote TEXT``: prints the new highlight's id.

    Without ``--quote``, ``--article A --note TEXT`` sets the note on the whole article.
    """
    if args.quote is None:
        return _note_article(args)
    library = open_library(args)
    annotation = library.annotate_quote(
        args.quote, article=args.article, note=args.note, tags=args.tag, color=args.color
    )
    print(annotation.id)
    said_where(library)
    return 0


def _note_article(args: argparse.Namespace) -> int:
    from reader.service.articles import set_article_note

    if not args.article:
        raise CliError("annotate needs --quote TEXT (a highlight) or --article A (its note)")
    if args.tag or args.color:
        raise CliError("--tag and --color go with --quote; reader tag ARTICLE T tags an article")
    library = open_library(args)
    summary = library.find_article(args.article)
    kept = set_article_note(library, summary.id, args.note)
    print(f"{summary.id}  {'note saved' if kept else 'note removed'}: {summary.title}")
    said_where(library)
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    """``reader tag ARTICLE [T]... [--remove T]...``: prints the article's tags after."""
    from reader.service.articles import retag_article

    library = open_library(args)
    summary = library.find_article(args.article)
    tags = retag_article(library, summary.id, args.tags, args.remove)
    print(f"{summary.id}  {' '.join('#' + t for t in tags) or '(no tags)'}  {summary.title}")
    if args.tags or args.remove:
        said_where(library)
    return 0


def _selected_annotations(library: Library, args: argparse.Namespace) -> list[Annotation]:
    from reader.core.models import normalize_tags

    if args.article:
        annotations = library.annotations(library.find_article(args.article).id)
    else:
        annotations = library.all_annotations()
    summaries = {s.id: s for s in library.articles()}
    wanted = normalize_tags(args.tag)
    if wanted:
        # a highlight counts when it or its article has the tag, as in ``list --tag``
        annotations = [a for a in annotations if all(_tagged(a, summaries, t) for t in wanted)]
    if args.query:
        from reader.core.query import QueryError, parse_query

        try:
            query = parse_query(args.query)
        except QueryError as error:
            raise CliError(f"bad query: {error}") from error
        labels = library.settings.color_labels()
        annotations = [
            a
            for a in annotations
            if query.match_annotation(a, summaries.get(a.article_id), color_labels=labels)
        ]
    return annotations


def _tagged(annotation: Annotation, summaries: dict[str, ArticleSummary], tag: str) -> bool:
    summary = summaries.get(annotation.article_id)
    return tag in annotation.tags or (summary is not None and tag in summary.tags)


def cmd_export(args: argparse.Namespace) -> int:
    """``reader export``"""
    from reader.service import exporting

    library = open_library(args)
    annotations = _selected_annotations(library, args)
    # ``--article A`` exports A's note and tags even when it has no highlight
    named = [library.find_article(args.article).id] if args.article else []
    output = Path(args.output) if args.output else None
    if output is not None and args.format == "markdown" and args.output.endswith(("/", os.sep)):
        output.mkdir(parents=True, exist_ok=True)  # DIR/: one file per article (Path drops the /)
    return exporting.export(library, annotations, args.format, output, named)


def cmd_import_annotations(args: argparse.Namespace) -> int:
    """``reader import-annotations FILE``"""
    from reader.service import exporting

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    library = open_library(args)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise CliError(f"{args.file}: not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise CliError(f"{args.file}: not JSON ({error.msg}, line {error.lineno})") from error
    report = exporting.import_file(library, data)
    for error_line in report.errors:
        print(f"reader: {error_line}", file=sys.stderr)
    print(report.summary())
    if report.added or report.changed or report.articles_changed:
        said_where(library)
    return 1 if report.errors else 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``reader restore``: put back the last good backup of every store file."""
    from reader.service.errors import LibraryError
    from reader.service.opening import LocationError, locate
    from reader.store import Store

    try:
        root = locate(None, args.db).store_dir
    except LocationError as error:
        raise CliError(str(error)) from error
    try:
        restored = Store.restore_backup_at(root)
    except LibraryError as error:
        raise CliError(str(error)) from error
    if not restored:
        files = [p for p in root.rglob("*.json") if not p.name.startswith(".")]
        backups = list(root.rglob("*.json.bak"))
        if not files:
            print(f"no store files in {root}: nothing to restore")
        else:
            print(
                f"checked {len(files)} store file{'s' * (len(files) != 1)} in {root}: "
                f"every one reads well, nothing to restore "
                f"({len(backups)} backup{'s' * (len(backups) != 1)} kept)"
            )
        return 0
    for name in restored:
        print(f"restored {name}")
    return 0
