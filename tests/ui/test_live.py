"""One library, many windows: an open window shows what other processes change, its undo
is its own, and nothing anyone typed is lost (real ``reader`` processes beside Pilot)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from reader.service.errors import LibraryError
from reader.service.library import Library
from reader.ui.screens.main import MainScreen
from reader.ui.screens.note_conflict import NoteConflictScreen
from reader.ui.screens.note_editor import NoteEditor
from tests.ui.conftest import DOC_TREATY, ROOT, by_title, running, visible_text

#: the live view polls twice a second: a change shows within this long (seconds)
WITHIN_A_SECOND = 1.0


def reader_cli(*args: str) -> str:
    """Run a real ``reader`` process; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "reader.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def harbour_id(library: Library) -> str:
    return library.find_article("Harbour Lights").id


async def test_a_highlight_made_by_a_command_appears_without_a_key_press(
    library: Library, library_dir: Path
) -> None:
    article = harbour_id(library)
    async with running(library, open_article=article) as (app, pilot):
        screen: MainScreen = app.main_screen
        assert screen.session.annotations == []
        made = reader_cli(
            "--db",
            str(library_dir / ".reader"),
            "annotate",
            "--quote",
            "Residents had asked for better lighting for years.",
            "--note",
            "from the shell",
        ).strip()
        await pilot.pause(WITHIN_A_SECOND)
        assert [a.id for a in screen.session.annotations] == [made]
        assert "from the shell" in visible_text(screen.sidebar)
        assert screen.summaries[article].annotation_count == 1  # the list's count too


async def test_u_never_undoes_a_change_made_by_a_command(
    library: Library, library_dir: Path
) -> None:
    article = harbour_id(library)
    async with running(library, open_article=article) as (app, pilot):
        screen: MainScreen = app.main_screen
        await pilot.press("h")  # the window's own highlight, on the first sentence
        await pilot.pause()
        (mine,) = library.annotations(article)
        theirs = reader_cli(
            "--db",
            str(library_dir / ".reader"),
            "annotate",
            "--quote",
            "The mayor said the lights would be powered by the sun.",
        ).strip()
        await pilot.pause(WITHIN_A_SECOND)
        await pilot.press("u")
        await pilot.pause()
        assert [a.id for a in library.annotations(article)] == [theirs]
        assert [a.id for a in library.trash()] == [mine.id]  # undone: in the trash
        await pilot.press("u")
        await pilot.pause()
        assert [a.id for a in library.annotations(article)] == [theirs]
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)
        assert screen.session.live_count == 1


async def test_window_a_shows_window_bs_note_and_saving_keeps_both_texts(
    library: Library, library_dir: Path
) -> None:
    article = harbour_id(library)
    text = library.article(article).text  # type: ignore[union-attr]
    start = text.index("The town council")
    made = library.highlight(article, start, start + 40, note="first thought")
    async with running(library, open_article=article) as (app, pilot):
        screen: MainScreen = app.main_screen
        # window B (another process) changes the note: window A shows it by itself
        reader_cli("--db", str(library_dir / ".reader"), "edit", made.id, "--note", "B's note")
        await pilot.pause(WITHIN_A_SECOND)
        assert "B's note" in visible_text(screen.sidebar)
        # A opens the editor on B's note; B changes it again meanwhile; A saves
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.text == "B's note"
        reader_cli("--db", str(library_dir / ".reader"), "edit", made.id, "--note", "B again")
        await pilot.press(*" plus A's words", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteConflictScreen)  # nothing was overwritten
        # a command changed it, not a window: the dialog does not say "another window"
        title = str(app.screen.query_one("#dialog").border_title)
        assert title == "The note was changed meanwhile (another window or a command)"
        assert library.store.get_annotation(made.id).note == "B again"  # type: ignore[union-attr]
        await pilot.press("b")  # keep both
        await pilot.pause()
        assert app.screen is screen
        stored = library.store.get_annotation(made.id)
        assert stored is not None and stored.note == "B again\n\nB's note plus A's words"


async def test_h_after_an_outside_import_marks_whole_words_of_one_paragraph(
    library: Library, library_dir: Path
) -> None:
    article = harbour_id(library)
    async with running(library, open_article=article) as (app, pilot):
        screen: MainScreen = app.main_screen
        await pilot.press("J")  # the second paragraph's first sentence
        await pilot.pause()
        wanted = "Residents had asked for better lighting for years."
        assert screen.pane.article is not None
        cursor = screen.pane.cursor
        assert screen.pane.article.text[cursor.start : cursor.end].strip() == wanted
        # a paragraph is inserted above the cursor and imported by another process
        edited = DOC_TREATY.replace(
            "Residents had asked",
            "A paragraph was inserted here by an editor.\nResidents had asked",
        )
        (library_dir / "harbour.txt").write_text(edited, encoding="utf-8")
        reader_cli("--db", str(library_dir / ".reader"), "import", str(library_dir))
        await pilot.press("h")  # at once: the window may still show the old text
        await pilot.pause(WITHIN_A_SECOND)
        (made,) = library.annotations(article)
        new_text = library.article(article).text  # type: ignore[union-attr]
        assert made.quote == wanted == new_text[made.start : made.end]
        assert made.status == "anchored"
        # and the window shows the new text, the cursor still on its sentence
        assert screen.pane.article is not None and "inserted here" in screen.pane.article.text
        cursor = screen.pane.cursor
        assert screen.pane.article.text[cursor.start : cursor.end].strip() == wanted


async def test_n_then_escape_makes_no_highlight(library: Library) -> None:
    article = harbour_id(library)
    async with running(library, open_article=article) as (app, pilot):
        for key in ("n", "t"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
        assert library.annotations(article) == []


async def test_a_note_that_cannot_be_saved_stays_in_the_editor(
    library: Library, monkeypatch: Any
) -> None:
    article = harbour_id(library)
    text = library.article(article).text  # type: ignore[union-attr]
    made = library.highlight(article, 0, text.index(".") + 1)
    async with running(library, open_article=article) as (app, pilot):
        real = library.set_note

        def full_disk(*_args: Any, **_kwargs: Any) -> Any:
            raise LibraryError("notes.json: cannot write (No space left on device)")

        monkeypatch.setattr(library, "set_note", full_disk)
        await pilot.press("n", *"a long thought")
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.text == "a long thought"
        assert "No space left on device" in visible_text(editor.query_one("#error"))
        monkeypatch.setattr(library, "set_note", real)
        await pilot.press("ctrl+s")  # room again
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert library.store.get_annotation(made.id).note == "a long thought"  # type: ignore[union-attr]


async def test_a_renamed_file_keeps_its_highlights_in_the_window(
    library: Library, library_dir: Path
) -> None:
    article = harbour_id(library)
    text = library.article(article).text  # type: ignore[union-attr]
    made = library.highlight(article, 0, text.index(".") + 1, note="kept")
    (library_dir / "harbour.txt").rename(library_dir / "harbour-lights-2024.txt")
    reopened = Library.open(library_dir)
    async with running(reopened, open_article=article) as (app, _pilot):
        screen: MainScreen = app.main_screen
        assert screen.article is not None and screen.article.id == article
        (kept,) = screen.session.annotations
        assert kept.id == made.id and kept.status == "anchored" and kept.note == "kept"
        assert "orphaned" not in visible_text(screen.sidebar)


async def test_a_document_edited_while_open_shows_its_new_text(
    library: Library, library_dir: Path
) -> None:
    """Another program saves the open clipping: the pane shows the new words, no key pressed."""
    from tests.ui.conftest import settle

    article = harbour_id(library)
    async with running(library, open_article=article) as (app, pilot):
        screen: MainScreen = app.main_screen
        await settle(app, pilot)  # the first import ran: the folder is watched
        path = library_dir / "harbour.txt"
        path.write_text(
            path.read_text("utf-8").replace("Residents had asked", "Fishermen had asked"),
            "utf-8",
        )
        for _ in range(40):  # the watch batches changes for 0.3 s; the import follows
            await pilot.pause(0.1)
            if screen.article is not None and "Fishermen had asked" in screen.article.text:
                break
        assert screen.article is not None and "Fishermen had asked" in screen.article.text
        assert "Fishermen had asked" in visible_text(screen.pane)


async def test_an_unreadable_file_is_named_once_not_at_every_save(
    library: Library, library_dir: Path
) -> None:
    from tests.ui.conftest import settle

    (library_dir / "empty.txt").write_text("", encoding="utf-8")
    async with running(library) as (app, pilot):
        screen: MainScreen = app.main_screen
        await settle(app, pilot)

        def named() -> int:
            return sum("empty.txt" in str(n.message) for n in app._notifications)

        assert named() == 1
        path = library_dir / "harbour.txt"
        path.write_text(path.read_text("utf-8").replace("Residents", "Neighbours"), "utf-8")
        for _ in range(40):  # the watch's import of the saved document
            await pilot.pause(0.1)
            if screen.article is not None and "Neighbours" in (
                library.article(by_title(library, "Harbour")).text  # type: ignore[union-attr]
            ):
                break
        await settle(app, pilot)
        assert named() == 1
