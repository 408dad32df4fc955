"""``reader sync``: share highlights between computers and people through a git remote.

One sync: export what changed in the store into the sync folder (:mod:`syncdata`), commit
it, fetch the remote, merge with reader's own three-way merge (:func:`merge3`; the ancestor
is the merge base's files, read with ``git cat-file``), write what arrived into the store
(one transaction under its lock, field by field), commit the merge, push. A push refused
because someone pushed first fetches and merges again (a few times).

A sync killed at any point leaves a store that opens (its one write is a transaction) and a
repository the next sync repairs (:meth:`Git.repair`: the work tree and index are reset to
the last commit, since they are only ever rebuilt from the store and from commits). If the
kill fell between writing the store and moving the branch, the next export finds the merged
values in the store and sends them again as its own, which merges to the same result.

Git's work overlaps reader's where it can (2 cores): the first fetch runs while the local
changes are exported and committed, and the work tree moves to a fetched commit (or the
merge commit is made) while the store is written; the branch moves after both.

A sync that ends cleanly leaves a marker in ``.git`` (the commit its work tree and index
hold); the next sync removes it before changing anything and, if it names HEAD, skips the
scan of the ~12,000 sync files for leftovers. The sync folder is reader's own, written only
by sync: a file edited there by hand after a clean sync is not looked for, so the next sync
commits it with this machine's changes and sends it (as git would commit an edit in a work
tree); this store keeps its own values, which win again when it next exports that article.
"""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.collector import collector_paused
from reader.core.merge import Document, merge3
from reader.service.errors import LibraryError
from reader.service.gitrepo import Git, PushRejected, check_remote
from reader.service.syncapply import Arrived, apply
from reader.service.syncdata import decode, encode, export, site_id, write_file
from reader.store import Store

SYNC_DIRNAME = "sync"
STAMPS = "reader-stamps.json"
LOCK = "reader-sync.lock"
#: marker of a sync that ended cleanly: the commit its work tree and index hold
CLEAN = "reader-clean"
#: fetch-and-merge rounds when the remote keeps moving under us
PUSH_ATTEMPTS = 5

#: progress callback: one short line of what sync is doing
Say = Callable[[str], None]


@dataclass
class SyncOutcome:
    """What one sync did."""

    arrived: Arrived = field(default_factory=Arrived)
    out: int = 0
    pushed: bool = False
    merges: int = 0
    created: bool = False

    def summary(self) -> str:
        """One line: ``3 highlights in, 1 note changed, 2 out``."""
        a = self.arrived
        parts = [_count(a.new, "highlight") + " in"]
        if a.changed:
            parts.append(f"{a.changed} changed")
        if a.notes:
            parts.append(_count(a.notes, "note") + " changed")
        if a.deleted:
            parts.append(f"{a.deleted} deleted")
        if a.articles:
            parts.append(_count(a.articles, "article") + " (tags, read)")
        if a.conflicts:
            parts.append(
                _count(a.conflicts, "note")
                + " written on both sides kept both texts (tag:sync-conflict)"
            )
        placed = sum(a.placed.values())
        if placed:
            unsure = [f"{a.placed[k]} {k}" for k in ("fuzzy", "orphaned") if k in a.placed]
            parts.append(
                _count(placed, "highlight")
                + " made on another text of the clipping, re-anchored"
                + (f" ({', '.join(unsure)})" if unsure else "")
            )
        parts.append(f"{self.out} out")
        return ", ".join(parts)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sync_folder(store: Store) -> Path:
    """Where a store's sync repository lives."""
    return store.root / SYNC_DIRNAME


def sync(store: Store, remote: str | None = None, say: Say | None = None) -> SyncOutcome:
    """Sync the store with its remote (``remote`` sets it up, or changes it)."""
    from filelock import FileLock, Timeout

    folder = sync_folder(store)
    git = Git(folder)
    outcome = SyncOutcome()
    if remote is not None:
        remote = check_remote(remote)
        outcome.created = not git.exists
        git.init(remote)
    elif not git.exists:
        raise LibraryError("sync is not set up: run `reader sync --remote URL` once")
    try:
        with FileLock(str(folder / ".git" / LOCK), timeout=0), collector_paused():
            # thousands of decoded sync files and store records, none of them garbage yet
            _sync(store, git, outcome, say or (lambda _line: None))
    except Timeout:
        raise LibraryError("another sync of this store is running") from None
    return outcome


def _sync(store: Store, git: Git, outcome: SyncOutcome, say: Say) -> None:
    head = git.rev("HEAD")
    clean = _take_clean_mark(git.folder, head)
    # the first fetch runs while the local changes are exported and committed (it only
    # writes objects and the remote-tracking branch)
    started = git.start_fetch()
    try:
        git.repair(head, clean=clean)
        head, stamps = _commit_local(store, git, head, outcome, say)
    except BaseException:
        started.wait()  # no git of this sync left running while the error is handled
        raise
    stamps_path = git.folder / ".git" / STAMPS
    fetching: subprocess.Popen[bytes] | None = started
    for _attempt in range(PUSH_ATTEMPTS):
        say("fetching")
        theirs = git.finish_fetch(fetching) if fetching else git.fetch()
        fetching = None
        if theirs is None or theirs == head:
            base = theirs
        else:
            base = git.merge_base(head, theirs) if head else None
        if theirs is not None and base != theirs:
            say("merging")
            head, stamps = _merge(store, git, head, theirs, base, outcome, stamps, stamps_path)
        if head is None or head == theirs:
            _mark_clean(git.folder, head)
            return
        say("pushing")
        try:
            git.push()
        except PushRejected:
            continue
        outcome.pushed = True
        _mark_clean(git.folder, head)
        return
    raise LibraryError(
        "the remote kept changing while syncing: your changes are committed locally; sync again"
    )


def _commit_local(
    store: Store, git: Git, head: str | None, outcome: SyncOutcome, say: Say
) -> tuple[str | None, dict[str, Any]]:
    """Export the store's changes into the sync folder and commit them on ``head``; the
    new head and the store file stamps of the export."""
    site = site_id(store)
    stamps_path = git.folder / ".git" / STAMPS
    say("exporting changes")
    exported = export(store, git.folder, _load_stamps(stamps_path, head), site)
    outcome.out = exported.changed
    committed = git.commit(
        f"reader: changes from {platform.node() or site}", [head] if head else []
    )
    if committed is not None:
        git.move_head(committed)
        head = committed
    _save_stamps(stamps_path, head, exported.stamps)
    return head, exported.stamps


def _merge(
    store: Store,
    git: Git,
    head: str | None,
    theirs: str,
    base: str | None,
    outcome: SyncOutcome,
    stamps: dict[str, Any],
    stamps_path: Path,
) -> tuple[str, dict[str, Any]]:
    """Merge ``theirs`` into the store and the branch; the new head and store stamps.

    The git side runs while the store is written: a fast-forward's work tree is brought
    to ``theirs``, a merge's files are committed. The branch moves only once the store
    holds the merge: if the write fails, the next sync repairs the work tree and merges
    the same commits again."""
    fast_forward = head is None or base == head
    theirs_changed = git.changed(base, theirs)
    ours_changed = {} if fast_forward else git.changed(base, head or "")
    paths = sorted(theirs_changed)
    ours_files = _worktree(git.folder, paths)  # HEAD's files: repaired, then committed
    both = [p for p in paths if p in ours_changed]
    theirs_files = git.read({p: b for p in paths if (b := theirs_changed[p][1]) is not None})
    base_files = git.read({p: b for p in both if (b := theirs_changed[p][0]) is not None})
    changes: dict[str, tuple[Document, Document]] = {}
    merged_files: dict[str, bytes] = {}
    for path in paths:
        ours = decode(ours_files.get(path))
        if path in ours_changed:
            merged, _ = merge3(decode(base_files.get(path)), ours, decode(theirs_files.get(path)))
            merged_files[path] = encode(merged)
        else:
            merged = decode(theirs_files.get(path))
        if merged != ours:
            changes[path] = (ours, merged)
    if fast_forward:
        commit = theirs
        checkout = git.start_checkout(head, theirs)
        try:
            arrived, kept = apply(store, changes, stamps)
        except BaseException:
            checkout.wait()  # no git left writing the index while the error is handled
            raise
        git.finish_checkout(checkout, commit)
    else:
        for path, data in merged_files.items():
            write_file(git.folder / path, data)
        for path in paths:
            if path not in merged_files and path in theirs_files:
                write_file(git.folder / path, theirs_files[path])
        # the merge commit is made by git while the store is written (the thread only
        # waits for git's processes); the branch moves once both are done
        pool = ThreadPoolExecutor(1)
        made = pool.submit(git.commit, f"reader: merge on {platform.node()}", [head or "", theirs])
        try:
            arrived, kept = apply(store, changes, stamps)
        finally:
            pool.shutdown(wait=True)
        commit = made.result() or ""
        assert commit  # two parents: always a new commit
        git.move_head(commit)
    outcome.arrived.add(arrived)
    outcome.merges += 1
    _save_stamps(stamps_path, commit, kept)
    return commit, kept


def _worktree(folder: Path, paths: list[str]) -> dict[str, bytes]:
    found = {}
    for path in paths:
        try:
            found[path] = (folder / path).read_bytes()
        except FileNotFoundError:
            continue
    return found


def _boot() -> str:
    """This boot of the machine (Linux), so that a marker does not outlive a power loss
    that may have lost the work tree's last writes (git does not fsync them)."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _take_clean_mark(folder: Path, head: str | None) -> bool:
    """Whether the last sync ended cleanly at ``head`` (this boot); the marker is removed
    first, so a sync killed from here on leaves none and the next one repairs."""
    marker = folder / ".git" / CLEAN
    try:
        recorded = marker.read_text(encoding="ascii")
    except (OSError, ValueError):
        return False
    marker.unlink(missing_ok=True)
    return head is not None and recorded == f"{head} {_boot()}"


def _mark_clean(folder: Path, head: str | None) -> None:
    """Record that this sync left the work tree and index exactly ``head``'s files."""
    if head is not None:
        write_file(folder / ".git" / CLEAN, f"{head} {_boot()}".encode("ascii"))


def _load_stamps(path: Path, head: str | None) -> dict[str, Any]:
    """The store file stamps of the last export, if taken at ``head`` (else none: all
    store files are read again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("commit") != head or head is None:
        return {}
    stamps = data.get("stamps")
    return stamps if isinstance(stamps, dict) else {}


def _save_stamps(path: Path, head: str | None, stamps: dict[str, Any]) -> None:
    write_file(path, json.dumps({"commit": head, "stamps": stamps}).encode())
