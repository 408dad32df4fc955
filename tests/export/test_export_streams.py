"""The JSON and W3C exports written piece by piece are the documents built whole."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.models import COLORS, Annotation, ArticleSummary
from reader.export.jsonfmt import export_json
from reader.export.streams import json_chunks, json_document, w3c_chunks
from reader.export.w3c import to_w3c
from tests.export.w3c_suite import SUITE, failures

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)

annotations = st.lists(
    st.builds(
        Annotation,
        id=st.from_regex(r"[a-f0-9]{4,12}", fullmatch=True),
        article_id=st.sampled_from(["art1", "art2", "art3"]),
        quote=_text.filter(str.strip),
        start=st.integers(0, 1000),
        end=st.integers(1000, 2000),
        note=_text,
        tags=st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), max_size=3),
        color=st.sampled_from(COLORS),
        deleted=st.sampled_from([None, None, "2025-01-01T00:00:00+00:00"]),
    ),
    max_size=12,
)


@settings(max_examples=30, deadline=None)
@given(annotations)
def test_json_stream_is_the_whole_export_one_record_per_line(notes: list[Annotation]) -> None:
    titles = {"art1": "First « one »", "art2": "Second\nline"}
    articles = [{"id": "art1", "title": "First", "tags": ["x"]}]
    whole = export_json(notes, titles, articles)
    text = json_document(whole)
    assert json.loads(text) == whole
    # each record on a line of its own, the rest on lines of their own
    assert text.count("\n") == len(notes) + len(articles) + 5 + bool(notes) + bool(articles)
    assert "".join(json_chunks(whole["annotations"], lambda: articles)) == text


@settings(max_examples=30, deadline=None)
@given(annotations, st.booleans())
def test_w3c_stream_parses_to_the_collection_built_whole(
    notes: list[Annotation], with_article: bool
) -> None:
    article = ArticleSummary(id="art1", title="One", tags=["weekly"], note="about it")
    whole = to_w3c(notes, {"art1": article}, whole_articles=[article] if with_article else [])
    items = whole["first"]["items"] if "first" in whole else []
    text = "".join(w3c_chunks(items))
    assert json.loads(text) == whole
    if SUITE.is_dir():
        collection = json.loads(text)
        assert failures("collections/collectionMusts.test", collection) == []
        if items:
            assert failures("collections/pages/pageMusts.test", collection) == []
