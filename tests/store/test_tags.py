"""Tags across the store: per-tag counts, and renaming / merging a tag everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.store import Store, StoreError
from reader.store.lock import StoreLock
from tests.store.conftest import lock_held_elsewhere, make_note

TRASHED = "2025-01-15T00:00:00+00:00"


def _tagged_store(store: Store) -> None:
    store.set_article_tags("a1", ["iran", "russia"])
    store.set_article_tags("a2", ["iran", "treaty"])
    store.put_annotation(make_note("n1", "a1", tags=["iran", "quote"]))
    store.put_annotation(make_note("n2", "a3", start=4, tags=["quote", "treaty"]))
    store.put_annotation(make_note("n3", "a3", start=8, tags=["iran"], deleted=TRASHED))


def test_tag_counts_split_articles_and_live_highlights(store: Store) -> None:
    _tagged_store(store)
    assert store.tag_counts() == {
        "iran": (2, 1),  # the trashed highlight does not count
        "quote": (0, 2),
        "russia": (1, 0),
        "treaty": (1, 1),
    }


def test_rename_changes_articles_highlights_and_the_trash(store: Store) -> None:
    _tagged_store(store)
    assert store.rename_tag("iran", "Persia") == (2, 2)
    assert [s for s in store.all_tags()] == ["persia", "quote", "russia", "treaty"]
    assert store.tag_counts()["persia"] == (2, 1)
    assert store.get_annotation("n1").tags == ["persia", "quote"]  # type: ignore[union-attr]
    assert store.get_annotation("n3").tags == ["persia"]  # type: ignore[union-attr]
    # the article list reads the renamed tags (and the tag index) too
    reopened = Store(store.root)
    assert reopened.all_tags() == {"persia": 3, "quote": 2, "russia": 1, "treaty": 2}


def test_rename_onto_an_existing_tag_merges_without_duplicates(store: Store) -> None:
    _tagged_store(store)
    store.rename_tag("quote", "treaty")
    assert store.get_annotation("n2").tags == ["treaty"]  # type: ignore[union-attr]
    assert store.get_annotation("n1").tags == ["iran", "treaty"]  # type: ignore[union-attr]
    assert store.tag_counts() == {"iran": (2, 1), "russia": (1, 0), "treaty": (1, 2)}
    store.rename_tag("russia", "iran")
    assert store.tag_counts()["iran"] == (2, 1)  # a1 had both: still one tag, one article
    assert "russia" not in store.all_tags()


def test_rename_is_idempotent_and_leaves_other_records_alone(store: Store) -> None:
    _tagged_store(store)
    untouched = store.get_annotation("n2")
    store.rename_tag("russia", "moscow")
    assert store.rename_tag("russia", "moscow") == (0, 0)
    assert store.rename_tag("moscow", "MOSCOW") == (0, 0)  # the same tag once normalised
    assert store.get_annotation("n2") == untouched
    assert store.tag_counts()["moscow"] == (1, 0)


def test_rename_refuses_an_empty_tag(store: Store) -> None:
    _tagged_store(store)
    with pytest.raises(StoreError):
        store.rename_tag("iran", "  #")
    assert store.tag_counts()["iran"] == (2, 1)


def test_rename_waits_for_the_lock(tmp_path: Path) -> None:
    """A rename is one write transaction: it cannot run while another writer holds the lock."""
    store = Store(tmp_path / "s")
    _tagged_store(store)
    store._lock = StoreLock(store.paths.lock, 0.05)
    with lock_held_elsewhere(store.paths.lock), pytest.raises(StoreError, match="busy"):
        store.rename_tag("iran", "persia")
    assert "iran" in store.all_tags()  # nothing half-done
    store.rename_tag("iran", "persia")
    assert "iran" not in store.all_tags()


def test_a_rename_interrupted_between_files_is_repaired(store: Store) -> None:
    """If the writer dies after the shards, the next writer rebuilds the tag counts."""
    _tagged_store(store)
    import reader.store.db as db

    real_commit = db.Transaction.commit

    def die_after_the_shards(self: db.Transaction) -> None:
        dirty = [(rank, path, d) for path, (rank, d) in self._dbs.items() if d.storage.modified]
        dirty.sort(key=lambda item: item[0])
        db.write_marker(self.root, sorted(self.articles))
        for rank, _path, handle in dirty:
            if rank == 0:
                handle.storage.flush()  # every highlight shard, no marks bucket
        raise KeyboardInterrupt  # the process "dies" with the marker left behind

    db.Transaction.commit = die_after_the_shards  # type: ignore[method-assign]
    try:
        with pytest.raises(KeyboardInterrupt):
            store.rename_tag("quote", "citation")
    finally:
        db.Transaction.commit = real_commit  # type: ignore[method-assign]
    assert store.get_annotation("n2").tags == ["citation", "treaty"]  # type: ignore[union-attr]
    assert store.tag_counts()["quote"] == (0, 2)  # the index was not written: stale
    reopened = Store(store.root)  # recovery runs on open
    expected: dict[str, int] = {}
    for note in reopened.all_annotations():
        for tag in note.tags:
            expected[tag] = expected.get(tag, 0) + 1
    highlight_counts = {tag: n for tag, (_, n) in reopened.tag_counts().items() if n}
    assert highlight_counts == expected  # the index matches the shards again
    reopened.rename_tag("quote", "citation")  # running it again finishes it
    every_tag = {t for a in reopened.all_annotations(include_deleted=True) for t in a.tags}
    assert "quote" not in every_tag and "quote" not in reopened.all_tags()
    assert reopened.tag_counts()["citation"] == (0, 2)


def test_annotations_stamp_moves_with_every_highlight_write(store: Store) -> None:
    _tagged_store(store)
    before = store.annotations_stamp()
    assert store.annotations_stamp() == before  # reading changes nothing
    store.put_annotation(make_note("n1", "a1", tags=["edited"]))
    after_edit = store.annotations_stamp()
    assert after_edit != before
    with store.edit() as edit:  # a library change also writes the journal
        edit.push({"owner": "x", "changes": []})
    assert store.annotations_stamp() != after_edit
    stamp = store.annotations_stamp()
    store.rename_tag("quote", "citation")
    assert store.annotations_stamp() != stamp
