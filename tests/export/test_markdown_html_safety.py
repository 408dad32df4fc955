"""The Markdown export holds no live HTML from documents, notes or ids (issue 14).

markdown-it-py (a CommonMark renderer) is the oracle: the only raw HTML it finds in an export
is reader's own block markers.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reader.core.models import DEFAULT_COLOR_LABELS, Annotation, Article
from reader.export.markdown import merge_into, render_article, render_library

MARKER = re.compile(r"<!-- reader:(?:begin article|annotation|block|end) [A-Za-z0-9_ -]+ -->\n?")
HOSTILE_ID = "x -->\n<img src=y onerror=alert(4)>\n<!-- y"
ARTICLE = Article(
    id="3fa2b1c0aa11",
    title="Title <img src=x onerror=alert(1)> & co",
    paragraphs=["First <script>alert(2)</script> paragraph."],
    source="<b>Source</b>",
    author="A <i>uthor",
)


def _ann(ident: str, **fields: object) -> Annotation:
    base: dict = {"quote": "q", "start": 0, "end": 1, "created": "2025-01-01"}
    base.update(fields)
    return Annotation(id=ident, article_id=ARTICLE.id, **base)


def _raw_html(markdown: str) -> list[str]:
    """Every piece of raw HTML CommonMark finds in ``markdown`` (ours left out)."""
    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for item in [token, *(token.children or [])]:
            if item.type in ("html_block", "html_inline"):
                left = MARKER.sub("", item.content).strip()
                if left:
                    found.append(left)
    return found


def test_hostile_quote_note_title_and_id_give_no_live_html() -> None:
    annotations = [
        _ann(
            "a1",
            quote="mid-line <img src=x onerror=alert(1)> and <!-- a comment -->",
            note=(
                "**kept** <b>not bold</b> `<code>` <https://example.org>\x1b]0;title\x07\x9b2J\n"
                "<div onclick=alert(3)>\n\n<!-- reader:end a1 -->\n```\n<pre>fenced</pre>\n```"
            ),
        ),
        _ann(HOSTILE_ID, quote="second", start=3, end=9),
    ]
    text = render_article(ARTICLE, annotations, DEFAULT_COLOR_LABELS)
    assert _raw_html(text) == []
    html = MarkdownIt("commonmark").render(text)
    for live in ("<img", "<script", "<b>", "<i>", "<div", "onerror=alert(4)"):
        assert live not in html
    assert "<strong>kept</strong>" in html  # the note's Markdown is kept
    assert "<code>&lt;code&gt;</code>" in html
    assert '<a href="https://example.org">' in html
    assert "&lt;pre&gt;fenced" in html  # a fenced block shows its text as code
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text) is None  # no escape bytes
    assert _raw_html(render_library([(ARTICLE, annotations)], DEFAULT_COLOR_LABELS)) == []


def test_an_id_that_is_not_safe_keeps_one_block_over_reexports() -> None:
    annotations = [_ann("a b", quote="one"), _ann(HOSTILE_ID, quote="two", start=4, end=7)]
    text = render_article(ARTICLE, annotations, DEFAULT_COLOR_LABELS)
    for _ in range(3):
        text = merge_into(text, ARTICLE, annotations, DEFAULT_COLOR_LABELS)
    assert text.count("> one") == 1 and text.count("> two") == 1
    assert "a b" not in text and "img" not in text.split("---", 2)[2].replace("&lt;img", "")


_MARKUPISH = st.text(alphabet="<>/!-=\"' `*_[]()abi:\n&#", max_size=60)


@settings(max_examples=200, deadline=None)
@given(quote=_MARKUPISH, note=_MARKUPISH, title=_MARKUPISH)
def test_no_text_ever_turns_into_html(quote: str, note: str, title: str) -> None:
    article = Article(id="a1", title=title, paragraphs=[quote])
    text = render_article(article, [_ann("h1", quote=quote or "q", note=note)], {})
    assert _raw_html(text) == []
