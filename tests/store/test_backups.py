"""Rolling backups, `restore_backup`, and recovery from a writer that died mid-transaction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reader.store
from reader.store import Store, StoreCorrupt, StoreError
from reader.store.db import doc_id, write_marker
from reader.store.lock import StoreLock
from tests.store.conftest import lock_held_elsewhere, make_article, make_note, make_record


def test_previous_version_is_kept_as_bak(store: Store) -> None:
    store.put_annotation(make_note("n1", "art", note="v1"))
    store.put_annotation(make_note("n1", "art", note="v2"))
    shard = store.root / "annotations" / "art.json"
    assert '"v2"' in shard.read_text() and '"v1"' not in shard.read_text()
    backup = shard.with_name("art.json.bak")
    assert '"v1"' in backup.read_text()


def test_restore_backup_repairs_a_corrupt_shard(store: Store) -> None:
    store.put_annotation(make_note("n1", "art", tags=["a"]))
    store.put_annotation(make_note("n2", "art", start=4, tags=["b"]))
    shard = store.root / "annotations" / "art.json"
    shard.write_bytes(shard.read_bytes()[:40])
    with pytest.raises(StoreCorrupt):
        store.annotations_for("art")
    report = store.restore_backup()
    assert "restored annotations/art.json from its backup" in report.done
    assert [n.id for n in store.annotations_for("art")] == ["n1"]  # the last good version
    # the damaged file is kept aside, never deleted
    kept = list(shard.parent.glob("art.json.corrupt-*"))
    assert len(kept) == 1 and len(kept[0].read_bytes()) == 40
    # derived indexes follow the restored shard
    assert store.annotation_counts() == {"art": 1}
    assert store.all_tags() == {"a": 1}
    store.put_annotation(make_note("n3", "art", start=8))
    assert len(store.annotations_for("art")) == 2


def test_restore_without_opening_when_meta_is_corrupt(tmp_path: Path) -> None:
    root = tmp_path / "s"
    Store(root).set_meta("k", "kept")
    (root / "meta.json").write_text("{not json")
    with pytest.raises(StoreCorrupt, match="reader restore"):
        Store(root)
    assert "restored meta.json from its backup" in Store.restore_backup_at(root).done
    store = Store(root)  # opens again
    # the backup is the version before the last write: the freshly stamped store
    assert store.get_meta("k") is None
    assert list(root.glob("meta.json.corrupt-*"))


def test_module_level_restore_backup(tmp_path: Path) -> None:
    root = tmp_path / "s"
    Store(root).set_meta("k", 1)
    (root / "meta.json").write_text("")
    assert "restored meta.json from its backup" in reader.store.restore_backup(root).done
    Store(root)


def test_restore_brings_back_a_deleted_file(store: Store) -> None:
    store.set_meta("k", 1)
    store.set_meta("k", 2)
    (store.root / "meta.json").unlink()
    assert "restored meta.json from its backup" in store.restore_backup().done
    assert store.get_meta("k") == 1


def test_restore_with_nothing_wrong_changes_nothing(store: Store) -> None:
    store.put_annotation(make_note("n1", "art"))
    report = store.restore_backup()
    assert (report.done, report.lost, report.unreadable) == ([], [], 0)
    assert [n.id for n in store.annotations_for("art")] == ["n1"]


def test_corrupt_shard_without_backup_is_kept_aside_and_said_lost(store: Store) -> None:
    store.put_annotation(make_note("n1", "art"))  # first version: no .bak yet
    shard = store.root / "annotations" / "art.json"
    shard.write_text("garbage")
    report = store.restore_backup()
    assert report.lost and "annotations/art.json" in report.lost[0]
    (kept,) = shard.parent.glob("art.json.corrupt-*")
    assert kept.read_text() == "garbage"  # never deleted


def test_indexes_are_repaired_after_a_writer_died_between_files(store: Store) -> None:
    store.put_annotation(make_note("n1", "art", tags=["x"]))
    # simulate a death after the shard was replaced but before the indexes were:
    # the marker says "art" was in flight, and the shard has a note the indexes lack
    write_marker(store.root, ["art"])
    shard = store.root / "annotations" / "art.json"
    data = json.loads(shard.read_text())
    extra = make_note("n2", "art", start=5, tags=["y"]).to_dict()
    data["annotations"][str(doc_id("n2"))] = extra
    shard.write_text(json.dumps(data))
    (store.root / "annotations" / ".art.json.999.dead.tmp").write_text("{half")
    assert store.annotation_counts() == {"art": 1}  # stale until a writer recovers
    reopened = Store(store.root)
    assert reopened.annotation_counts() == {"art": 2}
    assert reopened.all_tags() == {"x": 1, "y": 1}
    assert reopened.get_annotation("n2") is not None
    assert list((store.root / "pending").iterdir()) == []
    assert not list((store.root / "annotations").glob(".*.tmp"))


def test_unreadable_marker_triggers_a_full_rebuild(store: Store) -> None:
    store.put_annotation(make_note("n1", "a1"))
    store.put_annotation(make_note("n2", "a2"))
    (store.root / "marks").joinpath("00.json").write_text('{"marks": {}}')  # harmless extra
    for path in (store.root / "marks").glob("*.json"):
        path.write_text('{"marks": {}}')  # counts lost
    (store.root / "pending" / "1-dead.json").write_text("{torn")
    store.set_meta("k", 1)  # any write recovers first
    assert store.annotation_counts() == {"a1": 1, "a2": 1}


def test_rebuild_indexes_recomputes_catalog_counts_and_ids(store: Store) -> None:
    arts = [make_article("a.txt", i) for i in range(2)]
    store.save_document(make_record("a.txt", arts), arts)
    store.put_annotation(make_note("n1", arts[0].id, tags=["x"]))
    store.set_article_tags(arts[1].id, ["kept"])
    for path in [store.root / "catalog.json", *(store.root / "ids").glob("*.json")]:
        data = json.loads(path.read_text())
        path.write_text(json.dumps({name: {} for name in data}))
    assert store.list_articles() == [] and store.get_annotation("n1") is None
    store.rebuild_indexes()
    assert [s.id for s in store.list_articles()] == [a.id for a in arts]
    assert store.get_annotation("n1") is not None
    assert store.all_tags() == {"kept": 1, "x": 1}


def test_busy_store_is_a_clear_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    with (
        lock_held_elsewhere(store.paths.lock),
        pytest.raises(StoreError, match="busy"),
        StoreLock(store.paths.lock, 0.05).held(),
    ):
        pass
