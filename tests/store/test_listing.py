"""The article list's cache (``listing.cache``): never staler than the files it came from."""

from __future__ import annotations

from pathlib import Path

from reader.core.models import ReadingState
from reader.store import Store
from reader.store import listing as listing_module
from reader.store.listing import LISTING_FILE
from reader.store.storage import READ_CACHE
from tests.store.conftest import make_article, make_note, make_record


def _fill(store: Store, files: int = 3) -> None:
    for n in range(files):
        path = f"doc{n}.txt"
        articles = [make_article(path, 0), make_article(path, 1)]
        store.save_document(make_record(path, articles), articles)


def _fresh_process(root: Path) -> Store:
    """The store as a new process opens it: nothing remembered in memory."""
    listing_module._memo.clear()
    READ_CACHE.clear()
    return Store(root)


def test_a_new_process_lists_the_same_articles_from_the_cache(store: Store) -> None:
    _fill(store)
    store.put_annotation(make_note("n1", store.list_articles()[0].id))
    before = store.list_articles()
    assert (store.root / LISTING_FILE).exists()
    again = _fresh_process(store.root).list_articles()
    assert again == before
    assert again[0].annotation_count == 1


def test_changes_made_by_another_process_show_on_the_next_launch(store: Store) -> None:
    _fill(store)
    first = store.list_articles()[0]
    store.list_articles()  # cache written
    other = _fresh_process(store.root)
    other.put_annotation(make_note("n1", first.id))
    other.set_article_tags(first.id, ["later"])
    other.put_state(ReadingState(article_id=first.id, read=True, progress=0.5))
    articles = [make_article("new.txt", 0)]
    other.save_document(make_record("new.txt", articles), articles)
    listed = _fresh_process(store.root).list_articles()
    by_id = {summary.id: summary for summary in listed}
    assert by_id[first.id].annotation_count == 1
    assert by_id[first.id].tags == ["later"]
    assert by_id[first.id].read
    assert articles[0].id in by_id
    assert len(listed) == 7


def test_a_corrupt_or_foreign_cache_is_rebuilt(store: Store) -> None:
    _fill(store)
    expected = store.list_articles()
    for junk in (b"{not json", b'{"format": 999}', b"[]"):
        (store.root / LISTING_FILE).write_bytes(junk)
        assert _fresh_process(store.root).list_articles() == expected


def test_callers_may_change_the_summaries_they_get(store: Store) -> None:
    _fill(store)
    first = store.list_articles()
    first[0].tags.append("mine")
    first[0].annotation_count = 99
    assert store.list_articles()[0].tags == []
    assert store.list_articles()[0].annotation_count == 0


def test_the_stamp_changes_when_an_import_changes_the_catalog(store: Store) -> None:
    _fill(store, 1)
    stamp = store.listing_stamp()
    store.set_article_tags(store.list_articles()[0].id, ["x"])
    assert store.listing_stamp() == stamp  # tags live in marks, not in the catalog
    articles = [make_article("more.txt", 0)]
    store.save_document(make_record("more.txt", articles), articles)
    assert store.listing_stamp() != stamp
