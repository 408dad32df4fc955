"""A merged sync file's records written back into the store (the other half of
:mod:`reader.service.syncdata`, which writes the store's records out).

One transaction under the store lock; a field changed in the store since the export (an
edit made while syncing) keeps the store's value, and the next sync sends it. Values from
the remote are untrusted: cleaned as anything typed or imported is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from reader.core.clean import clean_field
from reader.core.merge import CONFLICT_SEPARATOR, Document, Record
from reader.core.models import COLORS, DEFAULT_COLOR, Annotation, is_valid_id, normalize_tags
from reader.service.syncanchor import Placing, adapted
from reader.service.syncdata import (
    ANCHOR_ALL,
    ARTICLES,
    HIGHLIGHTS,
    highlight_values,
    json_value,
    reading_value,
)
from reader.store import Store
from reader.store.records import held, stamps_of


@dataclass
class Arrived:
    """What a merge brought into the store."""

    new: int = 0
    changed: int = 0
    notes: int = 0
    deleted: int = 0
    articles: int = 0
    #: highlights now holding both texts of a note written on two machines
    conflicts: int = 0
    #: sync files whose store file kept a value changed there during the sync
    dirty: set[str] = field(default_factory=set)
    #: whether the last highlight written kept a value changed during the sync
    kept: bool = False
    #: anchoring status -> arriving highlights re-anchored on the text here with it
    placed: dict[str, int] = field(default_factory=dict)

    def add(self, other: Arrived) -> None:
        """Count another write-back in."""
        self.new += other.new
        self.changed += other.changed
        self.notes += other.notes
        self.deleted += other.deleted
        self.articles += other.articles
        self.conflicts += other.conflicts
        for status, count in other.placed.items():
            self.placed[status] = self.placed.get(status, 0) + count


def _values(record: Record) -> dict[str, Any]:
    return {name: reg["v"] for name, reg in record.items()}


def _clock_of(record: Record) -> tuple[int, str]:
    revisions = [int(reg["c"][0]) for reg in record.values()]
    times = [str(reg["c"][1]) for reg in record.values()]
    return max(revisions, default=0), max(times, default="")


def apply(
    store: Store, changes: dict[str, tuple[Document, Document]], stamps: dict[str, Any]
) -> tuple[Arrived, dict[str, Any]]:
    """Write merged records into the store: ``changes`` maps a sync file to (records as
    this store last exported them, records merged). One transaction under the store lock;
    a field changed in the store since the export (an edit made while syncing) keeps the
    store's value: the next sync sends it.

    Returns what arrived and the store file stamps of the export (``stamps``) brought up
    to date: a file this write changed gets its new stamp when it holds exactly the merged
    records (nobody else wrote it since the export, no edit of it was kept), so the next
    export need not read it again; else it loses its stamp and will be read again.
    """
    # the files this write may change: the shards of the changed sync files, and the
    # marks buckets of their articles (counts) and of the changed article records
    names: dict[str, set[str]] = {HIGHLIGHTS: set(), ARTICLES: set()}
    for rel in changes:
        kind, _, name = rel.partition("/")
        names[kind].add(name)
        if kind == HIGHLIGHTS:
            names[ARTICLES].add(store.paths.marks_shard(name.removesuffix(".json")).name)
    with held(store):
        before = stamps_of(store.paths, names)
        arrived = _apply(store, changes)
        after = stamps_of(store.paths, names)
    fresh: dict[str, Any] = {kind: dict(files) for kind, files in stamps.items()}
    for kind, exported in stamps.items():
        for name in names.get(kind, ()):
            fresh[kind].pop(name, None)
        for name, stamp in after.get(kind, {}).items():
            old = exported.get(name)
            if old is None:
                if name not in before[kind] and f"{kind}/{name}" not in arrived.dirty:
                    fresh[kind][name] = list(stamp)  # made now, with the merged records
                continue
            if list(before[kind].get(name, ())) != old:
                continue  # written by someone else since the export: read it again
            if before[kind].get(name) == stamp:
                fresh[kind][name] = old  # not written now
            elif f"{kind}/{name}" not in arrived.dirty:
                fresh[kind][name] = list(stamp)
    return arrived, fresh


def _apply(store: Store, changes: dict[str, tuple[Document, Document]]) -> Arrived:
    arrived = Arrived()
    with store.edit() as edit:
        writes: list[Annotation] = []
        placing = Placing(edit.annotations, edit.article_text, store.get_text)
        for rel, (ours, merged) in sorted(changes.items()):
            kind, _, name = rel.partition("/")
            if kind == HIGHLIGHTS:
                article_id = name.removesuffix(".json")
                if not is_valid_id(article_id):
                    continue  # not a file reader wrote
                for key, record in merged.items():
                    if ours.get(key) == record:
                        continue
                    current = edit.get(key)
                    written = _highlight(key, article_id, current, ours.get(key), record, arrived)
                    if arrived.kept:
                        arrived.dirty.add(rel)
                        arrived.kept = False
                    if written is not None:
                        if current is None or _anchor(written) != _anchor(current):
                            placing.check(written)
                        writes.append(written)
            elif kind == ARTICLES:
                for key, record in merged.items():
                    if ours.get(key) == record:
                        continue
                    changed, kept = _article(edit, key, ours.get(key), record)
                    if kept:
                        arrived.dirty.add(rel)
                    if changed:
                        arrived.articles += 1
        moved = placing.place(edit.put_text)
        edit.put_many([moved.get(note.id, note) for note in writes])
        arrived.placed = dict(placing.results)
    return arrived


def _anchor(note: Annotation) -> tuple[Any, ...]:
    return tuple(getattr(note, name) for name in ANCHOR_ALL)


def _highlight(
    key: str,
    article_id: str,
    current: Annotation | None,
    exported: Record | None,
    merged: Record,
    arrived: Arrived,
) -> Annotation | None:
    """The highlight to store for a merged record (None: nothing to write, or a record
    whose values are not a highlight's)."""
    values = _sane(_values(merged))
    if values is None:
        return None
    revision, updated = _clock_of(merged)
    if current is None:
        anchor = values.get("anchor") or {}
        arrived.new += 1
        return Annotation.from_dict(
            {
                **{name: anchor.get(name) for name in ANCHOR_ALL if name in anchor},
                "id": key,
                "article_id": article_id,
                "note": values.get("note", ""),
                "tags": values.get("tags") or [],
                "color": values.get("color"),
                "deleted": values.get("deleted"),
                "created": values.get("created") or updated,
                "updated": updated,
                "revision": revision,
            }
        )
    now = highlight_values(current)
    seen = _values(exported) if exported is not None else now
    fields: dict[str, Any] = {}
    for name, value in values.items():
        if name == "created" or now.get(name) == value:
            continue
        if now.get(name) != seen.get(name) and not (
            name == "anchor"
            and isinstance(seen.get("anchor"), dict)
            and adapted(now["anchor"], seen["anchor"])
        ):
            arrived.kept = True
            continue  # changed here since the export: the next sync sends it
        if name == "anchor":
            fields.update({k: value.get(k) for k in ANCHOR_ALL if k in value})
        else:
            fields[name] = value
    if not fields:
        return None
    if "note" in fields:
        arrived.notes += 1
        if CONFLICT_SEPARATOR in str(fields["note"]):
            arrived.conflicts += 1
    if fields.get("deleted") and not current.deleted:
        arrived.deleted += 1
    if set(fields) - {"note", "deleted"}:
        arrived.changed += 1
    data = {**current.to_dict(), **fields}
    data["revision"] = max(current.revision + 1, revision)
    data["updated"] = max(current.updated, updated)
    return Annotation.from_dict(data)


def _number(value: Any, kind: type) -> Any:
    try:
        number = kind(value or 0)
    except (TypeError, ValueError, OverflowError):
        return kind(0)
    return number if math.isfinite(number) else kind(0)  # NaN is not a place in a text


def _sane(values: dict[str, Any]) -> dict[str, Any] | None:
    """A merged highlight's values as the store keeps them: notes and tags cleaned as
    anything typed or imported is (no escape sequence or control character), a colour
    reader knows; None for values of the wrong type. A value cleaned here differs from
    the merged one, so the next sync sends the clean value back."""
    try:
        out = dict(values)
        if "note" in out:
            out["note"] = clean_field(str(out["note"] or "")).rstrip()
        if "tags" in out:
            out["tags"] = normalize_tags([str(t) for t in out["tags"] or []])
        if "color" in out and out["color"] not in COLORS:
            out["color"] = DEFAULT_COLOR
        if "deleted" in out and out["deleted"] is not None:
            out["deleted"] = clean_field(str(out["deleted"]))
        if "anchor" in out:
            anchor = dict(out["anchor"])
            for name in ("start", "end"):
                anchor[name] = int(anchor.get(name) or 0)
            for name in ("quote", "prefix", "suffix"):
                anchor[name] = clean_field(str(anchor.get(name) or ""))
            out["anchor"] = anchor
        return out
    except (TypeError, ValueError):
        return None


def _article(edit: Any, key: str, exported: Record | None, merged: Record) -> tuple[bool, bool]:
    """Write an article's merged tags and reading state; whether anything changed, and
    whether a value changed here during the sync was kept."""
    marks = edit.marks(key)
    now = {"tags": marks["tags"], "reading": reading_value(marks["state"])}
    seen = _values(exported) if exported is not None else now
    fields: dict[str, Any] = {}
    kept = False
    for name, value in _values(merged).items():
        if json_value(now.get(name)) == value:
            continue
        if json_value(now.get(name)) != json_value(seen.get(name)):
            kept = True
            continue
        if name == "tags" and isinstance(value, list):
            fields["tags"] = normalize_tags([str(t) for t in value])
        elif name == "reading" and isinstance(value, dict):
            reading = {
                "read": bool(value.get("read")),
                "progress": _number(value.get("progress"), float),
                "position": _number(value.get("position"), int),
            }
            fields["state"] = {**(marks["state"] or {}), **reading, "article_id": key}
    if fields:
        edit.set_marks(key, **fields)
    return bool(fields), kept
