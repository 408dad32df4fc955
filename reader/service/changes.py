"""Every change to a highlight: made field by field under the store lock, and journalled
for undo by the one who made it.

A change reads the highlight *inside* the store's lock, changes only the fields asked for,
gives it the next revision and writes it with its journal entry in one transaction. A writer
that says what it saw (``expect``) is refused with :class:`EditConflict` when the stored
value has changed since, so no acknowledged write is ever reverted by one that did not see it.

Undo belongs to who did it (see :mod:`reader.service.undo`, which takes and replays the
journal's entries): each entry names its owner, and :meth:`Changes.undo` takes this owner's.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reader.core.models import Annotation, normalize_tags, now_iso, text_hash
from reader.service.errors import LibraryError
from reader.service.undo import Undone, end_session, plain, record, step
from reader.store import Store, TagChanges
from reader.store.editing import REDO, UNDO, Edit

#: the article fields an undoable change may set
ARTICLE_FIELDS = frozenset({"tags", "note"})


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
            record(
                edit,
                self.owner,
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
        record(edit, self.owner, "extend", changes)
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
            record(edit, self.owner, action, [change])
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
                        "before": {k: plain(getattr(current, k)) for k in fields},
                        "after": {k: plain(v) for k, v in fields.items()},
                    }
                )
            edit.put_many(written)
            if journal:
                record(edit, self.owner, action, changes)

    def _apply(
        self, edit: Edit, current: Annotation, fields: dict[str, Any], stamp: str
    ) -> dict[str, Any] | None:
        """Write ``fields`` onto ``current`` (read in this edit); its journal record."""
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if not changed:
            return None
        after = replace(current, **changed, updated=stamp, revision=current.revision + 1)
        edit.put(after)
        before = {k: plain(getattr(current, k)) for k in changed}
        return {
            "id": current.id,
            "before": before,
            "after": {k: plain(v) for k, v in changed.items()},
        }

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
        return step(self.store, self.owner, UNDO, REDO)

    def redo(self) -> Undone | None:
        """Redo this owner's latest undone change; None if none."""
        return step(self.store, self.owner, REDO, UNDO)

    def end(self) -> None:
        """This owner's session is over (the window closed): a later window may undo its
        changes (see :func:`reader.service.undo.end_session`)."""
        end_session(self.store, self.owner)


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
