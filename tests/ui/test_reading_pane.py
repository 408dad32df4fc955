"""The reading pane, driven with keys and the mouse through Pilot, as a reader would."""

from __future__ import annotations

import random
from typing import Any, ClassVar

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color
from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static

from reader.core.models import Annotation, Article, Span
from reader.core.sentences import article_sentences
from reader.ui.screens.search_bar import SearchBar
from reader.ui.widgets.reading_document import AnnotationIndex, ReadingDocument
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.reading_render import HIGHLIGHT_BACKGROUNDS, HIGHLIGHT_STYLES, paint_text

SIZE = (100, 30)

PARAGRAPHS = [
    "Alpha one is first. Beta two follows it. Gamma three is here. Delta four ends.",
    "Echo five opens the second paragraph. Foxtrot six closes it.",
    "Golf seven stands alone.",
]
TEXT = "\n\n".join(PARAGRAPHS)


def span_of(sentence: str) -> Span:
    start = TEXT.index(sentence)
    return Span(start, start + len(sentence))


ALPHA = span_of("Alpha one is first.")
BETA = span_of("Beta two follows it.")
GAMMA = span_of("Gamma three is here.")
DELTA = span_of("Delta four ends.")
ECHO = span_of("Echo five opens the second paragraph.")
FOXTROT = span_of("Foxtrot six closes it.")
GOLF = span_of("Golf seven stands alone.")


def article(paragraphs: list[str] | None = None, **fields: Any) -> Article:
    return Article(
        id="art1",
        title=fields.pop("title", "Harbour Lights Approved"),
        paragraphs=paragraphs or PARAGRAPHS,
        source="The Coastal Gazette",
        date="2024-03-03",
        caption=fields.pop("caption", "The old pier at dusk"),
        **fields,
    )


def annotation(ident: str, span: Span, color: str = "yellow", **fields: Any) -> Annotation:
    return Annotation(
        id=ident,
        article_id="art1",
        quote=TEXT[span.start : span.end],
        start=span.start,
        end=span.end,
        color=color,
        **fields,
    )


class PaneApp(App[None]):
    """Mounts one ReadingPane and records the messages it posts."""

    def __init__(
        self,
        doc: Article | None = None,
        annotations: list[Annotation] | None = None,
        position: int = 0,
    ) -> None:
        super().__init__()
        self.doc = doc
        self.annotations = annotations or []
        self.position = position
        self.messages: list[Message] = []
        self.copied: list[str] = []

    def compose(self) -> ComposeResult:
        yield ReadingPane()

    def on_mount(self) -> None:
        pane = self.query_one(ReadingPane)
        if self.doc is not None:
            pane.show_article(self.doc, self.annotations, self.position)
        pane.focus()

    def _on_message(self, message: Message) -> Any:
        if isinstance(message, ReadingPane.CursorMoved | ReadingPane.ColorRequested) or (
            type(message).__module__.endswith("reading_messages")
        ):
            self.messages.append(message)
        return super()._on_message(message)

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)
        super().copy_to_clipboard(text)

    def received(self, kind: type[Message]) -> list[Any]:
        return [m for m in self.messages if isinstance(m, kind)]


def pane_of(app: App[Any]) -> ReadingPane:
    return app.query_one(ReadingPane)


def shown(pane: ReadingPane) -> str:
    return "\n".join(pane.render_line(y).text for y in range(pane.size.height))


# -- showing an article ------------------------------------------------------------------------


async def test_empty_pane_shows_a_friendly_message() -> None:
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = pane_of(app)
        assert "No article open" in shown(pane)
        assert pane.cursor == Span(0, 0)
        await pilot.press("j", "h")
        assert app.messages == []


async def test_article_is_drawn_with_headline_meta_caption_and_cursor_on_first_sentence() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = pane_of(app)
        text = shown(pane)
        assert "Harbour Lights Approved" in text
        assert "The Coastal Gazette · 2024-03-03" in text
        assert "The old pier at dusk" in text
        assert "Golf seven stands alone." in text
        assert pane.cursor == ALPHA
        assert pane.border_subtitle == "pen 1 yellow · 0%"  # nothing read yet


async def test_a_first_sentence_taller_than_the_pane_opens_with_the_title_in_view() -> None:
    long_sentence = " ".join(["word"] * 1500) + "."  # some 70 lines at this width
    app = PaneApp(article([long_sentence, "Short one."]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = pane_of(app)
        assert pane.scroll_offset.y == 0
        assert "Harbour Lights Approved" in shown(pane)
        assert str(pane.border_subtitle).endswith(" 0%")
        for _ in range(5):  # on through the long one (read in parts) to the next sentence
            await pilot.press("j")
            await pilot.pause()
            if pane.cursor.start > len(long_sentence):
                break
        assert "Short one." in shown(pane)  # it comes into view


async def test_restored_position_puts_the_cursor_on_that_sentence() -> None:
    app = PaneApp(article(), position=FOXTROT.start + 3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert pane_of(app).cursor == FOXTROT


# -- cursor motion -----------------------------------------------------------------------------


async def test_j_and_k_move_by_sentence_across_paragraphs() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("j")
        assert pane.cursor == BETA
        await pilot.press("j", "j", "j")
        assert pane.cursor == ECHO
        await pilot.press("k")
        assert pane.cursor == DELTA
        await pilot.press("down")
        assert pane.cursor == ECHO
        moved = app.received(ReadingPane.CursorMoved)
        assert moved[-1].offset == ECHO.start
        assert moved[-1].progress == 0  # the whole article fits: the top line is the first
        await pilot.press("3", "j")
        assert pane.cursor == GOLF
        assert app.received(ReadingPane.CursorMoved)[-1].progress == 1  # its end reached
        assert str(pane.border_subtitle).endswith("100%")


async def test_paragraph_keys() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("J")
        assert pane.cursor == ECHO
        await pilot.press("right_curly_bracket")
        assert pane.cursor == GOLF
        await pilot.press("K")
        assert pane.cursor == ECHO
        await pilot.press("j", "left_curly_bracket")
        assert pane.cursor == ECHO  # back to the start of this paragraph first


def long_article() -> Article:
    paragraphs = [
        " ".join(f"Sentence {p}-{s} says something rather ordinary here." for s in range(6))
        for p in range(40)
    ]
    return article(paragraphs)


async def test_page_down_scrolls_and_brings_the_cursor_into_view() -> None:
    doc = long_article()
    app = PaneApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        assert pane.scroll_offset.y == 0
        await pilot.press("space")
        await pilot.pause()
        top = pane.scroll_offset.y
        assert top > 20
        layout = pane.text_layout
        assert layout is not None
        cursor_line = layout.line_of(pane.cursor.start)
        assert top <= cursor_line < top + pane.scrollable_content_region.height
        assert pane.progress > 0.1
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_offset.y > top
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        assert pane.scroll_offset.y == 0
        assert pane.cursor.start < 200


async def test_moving_the_cursor_down_scrolls_to_keep_it_visible() -> None:
    app = PaneApp(long_article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        for _ in range(40):
            await pilot.press("j")
        await pilot.pause()
        layout = pane.text_layout
        assert layout is not None
        line = layout.line_of(pane.cursor.start)
        top = pane.scroll_offset.y
        assert top > 0
        assert top <= line < top + pane.scrollable_content_region.height
        assert pane.border_subtitle.endswith("%")


async def test_jump_to_an_offset_far_down() -> None:
    doc = long_article()
    app = PaneApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        target = doc.text.index("Sentence 30-2")
        pane.jump_to(target + 4)
        await pilot.pause()
        assert pane.cursor.start == target
        assert "Sentence 30-2" in shown(pane)


# -- selection and highlighting ----------------------------------------------------------------


async def test_h_asks_to_highlight_the_cursor_sentence() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert (message.start, message.end) == (BETA.start, BETA.end)
        assert message.count is None


async def test_selection_grows_up_from_its_start_by_sentence() -> None:
    """The issue's ``v k k h``: the three sentences up to the start, not just the start."""
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("j", "j", "j", "v", "k", "k")
        assert pane.selection == Span(BETA.start, DELTA.end)
        assert pane.cursor == BETA
        await pilot.press("j", "j", "j")  # back past the start: grows down from it
        assert pane.selection == Span(DELTA.start, ECHO.end)
        await pilot.press("k", "k", "h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert (message.start, message.end) == (GAMMA.start, DELTA.end)


async def test_selection_grows_back_from_its_start_by_word() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("j", "v", "b", "b")
        assert pane.selection is not None
        assert TEXT[pane.selection.start : pane.selection.end] == "is first. Beta two follows it."
        assert pane.cursor == ALPHA
        await pilot.press("w")  # the moving end goes back towards the start
        assert TEXT[pane.selection.start : pane.selection.end] == "first. Beta two follows it."
        await pilot.press("w", "w")  # past the start: grows forwards
        assert TEXT[pane.selection.start : pane.selection.end] == "Beta two follows it. Gamma"
        await pilot.press("2", "b")  # a count: back to the start sentence, then past it
        assert TEXT[pane.selection.start : pane.selection.end] == "first. Beta two follows it."


async def test_selection_extends_by_sentence_and_word_then_highlights() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("v")
        assert pane.selection == ALPHA
        await pilot.press("j")
        assert pane.selection == Span(ALPHA.start, BETA.end)
        assert pane.cursor == BETA
        await pilot.press("w")
        assert pane.selection == Span(ALPHA.start, TEXT.index("Gamma") + len("Gamma"))
        await pilot.press("w", "b")
        assert pane.selection == Span(ALPHA.start, TEXT.index("Gamma") + len("Gamma"))
        await pilot.press("k")
        assert pane.selection == Span(ALPHA.start, BETA.end)
        await pilot.press("h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert (message.start, message.end) == (ALPHA.start, BETA.end)
        assert pane.selection is None


async def test_w_without_a_selection_selects_the_first_word_and_escape_clears() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("w", "w")
        assert TEXT[pane.selection.start : pane.selection.end] == "Alpha one"  # type: ignore[union-attr]
        await pilot.press("escape")
        assert pane.selection is None


async def test_count_then_h_highlights_that_many_sentences_and_picks_no_colour() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("3")
        assert app.received(ReadingPane.ColorRequested) == []
        assert "count 3" in str(pane.border_subtitle)
        await pilot.press("h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert (message.start, message.end) == (ALPHA.start, GAMMA.end)
        assert message.count == 3
        assert message.color == "yellow"


async def test_digits_accumulate_and_counts_past_the_end_stop_at_the_last_sentence() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("1", "2")
        assert pane.pending_count == 12
        assert app.received(ReadingPane.ColorRequested) == []
        await pilot.press("h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert message.count == 12
        assert (message.start, message.end) == (ALPHA.start, GOLF.end)


async def test_digits_meant_as_colours_make_counts_in_the_pen_colour() -> None:
    """The issue's 2h 3h 4h 5h: four highlights of 2..5 sentences, all in the pen colour."""
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "h", "3", "h")
        first, second = app.received(ReadingPane.HighlightRequested)
        assert (first.count, first.color) == (2, "yellow")
        assert (second.count, second.color) == (3, "yellow")
        assert app.received(ReadingPane.ColorRequested) == []


async def test_another_key_drops_the_pending_count() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("2", "x")
        assert pane.pending_count is None
        await pilot.press("h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert message.count is None
        assert (message.start, message.end) == (ALPHA.start, ALPHA.end)


async def test_escape_drops_the_count_and_the_border_says_what_h_uses() -> None:
    """The issue's ``2 esc h``: the border showed colour 2, h made yellow. Now nothing
    changes the colour but ``p``, and the border shows the pen and the count."""
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("2")
        assert str(pane.border_subtitle).startswith("pen 1 yellow · count 2")
        await pilot.press("escape")
        assert pane.pending_count is None
        assert str(pane.border_subtitle).startswith("pen 1 yellow · 0%")
        await pilot.press("h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert (message.start, message.end, message.color) == (ALPHA.start, ALPHA.end, "yellow")


async def test_a_count_moves_the_cursor_that_many_sentences() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("3", "j")
        assert pane.cursor == DELTA
        await pilot.press("2", "k")
        assert pane.cursor == BETA
        await pilot.press("9", "j")  # past the end: stops at the last sentence
        assert pane.cursor == GOLF


async def test_p_then_a_digit_sets_the_pen_which_h_uses_and_the_border_shows() -> None:
    app = PaneApp(article(), [annotation("h1", BETA, "yellow")])
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("p")
        assert "pen: 1–5?" in str(pane.border_subtitle)
        await pilot.press("3")
        assert pane.pen == "blue"
        assert pane.pending_count is None  # the digit answered p: no count
        assert str(pane.border_subtitle).startswith("pen 3 blue")
        (color,) = app.received(ReadingPane.ColorRequested)
        assert (color.color, color.annotation_id) == ("blue", None)
        await pilot.press("j", "p", "2")  # on a highlight, p still only sets the pen
        assert [m.annotation_id for m in app.received(ReadingPane.ColorRequested)] == [None, None]
        await pilot.press("2", "h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert (message.color, message.count) == ("green", 2)


async def test_p_then_another_key_cancels_and_does_nothing_else() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("p", "j")
        assert pane.cursor == ALPHA  # j answered p (cancelled it), it did not move
        await pilot.press("p", "escape", "h")
        assert pane.pen == "yellow"
        assert app.received(ReadingPane.ColorRequested) == []
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert message.color == "yellow"


async def test_r_then_a_digit_recolours_the_highlight_here_and_keeps_the_pen() -> None:
    app = PaneApp(article(), [annotation("h1", BETA, "yellow")])
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("r")  # nothing under the cursor: a warning, no prefix
        assert "recolour" not in str(pane.border_subtitle)
        await pilot.press("2")
        assert pane.pending_count == 2  # so the 2 is a count
        await pilot.press("escape", "j", "r", "2")
        (message,) = app.received(ReadingPane.ColorRequested)
        assert (message.color, message.annotation_id) == ("green", "h1")
        assert pane.pen == "yellow"


async def test_requests_for_the_highlight_under_the_cursor() -> None:
    app = PaneApp(article(), [annotation("h1", BETA, "green")])
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("x", "n")  # nothing under the cursor: no delete, a note on a new one
        assert app.received(ReadingPane.DeleteRequested) == []
        (note,) = app.received(ReadingPane.NoteRequested)
        assert (note.annotation_id, note.start, note.end) == (None, ALPHA.start, ALPHA.end)
        await pilot.press("j")
        assert pane.annotation_at_cursor() is not None
        assert pane.border_subtitle.startswith("here: key idea")
        await pilot.press("n", "t", "x", "full_stop", "a")
        assert app.received(ReadingPane.NoteRequested)[-1].annotation_id == "h1"
        (tags,) = app.received(ReadingPane.TagsRequested)
        assert (tags.annotation_id, tags.start, tags.end) == ("h1", BETA.start, BETA.end)
        (delete,) = app.received(ReadingPane.DeleteRequested)
        assert delete.annotation_id == "h1"
        (repeat,) = app.received(ReadingPane.RepeatRequested)
        assert (repeat.start, repeat.end) == (BETA.start, BETA.end)
        (reattach,) = app.received(ReadingPane.ReattachRequested)
        assert (reattach.start, reattach.end) == (BETA.start, BETA.end)


async def test_m_asks_to_toggle_read() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert len(app.received(ReadingPane.ReadToggleRequested)) == 1


async def test_search_runs_as_you_type_and_counts_the_hits() -> None:
    doc = article(["One fox. Two fox here. A dog.", "Three fox there. The end."])
    app = PaneApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("j", "j")  # the cursor on "A dog."
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchBar)
        await pilot.press("f")
        await pilot.pause()
        count = app.screen.query_one("#search-count", Static)
        assert len(pane.hits) == 3  # "f" in "fox" three times... and nowhere else
        await pilot.press("o", "x")
        await pilot.pause()
        assert len(pane.hits) == 3
        assert str(count.render()) == "3 of 3"  # the first from where the cursor was
        assert doc.text[pane.cursor.start : pane.cursor.end] == "Three fox there."
        await pilot.press("down")
        assert str(count.render()) == "1 of 3"  # round the article
        await pilot.press("g")
        await pilot.pause()
        assert str(count.render()) == "no match"
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchBar)
        assert len(pane.hits) == 3
        assert "/ 3 of 3" in str(pane.border_subtitle)
        await pilot.press("semicolon")
        assert "/ 1 of 3" in str(pane.border_subtitle)


async def test_escape_in_the_search_line_drops_the_hits_and_puts_the_cursor_back() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("j", "slash", *"golf")
        await pilot.pause()
        assert pane.cursor == GOLF
        await pilot.press("escape")
        await pilot.pause()
        assert pane.hits == []
        assert pane.cursor == BETA


async def test_copy_takes_the_selection_then_the_highlight_then_the_sentence() -> None:
    app = PaneApp(article(), [annotation("h1", Span(BETA.start, GAMMA.end))])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.press("j", "c")
        await pilot.press("v", "j", "c")
        assert app.copied == [
            TEXT[ALPHA.start : ALPHA.end],
            TEXT[BETA.start : GAMMA.end],
            TEXT[BETA.start : GAMMA.end],
        ]


async def test_brackets_jump_between_highlights() -> None:
    marks = [annotation("h1", GAMMA), annotation("h2", FOXTROT, "pink")]
    app = PaneApp(article(), marks)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("right_square_bracket")
        assert pane.cursor == GAMMA
        await pilot.press("right_square_bracket")
        assert pane.cursor == FOXTROT
        await pilot.press("left_square_bracket")
        assert pane.cursor == GAMMA


async def test_deleted_and_orphaned_annotations_are_not_painted_or_found() -> None:
    marks = [
        annotation("gone", BETA, deleted="2025-01-01T00:00:00+00:00"),
        annotation("lost", GAMMA, status="orphaned"),
    ]
    app = PaneApp(article(), marks)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("j")
        assert pane.annotation_at_cursor() is None
        await pilot.press("right_square_bracket")
        assert pane.cursor == BETA  # nothing to jump to


# -- search ------------------------------------------------------------------------------------


async def test_search_is_case_insensitive_and_moves_to_the_first_hit_from_the_cursor() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        assert pane.search("SIX") == 1
        assert pane.hits == [Span(TEXT.index("six"), TEXT.index("six") + 3)]
        assert pane.cursor == FOXTROT
        assert pane.search("paragraph") == 1
        assert pane.cursor == ECHO
        assert pane.search("golf") == 1
        assert pane.cursor == GOLF
        await pilot.press("comma")
        assert pane.cursor == GOLF  # one hit: wraps onto itself
        assert pane.search("nothing like this") == 0
        await pilot.press("semicolon")
        assert pane.cursor == GOLF
        pane.search("Alpha")
        assert pane.cursor == ALPHA  # wrapped round to the top
        await pilot.press("escape")
        assert pane.hits == []


async def test_search_next_and_previous_walk_the_hits_in_order() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        pane.search("two")  # only in Beta; cursor moves there
        assert pane.cursor == BETA
        pane.search("f")  # first at/after the cursor: "follows" in Beta
        assert pane.cursor == BETA
        visited = []
        for _ in range(5):
            await pilot.press("semicolon")
            visited.append(pane.cursor)
        assert visited == [DELTA, ECHO, FOXTROT, GOLF, ALPHA]  # one "f" each, then round
        await pilot.press("comma")
        assert pane.cursor == GOLF


# -- safety and drawing ------------------------------------------------------------------------


async def test_markup_and_escape_sequences_in_the_text_are_drawn_literally() -> None:
    hostile = [
        "Bold [bold]x[/bold] stays. A link [@click=app.quit]Read more[/] stays.",
        "Closing [/b] tag and \x1b[31mred\x1b[0m escape.",
    ]
    doc = article(hostile, title="[b]Title[/b] \x1b]0;pwned\x07", caption="[@click=app.quit]cap[/]")
    app = PaneApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        text = shown(pane)
        assert "[bold]x[/bold]" in text
        assert "[@click=app.quit]Read more[/]" in text
        assert "[/b]" in text
        assert "[b]Title[/b]" in text
        assert "\x1b" not in text
        assert "␛[31mred␛[0m" in text
        await pilot.click(ReadingPane, offset=(40, 7))
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_highlights_cursor_selection_and_hits_are_painted() -> None:
    app = PaneApp(article(), [annotation("h1", GAMMA, "green")])
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        layout = pane.text_layout
        assert layout is not None
        row = layout.line_of(GAMMA.start) - pane.scroll_offset.y
        strip = pane.render_line(row)
        green = Color.parse(HIGHLIGHT_BACKGROUNDS["green"])
        painted = "".join(s.text for s in strip if s.style and s.style.bgcolor == green)
        assert painted == TEXT[GAMMA.start : GAMMA.end]
        assert "▌" in strip.text  # the cursor's line has the gutter mark
        pane.search("Beta")  # the cursor goes to the hit
        strip = pane.render_line(row)
        assert any(s.text == "Beta" and s.style and s.style.bgcolor for s in strip)
        await pilot.press("escape", "v")
        strip = pane.render_line(row)
        reversed_text = "".join(s.text for s in strip if s.style and s.style.reverse)
        assert reversed_text == TEXT[BETA.start : BETA.end]


async def test_resizing_relayouts_and_keeps_the_cursor() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("j", "j")
        await pilot.resize_terminal(40, 30)
        await pilot.pause()
        assert pane.cursor == GAMMA
        layout = pane.text_layout
        assert layout is not None
        assert layout.measure <= 36
        lines = [line.text for line in layout.lines if line.is_body]
        assert max(len(line) for line in lines) <= layout.measure
        assert "Golf seven stands alone." in " ".join(lines)


# -- mouse -------------------------------------------------------------------------------------


async def test_click_moves_the_cursor_and_drag_selects() -> None:
    app = PaneApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        layout = pane.text_layout
        assert layout is not None
        row = layout.line_of(ECHO.start) - pane.scroll_offset.y
        region = pane.content_region
        left = region.x + pane._text_left() + 2  # the text column, past the gutter
        top = region.y + row
        await pilot.click(offset=(left + 2, top))
        assert pane.cursor == ECHO
        await pilot.mouse_down(offset=(left, top))
        await pilot.hover(offset=(left + 8, top))
        await pilot.mouse_up(offset=(left + 8, top))
        assert pane.selection == Span(ECHO.start, ECHO.start + 9)
        assert TEXT[ECHO.start : ECHO.start + 9] == "Echo five"
        await pilot.press("h")
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert (message.start, message.end) == (ECHO.start, ECHO.start + 9)


# -- snapshot ----------------------------------------------------------------------------------


def test_snapshot_of_the_pane_with_highlights(snap_compare: Any) -> None:
    marks = [
        annotation("h1", BETA, "yellow"),
        annotation("h2", DELTA, "green"),
        annotation("h3", ECHO, "blue"),
        annotation("h4", FOXTROT, "pink"),
        annotation("h5", GOLF, "purple"),
    ]
    app = PaneApp(article(summary="Lights along the pier, paid for by volunteers."), marks)
    # the cursor on "Gamma" (between two highlights), "Delta" highlighted green
    assert snap_compare(app, terminal_size=SIZE, press=["j", "j"])


async def test_escape_with_nothing_to_clear_is_left_to_the_screen() -> None:
    class EscapeApp(PaneApp):
        BINDINGS: ClassVar = [("escape", "escaped", "Back")]
        escaped = 0

        def action_escaped(self) -> None:
            self.escaped += 1

    app = EscapeApp(article())
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.press("v", "escape")
        assert pane.selection is None
        assert app.escaped == 0  # the pane used that one
        await pilot.press("escape")
        assert app.escaped == 1


# -- pure helpers ------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="ab .", max_size=40),
    layers=st.lists(
        st.tuples(
            st.integers(-5, 50), st.integers(-5, 50), st.sampled_from(list(HIGHLIGHT_STYLES))
        ),
        max_size=5,
    ),
    start=st.integers(0, 20),
)
def test_painting_keeps_the_text_and_styles_each_covered_character(
    text: str, layers: list[tuple[int, int, str]], start: int
) -> None:
    styled = [(low, high, HIGHLIGHT_STYLES[name]) for low, high, name in layers]
    segments = paint_text(text, start, styled, Style())
    assert "".join(segment.text for segment in segments) == text
    position = start
    for segment in segments:
        for _ in segment.text:
            covering = [style for low, high, style in styled if low <= position < high]
            expected = covering[-1].bgcolor if covering else None
            assert (segment.style.bgcolor if segment.style else None) == expected
            position += 1


def test_walking_sentences_lazily_visits_the_parsers_sentences_in_order() -> None:
    doc = article([*PARAGRAPHS, "", "Dr. Smith arrived at 5 p.m. on Monday. He left early.", "   "])
    document = ReadingDocument(doc)
    walked = []
    sentence = document.first_sentence()
    while sentence is not None:
        walked.append(sentence)
        sentence = document.next_sentence(sentence)
    assert walked == article_sentences(doc)
    back = []
    sentence = document.last_sentence()
    while sentence is not None:
        back.append(sentence)
        sentence = document.previous_sentence(sentence)
    assert back == walked[::-1]


async def test_any_sequence_of_reader_keys_keeps_the_cursor_on_a_visible_sentence() -> None:
    """A seeded random walk over every reading key: the state stays consistent."""
    doc = long_article()
    third = doc.text.index("Sentence 3-1")
    marks = [annotation("h1", Span(third, third + 30), "blue")]
    keys = [key for binding in ReadingPane.BINDINGS for key in binding.key.split(",")]  # type: ignore[union-attr]
    keys = [key for key in keys if key not in ("c", "slash")] + ["6", "0", "x"]
    sentences = set(article_sentences(doc))
    rng = random.Random(20250114)
    app = PaneApp(doc, marks)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        pane.search("ordinary")
        for _ in range(100):
            await pilot.press(rng.choice(keys))
            assert pane.cursor in sentences
            layout = pane.text_layout
            assert layout is not None
            top = pane.scroll_offset.y
            height = pane.scrollable_content_region.height
            first = layout.line_of(pane.cursor.start)
            last = layout.line_of(pane.cursor.end - 1)
            assert first < top + height and last >= top  # some of it is on screen
            if pane.selection is not None:
                assert 0 <= pane.selection.start < pane.selection.end <= len(doc.text)
        assert app.is_running


@settings(max_examples=150, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=8),
    query=st.tuples(st.integers(0, 90), st.integers(1, 20)),
)
def test_annotation_lookup_matches_a_plain_scan(
    spans: list[tuple[int, int]], query: tuple[int, int]
) -> None:
    marks = [
        annotation(f"a{i}", Span(start, min(start + length, 100)))
        for i, (start, length) in enumerate(spans)
    ]
    index = AnnotationIndex(marks, 100)
    start, end = query[0], query[0] + query[1]
    expected = sorted(
        (m for m in marks if m.start < end and m.end > start), key=lambda m: (m.start, m.end)
    )
    assert [m.id for m in index.overlapping(start, end)] == [m.id for m in expected]
    here = index.at(Span(start, end))
    if expected:
        assert here is not None and here.start < end and here.end > start
    else:
        assert here is None


@settings(max_examples=150, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 9000), st.integers(1, 6000)), max_size=12),
    query=st.tuples(st.integers(0, 10_000), st.integers(1, 300)),
)
def test_long_highlights_are_found_like_short_ones(
    spans: list[tuple[int, int]], query: tuple[int, int]
) -> None:
    """Highlights longer than LONG_HIGHLIGHT are looked up apart: same answers."""
    marks = [
        annotation(f"a{i}", Span(start, min(start + length, 10_000)))
        for i, (start, length) in enumerate(spans)
    ]
    index = AnnotationIndex(marks, 10_000)
    start, end = query[0], query[0] + query[1]
    expected = sorted(
        (m for m in marks if m.start < end and m.end > start), key=lambda m: (m.start, m.end)
    )
    assert [(m.start, m.end) for m in index.overlapping(start, end)] == [
        (m.start, m.end) for m in expected
    ]


async def test_colour_labels_from_the_screen_name_the_highlight_here() -> None:
    app = PaneApp(article(), [annotation("h1", ALPHA, "green")])
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        assert pane.border_subtitle.startswith("here: key idea")
        pane.color_labels = {"green": "evidence"}
        assert pane.border_subtitle.startswith("here: evidence")


async def test_a_long_article_shows_its_first_screen_then_lays_out_the_rest() -> None:
    doc = long_article()
    app = PaneApp()
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        pane.show_article(doc, [], 0)
        # drawn at once from a layout of the first paragraphs only (the rest comes after)
        assert pane._drawn_layout is not None and not pane._drawn_layout.complete
        first_screen = [pane.render_line(y).text for y in range(SIZE[1])]
        assert any("Harbour Lights Approved" in row for row in first_screen)
        assert any("Sentence 0-0" in row for row in first_screen)
        await pilot.pause()
        layout = pane.text_layout
        assert layout is not None and layout.complete
        assert pane.virtual_size.height == len(layout.lines)  # the scrollbar is exact now
        # the same rows (the scrollbar, now shown, may shift the centred text by a cell, and
        # the cursor's sentence is marked in the gutter)
        rows = [pane.render_line(y).text.strip(" ▌") for y in range(SIZE[1])]
        assert rows == [row.strip(" ▌") for row in first_screen]
        for _ in range(60):
            await pilot.press("space")
        await pilot.pause()
        assert doc.text[pane.cursor.start :].startswith("Sentence 39-5")


async def test_a_saved_position_deep_in_a_long_article_opens_there() -> None:
    doc = long_article()
    position = doc.text.index("Sentence 33-1")
    app = PaneApp(doc, position=position)
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        assert pane.cursor.start == position
        rows = "\n".join(pane.render_line(y).text for y in range(SIZE[1]))
        assert "Sentence 33-1" in rows


async def test_a_narrow_border_keeps_the_pen_and_the_progress() -> None:
    app = PaneApp(article(), [annotation("h1", ALPHA, "green")])
    async with app.run_test(size=(34, 20)) as pilot:
        await pilot.pause()
        pane = pane_of(app)
        subtitle = str(pane.border_subtitle)
        assert "here:" not in subtitle  # the label of the highlight here goes first
        assert subtitle.startswith("pen 1") and subtitle.endswith("%")


async def test_keys_typed_faster_than_the_app_act_in_the_order_typed() -> None:
    """Typed (or pasted) without a pause between keys: r3 recolours, 2h3j highlights two
    sentences then moves three, whatever the timing."""
    app = PaneApp(article(), [annotation("h1", ALPHA, "yellow")])
    async with app.run_test(size=SIZE) as pilot:
        pane = pane_of(app)
        await pilot.pause()
        for key in ("r", "3", "p", "4", "2", "h", "3", "j"):
            pane.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        (recolour, pen) = app.received(ReadingPane.ColorRequested)
        assert (recolour.color, recolour.annotation_id) == ("blue", "h1")
        assert (pen.color, pen.annotation_id) == ("pink", None)
        (message,) = app.received(ReadingPane.HighlightRequested)
        assert (message.count, message.color) == (2, "pink")
        assert pane.cursor == DELTA
        assert pane.pending_count is None
