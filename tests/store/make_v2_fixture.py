"""Writes the schema-2 store fixture (``fixtures/v2/``): 4,096 id buckets and the review
index's per-article live sets in ``review/<bb>.json``.

Schema 2 is what reader wrote up to commit 40cb0d9. The fixture was made by running this
script with that commit's code (``git worktree add /tmp/v2 40cb0d9``, then, from there,
``python -m tests.store.make_v2_fixture DEST``) and copying DEST's store files (no
backups, no lock) into ``tests/store/fixtures/v2``. With today's code it would write
schema 3: it documents how the fixture was made, and what the migration test expects.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reader.core.models import Annotation, Article, ReadingState, article_id_for
from reader.store import FileRecord, Store

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "v2"

#: (id, article index, note, deleted, tags)
NOTES = [
    ("fresh-1", 0, "", None, ["treaty"]),
    ("fresh-2", 0, "a second thought", None, []),
    ("rated", 1, "answered once", None, ["iran"]),
    ("stopped", 1, "", None, []),
    ("binned", 2, "in the trash", "2025-01-16T09:05:00+00:00", ["treaty"]),
    ("other-1", 2, "", None, []),
]
#: the card of "rated": due on this day
DUE = "2025-01-20T10:00:00+00:00"


def articles() -> list[Article]:
    """Three articles of one clipping."""
    return [
        Article(
            id=article_id_for("clip.txt", n),
            title=f"Article {n}",
            paragraphs=[f"First paragraph of article {n}.", f"Second paragraph of article {n}."],
            date="2025-01-14",
            source="The Example Times",
            path="clip.txt",
            index=n,
        )
        for n in range(3)
    ]


def notes() -> list[Annotation]:
    """The highlights, one of them in the trash."""
    arts = articles()
    made = []
    for n, (note_id, index, text, deleted, tags) in enumerate(NOTES):
        article = arts[index]
        made.append(
            Annotation(
                id=note_id,
                article_id=article.id,
                quote=article.text[:5],
                start=0,
                end=5,
                note=text,
                tags=tags,
                created=f"2025-01-14T10:0{n}:00+00:00",
                updated=f"2025-01-14T10:0{n}:00+00:00",
                deleted=deleted,
            )
        )
    return made


def write(root: Path) -> None:
    """The store as schema 2 wrote it."""
    store = Store(root)
    arts = articles()
    record = FileRecord(
        path="clip.txt", size=1, mtime_ns=1, sha="x", article_ids=[a.id for a in arts]
    )
    store.save_documents([(record, arts)])
    store.put_annotations(notes())
    store.update_card("rated", lambda _card: {"due": DUE, "introduced": "2025-01-15"})
    store.update_card("stopped", lambda _card: {"suspended": True})
    store.set_article_tags(arts[0].id, ["iran"])
    store.put_state(ReadingState(arts[1].id, position=12, progress=0.5, read=True))


if __name__ == "__main__":
    write(Path(sys.argv[1]))
