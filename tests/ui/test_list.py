"""The article list: literal rows, related articles under their parent, keys post requests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.models import ArticleSummary
from reader.ui.widgets.article_list import ArticleList, FilterInput, order_with_related
from tests.ui.conftest import Harness, visible_text

EVIL_TITLE = "[@click=app.quit]x[/] and [/b] [bold red]loud[/]"


def summaries() -> list[ArticleSummary]:
    return [
        ArticleSummary(
            id="a",
            title=EVIL_TITLE,
            source="The [b]Source[/b]",
            date="2024-01-02",
            annotation_count=2,
            tags=["treaty", "iran"],
        ),
        ArticleSummary(id="b", title="Beta", read=True),
        ArticleSummary(id="c", title="Related to alpha", related_to="a"),
        ArticleSummary(id="d", title="Delta", annotation_count=1),
    ]


async def test_titles_with_markup_render_literally() -> None:
    article_list = ArticleList()
    app = Harness(article_list)
    async with app.run_test(size=(100, 20)) as pilot:
        article_list.set_articles(summaries())
        await pilot.pause()
        text = visible_text(article_list)
        assert EVIL_TITLE in text
        assert "The [b]Source[/b] · 2024-01-02 · 2 highlights  #treaty #iran" in text
        assert app.is_running  # the [@click=app.quit] in a title did nothing


async def test_rows_show_unread_marker_counts_and_related_indented() -> None:
    article_list = ArticleList()
    app = Harness(article_list)
    async with app.run_test(size=(100, 20)) as pilot:
        article_list.set_articles(summaries())
        await pilot.pause()
        assert article_list.article_ids == ["a", "c", "b", "d"]
        lines = visible_text(article_list).splitlines()
        assert lines[0].lstrip().startswith("● [@click")
        related = next(line for line in lines if "Related to alpha" in line)
        assert "↳" in related and related.index("↳") > lines[0].index("●")
        beta = next(line for line in lines if "Beta" in line)
        assert "●" not in beta  # read
        assert any("1 highlight" in line and "highlights" not in line for line in lines)


async def test_keys_move_and_post_requests() -> None:
    article_list = ArticleList()
    app = Harness(article_list)
    async with app.run_test(size=(100, 20)) as pilot:
        article_list.set_articles(summaries())
        await pilot.pause()
        assert article_list.highlighted_article_id == "a"
        await pilot.press("j")
        assert article_list.highlighted_article_id == "c"
        await pilot.press("down", "down")
        assert article_list.highlighted_article_id == "d"
        await pilot.press("k")
        assert article_list.highlighted_article_id == "b"
        await pilot.press("up")
        assert article_list.highlighted_article_id == "c"
        await pilot.press("G")
        assert article_list.highlighted_article_id == "d"
        await pilot.press("g")
        assert article_list.highlighted_article_id == "a"
        await pilot.press("end")
        await pilot.press("home")
        assert article_list.highlighted_article_id == "a"
        await pilot.press("j", "enter")
        await pilot.pause()
        opened = app.received(ArticleList.OpenRequested)
        assert [m.article_id for m in opened] == ["c"]
        await pilot.press("t")
        await pilot.pause()
        assert [m.article_id for m in app.received(ArticleList.TagRequested)] == ["c"]
        await pilot.press("slash")
        await pilot.pause()
        assert len(app.received(ArticleList.FilterRequested)) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.received(ArticleList.FilterCleared)) == 1


async def test_click_opens() -> None:
    article_list = ArticleList()
    app = Harness(article_list)
    async with app.run_test(size=(100, 20)) as pilot:
        article_list.set_articles(summaries())
        await pilot.pause()
        # rows are two lines, under a one-line border: line 5 is the third row ("b")
        await pilot.click(ArticleList, offset=(5, 5))
        await pilot.pause()
        assert [m.article_id for m in app.received(ArticleList.OpenRequested)] == ["b"]


async def test_update_article_repaints_one_row_and_keeps_selection() -> None:
    article_list = ArticleList()
    app = Harness(article_list)
    async with app.run_test(size=(100, 20)) as pilot:
        rows = summaries()
        article_list.set_articles(rows)
        await pilot.press("j", "j")
        rows[3].annotation_count = 7
        rows[3].tags = ["new"]
        article_list.update_article(rows[3])
        await pilot.pause()
        assert "7 highlights  #new" in visible_text(article_list)
        article_list.set_articles(rows)  # a reload keeps the highlighted article
        assert article_list.highlighted_article_id == "b"


async def test_ranked_results_stay_flat_and_in_order() -> None:
    article_list = ArticleList()
    app = Harness(article_list)
    async with app.run_test(size=(100, 20)) as pilot:
        rows = summaries()
        article_list.set_articles([rows[3], rows[2]], ranked=True)
        await pilot.pause()
        assert article_list.article_ids == ["d", "c"]
        assert "↳" not in visible_text(article_list)


async def test_filter_input_escape_posts_cancelled() -> None:
    filter_input = FilterInput()
    app = Harness(filter_input)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.press("q", "x", "escape")
        await pilot.pause()
        assert filter_input.value == "qx"  # q types, it does not quit
        assert len(app.received(FilterInput.Cancelled)) == 1


ids = st.sampled_from([f"n{i}" for i in range(8)])


@given(st.lists(st.tuples(ids, st.one_of(st.none(), ids)), unique_by=lambda t: t[0]))
def test_order_with_related_lists_everything_once_children_after_parents(
    pairs: list[tuple[str, str | None]],
) -> None:
    rows = [ArticleSummary(id=i, title=i, related_to=parent) for i, parent in pairs]
    ordered = order_with_related(rows)
    assert sorted(s.id for s, _ in ordered) == sorted(i for i, _ in pairs)
    position = {s.id: n for n, (s, _) in enumerate(ordered)}
    depth = {s.id: d for s, d in ordered}
    for summary, level in ordered:
        if level:
            parent = summary.related_to
            assert parent is not None and position[parent] < position[summary.id]
            assert depth[parent] == level - 1


async def test_a_large_library_builds_only_the_rows_on_screen() -> None:
    article_list = ArticleList()
    app = Harness(article_list)
    many = [ArticleSummary(id=f"a{i}", title=f"Article {i}", source="S") for i in range(20_000)]
    async with app.run_test(size=(100, 30)) as pilot:
        article_list.set_articles(many)
        await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        assert article_list.highlighted_article_id == "a19999"
        assert "Article 19999" in visible_text(article_list)
        built = sum(1 for option in article_list.options if getattr(option, "_built", False))
        assert built < 100  # virtual: the other 19,900 rows were never built
        assert article_list.virtual_size.height == 40_000


def test_a_row_carries_every_field_of_a_textual_option() -> None:
    """ArticleOption sets Option's fields itself (speed): a textual upgrade adding a field
    must show up here, not as a broken list."""
    from textual.widgets.option_list import Option

    from reader.ui.widgets.article_list import ArticleOption

    summary = summaries()[0]
    row = ArticleOption(summary, 0)
    plain = Option("", id=summary.id)
    assert set(vars(plain)) <= set(vars(row))
    assert (row.id, row.disabled, row._divider) == (plain.id, plain.disabled, plain._divider)
    assert summary.title in row.prompt.plain  # built when first asked for
    assert hash(row) != hash(ArticleOption(summary, 0))  # identity, as OptionList expects


async def test_filtering_and_clearing_keep_the_highlight_and_the_related_grouping() -> None:
    article_list = ArticleList()
    app = Harness(article_list)
    async with app.run_test(size=(100, 20)) as pilot:
        rows = summaries()
        article_list.set_articles(rows)
        await pilot.press("j", "j", "j")  # a, c (under a), b, d
        assert article_list.highlighted_article_id == "d"
        article_list.set_articles([rows[3], rows[1]], ranked=True)
        article_list.set_articles([rows[3], rows[1]], ranked=True)  # the same matches again
        await pilot.pause()
        assert article_list.article_ids == ["d", "b"]
        assert article_list.highlighted_article_id == "d"
        assert article_list.border_title == "Matches (2)"
        article_list.set_articles(rows)  # the filter cleared
        await pilot.pause()
        assert article_list.article_ids == ["a", "c", "b", "d"]
        assert "↳ Related to alpha" in visible_text(article_list)
        assert article_list.highlighted_article_id == "d"
        assert article_list.border_title == "Articles (4)"


async def test_the_line_map_follows_the_rows_shown() -> None:
    """Rows are placed by arithmetic: after re-filtering, keys, ends and clicks still land."""
    article_list = ArticleList()
    app = Harness(article_list)
    many = [ArticleSummary(id=f"a{i}", title=f"Article {i}", source="S") for i in range(300)]
    async with app.run_test(size=(100, 20)) as pilot:
        article_list.set_articles(many)
        article_list.set_articles(many[100:150], ranked=True)
        await pilot.pause()
        assert article_list.virtual_size.height == 100
        await pilot.press("G")
        await pilot.pause()
        assert article_list.highlighted_article_id == "a149"
        assert "Article 149" in visible_text(article_list)
        await pilot.press("g", "j")
        assert article_list.highlighted_article_id == "a101"
        await pilot.click(ArticleList, offset=(5, 5))  # the third row
        await pilot.pause()
        assert [m.article_id for m in app.received(ArticleList.OpenRequested)] == ["a102"]
        article_list.set_articles([], ranked=True)
        await pilot.pause()
        assert article_list.virtual_size.height == 0
        assert article_list.highlighted_article_id is None
