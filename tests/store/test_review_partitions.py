"""The review partitions under a bulk import: a crowded hour is spread over files by id."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.models import Annotation
from reader.service.library import Library
from reader.service.review import DailyReview
from reader.store import Store, storage
from reader.store.review import SPLIT_FROM
from tests.store.test_review_processes import assert_partitions_match_cards


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setattr(storage, "SYNC", False)
    return Store(tmp_path / "store")


def test_a_crowded_hour_is_split_and_still_gives_every_highlight_once(store: Store) -> None:
    count = SPLIT_FROM * 2 + 17
    notes = [
        Annotation(
            id=f"b{n:05d}",
            article_id=f"art{n % 40}",
            quote="q",
            start=n,
            end=n + 1,
            created="2025-01-14T10:00:00+00:00",  # one second, as an import makes them
        )
        for n in range(count)
    ]
    store.put_annotations(notes[:10])
    store.put_annotations(notes[10:])
    files = [p.name for p in store.paths.json_files(store.paths.new_dir)]
    assert "2025-01-14T10.json" in files and len(files) > 100  # spread over files by id
    listed = [i for *_, i in store.new_highlights()]
    assert sorted(listed) == sorted(n.id for n in notes)
    # a highlight made later in that hour goes to its file, not into one big file
    late = Annotation(id="late", article_id="art1", quote="q", start=1, end=2,
                      created="2025-01-14T10:59:00+00:00")  # fmt: skip
    store.put_annotation(late)
    assert "late" in {i for *_, i in store.new_highlights()}
    library = Library(store, None)
    review = DailyReview(library)
    queue = review.queue()
    assert len(queue) == 10 and all(e.is_new for e in queue)
    review.rate(queue[0].annotation_id, "good")
    library.delete(queue[1].annotation_id)
    library.restore(queue[1].annotation_id)
    library.delete(queue[2].annotation_id)
    assert_partitions_match_cards(store)
    store.rebuild_indexes()  # a rebuild gives the same placement
    assert_partitions_match_cards(store)
    assert len({i for *_, i in store.new_highlights()}) == count + 1 - 2  # rated, deleted
