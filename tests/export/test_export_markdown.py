"""Markdown export: layout, escaping, and re-export that keeps the user's own text."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.models import DEFAULT_COLOR_LABELS, Annotation, Article, ArticleSummary
from reader.export.markdown import merge_into, render_article, render_library, stable_filename

ARTICLE = Article(
    id="3fa2b1c0aa11",
    title="Iran–Russia strategic pact",
    paragraphs=["First paragraph.", "Second paragraph."],
    date="2025-01-17",
    source="The Algemeiner",
    author="Jane Doe",
)
LABELS = DEFAULT_COLOR_LABELS


def _ann(ident: str, start: int, **kw: object) -> Annotation:
    fields: dict = {
        "quote": f"quote {ident}",
        "end": start + 5,
        "created": f"2025-01-0{start % 9 + 1}",
    }
    fields.update(kw)
    return Annotation(id=ident, article_id=ARTICLE.id, start=start, **fields)


def _front_matter(text: str) -> dict[str, object]:
    lines = text.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    return {k: json.loads(v) for k, v in (line.split(": ", 1) for line in lines[1:end])}


def test_front_matter_header_and_markers() -> None:
    text = render_article(ARTICLE, [_ann("a", 3)], LABELS)
    meta = _front_matter(text)
    assert meta == {
        "title": ARTICLE.title,
        "source": "The Algemeiner",
        "date": "2025-01-17",
        "author": "Jane Doe",
        "tags": [],
        "reader_id": ARTICLE.id,
    }
    assert "\n# Iran–Russia strategic pact\n" in text
    assert "The Algemeiner · Jane Doe · 2025-01-17" in text
    assert f"<!-- reader:begin article {ARTICLE.id} -->" in text
    assert text.rstrip().endswith("<!-- reader:end article -->")
    assert "<!-- reader:annotation a -->\n> quote a\n" in text and "<!-- reader:end a -->" in text


def test_summary_tags_in_front_matter() -> None:
    summary = ArticleSummary(id="s1", title='He said "no"', tags=["iran", "treaty"])
    meta = _front_matter(render_article(summary, [], LABELS))
    assert meta["title"] == 'He said "no"' and meta["tags"] == ["iran", "treaty"]


def test_highlights_in_reading_order_with_note_tags_and_label() -> None:
    late = _ann("late", 50, note="why?", tags=["treaty"], color="blue")
    early = _ann("early", 2)
    text = render_article(ARTICLE, [late, early], LABELS)
    assert text.index("reader:annotation early") < text.index("reader:annotation late")
    block = text[text.index("reader:annotation late") : text.index("reader:end late")]
    assert "\nwhy?\n" in block and "#treaty" in block and "*question* (blue)" in block


def test_orphans_and_trash() -> None:
    orphan = _ann("lost", 0, status="orphaned")
    trashed = _ann("bin", 9, deleted="2025-01-01T00:00:00+00:00")
    text = render_article(ARTICLE, [orphan, trashed, _ann("ok", 1)], LABELS)
    assert "## Orphaned highlights" in text
    assert text.index("Orphaned highlights") < text.index("reader:annotation lost")
    assert text.index("reader:annotation ok") < text.index("Orphaned highlights")
    assert "reader:annotation bin" not in text
    assert "Orphaned" not in render_article(ARTICLE, [_ann("ok", 1)], LABELS)


def test_multiline_quote_is_one_block_quote_and_misreadings_are_escaped() -> None:
    quote = "# not a heading\n\n1. not a list\n- nor this\n> nor a quote\nplain *text*"
    text = render_article(ARTICLE, [_ann("m", 0, quote=quote)], LABELS)
    block = text[text.index("reader:annotation m -->") :].split("\n")[1:7]
    assert block == [
        "> \\# not a heading",
        ">",
        "> 1\\. not a list",
        "> \\- nor this",
        "> \\> nor a quote",
        "> plain *text*",
    ]


def test_a_note_cannot_forge_our_markers() -> None:
    note = "text\n<!-- reader:end n -->\nmore"
    text = render_article(ARTICLE, [_ann("n", 0, note=note)], LABELS)
    again = merge_into(text, ARTICLE, [_ann("n", 0, note=note)], LABELS)
    assert again == text and again.count("more") == 1


def test_stable_filename() -> None:
    assert stable_filename(ARTICLE) == "iran-russia-strategic-pact-3fa2b1c0.md"
    assert stable_filename(ArticleSummary(id="ab/cd", title="Ελληνικά")) == "article-abcd.md"
    long = ArticleSummary(id="1234567890", title="word " * 40)
    name = stable_filename(long)
    assert len(name) <= 72 and name.endswith("-12345678.md")
    assert stable_filename(long) == name


def test_merge_keeps_user_text_updates_blocks_adds_and_removes() -> None:
    a, b, c = _ann("a", 1), _ann("b", 20), _ann("c", 40)
    text = render_article(ARTICLE, [a, b, c], LABELS)
    text = text.replace("<!-- reader:end a -->\n", "<!-- reader:end a -->\nMy thoughts on A.\n")
    text += "\n## My summary\nIt matters.\n"
    new_b = _ann("b", 20, note="added a note")
    d = _ann("d", 30)
    merged = merge_into(text, ARTICLE, [a, new_b, d], LABELS)
    assert merged.count("My thoughts on A.") == 1 and merged.count("It matters.") == 1
    assert "added a note" in merged
    assert "reader:annotation c" not in merged
    order = [m.group(1) for m in re.finditer(r"reader:annotation (\w+)", merged)]
    assert order == ["a", "b", "d"]
    assert merge_into(merged, ARTICLE, [a, new_b, d], LABELS) == merged


def test_a_block_whose_end_marker_was_deleted_never_swallows_user_text() -> None:
    a, b = _ann("a", 1), _ann("b", 20)
    text = render_article(ARTICLE, [a, b], LABELS)
    text = text.replace("<!-- reader:end a -->\n", "Notes the user wrote.\n")
    once = merge_into(text, ARTICLE, [a, b], LABELS)
    twice = merge_into(once, ARTICLE, [a, b], LABELS)
    assert twice == once and once.count("Notes the user wrote.") == 1
    assert once.count("<!-- reader:end a -->") == 1


def test_merge_into_a_file_without_our_region_appends() -> None:
    mine = "# My notes\n\nSomething I wrote.\n"
    merged = merge_into(mine, ARTICLE, [_ann("a", 1)], LABELS)
    assert merged.startswith(mine) and "reader:annotation a" in merged
    assert merge_into(merged, ARTICLE, [_ann("a", 1)], LABELS) == merged
    assert merge_into("", ARTICLE, [], LABELS) == render_article(ARTICLE, [], LABELS)


def test_merge_keeps_users_front_matter_keys_and_updates_ours() -> None:
    text = render_article(ARTICLE, [], LABELS).replace(
        "---\n\n", "rating: 5\naliases:\n  - pact\n---\n\n", 1
    )
    renamed = Article(**{**ARTICLE.to_dict(), "title": "Renamed", "embeds": []})
    merged = merge_into(text, renamed, [], LABELS)
    assert "rating: 5\naliases:\n  - pact\n" in merged
    assert 'title: "Renamed"' in merged and "# Renamed" in merged
    assert merged.count("title:") == 1


def test_orphaned_section_appears_and_goes() -> None:
    text = render_article(ARTICLE, [_ann("a", 1)], LABELS)
    with_orphan = merge_into(text, ARTICLE, [_ann("a", 1), _ann("o", 0, status="orphaned")], LABELS)
    assert with_orphan.index("Orphaned highlights") < with_orphan.index("reader:annotation o")
    assert with_orphan.index("reader:annotation a") < with_orphan.index("Orphaned highlights")
    without = merge_into(with_orphan, ARTICLE, [_ann("a", 1)], LABELS)
    assert "Orphaned" not in without and "reader:annotation o" not in without


def test_render_library_has_one_region_per_article() -> None:
    other = ArticleSummary(id="zz99", title="Other")
    text = render_library([(ARTICLE, [_ann("a", 1)]), (other, [])], LABELS)
    assert text.count("<!-- reader:begin article") == 2
    assert "\n## Iran–Russia strategic pact\n" in text and "\n## Other\n" in text


# --- properties ------------------------------------------------------------------------

_ids = st.lists(st.from_regex(r"[a-f0-9]{6}", fullmatch=True), min_size=0, max_size=6, unique=True)
_user_line = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=0, max_size=30
)


def _annotations(ids: list[str], data: st.DataObject, label: str) -> list[Annotation]:
    out = []
    for ident in ids:
        out.append(
            _ann(
                ident,
                data.draw(st.integers(0, 200), label=f"{label} start"),
                note=data.draw(st.sampled_from(["", "a note", "two\nlines"]), label="note"),
                status=data.draw(st.sampled_from(["anchored", "anchored", "orphaned"])),
            )
        )
    return out


def _safe_positions(text: str) -> list[int]:
    """Line indexes where a user could type: after the front matter, outside our blocks."""
    lines = text.split("\n")
    depth, positions = 0, []
    front_end = lines.index("---", 1) + 1
    for index, line in enumerate(lines):
        if index > front_end and depth == 0:
            positions.append(index)
        if re.match(r"^<!-- reader:(annotation|block) ", line):
            depth += 1
        elif re.match(r"^<!-- reader:end (?!article)", line):
            depth -= 1
    return positions


@settings(max_examples=80, deadline=None)
@given(first=_ids, second=_ids, data=st.data())
def test_user_text_survives_two_reexports_and_merge_is_idempotent(
    first: list[str], second: list[str], data: st.DataObject
) -> None:
    initial = _annotations(first, data, "first")
    text = render_article(ARTICLE, initial, LABELS)
    lines = text.split("\n")
    positions = _safe_positions(text)
    user_lines = data.draw(st.lists(_user_line, max_size=5), label="user lines")
    inserted = []
    for number, content in enumerate(user_lines):
        at = data.draw(st.sampled_from(positions), label="position")
        marker = f"USER{number}: {content}"
        lines.insert(at, marker)
        inserted.append(marker)
        positions = [p + 1 if p >= at else p for p in positions]
    edited = "\n".join(lines)

    kept = [a for a in initial if data.draw(st.booleans(), label="keep")]
    changed = kept + _annotations([i for i in second if i not in first], data, "second")
    once = merge_into(edited, ARTICLE, changed, LABELS)
    assert merge_into(once, ARTICLE, changed, LABELS) == once
    twice = merge_into(once, ARTICLE, initial, LABELS)
    assert merge_into(twice, ARTICLE, initial, LABELS) == twice
    for result in (once, twice):
        result_lines = result.split("\n")
        for marker in inserted:
            assert result_lines.count(marker) == 1, marker
    for annotation in changed:
        assert once.count(f"<!-- reader:annotation {annotation.id} -->") == 1
    removed = {a.id for a in initial} - {a.id for a in changed}
    for ident in removed:
        assert f"reader:annotation {ident} " not in once


def test_a_highlight_that_loses_or_finds_its_passage_moves_section() -> None:
    a, b, c = _ann("a", 1), _ann("b", 20), _ann("c", 40)
    text = render_article(ARTICLE, [a, b, c], LABELS)
    text = text.replace("<!-- reader:end b -->\n", "<!-- reader:end b -->\nMy line after B.\n")

    def order(merged: str) -> list[str]:
        return [m.group(1) for m in re.finditer(r"reader:annotation (\w+)", merged)]

    lost = _ann("b", 20, status="orphaned")
    orphaned = merge_into(text, ARTICLE, [a, lost, c], LABELS)
    assert order(orphaned) == ["a", "c", "b"]
    assert orphaned.index("Orphaned highlights") < orphaned.index("reader:annotation b")
    assert "orphaned: not found" in orphaned
    found = merge_into(orphaned, ARTICLE, [a, b, c], LABELS)
    assert order(found) == ["a", "b", "c"] and "Orphaned" not in found
    for merged in (orphaned, found):  # the user's line stays where they wrote it
        assert merged.count("My line after B.") == 1
        assert merged.index("reader:annotation a") < merged.index("My line after B.")
    assert merge_into(found, ARTICLE, [a, b, c], LABELS) == found
