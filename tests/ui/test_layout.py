"""The reading pane's layout: wrapping, roles and the offset <-> line mapping."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.core.models import Article, Embed
from reader.ui.layout import (
    CAPTION_PREFIX,
    EMBED_PREFIX,
    MAX_MEASURE,
    WORD_RE,
    Layout,
    Line,
    display_text,
    layout_article,
    wrap_by_cells,
    wrap_ranges,
)


def make_article(paragraphs: list[str], **fields: object) -> Article:
    return Article(
        id="a1", title=str(fields.pop("title", "Title")), paragraphs=paragraphs, **fields
    )  # type: ignore[arg-type]


def body_text(layout: Layout) -> list[str]:
    return [line.text for line in layout.lines if line.is_body]


# text mixing ASCII words, wide CJK, accents, tabs, newlines, no-break spaces and controls
TEXT_ALPHABET = st.sampled_from(
    [
        *list("abcdefghij ABC.,;!?-"),
        "  ",
        "\t",
        "\n",
        "\xa0",
        "中",
        "文",
        "é",
        "e\u0301",
        "\x1b",
        "\u3000",
        "\U0001f600",
        "ｗ",
    ]
)
paragraph_text = st.lists(TEXT_ALPHABET, max_size=120).map("".join)


def test_sections_come_in_reading_order_with_roles() -> None:
    article = make_article(
        ["First paragraph.", "Second paragraph."],
        title="A headline",
        source="The Source",
        date="2025-01-14",
        author="Jane Roe",
        caption="A photo caption",
        summary="The summary.",
        embeds=[Embed(kind="tweet", text="Tweet text", author="Someone", handle="@some")],
    )
    layout = layout_article(article, 100)
    roles = [line.role for line in layout.lines]
    assert roles == [
        "title",
        "meta",
        "blank",
        "caption",
        "blank",
        "summary",
        "blank",
        "body",
        "blank",
        "body",
        "blank",
        "embed",
        "embed",
    ]
    texts = [line.text for line in layout.lines]
    assert texts[1] == "The Source · 2025-01-14 · Jane Roe"
    assert layout.lines[3].prefix == CAPTION_PREFIX
    assert layout.lines[11].prefix == EMBED_PREFIX
    assert texts[12] == "— Someone (@some)"


def test_metadata_line_is_left_out_when_nothing_is_known() -> None:
    layout = layout_article(make_article(["Body."]), 60)
    assert [line.role for line in layout.lines] == ["title", "blank", "body"]


def test_body_wraps_at_the_comfortable_measure_in_a_wide_pane() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    layout = layout_article(make_article([words]), 200)
    assert layout.measure == MAX_MEASURE
    widths = [cell_len(text) for text in body_text(layout)]
    assert max(widths) <= MAX_MEASURE
    assert max(widths) > MAX_MEASURE - 8  # the lines are actually filled


def test_body_wraps_at_the_pane_width_when_narrower() -> None:
    layout = layout_article(make_article(["aaa bbb ccc ddd eee fff"]), 8)
    assert body_text(layout) == ["aaa bbb", "ccc ddd", "eee fff"]


def test_body_line_ranges_point_into_the_article_text() -> None:
    article = make_article(["One two three.", "Four five six seven."])
    layout = layout_article(article, 10)
    for line in layout.lines:
        if line.is_body:
            assert article.text[line.start : line.end] == line.text


def test_wide_characters_take_two_cells() -> None:
    layout = layout_article(make_article(["中文中文中文 中文中文"]), 12)
    assert body_text(layout) == ["中文中文中文", "中文中文"]
    assert all(cell_len(text) <= 12 for text in body_text(layout))


def test_long_words_are_hard_broken() -> None:
    layout = layout_article(make_article(["x" * 25]), 10)
    assert body_text(layout) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_no_break_space_does_not_break_a_line() -> None:
    layout = layout_article(make_article(["aaaa 10\u00a0km"]), 6)
    assert body_text(layout) == ["aaaa", "10\u00a0km"]


def test_control_characters_are_shown_as_pictures_and_keep_offsets() -> None:
    article = make_article(["red \x1b[31mtext\x1b[0m done"])
    layout = layout_article(article, 80)
    (line,) = [line for line in layout.lines if line.is_body]
    assert "\x1b" not in line.text
    assert "␛[31m" in line.text
    assert len(line.text) == line.end - line.start


def test_empty_paragraph_still_has_a_line() -> None:
    article = make_article(["One.", "", "Three."])
    layout = layout_article(article, 40)
    body = [line for line in layout.lines if line.is_body]
    assert [line.text for line in body] == ["One.", "", "Three."]
    assert layout.lines[layout.line_of(6)].paragraph == 1


def test_line_of_and_position_of() -> None:
    article = make_article(["aaa bbb ccc", "ddd"])
    layout = layout_article(article, 7)
    # "aaa bbb" / "ccc" / blank / "ddd"
    first = layout.line_of(0)
    assert layout.lines[first].text == "aaa bbb"
    assert layout.position_of(4) == (first, 4)
    assert layout.position_of(8) == (first + 1, 0)
    assert layout.line_of(7) == first  # the space at the break belongs to the line before
    assert layout.position_of(13) == (first + 3, 0)
    assert layout.lines[first].offset_at(5) == 5
    assert layout.lines[first].offset_at(99) == 7


def test_layout_without_paragraphs_has_no_body() -> None:
    layout = layout_article(make_article([]), 40)
    assert layout.line_of(10) == 0
    assert layout.body_lines_between(0, 5) == range(0)


def test_display_text_keeps_length() -> None:
    raw = "a\tb\x00c\x7f\u202e"
    assert len(display_text(raw)) == len(raw)
    assert display_text("plain text") == "plain text"


@settings(max_examples=300, deadline=None)
@given(paragraphs=st.lists(paragraph_text, max_size=6), width=st.integers(1, 120))
def test_body_lines_cover_every_non_space_character_once_in_order(
    paragraphs: list[str], width: int
) -> None:
    article = make_article(paragraphs)
    text = article.text
    layout = layout_article(article, width)
    ranges = [(line.start, line.end) for line in layout.lines if line.is_body]
    # ranges are disjoint and increasing
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert end <= start
    covered = "".join(text[start:end] for start, end in ranges)
    assert [ch for ch in covered if not ch.isspace()] == [ch for ch in text if not ch.isspace()]
    # every shown character maps back to the line showing it
    for offset in range(len(text)):
        line = layout.lines[layout.line_of(offset)]
        assert line.is_body
        if not text[offset].isspace():
            assert line.start <= offset < line.end


@settings(max_examples=300, deadline=None)
@given(text=paragraph_text, measure=st.integers(1, 40))
def test_lines_fit_the_measure_and_do_not_start_or_end_with_breakable_space(
    text: str, measure: int
) -> None:
    shown = display_text(text)
    for start, end in wrap_ranges(shown, measure):
        piece = shown[start:end]
        assert piece
        assert piece == piece.strip(" \u3000")
        # only a single character wider than the whole line may overflow it
        assert cell_len(piece) <= measure or end - start == 1 or "\ufe0f" in piece


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from([*list("ab c.\t\n"), "   ", "é"]), max_size=150).map("".join),
    measure=st.integers(1, 30),
)
def test_fast_wrap_of_single_cell_text_matches_the_general_wrap(text: str, measure: int) -> None:
    shown = display_text(text)
    assert list(wrap_ranges(shown, measure)) == list(wrap_by_cells(shown, measure))


@settings(max_examples=200, deadline=None)
@given(paragraphs=st.lists(paragraph_text, min_size=1, max_size=4), width=st.integers(4, 90))
def test_greedy_wrap_fills_lines(paragraphs: list[str], width: int) -> None:
    """No line could have taken the next line's first word (the wrap is greedy)."""
    layout = layout_article(make_article(paragraphs), width)
    text = make_article(paragraphs).text
    body = [line for line in layout.lines if line.is_body]
    for line, following in itertools.pairwise(body):
        if line.paragraph != following.paragraph or not following.text:
            continue
        next_word = WORD_RE.findall(following.text)[0]
        gap = cell_len(display_text(text[line.end : following.start]))
        assert cell_len(line.text) + gap + cell_len(next_word) > layout.measure or (
            # a hard-broken word continues on the next line without a gap
            line.end == following.start
        )


def reference_body(article: Article, measure: int) -> list[tuple[str, int, int, int] | None]:
    """Body lines (text, start, end, paragraph; None for a blank) by the general cell wrap."""
    lines: list[tuple[str, int, int, int] | None] = []
    base = 0
    for number, paragraph in enumerate(article.paragraphs):
        if number:
            lines.append(None)
        shown = display_text(paragraph)
        ranges = list(wrap_by_cells(shown, measure, base)) or [(base, base)]
        lines += [(shown[s - base : e - base], s, e, number) for s, e in ranges]
        base += len(paragraph) + 2
    return lines


# mostly plain text (the fast path), with now and then a character that is not plain
PLAIN_ALPHABET = st.sampled_from([*list("abcdefghij ABC.,;!?-"), "   ", "é", "“", "—"])
MIXED_PARAGRAPH = st.one_of(
    st.lists(PLAIN_ALPHABET, max_size=150).map("".join),
    paragraph_text,
    st.sampled_from(["", " ", "  ", "x" * 90, " lead and trail "]),
)


@settings(max_examples=300, deadline=None)
@given(paragraphs=st.lists(MIXED_PARAGRAPH, max_size=8), width=st.integers(1, 120))
def test_body_lines_match_the_general_wrap_paragraph_by_paragraph(
    paragraphs: list[str], width: int
) -> None:
    """Runs of plain paragraphs are laid out in one go; the lines must be the ones the
    general wrap gives each paragraph on its own, blank lines and offsets included."""
    article = make_article(paragraphs)
    layout = layout_article(article, width)
    start = layout.lines.index(Line("blank")) + 1  # after the title
    body = [
        (line.text, line.start, line.end, line.paragraph) if line.is_body else None
        for line in layout.lines[start:]
    ]
    assert body == reference_body(article, layout.measure)
    assert layout.body_index == [i for i, line in enumerate(layout.lines) if line.is_body]
    assert layout.body_starts == [layout.lines[i].start for i in layout.body_index]


def test_lines_compare_by_value_and_cannot_be_changed() -> None:
    line = Line("body", "text", "", 0, 4, 0)
    assert line == Line("body", "text", "", 0, 4, 0)
    assert line != Line("body", "text", "", 0, 4, 1)
    assert Line("blank").text == "" and Line("blank").start == -1
    with pytest.raises(AttributeError):
        line.text = "other"  # type: ignore[misc]


@given(
    paragraphs=st.lists(paragraph_text, max_size=8),
    width=st.integers(1, 120),
    until=st.integers(-1, 1200),
)
def test_a_first_screen_layout_is_the_start_of_the_whole_layout(
    paragraphs: list[str], width: int, until: int
) -> None:
    article = make_article(paragraphs, embeds=[Embed("tweet", "an embed")])
    whole = layout_article(article, width)
    first = layout_article(article, width, until=until)
    assert whole.complete and whole.laid_out == len(article.text)
    assert first.lines == whole.lines[: len(first.lines)]
    assert first.body_index == whole.body_index[: len(first.body_index)]
    assert first.body_starts == whole.body_starts[: len(first.body_starts)]
    # every paragraph starting at or before ``until`` is there, whole
    starts = [span.start for span in article.paragraph_spans()]
    wanted = sum(1 for start in starts if start <= until) or min(len(starts), 1)
    assert first.complete == (wanted >= len(paragraphs))
    if first.complete:
        assert first == whole
    else:
        shown = {line.paragraph for line in first.lines if line.is_body}
        assert shown == set(range(wanted))
        assert first.laid_out == starts[wanted]  # where the first paragraph left out starts


def test_a_saved_page_shows_where_it_came_from_under_its_meta_line() -> None:
    article = make_article(
        ["Body."], source="The Source", url="https://example.org/story?id=7\x1b[31m"
    )
    layout = layout_article(article, 100)
    assert [line.role for line in layout.lines[:3]] == ["title", "meta", "meta"]
    assert layout.lines[2].text.startswith("https://example.org/story?id=7")
    assert "\x1b" not in layout.lines[2].text  # data, never an escape sequence
    without = layout_article(make_article(["Body."], source="The Source"), 100)
    assert [line.role for line in without.lines[:3]] == ["title", "meta", "blank"]
