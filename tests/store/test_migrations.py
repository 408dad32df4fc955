"""Opening a schema-1 store (the checked-in fixture) migrates it without losing anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.core.models import Article, ReadingState, text_hash
from reader.store import SCHEMA_VERSION, Store
from tests.store.make_v1_fixture import FIXTURE, v1_data


@pytest.fixture
def v1_root(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(FIXTURE, root)
    return root


def test_checked_in_fixture_matches_its_generator() -> None:
    on_disk = json.loads((FIXTURE / "reader.json").read_text(encoding="utf-8"))
    assert on_disk == v1_data()


def test_v1_store_migrates_with_everything(v1_root: Path) -> None:
    data = v1_data()
    articles = [Article.from_dict(a) for a in data["articles"].values()]
    first, second, orphan = articles
    store = Store(v1_root)

    meta = json.loads((v1_root / "meta.json").read_text())
    assert [d["value"] for d in meta["store"].values()] == [SCHEMA_VERSION]
    assert not (v1_root / "reader.json").exists()
    assert (v1_root / "reader.json.v1").read_text() == (FIXTURE / "reader.json").read_text()

    for article in articles:
        assert store.get_article(article.id) == article
    assert store.file_records()["clip.txt"].article_ids == [first.id, second.id]
    assert store.file_records()["lost.txt"].article_ids == [orphan.id]
    listed = store.list_articles()
    assert [s.id for s in listed] == [first.id, second.id, orphan.id]
    assert listed[0].tags == ["iran", "russia"] and listed[0].read and listed[0].progress == 0.5

    notes = {n.id: n for n in store.all_annotations(include_deleted=True)}
    assert set(notes) == {"note-1", "note-2", "note-3"}
    assert notes["note-1"].note == "the key fact" and notes["note-1"].color == "green"
    assert notes["note-2"].deleted == "2025-01-16T09:05:00+00:00"
    # the v2 change: annotations know the text they were made on, and it is kept
    assert notes["note-1"].text_hash == text_hash(first.text)
    assert store.get_text(text_hash(first.text)) == first.text
    assert notes["note-3"].text_hash is None  # its article is gone: nothing to hash
    assert store.get_text(text_hash("An older text of the first article.")) is not None

    assert store.annotation_counts() == {first.id: 1, "gone-article": 1}
    assert store.all_tags() == {"iran": 1, "russia": 1, "treaty": 1}
    assert store.get_state(first.id) == ReadingState(first.id, 12, 0.5, True)
    assert store.get_meta("last_article") == first.id
    assert store.get_meta("color_labels") == {"green": "key idea"}
    assert store.get_meta("schema_version") is None
    assert store.journal() == {
        "undo": [{"op": "add", "id": "note-1"}, {"op": "add", "id": "note-2"}],
        "redo": [{"op": "delete", "id": "note-9"}],
    }


def test_interrupted_migration_runs_again(v1_root: Path) -> None:
    Store(v1_root)
    # as if killed before the version stamp: new files written, old file still in place
    (v1_root / "reader.json.v1").rename(v1_root / "reader.json")
    (v1_root / "meta.json").unlink()
    store = Store(v1_root)
    assert len(store.all_annotations(include_deleted=True)) == 3
    assert store.get_meta("last_article") is not None
    assert len(store.list_articles()) == 3
    # the journal is not duplicated
    assert store.journal()["undo"] == [{"op": "add", "id": "note-1"}, {"op": "add", "id": "note-2"}]


def test_migrated_store_reopens_without_migrating(v1_root: Path) -> None:
    Store(v1_root)
    before = (v1_root / "catalog.json").stat().st_mtime_ns
    Store(v1_root)
    assert (v1_root / "catalog.json").stat().st_mtime_ns == before
