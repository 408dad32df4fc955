"""Two machines, one bare git repository: what each made reaches the other, nothing is lost."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from reader.core.merge import CONFLICT_SEPARATOR, CONFLICT_TAG
from reader.core.models import ReadingState
from reader.service import gitrepo
from reader.service.errors import LibraryError
from reader.service.gitsync import sync, sync_folder
from reader.service.library import Library
from tests.service.test_library import DOC

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="sync needs git")

REPO = Path(__file__).resolve().parents[2]
CLI = "import sys; from reader.cli.main import main; sys.exit(main(sys.argv[1:]))"
OTHER = """Harbour Lights Switch to LED
May 5, 2025
The harbour authority replaced the old lamps along the quay this week.
Fishermen say the new light is harsher, but the bill is a third of what it was.
"""


def _machine(tmp_path: Path, name: str) -> Library:
    """A computer with its own copy of the same library folder."""
    folder = tmp_path / name / "clippings"
    (folder / "news").mkdir(parents=True)
    (folder / "news" / "trains.txt").write_text(DOC, encoding="utf-8")
    (folder / "harbour.txt").write_text(OTHER, encoding="utf-8")
    library = Library.open(folder)
    library.sync()
    return library


@pytest.fixture
def remote(tmp_path: Path) -> str:
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    return str(bare)


def _mark(library: Library, title: str, words: str, **kwargs: Any) -> str:
    article = library.article(library.find_article(title).id)
    assert article is not None
    start = article.text.index(words)
    return library.highlight(article.id, start, start + len(words), **kwargs).id


def _state(library: Library) -> dict[str, Any]:
    """Everything sync carries, as this store holds it."""
    notes = {
        a.id: {k: v for k, v in a.to_dict().items() if k not in ("revision", "updated")}
        for a in library.all_annotations(include_deleted=True)
    }
    articles = {s.id: (s.tags, library.reading_state(s.id).read) for s in library.articles()}
    return {"notes": notes, "articles": articles}


def test_same_folder_layout_gives_the_same_article_ids(tmp_path: Path) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    assert [s.id for s in a.articles()] == [s.id for s in b.articles()]
    assert a.docs_root != b.docs_root


def test_edits_on_both_machines_meet_and_nothing_is_lost(tmp_path: Path, remote: str) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    both_edit = _mark(a, "Night Trains", "first night train", note="shared start")
    deleted_here = _mark(a, "Night Trains", "buffet car", note="soup")
    tagged = _mark(a, "Night Trains", "second weekly service", tags=["rail"])
    assert sync(a.store, remote).summary() == "0 highlights in, 3 out"
    assert sync(b.store, remote).summary().startswith("3 highlights in")

    new_a = _mark(a, "Harbour Lights", "harsher", note="from the laptop")
    new_b = _mark(b, "Night Trains", "coastal towns", note="from the desktop")
    a.set_note(both_edit, "laptop thought")
    b.set_note(both_edit, "desktop thought")
    a.delete(deleted_here)
    b.set_note(deleted_here, "edited on the desktop")
    a.set_tags(tagged, ["rail", "laptop"])
    b.set_tags(tagged, ["rail", "desktop"])
    trains = a.find_article("Night Trains").id
    a.set_article_tags(trains, ["to-read"])
    b.set_article_tags(trains, ["transport"])
    a.save_reading_state(ReadingState(trains, position=10, progress=0.5, read=True))

    sync(a.store)
    second = sync(b.store)
    assert "1 highlight in" in second.summary()
    assert second.arrived.conflicts == 1
    third = sync(a.store)
    assert "1 highlight in" in third.summary()
    assert _state(a) == _state(b)

    notes = {n.id: n for n in a.all_annotations(include_deleted=True)}
    assert {new_a, new_b} <= set(notes)
    assert notes[new_a].note == "from the laptop"
    assert notes[new_b].note == "from the desktop"
    joined = notes[both_edit].note
    assert "laptop thought" in joined and "desktop thought" in joined
    assert CONFLICT_SEPARATOR in joined
    assert CONFLICT_TAG in notes[both_edit].tags
    assert notes[deleted_here].deleted is not None  # a deletion does not come back
    assert notes[deleted_here].note == "edited on the desktop"  # nor is the edit lost
    assert set(notes[tagged].tags) == {"rail", "laptop", "desktop"}
    summary = next(s for s in b.articles() if s.id == trains)
    assert set(summary.tags) == {"to-read", "transport"}
    assert b.reading_state(trains).read
    # and a sync with nothing new changes nothing
    assert sync(a.store).summary() == "0 highlights in, 0 out"
    assert sync(b.store).summary() == "0 highlights in, 0 out"
    assert _state(a) == _state(b)


def test_a_push_refused_because_someone_pushed_first_merges_again(
    tmp_path: Path, remote: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    sync(b.store, remote)
    mine = _mark(a, "Night Trains", "couchette", note="mine")
    theirs = _mark(b, "Harbour Lights", "quay", note="theirs")
    real_push = gitrepo.Git.push
    pushes: list[str] = []

    def push_after_b(self: gitrepo.Git) -> None:
        if not pushes and self.folder == sync_folder(a.store):
            pushes.append("b first")
            sync(b.store)  # B pushes between A's fetch and A's push
        real_push(self)

    monkeypatch.setattr(gitrepo.Git, "push", push_after_b)
    outcome = sync(a.store)
    assert pushes == ["b first"]
    assert outcome.pushed
    assert a.store.get_annotation(theirs) is not None
    monkeypatch.undo()
    sync(b.store)
    assert b.store.get_annotation(mine) is not None
    assert _state(a) == _state(b)


def test_a_sync_killed_anywhere_leaves_a_store_that_opens_and_a_repository_sync_repairs(
    tmp_path: Path, remote: str
) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    sync(b.store, remote)
    words = ["couchette", "buffet", "soup", "midnight", "operator", "timetable", "stop"]
    made: list[str] = []
    killed = 0
    for n, delay in enumerate((0.06, 0.1, 0.13, 0.16, 0.19, 0.22, 0.3)):
        _mark(b, "Night Trains", words[n], note=f"from b {n}")
        sync(b.store)
        made.append(
            _mark(
                Library.open(a.docs_root),
                "Harbour Lights",
                ["lamps", "quay", "bill", "third", "harsher", "light", "Fishermen"][n],
                note=f"from a {n}",
            )
        )
        process = subprocess.Popen(
            [sys.executable, "-c", CLI, "--db", str(a.store.root), "sync"],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.kill()
        killed += process.wait() == -9
        reopened = Library.open(a.docs_root)
        assert all(reopened.store.get_annotation(m) is not None for m in made)
    assert killed
    sync(Library.open(a.docs_root).store)
    sync(b.store)
    assert _state(Library.open(a.docs_root)) == _state(b)
    assert all(b.store.get_annotation(m) is not None for m in made)
    assert len(b.all_annotations()) == 14


def test_a_half_done_sync_is_repaired_by_the_next(tmp_path: Path, remote: str) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    sync(b.store, remote)
    made = _mark(b, "Night Trains", "station", note="arrives")
    sync(b.store)
    folder = sync_folder(a.store)
    (folder / ".git" / "index.lock").write_text("")  # git killed while writing its index
    stray = folder / "highlights" / "stray.json"
    stray.parent.mkdir(exist_ok=True)
    stray.write_text("{ half a file")  # and a merge killed while writing files
    assert sync(a.store).summary().startswith("1 highlight in")
    assert a.store.get_annotation(made) is not None
    assert not stray.exists()


def test_no_hook_in_the_repository_ever_runs(tmp_path: Path, remote: str) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    marker = tmp_path / "hook-ran"
    hooks = sync_folder(a.store) / ".git" / "hooks"
    for name in ("pre-commit", "post-commit", "post-checkout", "post-merge", "pre-push"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / name).chmod(0o755)
    _mark(a, "Night Trains", "station")
    _mark(b, "Harbour Lights", "quay")
    sync(b.store, remote)
    sync(a.store)
    assert not marker.exists()


def test_without_git_sync_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = _machine(tmp_path, "a")
    monkeypatch.setattr(gitrepo.shutil, "which", lambda _name: None)
    with pytest.raises(LibraryError, match="needs git"):
        sync(a.store, str(tmp_path / "remote.git"))


def test_a_remote_with_a_password_is_refused(tmp_path: Path) -> None:
    a = _machine(tmp_path, "a")
    with pytest.raises(LibraryError, match="never stores credentials"):
        sync(a.store, "https://me:secret@example.org/notes.git")
    assert not sync_folder(a.store).exists()


def test_sync_before_setting_it_up_says_how(tmp_path: Path) -> None:
    a = _machine(tmp_path, "a")
    with pytest.raises(LibraryError, match="--remote"):
        sync(a.store)


def test_the_command_prints_what_came_in_and_went_out(
    tmp_path: Path, remote: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli.main import main

    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    assert main(["--db", str(a.store.root), "sync"]) == 1
    assert capsys.readouterr().err.startswith("reader: sync is not set up")
    _mark(a, "Night Trains", "station", note="one")
    assert main(["--db", str(a.store.root), "sync", "--remote", remote]) == 0
    assert capsys.readouterr().out == "0 highlights in, 1 out\n"
    assert main(["--db", str(b.store.root), "sync", "--remote", remote]) == 0
    assert capsys.readouterr().out == "1 highlight in, 0 out\n"


def test_an_edit_made_while_syncing_is_kept_and_sent_next_time(
    tmp_path: Path, remote: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.service import gitsync

    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    shared = _mark(a, "Night Trains", "station", note="start")
    sync(a.store, remote)
    sync(b.store, remote)
    b.set_note(shared, "from the desktop")
    sync(b.store)
    real_apply = gitsync.apply

    def apply_after_an_edit(*args: Any) -> Any:
        a.set_note(shared, "typed while syncing")  # after the export, before the merge lands
        return real_apply(*args)

    monkeypatch.setattr(gitsync, "apply", apply_after_an_edit)
    sync(a.store)
    assert a.store.get_annotation(shared).note == "typed while syncing"  # type: ignore[union-attr]
    monkeypatch.undo()
    sync(a.store)
    sync(b.store)
    assert b.store.get_annotation(shared).note == "typed while syncing"  # type: ignore[union-attr]
    assert _state(a) == _state(b)


def test_a_relative_remote_path_is_kept_absolute(tmp_path: Path, monkeypatch: Any) -> None:
    a = _machine(tmp_path, "a")
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "notes.git")], check=True)
    monkeypatch.chdir(tmp_path)
    _mark(a, "Night Trains", "station")
    assert sync(a.store, "notes.git").pushed
    assert gitrepo.Git(sync_folder(a.store)).remote_url() == str(tmp_path / "notes.git")


def test_what_a_remote_holds_is_data_never_an_escape_sequence_or_a_crash(
    tmp_path: Path, remote: str
) -> None:
    """A team mate's (or a hand-edited) sync file with escape sequences and wrong types:
    the good records arrive cleaned, the broken ones are left out, the sync goes on."""
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    made = _mark(a, "Night Trains", "station", note="plain")
    sync(a.store, remote)
    folder = sync_folder(a.store)
    (path,) = (folder / "highlights").glob("*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    record = data["records"][made]
    record["note"]["v"] = "red \x1b[31malert\x1b[0m \x1b]8;;http://x\x07link"
    record["note"]["c"][0] += 5
    record["tags"] = {"v": [{"not": "a tag"}], "c": [99, "", "x"]}
    broken = dict(record, color={"v": "mauve", "c": "not a clock"})
    broken["anchor"] = {"v": {"start": "soon"}, "c": [1, "", "x"]}
    data["records"]["broken1"] = broken
    data["records"]["bad id!"] = record
    path.write_text(json.dumps(data), encoding="utf-8")
    identity = ["-c", "user.name=mate", "-c", "user.email=mate@example.org"]
    subprocess.run(["git", "-C", str(folder), *identity, "commit", "-qam", "x"], check=True)
    subprocess.run(["git", "-C", str(folder), "push", "-q", "origin", "HEAD:main"], check=True)
    sync(b.store, remote)
    arrived = b.store.get_annotation(made)
    assert arrived is not None
    assert "\x1b" not in arrived.note and "\x07" not in arrived.note
    assert "alert" in arrived.note
    assert b.store.get_annotation("broken1") is None
    assert len(b.all_annotations(include_deleted=True)) == 1


def test_a_symbolic_link_from_the_remote_never_leads_a_write_outside(
    tmp_path: Path, remote: str
) -> None:
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    _mark(a, "Night Trains", "station", note="plain")
    sync(a.store, remote)
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = sync_folder(a.store)
    (folder / "articles").symlink_to(outside)
    identity = ["-c", "user.name=mate", "-c", "user.email=mate@example.org"]
    subprocess.run(["git", "-C", str(folder), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(folder), *identity, "commit", "-qm", "x"], check=True)
    subprocess.run(["git", "-C", str(folder), "push", "-q", "origin", "HEAD:main"], check=True)
    sync(b.store, remote)  # nothing of b's own yet: b takes the remote's files as they are
    b.set_article_tags(b.find_article("Night Trains").id, ["mine"])
    with contextlib.suppress(LibraryError, OSError):
        sync(b.store)  # its export writes under articles/
    assert not (sync_folder(b.store) / "articles").is_symlink()
    assert list(outside.iterdir()) == []


def test_a_fetch_waits_for_another_git_holding_the_remote_branch(
    tmp_path: Path, remote: str
) -> None:
    """A sync killed mid-fetch leaves its git fetching: the next sync's fetch finds the
    remote-tracking branch locked, waits, and fetches again (it failed at once)."""
    a, b = _machine(tmp_path, "a"), _machine(tmp_path, "b")
    sync(a.store, remote)
    sync(b.store, remote)
    made = _mark(b, "Night Trains", "station", note="arrives")
    sync(b.store)
    held = sync_folder(a.store) / ".git" / "refs" / "remotes" / "origin" / "main.lock"
    held.parent.mkdir(parents=True, exist_ok=True)
    held.write_text("")  # the other git's lock on the branch
    threading.Timer(0.4, held.unlink).start()  # ... until it is done
    outcome = sync(a.store)
    assert outcome.arrived.new == 1
    assert a.store.get_annotation(made) is not None
