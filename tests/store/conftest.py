"""Fixtures for the store tests: a fresh store and small model factories."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.core.models import Annotation, Article, article_id_for
from reader.store import FileRecord, Store


def make_article(path: str, index: int, paragraphs: int = 3) -> Article:
    """A small article with a stable id derived from its file and position."""
    return Article(
        id=article_id_for(path, index),
        title=f"Title {index} of {path}",
        paragraphs=[f"Paragraph {n} of article {index} in {path}." for n in range(paragraphs)],
        date="2025-01-14",
        source="The Test Gazette",
        path=path,
        index=index,
    )


def make_record(path: str, articles: list[Article], sha: str = "sha") -> FileRecord:
    ids = [a.id for a in articles]
    return FileRecord(path=path, size=100, mtime_ns=1, sha=sha, article_ids=ids)


def make_note(note_id: str, article_id: str, start: int = 0, **fields: object) -> Annotation:
    return Annotation(
        id=note_id,
        article_id=article_id,
        quote="Paragraph",
        start=start,
        end=start + 9,
        created=f"2025-01-14T10:00:{start % 60:02d}+00:00",
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


@contextmanager
def lock_held_elsewhere(lock_path: Path) -> Iterator[None]:
    """The store's lock file held by another holder (a thread with its own FileLock, as
    another process would) for the ``with`` body."""
    from filelock import FileLock

    other = FileLock(str(lock_path))
    holder_ready, release = threading.Event(), threading.Event()

    def hold() -> None:
        with other:
            holder_ready.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    holder_ready.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()
