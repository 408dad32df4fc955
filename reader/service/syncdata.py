"""What sync commits, and how a merged result goes back into the store.

The sync folder (``<store>/sync``, a git work tree) holds only what a person made, in a
canonical, diff-friendly form, never the store's own files (indexes, caches, backups, the
undo journal, locks: all rebuilt or kept per machine)::

    sync/highlights/<article id>.json   one article's highlights, the trash included
    sync/articles/<bucket>.json         articles' own tags and reading state (read,
                                        progress, position), ~1/256 of the articles each

Each file is ``{"reader-sync": 1, "records": {id: record}}`` with a record per highlight or
article, each field a register with its clock (see :mod:`reader.core.merge`). The clock of a
field is set when an export finds its value changed since the last export (the committed
file): the highlight's revision (at least one more than the field's clock before), its
``updated`` time and this store's site id. A highlight is never removed from these files:
deleting one sets its ``deleted`` field, which travels like any other.

Only changed store files are read again (their stamps are kept between syncs in
``.git/reader-stamps.json``, valid for the commit they were taken at).
"""

from __future__ import annotations

import json
import math
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.clean import clean_field
from reader.core.jsonio import loads
from reader.core.merge import CONFLICT_SEPARATOR, Document, Record, register
from reader.core.models import (
    COLORS,
    DEFAULT_COLOR,
    Annotation,
    is_valid_id,
    normalize_tags,
    now_iso,
)
from reader.service.syncanchor import Placing, adapted
from reader.store import Store
from reader.store.records import (
    annotation_stamps,
    bucket_marks,
    held,
    marks_stamps,
    shard_annotations,
    stamps_of,
)

FORMAT = 1
HIGHLIGHTS = "highlights"
ARTICLES = "articles"
#: the anchoring fields travel together: they only make sense as a whole
ANCHOR_FIELDS = ("quote", "start", "end", "prefix", "suffix", "status", "original_quote")
#: the register of the text hash goes with the anchor
_ANCHOR_ALL = (*ANCHOR_FIELDS, "text_hash")
HIGHLIGHT_FIELDS = ("anchor", "note", "tags", "color", "deleted", "created")
READING_FIELDS = ("read", "progress", "position")
SITE_KEY = "sync_site"


def site_id(store: Store) -> str:
    """This store's id in clocks (made on first use)."""
    site = store.get_meta(SITE_KEY)
    if not isinstance(site, str) or not site:
        site = secrets.token_hex(4)
        store.set_meta(SITE_KEY, site)
    return site


# ---------------------------------------------------------------- files


def encode(records: Document) -> bytes:
    """A sync file's bytes: keys sorted, one line per field of a record (a change shows as
    one changed line in ``git diff``)."""
    lines = [f'{{\n "reader-sync": {FORMAT},\n "records": {{']
    for n, key in enumerate(sorted(records)):
        record = records[key]
        fields = [f"   {_dump(name)}: {_dump(record[name])}" for name in sorted(record)]
        comma = "," if n < len(records) - 1 else ""
        lines.append(f"  {_dump(key)}: {{\n" + ",\n".join(fields) + f"\n  }}{comma}")
    lines.append(" }\n}\n")
    return "\n".join(lines).encode()


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def decode(data: bytes | None) -> Document:
    """The records of a sync file (an empty document for a missing or unreadable one)."""
    if not data:
        return {}
    try:
        doc = loads(data)
    except (ValueError, UnicodeDecodeError):
        return {}
    records = doc.get("records") if isinstance(doc, dict) else None
    if not isinstance(records, dict):
        return {}
    # a file from the remote is untrusted: only well-formed registers of valid ids count
    return {
        key: {name: reg for name, reg in record.items() if _is_register(name, reg)}
        for key, record in records.items()
        if is_valid_id(key) and isinstance(record, dict)
    }


def _is_register(name: str, reg: Any) -> bool:
    clock = reg.get("c") if isinstance(reg, dict) else None
    if name == "tags" and isinstance(reg, dict):  # a set: merged as one
        tags = reg.get("v")
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            return False
    return (
        isinstance(clock, list)
        and "v" in reg
        and len(clock) == 3
        and type(clock[0]) is int
        and isinstance(clock[1], str)
        and isinstance(clock[2], str)
    )


def write_file(path: Path, data: bytes) -> None:
    """Replace a sync file atomically (a killed sync leaves the old or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


# ---------------------------------------------------------------- store -> records


def _json(value: Any) -> Any:
    """A value as it reads back from JSON, for comparisons (a highlight's values are
    JSON's types already)."""
    return json.loads(json.dumps(value))


def highlight_values(note: Annotation) -> dict[str, Any]:
    """The register values of a highlight."""
    return {
        "anchor": {name: getattr(note, name) for name in _ANCHOR_ALL},
        "note": note.note,
        "tags": list(note.tags),
        "color": note.color,
        "deleted": note.deleted,
        "created": note.created,
    }


def reading_value(state: dict[str, Any] | None) -> dict[str, Any] | None:
    """The synced part of a reading state."""
    if not state:
        return None
    return {name: state.get(name) for name in READING_FIELDS}


def _restamp(
    values: dict[str, Any], before: Record | None, revision: int, updated: str, site: str
) -> Record:
    """The record of these values: a field unchanged since ``before`` keeps its clock."""
    record: Record = {}
    for name, value in values.items():
        old = (before or {}).get(name)
        if old is not None and old.get("v") == value:
            record[name] = old
            continue
        last = int(old["c"][0]) if old is not None else 0
        record[name] = register(value, max(revision, last + 1), updated, site)
    return record


@dataclass
class Exported:
    """What an export wrote."""

    #: highlights and articles whose records changed (what goes out)
    changed: int = 0
    #: store file stamps taken before reading them
    stamps: dict[str, dict[str, list[int]]] = field(default_factory=dict)


def export(store: Store, folder: Path, stamps: dict[str, Any], site: str) -> Exported:
    """Write the records of every store file changed since ``stamps`` into ``folder``."""
    result = Exported()
    paths = store.paths
    now = annotation_stamps(paths), marks_stamps(paths)
    old_ann, old_marks = stamps.get(HIGHLIGHTS, {}), stamps.get(ARTICLES, {})
    result.stamps = {
        HIGHLIGHTS: {k: list(v) for k, v in now[0].items()},
        ARTICLES: {k: list(v) for k, v in now[1].items()},
    }
    for name, stamp in now[0].items():
        if old_ann.get(name) == list(stamp):
            continue
        notes = shard_annotations(paths, name)
        if not notes:
            continue
        rel = f"{HIGHLIGHTS}/{name}"
        before = decode(_read(folder / rel))
        records = dict(before)
        for note in notes:
            mine = highlight_values(note)
            old = before.get(note.id)
            travelling = (old or {}).get("anchor", {}).get("v")
            if isinstance(travelling, dict) and adapted(mine["anchor"], travelling):
                mine["anchor"] = travelling  # placed on the text here: it stays here
            records[note.id] = _restamp(
                mine,
                old,
                note.revision,
                note.updated or now_iso(),
                site,
            )
        result.changed += sum(1 for k, r in records.items() if before.get(k) != r)
        _write_if_changed(folder / rel, before, records)
    stamp_time = now_iso()
    for name, stamp in now[1].items():
        if old_marks.get(name) == list(stamp):
            continue
        rel = f"{ARTICLES}/{name}"
        before = decode(_read(folder / rel))
        records = dict(before)
        for article_id, marks in bucket_marks(paths, name).items():
            values: dict[str, Any] = {"tags": marks["tags"]}
            reading = reading_value(marks["state"])
            if reading is not None:
                values["reading"] = reading
            if article_id not in before and not marks["tags"] and reading is None:
                continue  # nothing of the user's (only highlight counts)
            records[article_id] = _restamp(values, before.get(article_id), 0, stamp_time, site)
        result.changed += sum(1 for k, r in records.items() if before.get(k) != r)
        _write_if_changed(folder / rel, before, records)
    return result


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write_if_changed(path: Path, before: Document, records: Document) -> None:
    if records and records != before:
        write_file(path, encode(records))


# ---------------------------------------------------------------- records -> store


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
    return tuple(getattr(note, name) for name in _ANCHOR_ALL)


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
                **{name: anchor.get(name) for name in _ANCHOR_ALL if name in anchor},
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
            fields.update({k: value.get(k) for k in _ANCHOR_ALL if k in value})
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
        if _json(now.get(name)) == value:
            continue
        if _json(now.get(name)) != _json(seen.get(name)):
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
