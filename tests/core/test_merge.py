"""reader's merge of two machines' highlights: a CRDT join, and the three-way merge sync runs."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reader.core.merge import (
    CONFLICT_SEPARATOR,
    CONFLICT_TAG,
    Document,
    join,
    merge3,
    order_key,
    register,
)

FIELDS = ("note", "tags", "color", "deleted")
SITES = ("a", "b", "c")
TIMES = ("2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00")

notes = st.sampled_from(["", "x", "first thought", "second thought", "ü ☃"])
tag_lists = st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=4)
colors = st.sampled_from(["yellow", "green", "blue"])
deleted = st.sampled_from([None, TIMES[0], TIMES[2]])
VALUES = {"note": notes, "tags": tag_lists, "color": colors, "deleted": deleted}
ids = st.sampled_from(["h1", "h2", "h3", "h4"])


@st.composite
def registers(draw: Any, name: str, min_revision: int = 0) -> dict[str, Any]:
    return register(
        draw(VALUES[name]),
        draw(st.integers(min_revision, min_revision + 3)),
        draw(st.sampled_from(TIMES)),
        draw(st.sampled_from(SITES)),
    )


@st.composite
def documents(draw: Any) -> Document:
    keys = draw(st.lists(ids, unique=True, max_size=4))
    return {key: {name: draw(registers(name)) for name in FIELDS} for key in keys}


@st.composite
def evolved(draw: Any, base: Document, site: str) -> Document:
    """``base`` edited on ``site``: some fields changed (with clocks later than base's),
    perhaps new records."""
    out: Document = {}
    for key, record in base.items():
        out[key] = dict(record)
        for name in FIELDS:
            if draw(st.booleans()):
                revision = int(record[name]["c"][0]) + draw(st.integers(1, 3))
                value = draw(VALUES[name])
                out[key][name] = register(value, revision, draw(st.sampled_from(TIMES)), site)
    for key in draw(st.lists(ids, unique=True, max_size=2)):
        if key not in out:
            out[key] = {name: draw(registers(name, 1)) for name in FIELDS}
    return out


@st.composite
def histories(draw: Any) -> tuple[Document, Document, Document]:
    base = draw(documents())
    return base, draw(evolved(base, "o")), draw(evolved(base, "t"))


# ---------------------------------------------------------------- the join is a CRDT


@given(documents(), documents())
def test_join_is_commutative(a: Document, b: Document) -> None:
    assert join(a, b) == join(b, a)


@given(documents(), documents(), documents())
def test_join_is_associative(a: Document, b: Document, c: Document) -> None:
    assert join(join(a, b), c) == join(a, join(b, c))


@given(documents())
def test_join_is_idempotent(a: Document) -> None:
    assert join(a, a) == a


@given(documents(), documents())
def test_join_keeps_each_fields_latest_value(a: Document, b: Document) -> None:
    joined = join(a, b)
    for key, record in joined.items():
        for name, reg in record.items():
            for side in (a, b):
                if key in side:
                    assert order_key(reg) >= order_key(side[key][name])


# ---------------------------------------------------------------- the three-way merge


@given(histories())
def test_merge3_is_commutative(history: tuple[Document, Document, Document]) -> None:
    base, ours, theirs = history
    assert merge3(base, ours, theirs)[0] == merge3(base, theirs, ours)[0]


@given(histories())
def test_merge3_is_idempotent_and_base_is_its_identity(
    history: tuple[Document, Document, Document],
) -> None:
    base, ours, _ = history
    assert merge3(base, ours, ours)[0] == ours
    assert merge3(base, base, ours)[0] == ours
    assert merge3(base, ours, base)[0] == ours


@given(histories())
def test_merge3_again_changes_nothing(history: tuple[Document, Document, Document]) -> None:
    """Merging the merge with either side (the next sync of the other machine) is stable."""
    base, ours, theirs = history
    merged = merge3(base, ours, theirs)[0]
    assert merge3(ours, merged, ours)[0] == merged
    assert merge3(theirs, theirs, merged)[0] == merged


@given(histories())
def test_merge3_loses_no_value_a_later_one_did_not_replace(
    history: tuple[Document, Document, Document],
) -> None:
    base, ours, theirs = history
    merged, _ = merge3(base, ours, theirs)
    for side, other in ((ours, theirs), (theirs, ours)):
        for key, record in side.items():
            result = merged[key]
            before = base.get(key, {})
            for name, reg in record.items():
                if reg == before.get(name):
                    continue  # not changed on this side
                value, got = reg["v"], result[name]["v"]
                rival = other.get(key, {}).get(name)
                rival_changed = rival is not None and rival != before.get(name)
                if name == "note":
                    assert (
                        str(value) in str(got)
                        or (rival_changed and not str(value).strip())
                        or (rival_changed and value == before.get(name, {}).get("v"))
                    )
                elif name == "tags":
                    old = set(before["tags"]["v"]) if "tags" in before else set()
                    assert set(value) - old <= set(got)
                    if rival_changed:
                        assert not (old - set(value)) & set(got)
                else:
                    assert got == value or (
                        rival_changed and rival is not None and order_key(rival) > order_key(reg)
                    )


@given(histories())
def test_merge3_without_text_or_sets_is_the_join(
    history: tuple[Document, Document, Document],
) -> None:
    """Last-writer-wins fields merge exactly as the CRDT join does."""

    def lww(doc: Document) -> Document:
        return {
            k: {n: r for n, r in rec.items() if n in ("color", "deleted")} for k, rec in doc.items()
        }

    base, ours, theirs = (lww(d) for d in history)
    assert merge3(base, ours, theirs)[0] == join(ours, theirs)


# ---------------------------------------------------------------- examples


def _hl(note: str, tags: list[str], revision: int, site: str, deleted: str | None = None) -> Any:
    return {
        "note": register(note, revision, TIMES[revision % 3], site),
        "tags": register(tags, revision, TIMES[revision % 3], site),
        "deleted": register(deleted, revision, TIMES[revision % 3], site),
    }


def test_a_note_written_on_both_machines_keeps_both_texts_and_is_tagged() -> None:
    base = {"h": _hl("start", ["x"], 1, "a")}
    ours = {"h": {**base["h"], "note": register("laptop", 2, TIMES[1], "a")}}
    theirs = {"h": {**base["h"], "note": register("desktop", 3, TIMES[2], "b")}}
    merged, stats = merge3(base, ours, theirs)
    assert merged["h"]["note"]["v"] == "laptop" + CONFLICT_SEPARATOR + "desktop"
    assert merged["h"]["tags"]["v"] == ["x", CONFLICT_TAG]
    assert stats.conflicts == 1


def test_a_deletion_stays_deleted_when_the_other_machine_edited_the_note() -> None:
    base = {"h": _hl("start", [], 1, "a")}
    ours = {"h": {**base["h"], "deleted": register(TIMES[1], 2, TIMES[1], "a")}}
    theirs = {"h": {**base["h"], "note": register("edited", 5, TIMES[2], "b")}}
    merged, _ = merge3(base, ours, theirs)
    assert merged["h"]["deleted"]["v"] == TIMES[1]
    assert merged["h"]["note"]["v"] == "edited"


def test_tags_added_on_both_machines_are_all_kept() -> None:
    base = {"h": _hl("", ["keep", "drop"], 1, "a")}
    ours = {"h": {**base["h"], "tags": register(["keep", "drop", "mine"], 2, TIMES[1], "a")}}
    theirs = {"h": {**base["h"], "tags": register(["keep", "yours"], 2, TIMES[1], "b")}}
    merged, _ = merge3(base, ours, theirs)
    assert merged["h"]["tags"]["v"] == ["keep", "mine", "yours"]


def test_a_merge_made_again_over_its_own_result_does_not_repeat_the_texts() -> None:
    """A sync killed after writing the store and before committing exports the joined
    note as a local edit: merging it with the other side again keeps it as it is."""
    base = {"h": _hl("start", [], 1, "a")}
    ours = {"h": {**base["h"], "note": register("laptop", 2, TIMES[1], "a")}}
    theirs = {"h": {**base["h"], "note": register("desktop", 3, TIMES[2], "b")}}
    joined = merge3(base, ours, theirs)[0]["h"]["note"]["v"]
    replayed = {"h": {**ours["h"], "note": register(joined, 9, TIMES[2], "a")}}
    assert merge3(base, replayed, theirs)[0]["h"]["note"]["v"] == joined
