"""What sync commits: the sync files, and the store's records written out to them (a merged
result goes back into the store in :mod:`reader.service.syncapply`).

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
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.jsonio import loads
from reader.core.merge import Document, Record, register
from reader.core.models import (
    Annotation,
    is_valid_id,
    now_iso,
)
from reader.service.syncanchor import adapted
from reader.store import Store
from reader.store.records import (
    annotation_stamps,
    bucket_marks,
    marks_stamps,
    shard_annotations,
)

FORMAT = 1
HIGHLIGHTS = "highlights"
ARTICLES = "articles"
#: the anchoring fields travel together: they only make sense as a whole
ANCHOR_FIELDS = ("quote", "start", "end", "prefix", "suffix", "status", "original_quote")
#: the register of the text hash goes with the anchor
ANCHOR_ALL = (*ANCHOR_FIELDS, "text_hash")
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


def json_value(value: Any) -> Any:
    """A value as it reads back from JSON, for comparisons (a highlight's values are
    JSON's types already)."""
    return json.loads(json.dumps(value))


def highlight_values(note: Annotation) -> dict[str, Any]:
    """The register values of a highlight."""
    return {
        "anchor": {name: getattr(note, name) for name in ANCHOR_ALL},
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
