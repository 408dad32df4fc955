"""Undo and redo of journalled changes: whose entries an undo may take, and replaying them.

Undo belongs to who did it: each journal entry names its owner (``tui:PID:TOKEN`` or
``cli:PID:TOKEN``). ``u`` in a TUI takes that TUI's own entries, then those of TUI sessions
that have ended; never a command's or another open window's. ``reader undo`` takes the
entries of commands that have finished, never a window's. An undo whose highlight no
longer holds what the entry left in the fields it changed (another window changed them
since) changes nothing and says so; fields the entry did not touch are never reverted.

:class:`~reader.service.changes.Changes` writes the entries (:func:`record`) and steps
back and forth through them (:func:`step`); this module reads and replays them.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from typing import Any

from reader.core.models import Annotation, now_iso
from reader.store import Store, TagChanges
from reader.store.editing import UNDO, Edit

#: what each journalled action is called in "Undid …" / "Redid …"
ACTION_NAMES: dict[str, str] = {
    "highlight": "the new highlight",
    "extend": "extending the highlight",
    "note": "the note change",
    "tags": "the tag change",
    "color": "the colour change",
    "delete": "the deletion",
    "restore": "the restore from the trash",
    "reattach": "moving the note to a new passage",
    "accept": "accepting the new place",
    "import": "the import of highlights",
    "rename-tag": "the tag rename",
    "article-tags": "the article's tag change",
    "article-note": "the article note change",
}

#: the store setting listing the sessions that ended cleanly, and how many it keeps
ENDED_KEY = "ended_sessions"
ENDED_KEPT = 20


def new_owner(kind: str) -> str:
    """A fresh owner name for this process's changes (``kind`` is ``tui`` or ``cli``)."""
    return f"{kind}:{os.getpid()}:{secrets.token_hex(4)}"


def _owner_alive(owner: str) -> bool:
    """Whether the process that owns a journal entry still runs (on this machine)."""
    try:
        pid = int(owner.split(":")[1])
    except (IndexError, ValueError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Undone:
    """An undo or redo that was applied: what it was, and the highlights it changed."""

    action: str
    message: str
    annotations: tuple[Annotation, ...] = ()
    tags: tuple[str, str] | None = None  # (old, new) of a tag rename
    #: the article whose own tags or note changed
    article_id: str | None = None

    @property
    def article_ids(self) -> set[str]:
        """The articles whose highlights changed."""
        return {a.article_id for a in self.annotations}


def record(edit: Edit, owner: str, action: str, changes: list[dict[str, Any] | None]) -> None:
    """Push one undo entry of ``owner`` for the highlight ``changes`` made in ``edit``
    (None: a highlight that did not change); nothing when none changed."""
    kept = [c for c in changes if c is not None]
    if kept:
        entry = {"owner": owner, "action": action, "time": now_iso(), "changes": kept}
        edit.push(entry, UNDO, clear_redo_of=owner)


def end_session(store: Store, owner: str) -> None:
    """``owner``'s session is over (the window closed): a later window may undo its
    changes. A session that died without saying so is found ended by its process id."""

    def add(stored: Any) -> list[str]:
        ended = [str(o) for o in stored or [] if o != owner]
        return [*ended[-(ENDED_KEPT - 1) :], owner]

    store.update_meta(ENDED_KEY, add)


def _adoptable(store: Store, owner: str, entry: dict[str, Any]) -> bool:
    """An entry of an ended session of the same kind as ``owner``: a window that closed
    (or one of a journal older than owners), for a window; a finished command, for
    ``reader undo``."""
    made_by = entry.get("owner")
    kind = owner.split(":", 1)[0]
    if made_by is None:
        return kind == "tui"
    if not str(made_by).startswith(f"{kind}:") or made_by == owner:
        return False
    ended = set(store.get_meta(ENDED_KEY) or [])
    return made_by in ended or not _owner_alive(str(made_by))


def step(store: Store, owner: str, source: str, target: str) -> Undone | None:
    """Take ``owner``'s latest entry (else an adoptable one) from the ``source`` stack,
    apply it (backwards from the undo stack, forwards from the redo stack) and push it
    on ``target``; None when there is none."""
    undoing = source == UNDO
    verb = "Undid" if undoing else "Redid"
    with store.edit() as edit:
        entry = edit.take(source, lambda e: e.get("owner") == owner) or edit.take(
            source, lambda e: _adoptable(store, owner, e)
        )
        if entry is None:
            return None
        entry = _modern(entry)
        action = str(entry.get("action", "highlight"))
        if entry.get("kind") == "article":
            article_id, field = str(entry["article_id"]), str(entry["field"])
            found, wanted = (
                (entry["after"], entry["before"]) if undoing else (entry["before"], entry["after"])
            )
            if edit.marks(article_id)[field] != found:
                return Undone(
                    action,
                    f"Not {'undone' if undoing else 'redone'}: that article's {field} "
                    "changed since, in another window or command",
                )
            edit.set_marks(article_id, **{field: wanted})
            edit.push({**entry, "owner": owner}, target)
            name = ACTION_NAMES.get(action, "the last change")
            return Undone(action, f"{verb} {name}", article_id=article_id)
        if entry.get("kind") == "tags":
            edit.push({**entry, "owner": owner}, target)
            rename = (str(entry.get("old", "")), str(entry.get("new", "")))
            tags_changes = TagChanges.from_dict(entry.get("changes") or {})
        else:
            rename = None
            changed, stale = _replay(edit, entry["changes"], undoing)
            if stale:
                # committed as it is: the entry leaves the stack, nothing else changed
                return Undone(action, f"Not {'undone' if undoing else 'redone'}: {stale}")
            edit.push({**entry, "owner": owner, "changes": changed}, target)
    if rename is not None:
        store.restore_tags(tags_changes, before=undoing)
        old, new = rename
        what = "merging" if action == "merge-tag" else "renaming"
        joint = "into" if action == "merge-tag" else "to"
        return Undone(action, f"{verb} {what} #{old} {joint} #{new}", tags=rename)
    annotations = tuple(a for a in (store.get_annotation(c["id"]) for c in changed) if a)
    name = ACTION_NAMES.get(action, "the last change")
    if action == "highlight" and undoing:
        name += " (moved to the trash)"
    return Undone(action, f"{verb} {name}", annotations)


def _replay(
    edit: Edit, changes: list[dict[str, Any]], undoing: bool
) -> tuple[list[dict[str, Any]], str]:
    """Apply a journal entry's changes backwards (undo) or forwards (redo).

    Each highlight must still hold the values the entry left (undo) or found (redo) in
    the fields it changed; if another window or command changed one since, nothing is
    applied and the reason is returned. Other fields are left as they are now.
    """
    currents: list[Annotation] = []
    for change in changes:
        current = edit.get(str(change["id"]))
        if current is None:
            return [], "that highlight is gone"
        if not _holds(current, change, after=undoing):
            return [], "that highlight was changed since, in another window or command"
        currents.append(current)
    stamp = now_iso()
    for change, current in zip(changes, currents, strict=True):
        if change.get("created"):
            fields: dict[str, Any] = {"deleted": stamp if undoing else None}
        else:
            fields = dict(change["before"] if undoing else change["after"])
        edit.put(replace(current, **fields, updated=stamp, revision=current.revision + 1))
    return changes, ""


def _holds(current: Annotation, change: dict[str, Any], *, after: bool) -> bool:
    """Whether ``current`` holds the values a change left (``after``) or found."""
    if change.get("created"):
        return (current.deleted is None) == after
    values = change.get("after" if after else "before") or {}
    return all(plain(getattr(current, k, None)) == v for k, v in values.items())


def _modern(entry: dict[str, Any]) -> dict[str, Any]:
    """A journal entry of an older reader (whole records before and after) in today's form."""
    if "changes" in entry or entry.get("kind") in ("tags", "article"):
        return entry
    before, after = entry.get("before"), entry.get("after")
    record = after or before or {}
    if before is None:
        change: dict[str, Any] = {"id": record.get("id"), "created": True}
        return {**entry, "action": "highlight", "changes": [change]}
    fields = sorted(k for k in record if k not in ("updated", "revision"))
    return {
        **entry,
        "action": "note",
        "changes": [
            {
                "id": record.get("id"),
                "before": {k: before.get(k) for k in fields},
                "after": {k: (after or {}).get(k) for k in fields},
            }
        ],
    }


def plain(value: Any) -> Any:
    """A field's value as the journal stores it (JSON: lists, not tuples)."""
    return list(value) if isinstance(value, list | tuple) else value
