"""Small things a new user saw (issue 13): every hint says what to do, nothing is cut."""

from __future__ import annotations

from textual.widgets import Static

from reader.core.models import ArticleSummary
from reader.service.library import Library
from reader.ui.screens.anchor_review import AnchorReviewScreen
from reader.ui.screens.annotations import AnnotationsScreen
from reader.ui.widgets.article_list import ArticleList
from tests.ui.conftest import Harness, running, settle, visible_text


async def test_an_empty_filter_result_says_so_instead_of_a_blank_list(library: Library) -> None:
    async with running(library, size=(140, 45)) as (app, pilot):
        screen = app.main_screen
        screen.article_list.focus()
        await pilot.press("slash", *"zzqqxx")
        await settle(app, pilot)
        assert screen.article_list.border_title == "Matches (0)"
        shown = visible_text(screen.article_list)
        assert "Nothing matches the filter." in shown
        assert "esc clears it." in shown


async def test_one_highlight_is_not_highlights(library: Library) -> None:
    article = library.articles()[0].id
    library.highlight(article, 0, 20)
    async with running(library, size=(140, 45)) as (app, pilot):
        await pilot.press("A")
        await settle(app, pilot)
        assert isinstance(app.screen, AnnotationsScreen)
        assert str(app.screen.query_one("#hint", Static).render()).startswith("1 of 1 highlight")
        assert "1 of 1 highlights" not in str(app.screen.query_one("#hint", Static).render())


async def test_the_review_hint_ends_with_a_verb() -> None:
    screen = AnchorReviewScreen(
        [], accept=lambda _id: True, reattach=lambda _id: True, keep=lambda _id: True
    )
    app = Harness(Static())
    async with app.run_test() as pilot:
        await app.push_screen(screen)
        await pilot.pause()
        assert str(screen.query_one("#dialog").border_subtitle).endswith("esc close")


async def test_a_related_articles_date_is_not_cut() -> None:
    parent = ArticleSummary(id="p", title="Parent story", source="The Gazette", date="2024-09-01")
    child = ArticleSummary(
        id="c",
        title="Related",
        source="The Very Long Name Of A Regional Weekly Newspaper",
        date="2024-09-12",
        related_to="p",
    )
    articles = ArticleList()
    app = Harness(articles)
    async with app.run_test(size=(40, 12)) as pilot:
        articles.set_articles([parent, child])
        await pilot.pause()
        assert "2024-09-12" in visible_text(articles)
