"""Opening a schema-2 store (the checked-in fixture, as commit 40cb0d9 wrote it) moves it to
the schema-3 buckets without losing a highlight, a card or a place in the review queue."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.models import ReadingState
from reader.store import SCHEMA_VERSION, Store
from tests.store.conftest import make_note
from tests.store.make_v2_fixture import DUE, FIXTURE, NOTES, articles


@pytest.fixture
def v2_root(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(FIXTURE, root)
    return root


def _assert_everything_kept(store: Store) -> None:
    arts = articles()
    for note_id, index, text, deleted, tags in NOTES:
        note = store.get_annotation(note_id)  # found through the id index
        assert note is not None, note_id
        assert (note.article_id, note.note, note.deleted, note.tags) == (
            arts[index].id,
            text,
            deleted,
            tags,
        )
    assert store.annotation_counts() == {arts[0].id: 2, arts[1].id: 2, arts[2].id: 1}
    assert store.get_card("rated") == {
        "annotation_id": "rated",
        "due": DUE,
        "introduced": "2025-01-15",
    }
    assert store.get_card("stopped") == {"annotation_id": "stopped", "suspended": True}
    assert [i for _, i, _ in store.due_cards("9999-12-31")] == ["rated"]
    assert [i for *_, i in store.new_highlights()] == ["fresh-1", "fresh-2", "other-1"]
    assert store.list_articles()[0].tags == ["iran"]
    assert store.get_state(arts[1].id) == ReadingState(arts[1].id, 12, 0.5, True)


def test_the_fixture_is_a_schema_2_store() -> None:
    assert len(list((FIXTURE / "ids").glob("???.json"))) == len(NOTES)
    assert len(list((FIXTURE / "review").glob("*.json"))) == 3


def test_a_v2_store_migrates_with_everything(v2_root: Path) -> None:
    store = Store(v2_root)
    assert store.get_meta("schema_version") is None  # (kept in its own table)
    assert SCHEMA_VERSION == 3
    assert '"value":3' in (v2_root / "meta.json").read_text()
    assert sorted(len(p.stem) for p in (v2_root / "ids").glob("*.json")) == [2] * len(
        list((v2_root / "ids").glob("*.json"))
    )
    assert not list((v2_root / "ids").glob("???.json*"))
    assert not list((v2_root / "review").glob("*.json*"))  # the live sets are gone
    _assert_everything_kept(store)
    _assert_everything_kept(Store(v2_root))  # and again, once migrated


def test_the_migrated_store_keeps_the_queue_right_through_later_changes(v2_root: Path) -> None:
    store = Store(v2_root)
    arts = articles()
    later = replace(make_note("later", arts[2].id), created="2025-01-14T11:00:00+00:00")
    store.put_annotation(later)
    binned = store.get_annotation("fresh-1")
    assert binned is not None
    binned.deleted = "2025-01-17T00:00:00+00:00"
    store.put_annotation(binned)
    assert [i for *_, i in store.new_highlights()] == ["fresh-2", "other-1", "later"]
    store.update_card("fresh-2", lambda _card: {"due": "2025-01-18T00:00:00+00:00"})
    assert [i for _, i, _ in store.due_cards("9999-12-31")] == ["fresh-2", "rated"]


def test_a_migration_killed_after_dropping_the_old_buckets_runs_again(v2_root: Path) -> None:
    # as if killed after the old files were deleted, before the new buckets were written
    for path in [*(v2_root / "ids").glob("*.json"), *(v2_root / "review").glob("*.json")]:
        path.unlink()
    _assert_everything_kept(Store(v2_root))


def test_the_upgrade_is_announced_once_before_it_starts(
    v2_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    assert main(["--db", str(v2_root), "list"]) == 0
    said = capsys.readouterr().err
    assert said.startswith(f"reader: upgrading the store in {v2_root} to this version's format")
    assert main(["--db", str(v2_root), "list"]) == 0
    assert capsys.readouterr().err == ""  # once
