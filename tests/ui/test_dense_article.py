"""An article holding thousands of highlights, as a person uses it: the sidebar reaches the
first and the last, the sidebar follows the reading cursor, every highlight is drawn where
it is, and one made by another process shows without a key press."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.models import Annotation
from reader.service.library import Library
from reader.ui.screens.main import MainScreen
from tests.ui.conftest import ROOT, running, visible_text

SENTENCES = 3200
HIGHLIGHTED = 3000  # sentences 0..2999 carry one highlight each; the rest none
#: the live view polls twice a second: a change shows within this long (seconds)
WITHIN_A_SECOND = 1.0


def sentence(n: int) -> str:
    return f"Sentence number {n} tells of the harbour lights."


def card(n: int) -> str:
    """The first line of sentence ``n``'s card in the sidebar (a card wraps)."""
    return f"Sentence number {n} tells of"


@pytest.fixture
def dense(tmp_path: Path) -> tuple[Library, Path, str]:
    """A library of one article of 3,200 sentences, 3,000 of them highlighted."""
    docs = tmp_path / "docs"
    docs.mkdir()
    paragraphs = [
        " ".join(sentence(n) for n in range(start, start + 10)) for start in range(0, SENTENCES, 10)
    ]
    (docs / "dense.txt").write_text(
        "\n".join(["Dense Article", "March 3, 2024", *paragraphs]) + "\n", encoding="utf-8"
    )
    library = Library.open(docs)
    library.sync()
    (summary,) = library.articles()
    article = library.article(summary.id)
    assert article is not None
    text, notes, at = article.text, [], 0
    for n in range(HIGHLIGHTED):
        start = text.index(sentence(n), at)
        at = start + len(sentence(n))
        notes.append(
            Annotation(
                id=f"h{n:05d}",
                article_id=summary.id,
                quote=sentence(n),
                start=start,
                end=at,
                note=f"remark {n}" if n % 3 == 0 else "",
                color=("yellow", "green", "blue")[n % 3],
                created="2024-03-03T10:00:00+00:00",
            )
        )
    library.store.put_annotations(notes)
    return library, docs, summary.id


async def test_the_sidebar_reaches_the_first_and_the_last_highlight(
    dense: tuple[Library, Path, str],
) -> None:
    library, _, article_id = dense
    async with running(library, open_article=article_id) as (app, pilot):
        screen: MainScreen = app.main_screen
        sidebar = screen.sidebar
        assert sidebar.border_title == f"Highlights ({HIGHLIGHTED})"
        sidebar.focus()
        await pilot.press("end")
        await pilot.pause()
        assert sidebar.selected_annotation_id == f"h{HIGHLIGHTED - 1:05d}"
        assert card(HIGHLIGHTED - 1) in visible_text(sidebar)
        await pilot.press("enter")  # the reading pane goes there
        await pilot.pause()
        here = screen.pane.annotation_at_cursor()
        assert here is not None and here.id == f"h{HIGHLIGHTED - 1:05d}"
        sidebar.focus()  # enter took the focus to the text
        await pilot.press("home")
        await pilot.pause()
        assert sidebar.selected_annotation_id == "h00000"
        assert card(0) in visible_text(sidebar)
        assert "remark 0" in visible_text(sidebar)


async def test_j_and_k_in_the_text_move_the_sidebar_to_the_highlight_under_the_cursor(
    dense: tuple[Library, Path, str],
) -> None:
    library, _, article_id = dense
    async with running(library, open_article=article_id) as (app, pilot):
        screen: MainScreen = app.main_screen
        pane, sidebar = screen.pane, screen.sidebar
        pane.focus()
        seen = []
        for _ in range(5):
            await pilot.press("j")
            await pilot.pause()
            here = pane.annotation_at_cursor()
            assert here is not None
            assert sidebar.selected_annotation_id == here.id
            seen.append(here.id)
        assert seen == [f"h{n:05d}" for n in range(1, 6)]
        await pilot.press("k")
        await pilot.pause()
        assert sidebar.selected_annotation_id == "h00004"
        # far down: the sidebar's cards are built around the cursor's highlight
        far = next(a for a in screen.session.annotations if a.id == "h02500")
        pane.jump_to(far.start)
        await pilot.press("j")
        await pilot.pause()
        assert sidebar.selected_annotation_id == "h02501"
        assert card(2501) in visible_text(sidebar)


async def test_every_highlight_is_drawn_where_it_is(
    dense: tuple[Library, Path, str],
) -> None:
    library, _, article_id = dense
    async with running(library, open_article=article_id) as (app, pilot):
        pane = app.main_screen.pane
        article = library.article(article_id)
        assert article is not None
        for n in (0, 1234, HIGHLIGHTED - 1):
            start = article.text.index(sentence(n))
            pane.jump_to(start)
            await pilot.pause()
            here = pane.annotation_at_cursor()
            assert here is not None and here.id == f"h{n:05d}"
        pane.jump_to(article.text.index(sentence(HIGHLIGHTED + 5)))  # past the last one
        await pilot.pause()
        assert pane.annotation_at_cursor() is None


async def test_a_highlight_made_by_another_process_shows(
    dense: tuple[Library, Path, str],
) -> None:
    library, docs, article_id = dense
    async with running(library, open_article=article_id) as (app, pilot):
        screen: MainScreen = app.main_screen
        command = [sys.executable, "-m", "reader.cli", "--db", str(docs / ".reader")]
        done = subprocess.run(
            [*command, "annotate", "--quote", sentence(SENTENCES - 10), "--note", "from the shell"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        made = done.stdout.strip()
        await pilot.pause(WITHIN_A_SECOND)
        assert screen.sidebar.border_title == f"Highlights ({HIGHLIGHTED + 1})"
        assert screen.sidebar.annotation_ids[-1] == made
        article = library.article(article_id)
        assert article is not None
        screen.pane.focus()
        screen.pane.jump_to(article.text.index(sentence(SENTENCES - 10)))
        await pilot.press("j", "k")  # onto it again, as a person would
        await pilot.pause()
        here = screen.pane.annotation_at_cursor()
        assert here is not None and here.id == made
        assert screen.sidebar.selected_annotation_id == made
        assert "from the shell" in visible_text(screen.sidebar)
