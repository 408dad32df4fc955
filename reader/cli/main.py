"""The ``reader`` command: the TUI by default, and subcommands for scripts.

Only the TUI imports Textual (lazily, in :func:`run_tui`), so ``reader parse``, ``list`` and
``annotate`` start fast.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from reader import __version__
from reader.cli.errors import CliError, UsageError, warn

if TYPE_CHECKING:
    import argparse

COMMANDS = (
    "import",
    "add",
    "list",
    "show",
    "parse",
    "annotate",
    "edit",
    "delete",
    "undo",
    "redo",
    "export",
    "import-annotations",
    "tag",
    "restore",
    "review",
    "sync",
)

EPILOG = """commands:
  reader [--db PATH] [PATH]            open the TUI on a folder or file of documents
  reader [--db PATH] import PATH...    parse files/folders into the store (re-import updates)
  reader [--db PATH] add URL           save a web page into the library folder, import it
  reader [--db PATH] list [--json] [--tag T] [--search QUERY]
  reader [--db PATH] show ARTICLE [--json]
  reader parse FILE [--json]           parse only; store nothing
  reader [--db PATH] annotate --quote TEXT [--article ID-OR-TITLE] [--note TEXT]
                                       [--tag T]... [--color NAME]
  reader [--db PATH] annotate --article A --note TEXT   the note on the whole article
  reader [--db PATH] edit ID [--note TEXT] [--tag T]... [--no-tags] [--color NAME]
  reader [--db PATH] delete ID         move a highlight to the trash
  reader [--db PATH] undo              undo the last change made by a command (not by a window)
  reader [--db PATH] redo              redo what `reader undo` undid
  reader [--db PATH] tag ARTICLE [T]... [--remove T]...   set (or show) an article's tags
  reader [--db PATH] export [--format json|markdown|w3c|anki|readwise]
                                       [--output FILE] [--article A] [--tag T] [--query Q]
  reader [--db PATH] import-annotations FILE
  reader [--db PATH] restore           check the store: restore backups, rebuild what has none
  reader [--db PATH] review [--json] [--query Q] [--view NAME] [--new-per-day N]
                                       today's highlights to review (due first, then new)
  reader [--db PATH] review rate ID again|hard|good|easy
                                       record an answer; prints the next due date
  reader [--db PATH] review resume ID  review a highlight you stopped reviewing again
  reader [--db PATH] sync [--remote URL]
                                       share highlights through git (--remote: the first time)

Without --db (or READER_DB) the store lives in <folder>/.reader next to the documents (in
the user data folder when the folder cannot be written). Without PATH, reader opens the
current folder when it holds documents or a store, else ./seeds, else the samples shipped
with reader (and says so)."""


def _new_parser(**options: Any) -> argparse.ArgumentParser:
    """An argparse parser with one-line usage errors (argparse is imported only here: the
    everyday ``reader`` and ``reader PATH`` start the TUI without it)."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse with one-line usage errors: ``reader: error: ...`` and where help is.

        Exit status 2 for a usage error, as argparse and most Unix tools do (1 is for a
        command that ran and failed).
        """

        def error(self, message: str) -> NoReturn:
            from reader.core.clean import terminal_safe

            hint = f"see {self.prog} --help"
            self.exit(2, f"reader: error: {terminal_safe(message)} ({hint})\n")

    return _Parser(**options)


def _store_path(value: str) -> Path:
    """``--db``: a path; an empty one is an error (Path("") would be the current folder)."""
    if not value.strip():
        import argparse

        raise argparse.ArgumentTypeError("an empty path is not a store folder")
    return Path(value)


def _global_parser() -> argparse.ArgumentParser:
    import argparse

    parser = _new_parser(
        prog="reader",
        description="Read documents and annotate them, from the keyboard.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--db", type=_store_path, help="the store folder (default: <folder>/.reader)"
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The full parser (subcommands); the TUI form is handled in :func:`main`."""
    parser = _global_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="parse files/folders into the store")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    p = sub.add_parser("add", help="fetch a web page, save it and import it (prints the id)")
    p.add_argument("url", metavar="URL")

    p = sub.add_parser("list", help="list the articles")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="only with tag T")
    p.add_argument("--search", metavar="QUERY", help='text or query (tag:x source:"y" …)')

    p = sub.add_parser("show", help="print one article and its highlights")
    p.add_argument("article", metavar="ARTICLE", help="id or title")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("parse", help="parse a document and print its structure; stores nothing")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser(
        "annotate",
        help="highlight a passage (prints the new id); without --quote, note the article",
    )
    p.add_argument("--quote", metavar="TEXT", help="the passage to highlight")
    p.add_argument("--article", metavar="ID-OR-TITLE")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--color", metavar="NAME")

    p = sub.add_parser("edit", help="change a highlight's note, tags or colour (prints its id)")
    p.add_argument("id", metavar="ID")
    p.add_argument("--note", metavar="TEXT", help="the new note (an empty one clears it)")
    p.add_argument(
        "--tag", action="append", default=[], metavar="T", help="the new tags (repeatable)"
    )
    p.add_argument("--no-tags", action="store_true", help="remove every tag")
    p.add_argument("--color", metavar="NAME")

    p = sub.add_parser("delete", help="move a highlight to the trash (prints its id)")
    p.add_argument("id", metavar="ID")

    sub.add_parser("undo", help="undo the last change made by a command")
    sub.add_parser("redo", help="redo what `reader undo` undid")

    p = sub.add_parser("export", help="export highlights")
    p.add_argument(
        "--format", choices=("json", "markdown", "w3c", "anki", "readwise"), default="json"
    )
    p.add_argument(
        "--output",
        metavar="FILE",  # kept as typed: a trailing "/" means a folder
        help="file (markdown: a folder gets one file per article; anki: the .apkg to write)",
    )
    p.add_argument("--article", metavar="A")
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--query", metavar="Q", help="query language, e.g. 'tag:x color:green'")

    p = sub.add_parser("import-annotations", help="import highlights (JSON or W3C)")
    p.add_argument("file", type=Path, metavar="FILE")

    p = sub.add_parser("tag", help="add (or --remove) an article's tags; prints them")
    p.add_argument("article", metavar="ARTICLE", help="id or title")
    # default=[]: without it argparse calls T required ("required: ARTICLE, T"), and it is not
    p.add_argument("tags", nargs="*", default=[], metavar="T", help="tags to add")
    p.add_argument("--remove", action="append", default=[], metavar="T", help="a tag to remove")

    sub.add_parser("restore", help="check the store: restore backups, rebuild what has none")

    from reader.cli.review import add_parser as add_review_parser

    add_review_parser(sub)

    p = sub.add_parser("sync", help="share highlights with other computers through git")
    p.add_argument("--remote", metavar="URL", help="the git remote (the first time, or a new one)")
    return parser


def _tui_parser() -> argparse.ArgumentParser:
    parser = _global_parser()
    parser.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="a folder or file of documents"
    )
    return parser


def _first_positional(argv: Sequence[str]) -> str | None:
    skip = False
    for token in argv:
        if skip:
            skip = False
            continue
        if token == "--db":
            skip = True
            continue
        if token.startswith("-"):
            continue
        return token
    return None


#: options whose value is a query, which may begin with an exclusion (``-word``)
_QUERY_OPTIONS = ("--search", "--query")


def _glue_queries(argv: list[str]) -> list[str]:
    """``--query -word`` as ``--query=-word``: argparse takes a value that starts with a
    dash for an option of its own and refuses the line."""
    glued: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token in _QUERY_OPTIONS:
            value = next(tokens, None)
            if value is not None and value.startswith("-") and not value.startswith("--"):
                glued.append(f"{token}={value}")
                continue
            glued.append(token)
            if value is not None:
                glued.append(value)
            continue
        glued.append(token)
    return glued


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reader`` console script."""
    args_list = _glue_queries(list(sys.argv[1:] if argv is None else argv))
    try:
        if _first_positional(args_list) in COMMANDS:
            args = build_parser().parse_args(args_list)
            return _dispatch(args)
        if any(a in ("-h", "--help") for a in args_list):
            build_parser().print_help()
            return 0
        if len(args_list) <= 1 and not any(a.startswith("-") for a in args_list):
            # the everyday launch, `reader` or `reader PATH`: no parser to build (argparse
            # and gettext were ~1.5 ms of imports before the first frame)
            return run_tui(Path(args_list[0]) if args_list else None, None)
        args = _tui_parser().parse_args(args_list)
        return run_tui(args.path, args.db)
    except UsageError as error:
        from reader.core.clean import terminal_safe

        hint = f"see reader {error.command} --help"
        print(f"reader: error: {terminal_safe(str(error))} ({hint})", file=sys.stderr)
        return 2
    except CliError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # never a traceback for the user
        from reader.service.library import LibraryError
        from reader.store import StoreError

        if isinstance(error, LibraryError | StoreError):
            return _fail(str(error))
        if isinstance(error, OSError):
            name = f"{error.filename}: " if error.filename else ""
            return _fail(f"{name}{error.strerror or error}")
        if os.environ.get("READER_DEBUG"):
            raise
        return _fail(f"unexpected error: {type(error).__name__}: {error}")


def _fail(message: str) -> int:
    from reader.cli.errors import warn

    warn(message)
    return 1


def _dispatch(args: argparse.Namespace) -> int:
    from reader.cli import commands, review

    handler = {
        "import": commands.cmd_import,
        "add": commands.cmd_add,
        "list": commands.cmd_list,
        "show": commands.cmd_show,
        "parse": commands.cmd_parse,
        "annotate": commands.cmd_annotate,
        "edit": commands.cmd_edit,
        "delete": commands.cmd_delete,
        "undo": commands.cmd_undo,
        "redo": commands.cmd_undo,
        "export": commands.cmd_export,
        "import-annotations": commands.cmd_import_annotations,
        "tag": commands.cmd_tag,
        "restore": commands.cmd_restore,
        "review": review.cmd_review,
        "sync": commands.cmd_sync,
    }[args.command]
    return handler(args)


def run_tui(path: Path | None, db: Path | None) -> int:
    """Open the TUI (the only place that imports Textual)."""
    # Start-up (imports, the list of a 12,000-article library, the first frames) allocates
    # hundreds of thousands of objects that live as long as the app; the cyclic collector
    # kept scanning them (65-130 ms of collections before the first paint). It is off until
    # the first article is on screen, then those objects are frozen out of its scans (which
    # also keeps full collections short while the user types) and it is back on.
    gc.disable()
    try:
        from reader.service.library import Library

        library = Library.open(path, db, default=True, kind="tui", announce=warn)
        from reader.ui.app import make_app

        app = make_app(library, after_first_paint=_collect_normally)
        app.run()
    finally:
        _collect_normally()
    if library.notice:
        print(library.notice, file=sys.stderr)
    return int(app.return_code or 0)


def _collect_normally() -> None:
    """Freeze what start-up allocated out of the collector's scans, and turn it back on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
