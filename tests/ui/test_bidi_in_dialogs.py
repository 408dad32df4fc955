"""Tags and notes are data in every dialog: a bidi override in one (U+202E, stored by the
command line or another tool) shows as ``<U+202E>`` and never reorders the row, and an
escape sequence never reaches the terminal.

The sidebar and the article list did this already; the tag picker (T), the tag view (#),
the annotations view (A) and the daily review (V) drew tags and notes live.
"""

from __future__ import annotations

from textual.content import Content

from reader.core.models import Annotation, ArticleSummary
from reader.service.review import ReviewCard
from reader.ui.screens.annotations import library_row
from reader.ui.screens.picker import choice_row
from reader.ui.screens.review import card_content
from reader.ui.screens.tags import tag_row

RLO = "\u202e"
LIVE = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")


def shown(content: Content) -> str:
    return content.plain


def assert_nothing_live(text: str) -> None:
    assert not any(mark in text for mark in LIVE), repr(text)
    assert "\x1b" not in text, repr(text)


def hostile_annotation() -> Annotation:
    return Annotation(
        id="a1",
        article_id="x",
        quote="a quote",
        start=0,
        end=7,
        note=f"see {RLO}cba and \x1b[31mred\x1b[0m",
        tags=[f"{RLO}rtl", "plain"],
    )


def test_the_tag_picker_shows_a_bidi_override_in_a_tag_as_its_code_point() -> None:
    row = shown(choice_row(f"#{RLO}rtl", f"1 highlight{RLO}"))
    assert_nothing_live(row)
    assert "#<U+202E>rtl" in row


def test_the_tag_view_shows_a_bidi_override_in_a_tag_as_its_code_point() -> None:
    row = shown(tag_row(f"{RLO}rtl", 0, 1))
    assert_nothing_live(row)
    assert row.startswith("#<U+202E>rtl")


def test_the_annotations_view_shows_tags_with_nothing_live() -> None:
    summary = ArticleSummary(id="x", title="Title")
    row = shown(library_row(hostile_annotation(), summary, {}))
    assert_nothing_live(row)
    assert "#<U+202E>rtl #plain" in row


def test_the_daily_review_card_shows_note_tags_and_article_with_nothing_live() -> None:
    card = ReviewCard(
        annotation=hostile_annotation(),
        title=f"Title {RLO}eltit",
        source=f"Source{RLO}",
        author="\x1b]52;c;ZXZpbA==\x07Author",
        before=f"Before {RLO}.",
        after="After.",
    )
    text = shown(card_content(card))
    assert_nothing_live(text)
    assert "note: see <U+202E>cba and red" in text
    assert "#<U+202E>rtl #plain" in text
    assert "Title <U+202E>eltit" in text


def test_the_article_list_shows_a_bidi_override_in_an_article_tag_as_its_code_point() -> None:
    from reader.ui.widgets.article_rows import article_row

    summary = ArticleSummary(id="x", title="Title", tags=[f"{RLO}rtl", "plain"])
    row = shown(article_row(summary))
    assert_nothing_live(row)
    assert "#<U+202E>rtl #plain" in row
