"""What makes a write durable and atomic, checked from the outside: each new version is
fsynced before it replaces the old one, and a process reading the store while another
writes never sees a file missing or half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.store import Store, StoreError, db, storage
from tests.store.conftest import make_article, make_note, make_record

REPO = Path(__file__).resolve().parents[2]


def _fd_path(fd: int) -> str:
    return os.readlink(f"/proc/self/fd/{fd}")


def test_every_new_version_is_fsynced_before_it_replaces_the_file(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", _fd_path(fd)))
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        events.append(("replace", str(src)))
        real_replace(src, dst)

    monkeypatch.setattr(storage, "SYNC", True)
    monkeypatch.setattr(storage.os, "fsync", fsync)
    monkeypatch.setattr(storage.os, "replace", replace)
    articles = [make_article("a.txt", 0)]
    store.save_document(make_record("a.txt", articles), articles)
    store.put_annotation(make_note("n1", articles[0].id))
    replaced = [path for kind, path in events if kind == "replace"]
    assert len(replaced) >= 4  # shard, ids, marks, catalog, files...
    for temp in replaced:
        synced = events.index(("fsync", temp))
        assert synced < events.index(("replace", temp)), f"{temp} replaced before its fsync"
    # and the folder is fsynced after the renames, so that they survive a power cut
    last_replace = max(i for i, (kind, _) in enumerate(events) if kind == "replace")
    folders = {str(store.root), str(store.root / "annotations")}
    assert any(kind == "fsync" and path in folders for kind, path in events[last_replace:])


def _bulk_write(store: Store) -> None:
    """A write of more files than FLUSH_FROM (one note in each of 40 articles)."""
    articles = [make_article(f"doc{n}.txt", 0) for n in range(40)]
    store.save_documents([(make_record(a.path, [a]), [a]) for a in articles])
    store.put_annotations([make_note(f"bulk{n}", a.id) for n, a in enumerate(articles)])


@pytest.mark.skipif(not storage.can_flush_filesystem(), reason="needs syncfs (Linux)")
def test_a_bulk_write_flushes_the_filesystem_once_before_renaming_anything(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_syncfs = os.fsync, os.replace, storage._syncfs()
    assert real_syncfs is not None

    def fsync(fd: int) -> None:
        events.append(("fsync", _fd_path(fd)))
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        events.append(("replace", str(src)))
        real_replace(src, dst)

    def syncfs(fd: int) -> int:
        events.append(("syncfs", _fd_path(fd)))
        return real_syncfs(fd)

    monkeypatch.setattr(storage, "SYNC", True)
    monkeypatch.setattr(storage.os, "fsync", fsync)
    monkeypatch.setattr(storage.os, "replace", replace)
    monkeypatch.setattr(storage, "_syncfs", lambda: syncfs)
    _bulk_write(store)
    flushes = [i for i, (kind, _) in enumerate(events) if kind == "syncfs"]
    assert len(flushes) == 1  # the put_annotations of 40 articles (save_documents: its own)
    replaced = [i for i, (kind, _) in enumerate(events) if kind == "replace"]
    written = [i for i in replaced if i > flushes[0]]
    assert len(written) > db.FLUSH_FROM
    # every temp file renamed after the flush was written before it, and none was fsynced
    assert all(
        kind != "fsync" or not path.endswith(storage.TMP_SUFFIX)
        for kind, path in events[flushes[0] - len(written) :]
    )
    assert all(note is not None for note in map(store.get_annotation, ["bulk0", "bulk39"]))


@pytest.mark.skipif(not storage.can_flush_filesystem(), reason="needs syncfs (Linux)")
def test_a_failed_flush_changes_no_file_and_leaves_no_temp_file(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = [make_article(f"doc{n}.txt", 0) for n in range(40)]
    store.save_documents([(make_record(a.path, [a]), [a]) for a in articles])
    before = {p: p.read_bytes() for p in store.root.rglob("*.json") if "pending" not in p.parts}
    monkeypatch.setattr(storage, "SYNC", True)
    monkeypatch.setattr(storage, "_syncfs", lambda: lambda fd: -1)  # an I/O error
    with pytest.raises(StoreError, match="cannot write"):
        store.put_annotations([make_note(f"bulk{n}", a.id) for n, a in enumerate(articles)])
    after = {p: p.read_bytes() for p in store.root.rglob("*.json") if "pending" not in p.parts}
    assert after == before
    assert not [p for p in store.root.rglob("*") if p.name.endswith(storage.TMP_SUFFIX)]
    monkeypatch.undo()
    assert Store(store.root).get_annotation("bulk0") is None


@pytest.mark.timeout(120)
def test_a_reader_never_sees_a_store_file_missing_or_torn_while_a_writer_writes(
    tmp_path: Path,
) -> None:
    root = tmp_path / "store"
    store = Store(root)
    articles = [make_article("a.txt", n) for n in range(3)]
    store.save_document(make_record("a.txt", articles), articles)
    store.put_annotation(make_note("first", articles[0].id))
    parser = subprocess.Popen(
        [sys.executable, "-m", "tests.store._parser", str(root), "6"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.store._writer", str(root), "w", "150", "3", "--mixed"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = writer.communicate(timeout=110)
    assert writer.returncode == 0, err
    out, _ = parser.communicate(timeout=110)
    lines = out.splitlines()
    assert lines[-1].startswith("done ") and int(lines[-1].split()[1]) > 100
    assert lines[:-1] == []  # no file ever vanished or was seen half-written
