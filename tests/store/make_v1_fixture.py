"""Writes the schema-1 store fixture (``fixtures/v1/reader.json``), the pre-sharding format.

Run from the repo root: ``python -m tests.store.make_v1_fixture``. The output is checked
in, so the migration test reads a store as version 1 wrote it; this script documents how
it was made and regenerates it identically.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reader.core.models import article_id_for

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "v1"


def v1_data() -> dict[str, dict[str, dict[str, Any]]]:
    """The whole v1 database: one TinyDB file, auto-increment document ids."""
    first, second, orphan = (article_id_for("clip.txt", i) for i in range(3))
    articles = [
        {
            "id": first,
            "title": "Pact to Last 20 Years, Ambassador Says",
            "paragraphs": ["A treaty will be signed this week.", "It lasts “twenty years”."],
            "date": "2025-01-14",
            "source": "The Example Times",
            "caption": "Two leaders meet. Photo: Agency",
            "path": "clip.txt",
            "index": 0,
        },
        {
            "id": second,
            "title": "A Related Piece",
            "paragraphs": ["Someone comments on the pact."],
            "date": "2024-10-16",
            "source": "Another Paper",
            "related_to": first,
            "path": "clip.txt",
            "index": 1,
        },
        {
            "id": orphan,
            "title": "Kept Without Its File Record",
            "paragraphs": ["Lonely text."],
            "path": "lost.txt",
            "index": 0,
        },
    ]
    annotations = [
        {
            "id": "note-1",
            "article_id": first,
            "quote": "treaty",
            "start": 2,
            "end": 8,
            "prefix": "A ",
            "suffix": " will",
            "note": "the key fact",
            "tags": ["treaty"],
            "color": "green",
            "status": "anchored",
            "created": "2025-01-15T09:00:00+00:00",
            "updated": "2025-01-15T09:00:00+00:00",
        },
        {
            "id": "note-2",
            "article_id": second,
            "quote": "comments",
            "start": 8,
            "end": 16,
            "tags": ["opinion", "treaty"],
            "created": "2025-01-15T09:05:00+00:00",
            "updated": "2025-01-15T09:05:00+00:00",
            "deleted": "2025-01-16T09:05:00+00:00",
        },
        {
            "id": "note-3",
            "article_id": "gone-article",
            "quote": "vanished",
            "start": 0,
            "end": 8,
            "status": "orphaned",
            "created": "2025-01-15T09:06:00+00:00",
        },
    ]
    tables: dict[str, list[dict[str, Any]]] = {
        "meta": [
            {"key": "schema_version", "value": 1},
            {"key": "last_article", "value": first},
            {"key": "color_labels", "value": {"green": "key idea"}},
        ],
        "files": [
            {
                "path": "clip.txt",
                "size": 7919,
                "mtime_ns": 1736899200000000000,
                "sha": "0f" * 20,
                "article_ids": [first, second],
            }
        ],
        "articles": articles,
        "annotations": annotations,
        "article_tags": [{"article_id": first, "tags": ["iran", "russia"]}],
        "state": [{"article_id": first, "position": 12, "progress": 0.5, "read": True}],
        "texts": [{"hash": "unused", "text": "An older text of the first article."}],
        "journal": [
            {"stack": "undo", "entry": {"op": "add", "id": "note-1"}},
            {"stack": "undo", "entry": {"op": "add", "id": "note-2"}},
            {"stack": "redo", "entry": {"op": "delete", "id": "note-9"}},
        ],
    }
    return {
        name: {str(n): row for n, row in enumerate(rows, start=1)} for name, rows in tables.items()
    }


def main() -> None:
    FIXTURE.mkdir(parents=True, exist_ok=True)
    text = json.dumps(v1_data(), indent=2, sort_keys=True, ensure_ascii=False)
    (FIXTURE / "reader.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
