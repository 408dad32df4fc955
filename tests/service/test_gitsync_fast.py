"""Sync's fast paths keep its guarantees: a sync that ended cleanly lets the next one skip
the scan of the sync folder, never the repair of what a killed or failed sync left."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from reader.service import gitsync
from reader.service.gitsync import sync, sync_folder
from reader.service.library import Library
from tests.service.test_gitsync import _machine, _mark, _state
from tests.service.test_gitsync import remote as remote  # the fixture

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="sync needs git")

REPO = Path(__file__).resolve().parents[2]


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=True)
    return done.stdout.decode()


def _clean_at_remote(library: Library) -> None:
    """The sync folder holds exactly the remote's last commit: nothing left over."""
    folder = sync_folder(library.store)
    assert _git(folder, "status", "--porcelain", "--untracked-files=all") == ""
    assert _git(folder, "rev-parse", "HEAD") == _git(folder, "rev-parse", "origin/main")


@pytest.mark.parametrize("both_sides", [False, True], ids=["fast-forward", "merge"])
def test_a_store_write_that_fails_loses_nothing_and_the_next_sync_merges_again(
    tmp_path: Path, remote: str, monkeypatch: pytest.MonkeyPatch, both_sides: bool
) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    sync(b.store, remote)
    made = _mark(b, "Night Trains", "station", note="arrives")
    sync(b.store)
    if both_sides:
        _mark(a, "Night Trains", "couchette", note="made here meanwhile")

    def failing_apply(*_args: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(gitsync, "apply", failing_apply)
    with pytest.raises(OSError, match="disk full"):
        sync(a.store)  # the work tree was being brought to b's commit meanwhile
    monkeypatch.undo()
    assert a.store.get_annotation(made) is None
    assert sync(a.store).summary() == "1 highlight in, 0 out"  # (its own went out before)
    assert a.store.get_annotation(made) is not None
    _clean_at_remote(a)
    mine = _mark(a, "Harbour Lights", "quay", note="back")
    sync(a.store)
    sync(b.store)
    assert b.store.get_annotation(mine) is not None
    assert _state(a) == _state(b)


KILLED_IN_APPLY = """
import os, signal, sys
from reader.service import gitrepo, gitsync
from reader.store import Store

started = []
real_start = gitrepo.Git.start_checkout

def start(self, *args):
    started.append(real_start(self, *args))
    return started[-1]

def die(*args):
    started[0].wait()  # the work tree moved (a kill does not stop git: it would go on)
    os.kill(os.getpid(), signal.SIGKILL)

gitrepo.Git.start_checkout = start
gitsync.apply = die
gitsync.sync(Store(sys.argv[1]))
"""


def test_a_sync_killed_while_the_work_tree_moves_is_repaired_by_the_next(
    tmp_path: Path, remote: str
) -> None:
    """Killed after the work tree started moving to the fetched commit, before the store
    and the branch did: the next sync puts the work tree back and merges again."""
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    _mark(a, "Harbour Lights", "quay", note="first")
    sync(a.store, remote)
    sync(b.store, remote)
    sync(a.store)  # ended cleanly: the next one may skip the scan
    assert (sync_folder(a.store) / ".git" / gitsync.CLEAN).exists()
    made = [_mark(b, "Night Trains", w, note=w) for w in ("station", "couchette", "buffet")]
    sync(b.store)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_IN_APPLY, str(a.store.root)], cwd=REPO, check=False
    )
    assert killed.returncode == -9
    folder = sync_folder(a.store)
    (folder / ".git" / "index.lock").write_text("")  # as if git died writing the index
    (folder / ".git" / "index").write_bytes(b"DIRC")  # and tore it (git does not fsync it)
    assert sync(a.store).summary() == "3 highlights in, 0 out"
    assert all(a.store.get_annotation(m) is not None for m in made)
    _clean_at_remote(a)


def test_a_stale_index_lock_after_a_clean_sync_is_removed(tmp_path: Path, remote: str) -> None:
    """(Left by a git process of another kind: a sync never leaves its marker with one.)"""
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    _mark(a, "Night Trains", "station", note="first")
    sync(a.store, remote)
    sync(b.store, remote)
    sync(a.store)
    (sync_folder(a.store) / ".git" / "index.lock").write_text("")
    made = _mark(b, "Harbour Lights", "quay", note="arrives")
    sync(b.store)
    assert sync(a.store).summary() == "1 highlight in, 0 out"
    assert a.store.get_annotation(made) is not None
    _clean_at_remote(a)


def test_a_hand_edit_of_a_sync_file_after_a_clean_sync_is_committed_and_sent(
    tmp_path: Path, remote: str
) -> None:
    """The sync folder is reader's own; a sync that ended cleanly does not scan it again,
    so a file edited there by hand is committed with this machine's changes, as git would
    (the other machines take it as they take a team mate's commit)."""
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    made = _mark(a, "Night Trains", "station", note="typed in reader")
    sync(a.store, remote)
    sync(b.store, remote)
    (path,) = (sync_folder(a.store) / "highlights").glob("*.json")
    path.write_text(path.read_text().replace("typed in reader", "typed by hand"))
    sync(a.store)
    sync(b.store)
    arrived = b.store.get_annotation(made)
    assert arrived is not None and arrived.note == "typed by hand"
    _clean_at_remote(a)


def test_a_fetch_of_a_killed_sync_still_running_only_delays_the_next(
    tmp_path: Path, remote: str
) -> None:
    """A kill does not reach the sync's git: its fetch may still hold the remote-tracking
    branch when the next sync fetches; that one waits and fetches again, no error."""
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    _mark(a, "Night Trains", "station", note="first")
    sync(a.store, remote)
    sync(b.store, remote)
    made = _mark(b, "Harbour Lights", "quay", note="arrives")
    sync(b.store)
    held = sync_folder(a.store) / ".git" / "refs" / "remotes" / "origin" / "main.lock"
    held.write_text("")
    released = threading.Timer(0.3, held.unlink)
    released.start()
    try:
        assert sync(a.store).summary() == "1 highlight in, 0 out"
    finally:
        released.join()
    assert a.store.get_annotation(made) is not None
    _clean_at_remote(a)
