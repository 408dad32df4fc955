"""The subcommands of ``reader`` (everything but the TUI). No Textual here."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.errors import CliError, UsageError, print_json, warn
from reader.core.clean import terminal_safe as safe

if TYPE_CHECKING:  # imported where used: ``reader parse`` never loads the store
    from collections.abc import Callable

    from reader.core.models import Annotation, ArticleSummary
    from reader.service.export_stream import Highlights
    from reader.service.library import Library


def open_library(args: argparse.Namespace, *, import_if_new: bool = True) -> Library:
    """The library a data command works on, as :func:`reader.service.opening.locate` picks
    it: ``--db``/``READER_DB``, else the current folder's, ``./seeds`` or the samples.

    A store that has never imported anything imports its documents first, so ``reader list``
    shows something on a fresh machine.
    """
    from reader.service.library import Library

    library = Library.open(None, args.db, default=True, announce=warn)
    if import_if_new and not library.ever_synced and library.docs_root is not None:
        report = library.sync()
        for error in report.errors:
            warn(str(error))
    return library


def said_where(library: Library) -> None:
    """After a write: say where it went when that is not ``<folder>/.reader/`` or --db."""
    where = library.location.where_written() if library.location is not None else None
    if where:
        warn(where)


def cmd_import(args: argparse.Namespace) -> int:
    """``reader import PATH...``"""
    from reader.service.library import Library

    db = args.db
    library = Library.open(None if db else args.paths[0], db, announce=warn)
    report = library.import_paths(args.paths)
    for error in report.errors:
        warn(str(error))
    said_where(library)
    print(f"imported: {report.summary()}")
    return 1 if report.errors and not (report.added or report.updated or report.unchanged) else 0


def cmd_add(args: argparse.Namespace) -> int:
    """``reader add URL``: fetch, save into the library folder, import; prints the id."""
    from reader.service.webclip import add_url

    library = open_library(args)
    added = add_url(library, args.url)
    verb = "updated" if added.updated else "added"
    print(safe(f"{verb}: {added.title} ({added.path})"), file=sys.stderr)
    print(added.article_id)
    return 0


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
        print(safe(f"{a.id}  {indent}{a.title}{'  — ' + meta if meta else ''}{count}{tags}{noted}"))
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
    print(safe(article.title))
    meta = " · ".join(x for x in (article.source, article.date, article.author) if x)
    if meta:
        print(safe(meta))
    if article.url:
        print(safe(article.url))
    if article.caption:
        print(safe(f"[photo] {article.caption}"))
    if summary.tags:
        print(safe("tags: " + " ".join(f"#{t}" for t in summary.tags)))
    if summary.note:
        print(safe(_hanging("note: ", summary.note)))
    print()
    for paragraph in article.paragraphs:
        print(safe(paragraph))
        print()
    for embed in article.embeds:
        print(safe(f"  │ {embed.text}"))
    if annotations:
        print("\nhighlights:")
        for a in annotations:
            flag = "" if a.status == "anchored" else f" ({a.status})"
            print(safe(_hanging(f"  {a.id} [{a.color}]{flag} ", _quoted(a.quote))))
            if a.note:
                print(safe("    " + a.note.replace("\n", "\n    ")))
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
    from reader.core.parser import ParseError, parse_bytes
    from reader.service.documents import Skipped, check_document, read_document

    path: Path = args.file
    if path.is_dir():
        raise CliError(f"{path}: a folder; parse takes one file (reader import reads folders)")
    if not os.path.lexists(path):
        raise CliError(f"{path}: no such file")
    try:
        # the import's checks: a FIFO, a device or a link loop is named, never read
        check_document(path)
        data = read_document(path)
    except Skipped as skipped:
        raise CliError(f"{path}: {str(skipped).removesuffix('; skipped')}") from None
    try:
        articles = parse_bytes(data, path.name)
    except ParseError as error:
        raise CliError(str(error)) from error
    if args.json:
        print_json({"articles": [a.to_dict() for a in articles]})
        return 0
    for article in articles:
        link = f" (related to {article.related_to})" if article.related_to else ""
        print(safe(f"{article.id}  {article.title}{link}"))
        for label, value in (
            ("date", article.date),
            ("source", article.source),
            ("url", article.url),
            ("author", article.author),
            ("caption", article.caption),
            ("summary", article.summary),
        ):
            if value:
                print(safe(f"  {label}: {value}"))
        print(f"  paragraphs: {len(article.paragraphs)}; embeds: {len(article.embeds)}")
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    """``reader annotate --quote TEXT``: prints the new highlight's id.

    Without ``--quote``, ``--article A --note TEXT`` sets the note on the whole article.
    """
    if args.quote is None:
        return _note_article(args)
    library = open_library(args)
    marked = library.annotate_quote(
        args.quote, article=args.article, note=args.note, tags=args.tag, color=args.color
    )
    print(marked.annotation.id)
    if marked.outcome == "exists":
        print("reader: already highlighted: nothing new was made", file=sys.stderr)
    elif marked.outcome == "extended":
        print("reader: extended the highlight that overlapped it", file=sys.stderr)
    said_where(library)
    return 0


def _note_article(args: argparse.Namespace) -> int:
    from reader.service.articles import set_article_note

    if not args.article:
        raise UsageError(
            "annotate needs --quote TEXT (a highlight) or --article A (its note)", "annotate"
        )
    if args.tag or args.color:
        raise UsageError(
            "--tag and --color go with --quote; reader tag ARTICLE T tags an article", "annotate"
        )
    library = open_library(args)
    summary = library.find_article(args.article)
    kept = set_article_note(library, summary.id, args.note)
    print(safe(f"{summary.id}  {'note saved' if kept else 'note removed'}: {summary.title}"))
    said_where(library)
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    """``reader tag ARTICLE [T]... [--remove T]...``: prints the article's tags after."""
    from reader.service.articles import retag_article

    library = open_library(args)
    summary = library.find_article(args.article)
    tags = retag_article(library, summary.id, args.tags, args.remove)
    print(safe(f"{summary.id}  {' '.join('#' + t for t in tags) or '(no tags)'}  {summary.title}"))
    if args.tags or args.remove:
        said_where(library)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    """``reader edit ID [--note TEXT] [--tag T]... [--no-tags] [--color NAME]``."""
    if args.tag and args.no_tags:
        raise UsageError("give --tag or --no-tags, not both", "edit")
    tags: list[str] | None = [] if args.no_tags else (args.tag or None)
    library = open_library(args, import_if_new=False)
    changed = library.edit(args.id, note=args.note, tags=tags, color=args.color)
    print(changed.id)
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    """``reader undo`` / ``reader redo``: the last change made by a command (an edit, a
    delete, an import of annotations), never a change made in an open window."""
    library = open_library(args, import_if_new=False)
    done = library.undo() if args.command == "undo" else library.redo()
    if done is None:
        print(f"nothing to {args.command}")
        return 0
    print(safe(done.message))
    return 1 if done.message.startswith("Not ") else 0


def cmd_sync(args: argparse.Namespace) -> int:
    """``reader sync [--remote URL]``: share highlights through a git remote."""
    from reader.service.gitsync import sync

    library = open_library(args, import_if_new=False)
    outcome = sync(library.store, args.remote)
    print(safe(outcome.summary()))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    """``reader delete ID``: the highlight goes to the trash."""
    library = open_library(args, import_if_new=False)
    deleted = library.delete(args.id)
    print(deleted.id)
    return 0


def _selection(library: Library, args: argparse.Namespace) -> Callable[[Annotation], bool] | None:
    """Which highlights ``--tag`` and ``--query`` let through (None: every one)."""
    from reader.core.models import normalize_tags
    from reader.core.query import QueryError
    from reader.service.filters import strict_query

    wanted = normalize_tags(args.tag)
    if not wanted and not args.query:
        return None
    summaries = {s.id: s for s in library.articles()}
    query = None
    labels = library.settings.color_labels()
    if args.query:
        try:
            query = strict_query(library, args.query)
        except QueryError as error:
            raise CliError(f"bad query: {error}") from error

    def keep(annotation: Annotation) -> bool:
        # a highlight counts when it or its article has the tag, as in ``list --tag``
        if not all(_tagged(annotation, summaries, t) for t in wanted):
            return False
        summary = summaries.get(annotation.article_id)
        return query is None or query.match_annotation(annotation, summary, color_labels=labels)

    return keep


def _selected_highlights(
    library: Library, args: argparse.Namespace, unreadable: list[str]
) -> Highlights:
    """The highlights an export writes: one article's, or the library's read one article
    at a time (never all in memory: issue 19)."""
    from reader.service.export_stream import Highlights

    keep = _selection(library, args)
    if args.article:
        annotations = library.annotations(library.find_article(args.article).id)
        return Highlights.listed([a for a in annotations if keep is None or keep(a)])
    return Highlights.stored(library, keep, unreadable)


def _tagged(annotation: Annotation, summaries: dict[str, ArticleSummary], tag: str) -> bool:
    summary = summaries.get(annotation.article_id)
    return tag in annotation.tags or (summary is not None and tag in summary.tags)


def cmd_export(args: argparse.Namespace) -> int:
    """``reader export``"""
    from reader.service import exporting

    library = open_library(args)
    unreadable: list[str] = []
    highlights = _selected_highlights(library, args, unreadable)
    # ``--article A`` exports A's note and tags even when it has no highlight; so does the
    # whole library's export for every article with a note or tags ("carried by every export")
    if args.article:
        named = [library.find_article(args.article).id]
    elif not args.tag and not args.query:
        from reader.service.articles import marked_articles

        named = marked_articles(library)
    else:
        named = []
    code = exporting.export(library, highlights, args.format, args.output, named)
    for line in unreadable:
        warn(f"{line}; its highlights are not in this export")
    return 1 if unreadable else code


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
    except RecursionError:
        raise CliError(f"{args.file}: JSON nested too deeply to be an export") from None
    report = exporting.import_file(library, data)
    for line in report.errors:
        warn(f"{line}; not imported")
    for line in report.notices:
        warn(line)
    print(report.summary())
    if report.added or report.changed or report.articles_changed:
        said_where(library)
    return 1 if report.errors else 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``reader restore``: check every store file; put back the last good backup of each
    unreadable one, rebuild the derived files that have none, and say what was done."""
    from reader.service.errors import LibraryError
    from reader.service.opening import LocationError, locate
    from reader.store import StoreError
    from reader.store.repair import repair_store

    try:
        root = locate(None, args.db).store_dir
    except LocationError as error:
        raise CliError(str(error)) from error
    try:
        report = repair_store(root)
    except (LibraryError, StoreError) as error:
        raise CliError(str(error)) from error
    for line in report.lines():
        print(safe(line))
    return 1 if report.lost else 0
