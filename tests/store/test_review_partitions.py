"""The review partitions under a bulk import: a crowded hour is spread over files by id."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.models import Annotation
from reader.service.library import Library
from reader.service.review import DailyReview
from reader.store import Store, db, storage
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


@pytest.mark.parametrize("installed", [1, 2, 3])
def test_a_writer_dying_between_the_shard_and_the_partitions_leaves_a_queue_recovery_fixes(
    store: Store, monkeypatch: pytest.MonkeyPatch, installed: int
) -> None:
    """The partitions are moved by what the shard held when the write began: a writer
    that dies after renaming the shard but before the partitions must not leave a deleted
    highlight in the queue, or a new one out of it, once the next process recovers."""
    notes = [
        Annotation(
            id=f"n{n}",
            article_id="art",
            quote="q",
            start=n,
            end=n + 1,
            created=f"2025-01-14T1{n}:00:00+00:00",
        )
        for n in range(3)
    ]
    store.put_annotations(notes)
    gone = store.get_annotation("n0")
    assert gone is not None
    gone.deleted = "2025-01-15T00:00:00+00:00"
    fresh = Annotation(id="n9", article_id="art", quote="q", start=9, end=10,
                       created="2025-01-14T19:00:00+00:00")  # fmt: skip
    real = db.install
    done = {"n": 0}

    def dying(path: Path, tmp: Path, *, backup: bool = True) -> None:
        if done["n"] == installed:  # the process dies here: the rest is never renamed
            raise KeyboardInterrupt
        done["n"] += 1
        real(path, tmp, backup=backup)

    monkeypatch.setattr(db, "install", dying)
    with pytest.raises(KeyboardInterrupt):
        store.put_annotations([gone, fresh])
    monkeypatch.setattr(db, "install", real)
    reopened = Store(store.root)  # the pending marker: recovery
    assert [i for *_, i in reopened.new_highlights()] == ["n1", "n2", "n9"]
    assert_partitions_match_cards(reopened)
