"""What every subcommand shares: the user-facing error and the JSON printer."""

from __future__ import annotations

import json
import sys
from typing import Any

from reader.core.clean import json_safe, terminal_safe


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 1."""


class UsageError(CliError):
    """Arguments that do not make a command (found after argparse): exit status 2, like
    argparse's own usage errors. ``command`` names the subcommand for the help hint."""

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command


def print_json(data: Any) -> None:
    """JSON to stdout, readable and stable."""
    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


def warn(message: str) -> None:
    """One line ``reader: message`` on stderr; the message may quote file names or what a
    file said, so nothing in it is left live for the terminal."""
    print(f"reader: {terminal_safe(message)}", file=sys.stderr)
