"""Bulk writes: many files in one transaction, text snapshots in one write."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.models import text_hash
from reader.store import Store, StoreError, storage
from tests.store.conftest import make_article, make_note, make_record


def test_put_texts_keeps_every_snapshot_and_returns_hashes_in_order(store: Store) -> None:
    texts = ["First text.", "Second text.", "First text."]
    assert store.put_texts(texts) == [text_hash(t) for t in texts]
    for text in texts:
        assert store.get_text(text_hash(text)) == text
    assert store.put_texts(texts) == [text_hash(t) for t in texts]  # already there: fine
    assert store.put_texts([]) == []


def _temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(storage.TMP_SUFFIX)]


# (6, 4): written by threads; (40, 57): flushed once (Linux) or by threads; (1, 2): in turn
@pytest.mark.parametrize(("count", "fail_at"), [(6, 4), (40, 57), (1, 2)])
def test_a_failed_write_changes_no_file_and_leaves_no_temp_file(
    store: Store, monkeypatch: pytest.MonkeyPatch, count: int, fail_at: int
) -> None:
    articles = [make_article("a.txt", i) for i in range(count)]
    store.save_document(make_record("a.txt", articles), articles)
    store.put_annotations([make_note(f"old{i}", a.id) for i, a in enumerate(articles)])
    before = {p: p.read_bytes() for p in store.root.rglob("*.json")}
    real = storage.write_temp
    calls = {"n": 0}

    def failing(path: Path, text: str, *, durable: bool = True) -> Path:
        calls["n"] += 1
        if calls["n"] == fail_at:  # one file of the transaction cannot be written
            raise StoreError(f"{path}: cannot write (disk full)")
        return real(path, text, durable=durable)

    monkeypatch.setattr(storage, "write_temp", failing)
    with pytest.raises(StoreError, match="disk full"):
        store.put_annotations(
            [make_note(f"new{i}", a.id, start=20) for i, a in enumerate(articles)]
        )
    monkeypatch.setattr(storage, "write_temp", real)
    after = {p: p.read_bytes() for p in store.root.rglob("*.json") if "pending" not in p.parts}
    assert after == {p: b for p, b in before.items() if "pending" not in p.parts}
    assert _temp_files(store.root) == []
    reopened = Store(store.root)
    assert all(reopened.get_annotation(f"new{i}") is None for i in range(count))
    assert all(reopened.get_annotation(f"old{i}") is not None for i in range(count))


def test_a_bulk_write_of_many_files_reads_back_whole(store: Store) -> None:
    articles = [make_article(f"doc{i}.txt", 0) for i in range(40)]
    store.save_documents([(make_record(a.path, [a]), [a]) for a in articles])
    notes = [make_note(f"n{i}", a.id, start=i % 7) for i, a in enumerate(articles)]
    store.put_annotations(notes)
    reopened = Store(store.root)
    assert {s.id for s in reopened.list_articles()} == {a.id for a in articles}
    assert reopened.annotation_counts() == {a.id: 1 for a in articles}
    assert _temp_files(store.root) == []
