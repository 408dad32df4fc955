"""put_recs / del_recs / get_rec against a plain dict: put_recs writes through TinyDB's
private ``_update_table`` (one pass over the table), so its result is checked here against
the model a person expects of "insert or replace by id"."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from reader.store.db import all_recs, del_recs, get_rec, put_recs
from reader.store.storage import StoreError

keys = st.sampled_from([f"k{n}" for n in range(12)])
ops = st.lists(
    st.one_of(
        st.tuples(st.just("put"), st.lists(st.tuples(keys, st.integers(0, 9)), max_size=5)),
        st.tuples(st.just("del"), st.lists(keys, max_size=4)),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(ops)
def test_puts_and_deletes_behave_like_a_dict(steps: list[tuple[str, Any]]) -> None:
    table = TinyDB(storage=MemoryStorage).table("t")
    model: dict[str, dict[str, Any]] = {}
    for kind, arg in steps:
        if kind == "put":
            records = [{"id": key, "value": value} for key, value in arg]
            put_recs(table, records, "id")
            for record in records:
                model[record["id"]] = record
        else:
            removed = del_recs(table, arg, "id")
            assert sorted(removed) == sorted({k for k in arg if k in model})
            for key in arg:
                model.pop(key, None)
    assert sorted(all_recs(table), key=lambda r: r["id"]) == sorted(
        model.values(), key=lambda r: r["id"]
    )
    for key in {f"k{n}" for n in range(12)}:
        assert get_rec(table, key, "id") == model.get(key)


def test_a_stored_record_is_not_the_callers_dict() -> None:
    table = TinyDB(storage=MemoryStorage).table("t")
    record = {"id": "a", "value": 1}
    put_recs(table, [record], "id")
    record["value"] = 2  # the caller changes its own dict afterwards
    assert get_rec(table, "a", "id") == {"id": "a", "value": 1}


def test_an_id_collision_is_refused_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.store.db as db

    monkeypatch.setattr(db, "doc_id", lambda key: 1)  # every key hashes alike
    table = TinyDB(storage=MemoryStorage).table("t")
    put_recs(table, [{"id": "a", "value": 1}], "id")
    with pytest.raises(StoreError, match="id collision"):
        put_recs(table, [{"id": "c", "value": 3}], "id")
    assert all_recs(table) == [{"id": "a", "value": 1}]
