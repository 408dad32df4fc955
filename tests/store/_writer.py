"""A store writer run as a subprocess by the concurrency and fault-injection tests.

Usage: python -m tests.store._writer ROOT PREFIX COUNT ARTICLES [--mixed] [--no-sync]
Prints ``ok <annotation id>`` after each put_annotation returned (acknowledged writes).
"""

from __future__ import annotations

import sys
from pathlib import Path

from reader.core.models import Annotation, Article, ReadingState, article_id_for
from reader.store import FileRecord, Store, storage


def main() -> None:
    root, prefix, count, articles = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    mixed = "--mixed" in sys.argv
    if "--no-sync" in sys.argv:  # locking is under test, not durability: skip fsync
        storage.SYNC = False
    store = Store(Path(root))
    for n in range(count):
        article_id = f"art{n % articles}"
        note = Annotation(
            id=f"{prefix}-{n}",
            article_id=article_id,
            quote="q",
            start=n,
            end=n + 1,
            tags=[f"t{n % 3}"],
            created="2025-01-14T10:00:00+00:00",
        )
        store.put_annotation(note)
        print(f"ok {note.id}", flush=True)
        if mixed and n % 4 == 1:
            store.put_state(ReadingState(article_id=article_id, position=n, progress=0.5))
            store.set_article_tags(article_id, [f"a{n % 5}"])
            with store.edit() as edit:
                edit.push({"op": "add", "id": note.id})
            store.set_meta("last", note.id)
            name = f"doc{n % 3}.txt"
            paragraphs = [f"Paragraph {n} of {name}."]
            # (not ``articles``: that is the count of articles the notes go to)
            documents = [
                Article(id=article_id_for(name, i), title=f"T{n}", paragraphs=paragraphs, path=name)
                for i in range(2)
            ]
            store.save_document(FileRecord(name, n, n, str(n), []), documents)


if __name__ == "__main__":
    main()
