"""A second process editing one highlight through the library (tests/service/test_processes)."""

from __future__ import annotations

import sys
from pathlib import Path

from reader.service.library import Library


def main() -> None:
    folder, annotation_id, field, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    library = Library.open(Path(folder))
    for n in range(count):
        if field == "note":
            library.set_note(annotation_id, f"note {n}")
        elif field == "view":
            library.settings.save_view(f"{annotation_id} {n}", f"tag:t{n}")
        else:
            library.set_tags(annotation_id, [f"tag-{n}"])
        print(f"ok {n}", flush=True)


if __name__ == "__main__":
    main()
