"""The store's full-text index (SQLite FTS5, derived): built at import, kept current,
rebuilt when lost, damaged or stale, ranked by bm25 with the matched words."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core.models import Article, article_id_for
from reader.store import Store
from reader.store import search_index as search_module
from reader.store.search_index import INDEX_FILE, ArticleSearch
from tests.store.conftest import make_record


def article(path: str, index: int, title: str, body: str, source: str = "The Gazette") -> Article:
    return Article(
        id=article_id_for(path, index),
        title=title,
        paragraphs=[body],
        source=source,
        path=path,
        index=index,
    )


LIBRARY = [
    article("a.txt", 0, "Harbour cranes stop", "Workers at the port voted on Monday."),
    article("b.txt", 0, "City trams run late", "The harbour ferry and the trams ran late."),
    article("c.txt", 0, "A café opens", "Coffee by the harbour, harbours and harbourside walks."),
    article("d.txt", 0, "Night market", "Stalls sell noodles until late.", source="Harbour Post"),
]


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    db = Store(tmp_path / "store")
    db.save_documents([(make_record(a.path, [a]), [a]) for a in LIBRARY])
    return db


def ids(hits: list[search_module.RankedHit]) -> list[str]:
    return [hit.id for hit in hits]


def title_of(store: Store, article_id: str) -> str:
    found = store.get_article(article_id)
    assert found is not None
    return found.title


def test_an_import_builds_the_index_beside_the_records(store: Store) -> None:
    assert (store.root / INDEX_FILE).exists()
    assert store.search.is_fresh()
    assert store.search.refresh() == 0  # nothing left to do: the import indexed it all
    assert len(store.search) == len(LIBRARY)


def test_every_word_must_match_and_the_last_is_a_prefix(store: Store) -> None:
    assert [title_of(store, i) for i in ids(store.search.search("trams late"))] == [
        "City trams run late"
    ]
    assert len(store.search.search("harb")) == 4  # harbour, harbours, harbourside
    assert store.search.search("harb ") == []  # a finished word is a whole word
    assert store.search.search("trams harbour zebra") == []
    assert store.search.search("") == []
    assert [title_of(store, i) for i in ids(store.search.search("CAFE"))] == ["A café opens"]


def test_a_title_match_ranks_above_source_and_body_matches(store: Store) -> None:
    ranked = [title_of(store, i) for i in ids(store.search.search("harbour"))]
    assert ranked[0] == "Harbour cranes stop"
    assert ranked[1] == "Night market"  # the source names it
    assert set(ranked[2:]) == {"City trams run late", "A café opens"}


def test_a_broad_query_ranks_title_matches_first_then_lists_the_rest(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_ALL_LIMIT", 1)
    hits = store.search.search("harb")
    assert [hit.ranked for hit in hits] == [True, False, False, False]
    assert title_of(store, hits[0].id) == "Harbour cranes stop"
    assert len(set(ids(hits))) == 4


def test_the_list_filter_lists_a_broad_querys_title_matches_then_the_rest_in_library_order(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.models import ArticleSummary
    from reader.service.filters import filter_articles

    monkeypatch.setattr(search_module, "RANK_ALL_LIMIT", 1)
    ranked, rest = store.search.search_split("harb")
    assert ids(ranked) == [article_id_for("a.txt", 0)]  # the title match
    assert rest == {a.id for a in LIBRARY[1:]}
    whole = store.search.search("harb")  # the same, the rest unranked after
    assert ids(whole[:1]) == ids(ranked) and set(ids(whole[1:])) == rest
    library_order = [LIBRARY[n] for n in (3, 0, 2, 1)]
    summaries = {a.id: ArticleSummary(id=a.id, title=a.title) for a in library_order}
    found = [s.id for s in filter_articles("harb", summaries, store.search)]
    assert found == [LIBRARY[0].id, LIBRARY[3].id, LIBRARY[2].id, LIBRARY[1].id]
    monkeypatch.setattr(search_module, "RANK_ALL_LIMIT", 2000)
    assert filter_articles("harb", summaries, store.search)[0].id == LIBRARY[0].id


def test_matched_words_name_what_a_prefix_found(store: Store) -> None:
    cafe = article_id_for("c.txt", 0)
    assert store.search.matched_words(cafe, "coffee harb") == [
        "coffee",
        "harbour",
        "harbours",
        "harbourside",
    ]
    assert store.search.matched_words("no-such-article", "harb") == []


def test_a_reimport_replaces_what_an_article_said(store: Store) -> None:
    changed = article("a.txt", 0, "Harbour cranes start", "Workers returned to the quay.")
    store.save_documents([(make_record("a.txt", [changed], sha="new"), [changed])])
    assert store.search.is_fresh()
    assert ids(store.search.search("quay")) == [changed.id]
    assert article_id_for("a.txt", 0) not in ids(store.search.search("voted"))
    store.remove_document("b.txt")
    assert store.search.search("trams") == []
    assert len(store.search) == len(LIBRARY) - 1


def test_a_lost_index_is_rebuilt_from_the_shards(store: Store) -> None:
    before = ids(store.search.search("harbour"))
    store.search.close()
    for path in store.root.glob(f"{INDEX_FILE}*"):
        path.unlink()
    fresh = Store(store.root)
    assert not fresh.search.is_fresh()
    assert fresh.search.refresh() > 0
    assert ids(fresh.search.search("harbour")) == before


def test_a_damaged_index_is_started_again(store: Store) -> None:
    before = ids(store.search.search("harbour"))
    store.search.close()
    for path in store.root.glob(f"{INDEX_FILE}-*"):
        path.unlink()
    (store.root / INDEX_FILE).write_bytes(b"not a database at all" * 100)
    fresh = Store(store.root)
    fresh.search.refresh()
    assert ids(fresh.search.search("harbour")) == before


def test_shards_written_behind_its_back_are_found_stale_and_reindexed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that did not update the index (an older reader, a crash after the write)."""
    monkeypatch.setattr(ArticleSearch, "apply", lambda *args: None)
    changed = article("d.txt", 0, "Night market moves", "Lanterns along the canal.")
    store.save_documents([(make_record("d.txt", [changed], sha="new"), [changed])])
    monkeypatch.undo()
    assert store.search.search("lanterns") == []  # stale until refreshed
    assert not store.search.is_fresh()
    assert store.search.refresh() == 1  # only the shard that changed
    assert ids(store.search.search("lanterns")) == [changed.id]
    assert store.search.search("noodles") == []


def test_an_unreadable_shard_is_left_out_until_restored(store: Store) -> None:
    store.search.close()
    (store.root / INDEX_FILE).unlink()
    shard = store.paths.article_shard(article_id_for("a.txt", 0))
    shard.write_text("{", encoding="utf-8")
    fresh = Store(store.root)
    fresh.search.refresh()
    assert fresh.search.search("cranes") == []
    assert len(fresh.search.search("late")) == 2  # the other shards are indexed
    assert not fresh.search.is_fresh()  # it will be tried again


def test_a_store_folder_that_cannot_hold_the_file_gets_an_index_in_memory(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: ArticleSearch) -> None:
        raise OSError("read-only file system")

    store.search.close()
    (store.root / INDEX_FILE).unlink()
    monkeypatch.setattr(ArticleSearch, "_open_file", refuse)
    fresh = Store(store.root)
    assert fresh.search.refresh() > 0
    assert len(fresh.search.search("harbour")) == 4
    assert not (store.root / INDEX_FILE).exists()


def test_a_busy_index_is_left_alone_not_started_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process writing the index (locked past the timeout) is no damage."""
    before = ids(store.search.search("harbour"))

    def locked(self: ArticleSearch, connection: sqlite3.Connection) -> dict[int, str]:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(ArticleSearch, "_ids", locked)
    assert store.search.search("harbour") == []  # nothing this time
    monkeypatch.undo()
    assert (store.root / INDEX_FILE).exists()
    assert ids(store.search.search("harbour")) == before
