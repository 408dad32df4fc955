"""What every subcommand shares: the user-facing error and the JSON printer."""

from __future__ import annotations

import json
import sys
from typing import Any


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 1."""


def print_json(data: Any) -> None:
    """JSON to stdout, readable and stable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
