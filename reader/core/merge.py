"""Merging what two machines made of one library: reader's own merge, never git's line merge.

A *record* (a highlight, an article's marks) is a dict of *registers*, one per field that
changes on its own: ``{"v": value, "c": [revision, updated, site]}``. The clock ``c`` is when
that field last changed: the record's revision at the change, its time, and the id of the
store (site) that made it. Clocks are totally ordered (ties fall to the value's JSON text),
so each register is a last-writer-wins register and :func:`join` (field by field, the later
clock) is a state-based CRDT: commutative, associative and idempotent.

What sync runs is :func:`merge3`, the three-way form over the common ancestor (what both
sides last agreed on), built on the join: a field changed on one side only takes that side;
changed on both, the later clock wins (the join), except

- a *note* written differently on both sides keeps both texts (the earlier first, with
  :data:`CONFLICT_SEPARATOR` between them) and the record's ``tags`` get
  :data:`CONFLICT_TAG`, so the user finds it (``tag:sync-conflict``) and resolves it;
- *tags* (sets) merge as sets: a tag added on either side stays, one removed on either side
  goes.

A deletion is the ``deleted`` register of a highlight: an edit of another field on the
other side does not touch it, so a highlight deleted on one machine stays deleted after
another machine edited its note; only a later restore (a later clock on ``deleted``)
brings it back.

Pure: no store, no git. Documents are ``{record id: record}`` dicts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

#: a register: {"v": value, "c": [revision, updated, site]}
Register = dict[str, Any]
Record = dict[str, Register]
Document = dict[str, Record]

#: fields holding free text that keeps both sides when written on both
NOTE_FIELDS = frozenset({"note"})
#: fields holding a set (a list without duplicates) merged as a set
SET_FIELDS = frozenset({"tags"})
#: the tag a highlight gets when its note was written differently on two machines
CONFLICT_TAG = "sync-conflict"
#: what stands between the two texts of a note written on both sides
CONFLICT_SEPARATOR = "\n\n--- also written elsewhere (sync) ---\n\n"
#: the site of clocks the merge itself makes (deterministic: both sides make the same)
MERGE_SITE = "~merge"


def register(value: Any, revision: int, updated: str, site: str) -> Register:
    """A register holding ``value``, changed at (``revision``, ``updated``) on ``site``."""
    return {"v": value, "c": [int(revision), str(updated), str(site)]}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def order_key(reg: Register) -> tuple[int, str, str, str]:
    """The total order of registers: clock, then the value's JSON text (a tie-break only
    two sites writing the same clock ever need)."""
    revision, updated, site = reg["c"]
    return (int(revision), str(updated), str(site), _canonical(reg["v"]))


def join_register(a: Register | None, b: Register | None) -> Register | None:
    """The later of two registers (either may be missing)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if order_key(a) >= order_key(b) else b


def join_record(a: Record | None, b: Record | None) -> Record:
    """Field by field, the later register."""
    if a is None or b is None:
        return dict(a or b or {})
    out: Record = {}
    for name in sorted(set(a) | set(b)):
        joined = join_register(a.get(name), b.get(name))
        assert joined is not None
        out[name] = joined
    return out


def join(a: Document, b: Document) -> Document:
    """The least upper bound of two documents: every record, each field's later register."""
    return {key: join_record(a.get(key), b.get(key)) for key in sorted(set(a) | set(b))}


@dataclass
class MergeStats:
    """What a three-way merge had to decide (for the sync's summary)."""

    #: records whose note was written on both sides and now holds both texts
    conflicts: int = 0


def merge3(base: Document, ours: Document, theirs: Document) -> tuple[Document, MergeStats]:
    """Merge two documents that both grew from ``base`` (see the module docstring).

    Symmetric in ``ours`` and ``theirs``; ``merge3(base, x, x) == x`` and
    ``merge3(base, base, x) == x``.
    """
    stats = MergeStats()
    merged: Document = {}
    for key in sorted(set(ours) | set(theirs)):
        o, t = ours.get(key), theirs.get(key)
        if o is None or t is None or o == t:
            merged[key] = dict(o or t or {})
            continue
        record, conflicted = _merge_record(base.get(key) or {}, o, t)
        stats.conflicts += conflicted
        merged[key] = record
    return merged, stats


def _merge_record(base: Record, ours: Record, theirs: Record) -> tuple[Record, bool]:
    out: Record = {}
    conflicted = False
    for name in sorted(set(ours) | set(theirs)):
        b, o, t = base.get(name), ours.get(name), theirs.get(name)
        if o is None or t is None or o == t:
            chosen = o or t
        elif o == b:
            chosen = t
        elif t == b:
            chosen = o
        elif name in NOTE_FIELDS:
            chosen, both = _merge_note(b, o, t)
            conflicted = conflicted or both
        elif name in SET_FIELDS:
            chosen = _merge_set(b, o, t)
        else:
            chosen = join_register(o, t)
        assert chosen is not None
        out[name] = chosen
    if conflicted:
        tags = out.get("tags")
        values = list(tags["v"]) if tags else []
        if CONFLICT_TAG not in values:
            clock = _after(tags, tags) if tags else [0, "", MERGE_SITE]
            out["tags"] = {"v": [*values, CONFLICT_TAG], "c": clock}
    return out, conflicted


def _after(a: Register, b: Register) -> list[Any]:
    """A clock later than both (the same on every machine that makes this merge)."""
    ra, ua, _ = a["c"]
    rb, ub, _ = b["c"]
    return [max(int(ra), int(rb)) + 1, max(str(ua), str(ub)), MERGE_SITE]


def _merge_note(base: Register | None, ours: Register, theirs: Register) -> tuple[Register, bool]:
    """Both sides changed the note: one text if they agree, one is empty or already holds
    the other (a merge made before), else both."""
    a, b = sorted((ours, theirs), key=order_key)  # the earlier first, on every machine
    first, second = str(a["v"]), str(b["v"])
    clock = _after(a, b)
    base_text = str(base["v"]) if base is not None else ""
    first_parts, second_parts = _parts(first), _parts(second)
    if not first.strip() or first == base_text or first_parts <= second_parts:
        return {"v": second, "c": clock}, False
    if not second.strip() or second == base_text or second_parts <= first_parts:
        return {"v": first, "c": clock}, False
    return {"v": first + CONFLICT_SEPARATOR + second, "c": clock}, True


def _parts(text: str) -> set[str]:
    """The texts a note joined by earlier merges is made of."""
    return set(text.split(CONFLICT_SEPARATOR))


def _merge_set(base: Register | None, ours: Register, theirs: Register) -> Register:
    """Both sides changed a set: what either added stays, what either removed goes."""
    before = list(base["v"]) if base is not None else []
    mine, yours = list(ours["v"]), list(theirs["v"])
    removed = {x for x in before if x not in mine or x not in yours}
    kept = [x for x in before if x not in removed]
    added = sorted({x for x in mine + yours if x not in before})
    return {"v": kept + added, "c": _after(ours, theirs)}
