"""Every change to a highlight: made field by field under the store lock, and journalled
for undo by the one who made it.

A change reads the highlight *inside* the store's lock, changes only the fields asked for,
gives it the next revision and writes it with its journal entry in one transaction. A writer
that says what it saw (``expect``) is refused with :class:`EditConflict` when the stored
value has changed since, so no acknowledged write is ever reverted by one that did not see it.

Undo belongs to who did it: each journal entry names its owner (``tui:PID:TOKEN`` or
``cli:PID:TOKEN``). ``u`` in a TUI takes that TUI's own entries, then those of TUI sessions
that have ended; never a command's or another open window's. ``reader undo`` takes the
entries of commands that have finished, never a window's. An undo whose highlight no
longer holds what the entry left in the fields it changed (another window changed them
since) changes nothing and says so; fields the entry did not touch are never reverted.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reader.core.models import Annotation, normalize_tags, now_iso, text_hash
from reader.service.errors import LibraryError
from reader.store import Store, TagChanges
from reader.store.editing import REDO, UNDO, Edit

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

#: the article fields an undoable change may set
ARTICLE_FIELDS = frozenset({"tags", "note"})


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


#: the fields a whole-record write (an import) may change; the id and article stay
WHOLE_FIELDS = (
    "quote",
    "start",
    "end",
    "prefix",
    "suffix",
    "note",
    "tags",
    "color",
    "status",
    "created",
    "updated",
    "original_quote",
    "text_hash",
    "deleted",
)


class EditConflict(LibraryError):
    """The highlight changed since the writer read it; nothing was written.

    ``current`` is the highlight as stored now; ``field`` the first field found changed.
    """

    def __init__(self, current: Annotation, field: str, yours: Any) -> None:
        super().__init__(f"the highlight's {field} was changed elsewhere meanwhile")
        self.current = current
        self.field = field
        self.yours = yours


class StaleText(LibraryError):
    """A highlight asked for on a text the store no longer holds, and not found in the new."""


@dataclass(frozen=True)
class Marked:
    """What :meth:`Changes.mark` did: ``outcome`` is ``new``, ``exists`` or ``extended``."""

    annotation: Annotation
    outcome: str


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


class Changes:
    """The change path of one library, for one owner."""

    def __init__(self, store: Store, owner: str) -> None:
        self.store = store
        self.owner = owner

    # ------------------------------------------------------------------ creating
    def mark(
        self,
        article_id: str,
        start: int,
        end: int,
        *,
        color: str,
        tags: Sequence[str] = (),
        note: str = "",
        basis: tuple[str, Any] | None = None,
    ) -> Marked:
        """Highlight ``[start, end)`` of the article's text as the store holds it now.

        ``basis`` is ``(text hash, selector)`` of the text the offsets were taken on: when
        the stored text differs (the document changed meanwhile), the passage is looked up
        in the new text, and the highlight refused with :class:`StaleText` if it is gone.
        A span inside a highlight makes nothing new (``exists``); one overlapping
        highlights extends the first of them (in reading order) over the union, their
        notes and tags merged into it and the others moved to the trash (``extended``, one
        undoable step).
        """
        from reader.core.anchoring import make_selector

        with self.store.edit() as edit:
            text = edit.article_text(article_id)
            if text is None:
                raise LibraryError(f"no article {article_id}")
            if basis is not None and basis[0] != text_hash(text):
                start, end = _relocate(basis[1], text)
            start, end = clamp_span(text, start, end)
            if start >= end:
                raise LibraryError("nothing to highlight there")
            live = [
                a
                for a in edit.annotations(article_id)
                if not a.deleted and a.status != "orphaned" and a.start < end and start < a.end
            ]
            holder = next((a for a in live if a.start <= start and end <= a.end), None)
            if holder is not None and not note and not set(tags) - set(holder.tags):
                return Marked(holder, "exists")
            stamp = now_iso()
            digest = edit.put_text(text)
            if live:
                return self._extend(edit, text, live, start, end, tags, note, stamp, digest)
            selector = make_selector(text, start, end)
            made = Annotation(
                id=uuid.uuid4().hex[:16],
                article_id=article_id,
                **selector.as_fields(),
                note=note,
                tags=normalize_tags(list(tags)),
                color=color,
                status="anchored",
                created=stamp,
                updated=stamp,
                text_hash=digest,
                revision=1,
            )
            edit.put(made)
            self._journal(
                edit,
                "highlight",
                [{"id": made.id, "created": True}],
            )
            return Marked(made, "new")

    def _extend(
        self,
        edit: Edit,
        text: str,
        live: list[Annotation],
        start: int,
        end: int,
        tags: Sequence[str],
        note: str,
        stamp: str,
        digest: str,
    ) -> Marked:
        from reader.core.anchoring import make_selector

        live.sort(key=lambda a: (a.start, a.created, a.id))  # the first in reading order
        target, others = live[0], live[1:]
        start = min([start, *(a.start for a in live)])
        end = max([end, *(a.end for a in live)])
        notes = [a.note.strip() for a in live if a.note.strip()]
        if note.strip():
            notes.append(note.strip())
        merged_tags = normalize_tags([t for a in live for t in a.tags] + list(tags))
        fields: dict[str, Any] = {
            **make_selector(text, start, end).as_fields(),
            "note": "\n\n".join(dict.fromkeys(notes)),
            "tags": merged_tags,
            "text_hash": digest,
            "status": "anchored",
        }
        changes = [self._apply(edit, target, fields, stamp)]
        for other in others:
            changes.append(self._apply(edit, other, {"deleted": stamp}, stamp))
        self._journal(edit, "extend", changes)
        extended = edit.get(target.id)
        assert extended is not None
        return Marked(extended, "extended")

    # ------------------------------------------------------------------ changing
    def change(
        self,
        annotation_id: str,
        fields: dict[str, Any],
        *,
        action: str,
        expect: dict[str, Any] | None = None,
    ) -> Annotation:
        """Set ``fields`` of a highlight (only those that differ), journalled as ``action``.

        ``expect``: field values the writer saw; if one differs now, :class:`EditConflict`
        and nothing is written.
        """
        with self.store.edit() as edit:
            current = edit.get(annotation_id)
            if current is None:
                raise LibraryError(f"no highlight {annotation_id}")
            for name, seen in (expect or {}).items():
                if getattr(current, name) != seen:
                    raise EditConflict(current, name, fields.get(name))
            stamp = now_iso()
            change = self._apply(edit, current, fields, stamp)
            if change is None:
                return current
            self._journal(edit, action, [change])
            changed = edit.get(annotation_id)
            assert changed is not None
            return changed

    def put_whole(
        self, annotations: list[Annotation], *, action: str, journal: bool = True
    ) -> None:
        """Store whole highlights (an import of annotations), as one undoable step (with
        ``journal``): new ones as creations, known ones as changes of every field that
        differs."""
        with self.store.edit() as edit:
            changes: list[dict[str, Any] | None] = []
            written: list[Annotation] = []
            for incoming in annotations:
                current = edit.get(incoming.id)
                if current is None:
                    written.append(replace(incoming, revision=max(incoming.revision, 0) + 1))
                    changes.append({"id": incoming.id, "created": True})
                    continue
                fields = {
                    name: getattr(incoming, name)
                    for name in WHOLE_FIELDS
                    if getattr(incoming, name) != getattr(current, name)
                }
                if not fields:
                    continue
                after = replace(current, **fields, revision=current.revision + 1)
                written.append(after)
                changes.append(
                    {
                        "id": current.id,
                        "before": {k: _plain(getattr(current, k)) for k in fields},
                        "after": {k: _plain(v) for k, v in fields.items()},
                    }
                )
            edit.put_many(written)
            if journal:
                self._journal(edit, action, changes)

    def _apply(
        self, edit: Edit, current: Annotation, fields: dict[str, Any], stamp: str
    ) -> dict[str, Any] | None:
        """Write ``fields`` onto ``current`` (read in this edit); its journal record."""
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if not changed:
            return None
        after = replace(current, **changed, updated=stamp, revision=current.revision + 1)
        edit.put(after)
        before = {k: _plain(getattr(current, k)) for k in changed}
        return {
            "id": current.id,
            "before": before,
            "after": {k: _plain(v) for k, v in changed.items()},
        }

    def _journal(self, edit: Edit, action: str, changes: list[dict[str, Any] | None]) -> None:
        kept = [c for c in changes if c is not None]
        if kept:
            entry = {"owner": self.owner, "action": action, "time": now_iso(), "changes": kept}
            edit.push(entry, UNDO, clear_redo_of=self.owner)

    def change_article(self, article_id: str, field: str, value: Any) -> bool:
        """Set an article's own ``tags`` or ``note`` and journal it for undo, in one
        transaction. False when it already held that value (nothing is journalled)."""
        if field not in ARTICLE_FIELDS:
            raise ValueError(f"not an article field: {field}")
        with self.store.edit() as edit:
            before = edit.marks(article_id)[field]
            if before == value:
                return False
            edit.set_marks(article_id, **{field: value})
            entry = {
                "owner": self.owner,
                "action": f"article-{field}",
                "kind": "article",
                "article_id": article_id,
                "field": field,
                "before": before,
                "after": value,
                "time": now_iso(),
            }
            edit.push(entry, UNDO, clear_redo_of=self.owner)
        return True

    def journal_tag_rename(self, old: str, new: str, merged: bool, changes: TagChanges) -> None:
        """Record a tag rename (or merge) for undo (its changes are already stored)."""
        with self.store.edit() as edit:
            entry = {
                "owner": self.owner,
                "action": "merge-tag" if merged else "rename-tag",
                "kind": "tags",
                "old": old,
                "new": new,
                "time": now_iso(),
                "changes": changes.to_dict(),
            }
            edit.push(entry, UNDO, clear_redo_of=self.owner)

    # ------------------------------------------------------------------ undo
    def undo(self) -> Undone | None:
        """Undo this owner's latest change (see the module docstring); None if none."""
        return self._step(UNDO, REDO)

    def redo(self) -> Undone | None:
        """Redo this owner's latest undone change; None if none."""
        return self._step(REDO, UNDO)

    def _mine(self, entry: dict[str, Any]) -> bool:
        return entry.get("owner") == self.owner

    def _adoptable(self, entry: dict[str, Any]) -> bool:
        """An entry of an ended session of the same kind: a window that closed (or one
        of a journal older than owners), for a window; a finished command, for
        ``reader undo``."""
        owner = entry.get("owner")
        kind = self.owner.split(":", 1)[0]
        if owner is None:
            return kind == "tui"
        if not str(owner).startswith(f"{kind}:") or owner == self.owner:
            return False
        return owner in self._ended or not _owner_alive(str(owner))

    @property
    def _ended(self) -> set[str]:
        return set(self.store.get_meta(ENDED_KEY) or [])

    def end(self) -> None:
        """This owner's session is over (the window closed): a later window may undo its
        changes. A session that died without saying so is found ended by its process id."""

        def add(stored: Any) -> list[str]:
            ended = [str(o) for o in stored or [] if o != self.owner]
            return [*ended[-(ENDED_KEPT - 1) :], self.owner]

        self.store.update_meta(ENDED_KEY, add)

    def _step(self, source: str, target: str) -> Undone | None:
        undoing = source == UNDO
        verb = "Undid" if undoing else "Redid"
        with self.store.edit() as edit:
            entry = edit.take(source, self._mine) or edit.take(source, self._adoptable)
            if entry is None:
                return None
            entry = _modern(entry)
            action = str(entry.get("action", "highlight"))
            if entry.get("kind") == "article":
                article_id, field = str(entry["article_id"]), str(entry["field"])
                found, wanted = (
                    (entry["after"], entry["before"])
                    if undoing
                    else (entry["before"], entry["after"])
                )
                if edit.marks(article_id)[field] != found:
                    return Undone(
                        action,
                        f"Not {'undone' if undoing else 'redone'}: that article's {field} "
                        "changed since, in another window or command",
                    )
                edit.set_marks(article_id, **{field: wanted})
                edit.push({**entry, "owner": self.owner}, target)
                name = ACTION_NAMES.get(action, "the last change")
                return Undone(action, f"{verb} {name}", article_id=article_id)
            if entry.get("kind") == "tags":
                edit.push({**entry, "owner": self.owner}, target)
                rename = (str(entry.get("old", "")), str(entry.get("new", "")))
                tags_changes = TagChanges.from_dict(entry.get("changes") or {})
            else:
                rename = None
                changed, stale = self._replay(edit, entry["changes"], undoing)
                if stale:
                    # committed as it is: the entry leaves the stack, nothing else changed
                    return Undone(action, f"Not {'undone' if undoing else 'redone'}: {stale}")
                edit.push({**entry, "owner": self.owner, "changes": changed}, target)
        if rename is not None:
            self.store.restore_tags(tags_changes, before=undoing)
            old, new = rename
            what = "merging" if action == "merge-tag" else "renaming"
            joint = "into" if action == "merge-tag" else "to"
            return Undone(action, f"{verb} {what} #{old} {joint} #{new}", tags=rename)
        annotations = tuple(a for a in (self.store.get_annotation(c["id"]) for c in changed) if a)
        name = ACTION_NAMES.get(action, "the last change")
        if action == "highlight" and undoing:
            name += " (moved to the trash)"
        return Undone(action, f"{verb} {name}", annotations)

    def _replay(
        self, edit: Edit, changes: list[dict[str, Any]], undoing: bool
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
    return all(_plain(getattr(current, k, None)) == v for k, v in values.items())


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


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple) else value


def _relocate(selector: Any, text: str) -> tuple[int, int]:
    """Where the passage a selector describes is in a changed text; StaleText if gone."""
    from reader.core.anchoring import reanchor

    found = reanchor(selector, text)
    if found.status != "anchored":
        raise StaleText(
            "the article changed on disk while it was open: nothing was highlighted; "
            "it shows the new text now"
        )
    return found.start, found.end


def clamp_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Clamp to the text and trim surrounding whitespace."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
