"""Article-list filters by key (T tag, S source, D date, H highlighted, U unread) and palette."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input

from reader.core.models import Annotation, ArticleSummary
from reader.core.query import Term, parse_query
from reader.service.library import Library
from reader.ui.filtering import filter_articles, title_index
from reader.ui.screens.input_prompt import InputPrompt
from reader.ui.screens.list_filters import term_value, with_term
from reader.ui.screens.main import MainScreen
from reader.ui.screens.picker import ChoicePicker
from reader.ui.widgets.article_list import ArticleList, FilterInput
from tests.ui.conftest import running, settle


def by_title(library: Library, fragment: str) -> str:
    return next(s.id for s in library.articles() if fragment in s.title)


async def to_list(app: Any, pilot: Any) -> MainScreen:
    screen: MainScreen = app.main_screen
    screen.article_list.focus()
    await pilot.pause()
    return screen


def shown_filter(screen: MainScreen) -> str | None:
    """The filter line's text when it is on screen, else None."""
    line = screen.query_one(FilterInput)
    return line.value if line.display and line.has_class("-shown") else None


def test_with_term_replaces_adds_and_removes() -> None:
    assert with_term("rail tag:a", "tag", "b") == "rail tag:b"
    assert with_term("rail", "source", "The Gazette") == 'rail source:"The Gazette"'
    assert with_term("has:note has:highlights", "has", None, only="highlights") == "has:note"
    assert with_term("-tag:a tag:b", "tag", None) == "-tag:a"  # a negated term is the user's
    assert with_term("tag:", "is", "unread") == "is:unread"  # a half-typed term goes
    assert term_value("x date:2024..2025", "date") == "2024..2025"
    assert term_value("x", "date") is None


async def test_tag_key_picks_from_tags_with_counts_and_escape_clears(library: Library) -> None:
    garden, harbour = by_title(library, "Garden"), by_title(library, "Harbour")
    library.set_article_tags(harbour, ["lights"])
    article = library.article(garden)
    assert article is not None
    library.highlight(garden, 0, 30, tags=["school"])  # a highlight's tag filters its article
    async with running(library) as (app, pilot):
        screen = await to_list(app, pilot)
        everything = len(screen.article_list.article_ids)
        await pilot.press("T")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ChoicePicker)
        assert set(picker.shown_values) == {"lights", "school"}
        await pilot.press(*"sch")
        await pilot.pause()
        assert picker.shown_values == ["school"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.article_list.article_ids == [garden]
        assert shown_filter(screen) == "tag:school"  # the active filter is on screen
        assert screen.article_list.border_title == "Matches (1)"
        assert isinstance(app.focused, ArticleList)
        await pilot.press("T")
        await pilot.pause()
        await pilot.press(*"lig", "enter")  # a second tag replaces the first
        await settle(app, pilot)
        assert screen.article_list.article_ids == [harbour]
        assert shown_filter(screen) == "tag:lights"
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(screen.article_list.article_ids) == everything
        assert shown_filter(screen) is None


async def test_source_key_and_date_key(library: Library) -> None:
    garden, harbour = by_title(library, "Garden"), by_title(library, "Harbour")
    async with running(library) as (app, pilot):
        screen = await to_list(app, pilot)
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePicker)
        assert "The Coastal Gazette" in app.screen.shown_values
        await pilot.press(*"coastal", "enter")
        await settle(app, pilot)
        assert screen.article_list.article_ids == [harbour]
        assert shown_filter(screen) == 'source:"The Coastal Gazette"'
        await pilot.press("escape", "D")
        await pilot.pause()
        assert isinstance(app.screen, InputPrompt)
        await pilot.press(*"2024-05..2024-06", "enter")
        await settle(app, pilot)
        assert screen.article_list.article_ids == [garden]  # May 12, 2024
        await pilot.press("D")
        await pilot.pause()
        prompt = app.screen.query_one(Input)
        assert prompt.value == "2024-05..2024-06"  # the current range, to edit
        prompt.value = "2024-13"
        await pilot.press("enter")
        await settle(app, pilot)
        assert shown_filter(screen) == "date:2024-05..2024-06"  # a bad date changes nothing
        assert screen.article_list.article_ids == [garden]


async def test_highlighted_and_unread_toggle(library: Library) -> None:
    garden = by_title(library, "Garden")
    library.highlight(garden, 0, 30)
    async with running(library) as (app, pilot):
        screen = await to_list(app, pilot)
        opened = screen.article
        assert opened is not None
        screen.pane.focus()
        await pilot.press("m")  # marked read by hand (opening it did not)
        screen.article_list.focus()
        await pilot.pause()
        everything = set(screen.article_list.article_ids)
        await pilot.press("H")
        await settle(app, pilot)
        assert screen.article_list.article_ids == [garden]
        assert shown_filter(screen) == "has:highlights"
        await pilot.press("H", "U")
        await settle(app, pilot)
        assert shown_filter(screen) == "is:unread"
        unread = set(screen.article_list.article_ids)
        assert opened.id not in unread and unread == everything - {opened.id}
        await pilot.press("U")
        await settle(app, pilot)
        assert shown_filter(screen) is None
        assert set(screen.article_list.article_ids) == everything


async def test_filters_run_from_the_palette(library: Library) -> None:
    garden = by_title(library, "Garden")
    library.highlight(garden, 0, 30)
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"list: highlighted")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.article_list.article_ids == [garden]
        assert isinstance(app.focused, ArticleList)


async def test_highlights_for_the_filter_are_read_again_only_after_a_change(
    library: Library,
) -> None:
    garden, harbour = by_title(library, "Garden"), by_title(library, "Harbour")
    library.highlight(garden, 0, 30, tags=["school"])
    async with running(library) as (app, pilot):
        screen = await to_list(app, pilot)
        first = screen.filters.filter_annotations()
        assert screen.filters.filter_annotations() is first  # kept while nothing changed
        screen.filters.show_filter("tag:school")
        assert screen.article_list.article_ids == [garden]
        library.highlight(harbour, 0, 30, tags=["school"])  # e.g. from another window
        assert screen.filters.filter_annotations() is not first
        screen.filters.show_filter("tag:school ")
        assert set(screen.article_list.article_ids) == {garden, harbour}


# ---------------------------------------------------------------- pure filter logic

ROWS = {
    s.id: s
    for s in [
        ArticleSummary(id="a", title="Harbour lights", tags=["town"], annotation_count=1),
        ArticleSummary(id="b", title="Garden plots", annotation_count=1),
        ArticleSummary(id="c", title="Night market"),
    ]
}
NOTES = {
    "a": [Annotation(id="1", article_id="a", quote="q", start=0, end=1, color="green", note="why")],
    "b": [Annotation(id="2", article_id="b", quote="q", start=0, end=1, tags=["school"])],
}


def picked(line: str, calls: list[int] | None = None) -> list[str]:
    def load() -> dict[str, list[Annotation]]:
        if calls is not None:
            calls.append(1)
        return NOTES

    found = filter_articles(line, ROWS, title_index(ROWS.values()), load)
    return [s.id for s in found]


def test_filter_terms_look_at_the_highlights_only_when_they_need_to() -> None:
    calls: list[int] = []
    assert picked("tag:school", calls) == ["b"]  # a highlight's tag
    assert picked("tag:town", calls) == ["a"]  # the article's own
    assert picked('color:"key idea"') == ["a"]  # a colour by its label
    assert picked("has:note") == ["a"]
    assert picked("-has:note") == ["b"]  # a highlight without a note (c has none at all)
    assert len(calls) == 2
    picked("has:highlights is:unread garden", calls)
    assert len(calls) == 2  # nothing there needs the highlights: not read


TERM_KEYS = st.sampled_from(["tag", "source", "date", "is", "has"])
VALUES = {
    "tag": st.sampled_from(["a", "b-c", "town"]),
    "source": st.sampled_from(["The Gazette", "x", 'say "hi"']),
    "date": st.sampled_from(["2024", "2024-10..2025-01", "..2025"]),
    "is": st.sampled_from(["read", "unread"]),
    "has": st.sampled_from(["note", "highlights"]),
}


@st.composite
def filter_lines(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        key = draw(TERM_KEYS)
        sign = draw(st.sampled_from(["", "-"]))
        parts.append(f"{sign}{Term(key, draw(VALUES[key]))}")
    parts += draw(st.lists(st.sampled_from(["rail", "night", "tag:", '"open']), max_size=2))
    return " ".join(draw(st.permutations(parts)))


@given(filter_lines(), TERM_KEYS, st.data())
def test_with_term_sets_exactly_one_term_and_keeps_the_rest(
    line: str, key: str, data: st.DataObject
) -> None:
    value = data.draw(VALUES[key])
    before = parse_query(line, lenient=True).terms
    after = parse_query(with_term(line, key, value), lenient=True).terms
    mine = [t for t in after if t.key == key and not t.negated]
    assert [t.value for t in mine] == [Term(key, value).value]
    assert [t for t in after if t not in mine] == [t for t in before if t.key != key or t.negated]
    removed = parse_query(with_term(line, key, None), lenient=True).terms
    assert not any(t.key == key and not t.negated for t in removed)
