"""A reader process that parses every store file over and over while another process writes
(tests/store/test_durability). Prints one line per problem seen, and ``done N`` at the end."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    root, seconds = Path(sys.argv[1]), float(sys.argv[2])
    seen: set[Path] = set()
    parses = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in root.rglob("*.json"):
            if path.parent.name == "pending" or path.name.startswith("."):
                continue  # in-flight markers and temp files are not store files
            try:
                json.loads(path.read_bytes())
            except FileNotFoundError:
                if path in seen:
                    print(f"vanished {path.relative_to(root)}", flush=True)
                continue
            except ValueError:
                print(f"torn {path.relative_to(root)}", flush=True)
                continue
            seen.add(path)
            parses += 1
    print(f"done {parses}", flush=True)


if __name__ == "__main__":
    main()
