"""Property test: the Store behaves like a plain dict model under random operations,
and reopening it gives the same state."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.models import Annotation, ReadingState, normalize_tags
from reader.store import Store, storage

ARTICLES = ["a1", "a2", "a3"]
NOTE_IDS = ["n1", "n2", "n3", "n4", "n5"]
TAGS = st.lists(st.sampled_from(["iran", "Russia", "#treaty", "two words", ""]), max_size=3)

put_op = st.tuples(
    st.just("put"),
    st.sampled_from(NOTE_IDS),
    st.sampled_from(ARTICLES),
    st.integers(0, 50),
    st.text(max_size=8),
    TAGS,
    st.booleans(),  # deleted (in the trash)
)
purge_op = st.tuples(st.just("purge"), st.sampled_from(NOTE_IDS))
state_op = st.tuples(st.just("state"), st.sampled_from(ARTICLES), st.integers(0, 99), st.booleans())
tags_op = st.tuples(st.just("tags"), st.sampled_from(ARTICLES), TAGS)
bulk_op = st.tuples(st.just("bulk"), st.lists(put_op, max_size=4))
OPS = st.lists(st.one_of(put_op, purge_op, state_op, tags_op, bulk_op), max_size=25)


def make(op: tuple[Any, ...]) -> Annotation:
    _, note_id, article, start, text, tags, deleted = op
    return Annotation(
        id=note_id,
        article_id=article,
        quote="q",
        start=start,
        end=start + 3,
        note=text,
        tags=normalize_tags(tags),
        created="2025-01-14T10:00:00+00:00",
        deleted="2025-01-15T10:00:00+00:00" if deleted else None,
    )


class Model:
    """The obvious in-memory meaning of each operation."""

    def __init__(self) -> None:
        self.notes: dict[str, Annotation] = {}
        self.states: dict[str, ReadingState] = {}
        self.tags: dict[str, list[str]] = {}

    def apply(self, op: tuple[Any, ...], store: Store) -> None:
        kind = op[0]
        if kind == "put":
            note = make(op)
            self.notes[note.id] = note
            store.put_annotation(note)
        elif kind == "bulk":
            notes = [make(inner) for inner in op[1]]
            for note in notes:
                self.notes[note.id] = note
            store.put_annotations(notes)
        elif kind == "purge":
            self.notes.pop(op[1], None)
            store.purge_annotation(op[1])
        elif kind == "state":
            state = ReadingState(op[1], position=op[2], progress=op[2] / 100, read=op[3])
            self.states[op[1]] = state
            store.put_state(state)
        else:
            self.tags[op[1]] = normalize_tags(op[2])
            store.set_article_tags(op[1], op[2])

    def check(self, store: Store) -> None:
        live = [n for n in self.notes.values() if not n.deleted]
        key = lambda n: (n.article_id, n.start, n.end, n.created, n.id)  # noqa: E731
        assert store.all_annotations() == sorted(live, key=key)
        assert store.all_annotations(include_deleted=True) == sorted(self.notes.values(), key=key)
        for note_id in NOTE_IDS:
            assert store.get_annotation(note_id) == self.notes.get(note_id)
        for article in ARTICLES:
            mine = sorted((n for n in live if n.article_id == article), key=key)
            assert store.annotations_for(article) == mine
            assert store.get_state(article) == self.states.get(article, ReadingState(article))
        assert store.annotation_counts() == dict(Counter(n.article_id for n in live))
        tags: Counter[str] = Counter()
        for article_tags in self.tags.values():
            tags.update(article_tags)
        for note in live:
            tags.update(note.tags)
        assert store.all_tags() == {t: n for t, n in sorted(tags.items()) if n}


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Durability is not what this test checks; the writes are still atomic renames."""
    monkeypatch.setattr(storage, "SYNC", False)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(OPS)
def test_store_matches_dict_model_and_survives_reopen(ops: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "store"
        store, model = Store(root), Model()
        for op in ops:
            model.apply(op, store)
        model.check(store)
        model.check(Store(root))
