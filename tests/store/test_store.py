"""Unit tests of every Store method, through the public API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.models import Embed, ReadingState, text_hash
from reader.store import SCHEMA_VERSION, FileRecord, Store, StoreCorrupt, StoreError
from tests.store.conftest import make_article, make_note, make_record


def test_new_store_creates_folder_and_stamps_schema(tmp_path: Path) -> None:
    root = tmp_path / "deep" / "store"
    store = Store(root)
    assert store.root == root
    assert Store.SCHEMA_VERSION == SCHEMA_VERSION == 3
    meta = json.loads((root / "meta.json").read_text())
    assert [d["value"] for d in meta["store"].values()] == [3]


def test_unwritable_root_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="file"):
        Store(blocker / "store")


def test_save_document_and_get_article_round_trip(store: Store) -> None:
    articles = [make_article("a.txt", i) for i in range(3)]
    articles[1].related_to = articles[0].id
    store.save_document(make_record("a.txt", articles), articles)
    for article in articles:
        assert store.get_article(article.id) == article
    assert store.get_article("missing") is None
    records = store.file_records()
    assert list(records) == ["a.txt"]
    assert records["a.txt"].article_ids == [a.id for a in articles]
    assert records["a.txt"].sha == "sha"


def test_resaving_a_document_drops_vanished_articles_but_keeps_their_notes(store: Store) -> None:
    articles = [make_article("a.txt", i) for i in range(3)]
    store.save_document(make_record("a.txt", articles), articles)
    store.put_annotation(make_note("n1", articles[2].id))
    store.save_document(make_record("a.txt", articles[:2], sha="new"), articles[:2])
    assert [s.id for s in store.list_articles()] == [a.id for a in articles[:2]]
    assert store.get_article(articles[2].id) is None
    assert store.file_records()["a.txt"].sha == "new"
    assert [n.id for n in store.annotations_for(articles[2].id)] == ["n1"]
    assert store.get_annotation("n1") is not None


def test_save_documents_bulk_and_remove_document(store: Store) -> None:
    items = []
    for name in ("b.txt", "a.txt", "c/d.txt"):
        arts = [make_article(name, i) for i in range(2)]
        items.append((make_record(name, arts), arts))
    store.save_documents(items)
    listed = store.list_articles()
    assert [(s.path, s.index) for s in listed] == [
        ("a.txt", 0),
        ("a.txt", 1),
        ("b.txt", 0),
        ("b.txt", 1),
        ("c/d.txt", 0),
        ("c/d.txt", 1),
    ]
    assert listed[0].title == "Title 0 of a.txt" and listed[0].source == "The Test Gazette"
    assert (listed[0].date, listed[0].author, listed[0].related_to) == ("2025-01-14", None, None)
    store.put_annotation(make_note("keep", listed[2].id))
    store.remove_document("b.txt")
    assert "b.txt" not in store.file_records()
    assert [s.path for s in store.list_articles()] == ["a.txt", "a.txt", "c/d.txt", "c/d.txt"]
    assert store.get_article(listed[2].id) is None
    assert store.annotation_counts() == {listed[2].id: 1}
    store.remove_document("never-there.txt")  # no error


def test_list_articles_merges_tags_counts_and_reading_state(store: Store) -> None:
    arts = [make_article("a.txt", i) for i in range(2)]
    arts[1].author, arts[1].related_to = "Michael Foust", arts[0].id
    store.save_document(make_record("a.txt", arts), arts)
    store.set_article_tags(arts[0].id, ["Iran", "#russia", "iran", " "])
    store.put_annotation(make_note("n1", arts[0].id))
    store.put_annotation(make_note("n2", arts[0].id, start=5, deleted="2025-01-15T00:00:00+00:00"))
    store.put_state(ReadingState(arts[0].id, position=10, progress=0.25, read=True))
    first, second = store.list_articles()
    assert first.tags == ["iran", "russia"]
    assert first.annotation_count == 1
    assert (first.read, first.progress) == (True, 0.25)
    assert (second.tags, second.annotation_count, second.read) == ([], 0, False)
    assert (second.author, second.related_to) == ("Michael Foust", arts[0].id)
    first.tags.append("mutated")  # callers may mutate what they get: the store is unaffected
    assert store.list_articles()[0].tags == ["iran", "russia"]


def test_put_annotation_inserts_replaces_and_sorts(store: Store) -> None:
    store.put_annotation(make_note("late", "art", start=20))
    store.put_annotation(make_note("early", "art", start=2, note="first"))
    store.put_annotation(make_note("early", "art", start=2, note="edited", tags=["x"]))
    notes = store.annotations_for("art")
    assert [n.id for n in notes] == ["early", "late"]
    assert notes[0].note == "edited" and notes[0].tags == ["x"]
    got = store.get_annotation("early")
    assert got == notes[0]
    assert store.get_annotation("nope") is None
    assert store.annotations_for("other") == []


def test_soft_deleted_notes_are_hidden_unless_asked(store: Store) -> None:
    store.put_annotation(make_note("a", "art"))
    store.put_annotation(make_note("b", "art", start=3, deleted="2025-01-15T00:00:00+00:00"))
    assert [n.id for n in store.annotations_for("art")] == ["a"]
    assert [n.id for n in store.annotations_for("art", include_deleted=True)] == ["a", "b"]
    assert [n.id for n in store.all_annotations()] == ["a"]
    assert len(store.all_annotations(include_deleted=True)) == 2
    assert store.annotation_counts() == {"art": 1}


def test_put_annotations_bulk_last_version_wins(store: Store) -> None:
    notes = [make_note(f"n{i}", f"art{i % 3}", start=i) for i in range(30)]
    notes.append(make_note("n0", "art0", start=0, note="second version"))
    store.put_annotations(notes)
    assert store.annotation_counts() == {"art0": 10, "art1": 10, "art2": 10}
    assert store.get_annotation("n0").note == "second version"  # type: ignore[union-attr]
    assert [n.id for n in store.all_annotations()][:3] == ["n0", "n3", "n6"]
    store.put_annotations([])


def test_moving_an_annotation_to_another_article(store: Store) -> None:
    store.put_annotation(make_note("n", "one", tags=["t"]))
    store.put_annotation(make_note("n", "two", tags=["t"]))
    assert store.annotations_for("one") == []
    assert [n.article_id for n in store.all_annotations()] == ["two"]
    assert store.annotation_counts() == {"two": 1}
    assert store.all_tags() == {"t": 1}


def test_purge_annotation(store: Store) -> None:
    store.put_annotation(make_note("a", "art", tags=["x"]))
    store.put_annotation(make_note("b", "art", start=4))
    store.purge_annotation("a")
    store.purge_annotation("unknown")
    assert store.get_annotation("a") is None
    assert [n.id for n in store.annotations_for("art", include_deleted=True)] == ["b"]
    assert store.annotation_counts() == {"art": 1}
    assert store.all_tags() == {}


def test_all_tags_counts_articles_and_live_annotations(store: Store) -> None:
    store.set_article_tags("a1", ["iran", "russia"])
    store.set_article_tags("a2", ["iran"])
    store.put_annotation(make_note("n1", "a1", tags=["iran", "quote"]))
    store.put_annotation(make_note("n2", "a3", tags=["quote"]))
    store.put_annotation(make_note("n3", "a3", tags=["gone"], deleted="2025-01-15T00:00:00+00:00"))
    assert store.all_tags() == {"iran": 3, "quote": 2, "russia": 1}
    store.set_article_tags("a1", [])
    assert store.all_tags() == {"iran": 2, "quote": 2}


def test_texts_are_content_addressed(store: Store) -> None:
    digest = store.put_text("Some article text — with ünïcode")
    assert digest == text_hash("Some article text — with ünïcode")
    assert store.put_text("Some article text — with ünïcode") == digest
    assert store.get_text(digest) == "Some article text — with ünïcode"
    assert store.get_text("0" * 24) is None


def test_reading_state(store: Store) -> None:
    assert store.get_state("art") == ReadingState("art")
    state = ReadingState("art", position=42, progress=0.5, opened="2025-01-14T10:00:00+00:00")
    store.put_state(state)
    assert store.get_state("art") == state
    store.set_article_tags("art", ["x"])  # shares the record: must not clobber the state
    assert store.get_state("art") == state


def test_meta_values_are_json(store: Store) -> None:
    assert store.get_meta("missing") is None
    assert store.get_meta("missing", 5) == 5
    store.set_meta("labels", {"yellow": "highlight", "green": "key idea"})
    store.set_meta("last", "abc")
    store.set_meta("last", None)
    assert store.get_meta("labels") == {"yellow": "highlight", "green": "key idea"}
    assert store.get_meta("last", "default") is None


def _push(store: Store, entry: dict, stack: str = "undo", clear_redo_of: str = "") -> None:
    with store.edit() as edit:
        edit.push(entry, stack, clear_redo_of=clear_redo_of)


def _take(store: Store, stack: str = "undo", owner: str | None = None) -> dict | None:
    with store.edit() as edit:
        return edit.take(stack, lambda e: owner is None or e.get("owner") == owner)


def test_journal_stacks_take_the_newest_entry_a_caller_wants(store: Store) -> None:
    assert _take(store) is None and _take(store, "redo") is None
    for n in range(3):
        _push(store, {"owner": "a" if n != 1 else "b", "n": n})
    assert _take(store, owner="a") == {"owner": "a", "n": 2}
    assert _take(store, owner="a") == {"owner": "a", "n": 0}  # b's entry stays
    assert _take(store, owner="a") is None
    _push(store, {"owner": "a", "n": 7}, "redo")
    _push(store, {"owner": "b", "n": 8}, "redo")
    _push(store, {"owner": "a", "n": 9}, clear_redo_of="a")  # a's new change drops a's redo
    assert store.journal()["redo"] == [{"owner": "b", "n": 8}]
    assert [e["n"] for e in store.journal()["undo"]] == [1, 9]


def test_journal_survives_reopen_and_is_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.store import editing

    monkeypatch.setattr(editing, "JOURNAL_CAP", 20)  # the real cap is 500: same code path
    store = Store(tmp_path / "s")
    for n in range(25):
        _push(store, {"n": n})
    again = Store(tmp_path / "s")
    popped = []
    while (entry := _take(again)) is not None:
        popped.append(entry["n"])
    assert popped == list(range(24, 4, -1))


def test_unserialisable_value_is_refused_without_damage(store: Store) -> None:
    store.set_meta("k", 1)
    with pytest.raises(TypeError):
        store.set_meta("k", object())
    assert store.get_meta("k") == 1


def test_everything_survives_reopening(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    arts = [make_article("a.txt", 0)]
    store.save_document(make_record("a.txt", arts), arts)
    store.put_annotation(make_note("n", arts[0].id, tags=["t"]))
    store.set_article_tags(arts[0].id, ["u"])
    store.set_meta("k", [1])
    again = Store(tmp_path / "s")
    assert again.get_article(arts[0].id) == arts[0]
    assert again.annotations_for(arts[0].id) == store.annotations_for(arts[0].id)
    assert again.all_tags() == {"t": 1, "u": 1}
    assert again.get_meta("k") == [1]


def test_other_handle_sees_writes_of_another(tmp_path: Path) -> None:
    reader_handle = Store(tmp_path / "s")
    assert reader_handle.annotation_counts() == {}
    writer = Store(tmp_path / "s")
    writer.put_annotation(make_note("n", "art"))
    assert reader_handle.annotation_counts() == {"art": 1}
    assert reader_handle.get_annotation("n") is not None


def test_files_are_sorted_diffable_json_one_record_per_line(store: Store) -> None:
    store.put_annotation(make_note("n1", "art", note="ünïcode “quotes”"))
    store.put_annotation(make_note("n2", "art", start=3))
    text = (store.root / "annotations" / "art.json").read_text(encoding="utf-8")
    assert "ünïcode “quotes”" in text  # not \\u-escaped
    lines = text.splitlines()
    assert lines[0] == "{" and lines[1] == '"annotations": {' and lines[-1] == "}"
    records = [line for line in lines if '"id":' in line]
    assert len(records) == 2
    for line in records:
        keys = list(json.loads(line.split(": ", 1)[1].rstrip(",")))
        assert keys == sorted(keys)


def test_values_the_fast_encoder_handles_differently_read_back(store: Store) -> None:
    # an integer past 64 bits (an imported file can hold one) and a progress that is not a
    # number (JSON has no NaN: it is written as null, and read as no progress)
    store.put_annotation(make_note("huge", "art", start=2**70))
    store.put_state(ReadingState("art", position=3, progress=float("nan"), read=True))
    reopened = Store(store.root)
    huge = reopened.get_annotation("huge")
    assert huge is not None and huge.start == 2**70
    assert reopened.get_state("art") == ReadingState("art", position=3, progress=0.0, read=True)


def test_corrupt_file_raises_and_is_never_overwritten(store: Store) -> None:
    store.put_annotation(make_note("n1", "art"))
    shard = store.root / "annotations" / "art.json"
    shard.write_text('{"annotations": {"1": {"id": "n1", ')
    with pytest.raises(StoreCorrupt) as info:
        store.annotations_for("art")
    message = str(info.value)
    assert "art.json" in message and "reader restore" in message and "\n" not in message
    with pytest.raises(StoreCorrupt):
        store.put_annotation(make_note("n2", "art"))
    assert shard.read_text() == '{"annotations": {"1": {"id": "n1", '


def test_corrupt_meta_stops_opening(tmp_path: Path) -> None:
    Store(tmp_path / "s").set_meta("k", 1)
    (tmp_path / "s" / "meta.json").write_text("[1, 2]")
    with pytest.raises(StoreCorrupt, match=r"meta\.json"):
        Store(tmp_path / "s")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store(tmp_path / "s")
    meta = tmp_path / "s" / "meta.json"
    meta.write_text(meta.read_text().replace('"value":3', '"value":4'))
    with pytest.raises(StoreError, match="newer"):
        Store(tmp_path / "s")


def test_file_record_round_trip() -> None:
    record = FileRecord("x/y.txt", 5, 7, "abc", ["a", "b"])
    assert FileRecord.from_dict(record.to_dict()) == record


def test_the_models_fast_to_dict_equals_dataclasses_asdict() -> None:
    from dataclasses import asdict

    article = make_article("a.txt", 0)
    article.embeds = [Embed(kind="tweet", text="hi", author="A", handle="@a", url="u", date="d")]
    article.boilerplate = ["Leave A Comment"]
    note = make_note("n", "art", tags=["x"], original_quote="old", text_hash="abc")
    state = ReadingState("art", 3, 0.5, True, "2025-01-14T10:00:00+00:00")
    for obj in (article, note, state, make_record("a.txt", [article])):
        assert obj.to_dict() == asdict(obj)
    data = note.to_dict()
    data["tags"].append("y")  # a copy: the stored dict never aliases the model's lists
    assert note.tags == ["x"]


def test_touch_documents_updates_records_only(store: Store) -> None:
    arts = [make_article("a.txt", 0)]
    store.save_document(make_record("a.txt", arts), arts)
    store.touch_document(FileRecord("a.txt", 5, 99, "sha", [arts[0].id]))
    store.touch_documents([])
    assert store.file_records()["a.txt"] == FileRecord("a.txt", 5, 99, "sha", [arts[0].id])
    assert store.get_article(arts[0].id) == arts[0]
    assert [s.id for s in store.list_articles()] == [arts[0].id]


def test_the_c_encoder_writes_what_the_public_json_encoder_writes() -> None:
    import json

    from reader.store.storage import _encode

    record = {"b": [1, 2.5, None, True], "a": "é “quoted” \n\t\u0000", "c": {"z": {}, "y": []}}
    assert _encode(record) == json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode(record)
