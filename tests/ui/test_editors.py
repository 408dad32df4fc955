"""Dialogs: note editor, tag editor (with completion), search prompt, help, trash."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.content import Content
from textual.widgets import Input, OptionList, Static, TextArea

from reader.core.models import Annotation
from reader.ui.keys import ACTIONS, CONTEXTS
from reader.ui.screens.help import HelpScreen, help_content
from reader.ui.screens.input_prompt import InputPrompt
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.screens.tag_editor import TagEditor, TagSuggester, normalised_note, split_tags
from reader.ui.screens.trash import TrashScreen
from tests.ui.conftest import visible_text


class DialogHost(App[None]):
    """Pushes one dialog and keeps what it dismissed with."""

    def __init__(self, dialog: Any) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


async def test_note_editor_saves_multiline_text_with_ctrl_s_and_q_types() -> None:
    app = DialogHost(NoteEditor("old", quote="the [b]quote[/b]"))
    async with app.run_test() as pilot:
        area = app.screen.query_one(TextArea)
        assert app.focused is area
        await pilot.press("space", "q", "enter", "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == ["old q\nx"]
        assert app.is_running  # q typed a letter, it did not quit


async def test_note_editor_escape_cancels() -> None:
    app = DialogHost(NoteEditor("keep me"))
    async with app.run_test() as pilot:
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert app.results == [None]


async def test_note_editor_escape_asks_before_throwing_away_what_was_typed() -> None:
    editor = NoteEditor("keep me")
    app = DialogHost(editor)
    async with app.run_test() as pilot:
        await pilot.press(*" and this long thought", "escape")
        await pilot.pause()
        assert app.results == [] and app.screen is editor  # still open, the text kept
        assert editor.text == "keep me and this long thought"
        assert "esc again discards" in str(editor.query_one("#dialog").border_subtitle)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_a_note_that_could_not_be_saved_stays_in_the_editor() -> None:
    attempts: list[str] = []

    def save(text: str) -> bool | str:
        attempts.append(text)
        return "No space left on device" if len(attempts) == 1 else True

    editor = NoteEditor("", save=save)
    app = DialogHost(editor)
    async with app.run_test() as pilot:
        await pilot.press(*"my note", "ctrl+s")
        await pilot.pause()
        assert app.results == [] and editor.text == "my note"
        assert "No space left on device" in visible_text(editor.query_one("#error"))
        await pilot.press("ctrl+s")  # the disk has room again
        await pilot.pause()
        assert app.results == ["my note"] and attempts == ["my note", "my note"]


async def test_note_editor_shows_the_quote_literally() -> None:
    app = DialogHost(NoteEditor("", quote="the [b]quote[/b]"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "the [b]quote[/b]" in visible_text(app.screen.query_one("#quote"))


def test_split_tags_normalises() -> None:
    assert split_tags(" Treaty, #Iran ,, big deal,treaty") == ["treaty", "iran", "big-deal"]
    assert split_tags("") == []


async def test_tag_suggester_completes_the_tag_being_typed() -> None:
    suggester = TagSuggester(["treaty", "trade", "iran"])
    assert await suggester.get_suggestion("tre") == "treaty"
    assert await suggester.get_suggestion("iran, tr") == "iran, trade"
    assert await suggester.get_suggestion("iran, #tre") == "iran, #treaty"
    assert await suggester.get_suggestion("treaty, ") is None
    assert await suggester.get_suggestion("treaty") is None  # already complete
    assert await suggester.get_suggestion("trade, tra") is None  # already listed
    assert await suggester.get_suggestion("zzz") is None


async def test_tag_editor_completes_and_saves_normalised_tags() -> None:
    app = DialogHost(TagEditor(["iran"], {"treaty": 3, "iran": 1}))
    async with app.run_test() as pilot:
        tag_input = app.screen.query_one(Input)
        assert tag_input.value == "iran"
        await pilot.press("comma", "space", "t", "r")
        await pilot.pause()
        await pilot.press("right")  # accept the suggestion
        assert tag_input.value == "iran, treaty"
        await pilot.press("comma", "space", "B", "i", "g", "space", "Q")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [["iran", "treaty", "big-q"]]


async def test_tag_editor_ctrl_s_saves_and_escape_cancels() -> None:
    app = DialogHost(TagEditor([], {}))
    async with app.run_test() as pilot:
        await pilot.press("a", "ctrl+s")
        await pilot.pause()
        assert app.results == [["a"]]
    app = DialogHost(TagEditor(["x"], {}))
    async with app.run_test() as pilot:
        await pilot.press("a", "escape")
        await pilot.pause()
        assert app.results == [None]


async def test_input_prompt_answers_or_cancels() -> None:
    app = DialogHost(InputPrompt("Search"))
    async with app.run_test() as pilot:
        await pilot.press("p", "a", "c", "t", "enter")
        await pilot.pause()
        assert app.results == ["pact"]
    app = DialogHost(InputPrompt("Search"))
    async with app.run_test() as pilot:
        await pilot.press("p", "escape")
        await pilot.pause()
        assert app.results == [None]


def test_help_lists_every_action_under_its_context() -> None:
    text = help_content(width=70).plain
    flat = " ".join(text.split())  # help lines wrap under their first line
    for title in CONTEXTS.values():
        assert title in text
    for action in ACTIONS:
        assert " ".join(action.help.split()) in flat
    assert max(len(line) for line in text.splitlines()) <= 70
    assert "Dialogs" in text and "o keeps the orphan" in flat
    assert text.index("Reading pane") < text.index("Highlight the selection")
    assert text.index("Annotation sidebar") > text.index("Highlight the selection")


async def test_help_scrolls_and_closes_with_escape_q_and_question_mark() -> None:
    for key in ("escape", "q", "question_mark"):
        app = DialogHost(HelpScreen())
        async with app.run_test(size=(100, 20)) as pilot:
            await pilot.press("j", "j", "k")
            await pilot.press(key)
            await pilot.pause()
            assert app.results == [None], key


async def test_trash_restores_with_enter_and_removes_the_row() -> None:
    deleted = [
        (
            Annotation(
                id="a1",
                article_id="x",
                quote="first quote",
                start=0,
                end=5,
                deleted="2025-01-02T03:04:05+00:00",
            ),
            "Article [b]X[/b]",
        ),
        (
            Annotation(
                id="a2",
                article_id="x",
                quote="second quote",
                start=9,
                end=15,
                deleted="2025-01-01T00:00:00+00:00",
            ),
            "Article X",
        ),
    ]
    restored: list[str] = []

    def restore(annotation_id: str) -> bool:
        restored.append(annotation_id)
        return annotation_id != "a2"  # a2 fails to restore and stays listed

    app = DialogHost(TrashScreen(deleted, restore))
    async with app.run_test() as pilot:
        options = app.screen.query_one(OptionList)
        assert "Article [b]X[/b]" in visible_text(options)
        await pilot.press("enter")
        await pilot.pause()
        assert restored == ["a1"]
        assert [o.id for o in options.options] == ["a2"]
        await pilot.press("enter")
        await pilot.pause()
        assert restored == ["a1", "a2"]
        assert [o.id for o in options.options] == ["a2"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_empty_trash_says_so() -> None:
    app = DialogHost(TrashScreen([], lambda _id: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "The trash is empty." in visible_text(app.screen.query_one(OptionList))
        await pilot.press("enter", "q")
        await pilot.pause()
        assert app.results == [None]


async def test_tag_editor_title_is_literal_text() -> None:
    app = DialogHost(
        TagEditor([], {}, title="Tags of the article: [b]Bold[/b] [@click=app.quit]x[/]")
    )
    async with app.run_test() as pilot:
        await pilot.pause()
        dialog = app.screen.query_one("#dialog")
        assert dialog.border_title is not None
        assert "[b]Bold[/b]" in Content.from_markup(dialog.border_title).plain


def test_sidebar_and_lists_render_stored_escape_sequences_as_nothing() -> None:
    """A note stored raw (by an older reader or another tool) never reaches the terminal."""
    from reader.core.models import Annotation
    from reader.ui.widgets.sidebar import annotation_row

    raw = Annotation(
        id="a1",
        article_id="b1",
        quote="q\x1b]52;c;cGF5bG9hZA==\x07uote",
        start=0,
        end=5,
        note="n\x1b[2Jote\x1b]0;title\x07 \u202e",
        tags=["t\x1b[31m"],
    )
    plain = annotation_row(raw, {}).plain
    assert "\x1b" not in plain and "\x07" not in plain and "\u202e" not in plain
    assert "quote" in plain and "note <U+202E>" in plain


def test_normalised_note_says_how_tags_will_be_saved() -> None:
    assert normalised_note("Marine Biology, iran") == "saved as #marine-biology #iran"
    assert normalised_note("marine-biology, #iran") == ""
    assert normalised_note("") == ""


async def test_tag_editor_tells_the_person_when_tags_are_normalised() -> None:
    app = DialogHost(TagEditor([], {}))
    async with app.run_test() as pilot:
        note = app.screen.query_one("#normalised", Static)
        await pilot.press(*"ocean")
        await pilot.pause()
        assert str(note.render()) == ""
        await pilot.press(*", Marine Biology")
        await pilot.pause()
        assert str(note.render()) == "saved as #ocean #marine-biology"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [["ocean", "marine-biology"]]


async def test_trash_says_it_is_empty_once_its_last_item_is_restored() -> None:
    deleted = [
        (
            Annotation(id="a1", article_id="x", quote="only", start=0, end=4, deleted="2025-01-02"),
            "Article",
        )
    ]
    app = DialogHost(TrashScreen(deleted, lambda _id: True))
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert "The trash is empty." in visible_text(options)
        assert "Trash (0)" in str(app.screen.query_one("#dialog").border_title)
