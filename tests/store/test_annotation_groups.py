"""Store.annotation_groups: every article's highlights, one shard at a time, in the order of
all_annotations (what a streamed export relies on)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.models import Annotation
from reader.store import Store, StoreError

# plain ids, ids that sort differently as file names ("a-b.json" < "a.json"), ids that are
# no file name at all (the shard is named by a hash)
ARTICLE_IDS = ["a", "a-b", "a_b", "ab", "b", "weird id/é", "Z", "h-x"]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(ARTICLE_IDS), st.integers(0, 50), st.booleans()),
        min_size=1,
        max_size=25,
    )
)
def test_groups_are_all_annotations_in_order(tmp_path_factory, picks) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path_factory.mktemp("store"))
    notes = [
        Annotation(id=f"n{i}", article_id=a, quote="q", start=s, end=s + 1, deleted=d or None)
        for i, (a, s, d) in enumerate(picks)
        for d in ["2025-01-01T00:00:00+00:00" if d else None]
    ]
    store.put_annotations(notes)
    groups = list(store.annotation_groups())
    assert [a for _, group in groups for a in group] == store.all_annotations()
    assert all(a.article_id == article_id for article_id, group in groups for a in group)
    assert len({article_id for article_id, _ in groups}) == len(groups)
    for article_id, group in groups:
        assert store.read_annotations(article_id) == group


def test_an_unreadable_shard_is_named_and_the_rest_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "store")
    store.put_annotations(
        [Annotation(id=f"n{i}", article_id=a, quote="q", start=0, end=1) for i, a in
         enumerate("abc")]
    )  # fmt: skip
    store.paths.annotation_shard("b").write_text("{ not json")
    unreadable: list[str] = []
    groups = list(store.annotation_groups(unreadable=unreadable))
    assert [article_id for article_id, _ in groups] == ["a", "c"]
    assert len(unreadable) == 1 and "b.json" in unreadable[0]
    with pytest.raises(StoreError, match=r"b\.json"):
        list(store.annotation_groups())  # without a list to name it in: an error
