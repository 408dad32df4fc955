"""The ``reader`` command line: argument parsing (:mod:`.main`), the subcommands
(:mod:`.commands`) and what they share (:mod:`.errors`). Only the TUI imports Textual."""

from reader.cli.main import COMMANDS, EPILOG, build_parser, main

__all__ = ["COMMANDS", "EPILOG", "build_parser", "main"]
