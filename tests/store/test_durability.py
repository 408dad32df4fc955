"""What makes a write durable and atomic, checked from the outside: each new version is
fsynced before it replaces the old one, and a process reading the store while another
writes never sees a file missing or half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.store import Store, storage
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
