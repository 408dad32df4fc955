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
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable
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
    git.repair()
    site = site_id(store)
    stamps_path = git.folder / ".git" / STAMPS
    head = git.rev("HEAD")
    stamps = _load_stamps(stamps_path, head)
    say("exporting changes")
    exported = export(store, git.folder, stamps, site)
    outcome.out = exported.changed
    committed = git.commit(
        f"reader: changes from {platform.node() or site}", [head] if head else []
    )
    if committed is not None:
        git.move_head(committed)
        head = committed
    stamps = exported.stamps
    _save_stamps(stamps_path, head, stamps)
    for _attempt in range(PUSH_ATTEMPTS):
        say("fetching")
        theirs = git.fetch()
        if theirs is not None and theirs != head and not _is_ancestor(git, theirs, head):
            say("merging")
            head, stamps = _merge(store, git, head, theirs, outcome, stamps, stamps_path)
        if head is None or head == theirs:
            return
        say("pushing")
        try:
            git.push()
        except PushRejected:
            continue
        outcome.pushed = True
        return
    raise LibraryError(
        "the remote kept changing while syncing: your changes are committed locally; sync again"
    )


def _is_ancestor(git: Git, a: str, b: str | None) -> bool:
    if b is None:
        return False
    return git.merge_base(a, b) == a


def _merge(
    store: Store,
    git: Git,
    head: str | None,
    theirs: str,
    outcome: SyncOutcome,
    stamps: dict[str, Any],
    stamps_path: Path,
) -> tuple[str, dict[str, Any]]:
    """Merge ``theirs`` into the store and the branch; the new head and store stamps."""
    base = git.merge_base(head, theirs) if head else None
    fast_forward = head is None or base == head
    theirs_changed = git.changed(base, theirs)
    ours_changed = set() if fast_forward else git.changed(base, head or "")
    paths = sorted(theirs_changed)
    ours_files = _worktree(git.folder, paths)  # HEAD's files: repaired, then committed
    theirs_files = git.read(theirs, paths)
    both = [p for p in paths if p in ours_changed]
    base_files = git.read(base, both)
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
    else:
        for path, data in merged_files.items():
            write_file(git.folder / path, data)
        for path in paths:
            if path not in merged_files and path in theirs_files:
                write_file(git.folder / path, theirs_files[path])
        made = git.commit(f"reader: merge on {platform.node()}", [head or "", theirs])
        assert made is not None  # two parents: always a new commit
        commit = made
    arrived, kept = apply(store, changes, stamps)
    outcome.arrived.add(arrived)
    outcome.merges += 1
    if fast_forward:
        git.checkout(commit)
    else:
        git.move_head(commit)
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
