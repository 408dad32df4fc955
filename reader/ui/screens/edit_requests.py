"""What the main screen does with the reading pane's and the sidebar's edit requests.

A part of :class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in): it asks the
screen's :class:`~reader.service.session.ReadingSession` to make each change, opens the
editors, and shows the result. Editors save through the session and stay open, with the text
as typed, when a write fails; a note changed in another window meanwhile is never
overwritten without the person choosing (theirs, yours, or both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.models import COLORS, Annotation
from reader.service.changes import EditConflict
from reader.service.errors import LibraryError
from reader.service.session import Pending
from reader.service.undo import Undone
from reader.ui.guard import guard

if TYPE_CHECKING:
    from reader.service.session import ReadingSession
    from reader.ui.screens.main import MainScreen
    from reader.ui.screens.note_editor import NoteEditor
    from reader.ui.widgets import reading_messages as pane_messages

#: what a highlight request that made nothing new, or extended one, tells the person
OUTCOME_NOTES = {
    "exists": "Already highlighted",
    "extended": "Extended the highlight here",
}


class EditRequests:
    """Highlights, notes, tags, colours, deletion and undo, as the panes ask for them."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    @property
    def session(self) -> ReadingSession:
        """The screen's reading session."""
        return self.screen.session

    # ------------------------------------------------------------------ highlighting
    def highlight(self, event: pane_messages.HighlightRequested) -> None:
        """``h``: highlight the selection or the cursor's sentences with the pen the pane
        showed (the pane owns the pen; the session follows it)."""
        if event.color is not None:
            self.session.set_pen(event.color)
        self._mark(lambda: self.session.highlight(event.start, event.end).outcome)

    def repeat(self, start: int, end: int) -> None:
        """``.``: the last highlight's colour and tags on the cursor's sentence."""
        self._mark(lambda: self.session.repeat(start, end).outcome)

    def _mark(self, make: object) -> None:
        outcome = ""
        with guard(self.screen):
            outcome = make()  # type: ignore[operator]
        if outcome in OUTCOME_NOTES:
            self.screen.notify(OUTCOME_NOTES[outcome], timeout=2)
        self._shown_changed()

    def color(self, color: str, annotation_id: str | None) -> None:
        """``p`` + digit: the pen's colour; ``r`` + digit: the colour of the highlight here."""
        color = color if color in COLORS else self.session.pen
        label = self.screen.labels.get(color, color)
        if annotation_id is None:
            self.session.set_pen(color)
            self.screen.notify(f"Pen: {color} ({label})", timeout=2, markup=False)
            return
        with guard(self.screen):
            self.session.recolor(annotation_id, color)
        self._shown_changed()

    # ------------------------------------------------------------------ notes and tags
    def note(self, annotation_id: str | None, start: int, end: int) -> None:
        """``n``: the note editor on the highlight here, or on the passage (the highlight
        is made when a note is saved; closing the editor makes nothing)."""
        found = self.session.find(annotation_id) if annotation_id is not None else None
        self.edit_note(found or Pending(start, end))

    def edit_note(self, target: Annotation | Pending) -> None:
        """Open the note editor on a highlight (or a passage); it saves through the session."""
        from reader.ui.screens.note_editor import NoteEditor  # dialogs load when first opened

        article = self.session.article
        if isinstance(target, Annotation):
            note, quote = target.note, target.quote
        else:
            note, quote = "", article.text[target.start : target.end] if article else ""
        editor = NoteEditor(note, quote, save=lambda text: self._save_note(editor, target, text))
        self.screen.app.push_screen(editor)

    def _save_note(self, editor: NoteEditor, target: Annotation | Pending, text: str) -> bool | str:
        try:
            self.session.save_note(target, text)
        except EditConflict as conflict:
            self._resolve_conflict(editor, conflict, text)
            return False
        except LibraryError as error:
            return str(error)
        self._shown_changed()
        return True

    def _resolve_conflict(self, editor: NoteEditor, conflict: EditConflict, yours: str) -> None:
        from reader.ui.screens.note_conflict import (
            BOTH,
            THEIRS,
            NoteConflictScreen,
            both_notes,
        )

        current = conflict.current
        theirs = current.note

        def chosen(choice: str | None) -> None:
            if choice is None:
                return  # back to the editor, the text as typed
            note = (
                theirs
                if choice == THEIRS
                else both_notes(theirs, yours)
                if choice == BOTH
                else yours
            )
            # saved over what this dialog showed: a third change meanwhile asks again
            editor_target = current
            outcome = self._save_note(editor, editor_target, note)
            if outcome is True:
                editor.dismiss(note)
            elif isinstance(outcome, str):
                editor.show_error(f"Not saved: {outcome}")

        self.session.reload()
        self._shown_changed()
        self.screen.app.push_screen(NoteConflictScreen(theirs, yours), chosen)

    def tags(self, annotation_id: str | None, start: int, end: int) -> None:
        """``t``: the tag editor on the highlight here, or on the passage."""
        found = self.session.find(annotation_id) if annotation_id is not None else None
        target: Annotation | Pending = found or Pending(start, end)
        known: dict[str, int] = {}
        with guard(self.screen):
            known = self.screen.library.all_tags()
        from reader.ui.screens.tag_editor import TagEditor

        current = target.tags if isinstance(target, Annotation) else []
        #: what the editor was opened on; after a conflict, the tags as they are now
        seen: list[Annotation | Pending] = [target]

        def save(tags: list[str]) -> bool | str:
            try:
                self.session.save_tags(seen[0], tags)
            except EditConflict as conflict:
                seen[0] = conflict.current  # a second save replaces what is there now
                now = ", ".join(f"#{t}" for t in conflict.current.tags) or "none"
                return f"the tags were changed elsewhere meanwhile (now: {now}); save again"
            except LibraryError as error:
                return str(error)
            self._shown_changed()
            return True

        editor = TagEditor(current, known, title="Tags of the highlight", save=save)
        self.screen.app.push_screen(editor)

    def article_tags(self, article_id: str) -> None:
        """``t`` in the list: the article's own tags."""
        summary = self.screen.summaries.get(article_id)
        if summary is None:
            return
        known: dict[str, int] = {}
        with guard(self.screen):
            known = self.screen.library.all_tags()

        def save(tags: list[str]) -> bool | str:
            try:
                self.screen.library.set_article_tags(summary.id, tags)
            except LibraryError as error:
                return str(error)
            summary.tags = list(tags)
            self.screen.article_list.update_article(summary)
            return True

        from reader.ui.screens.tag_editor import TagEditor  # dialogs load when first opened

        title = f"Tags of the article: {summary.title}"[:70]
        self.screen.app.push_screen(TagEditor(summary.tags, known, title=title, save=save))

    def toggle_read(self) -> None:
        """``m``: mark the open article read, or unread again (its row shows it)."""
        screen = self.screen
        article = screen.article
        if article is None:
            return
        read = False
        with guard(screen):
            read = self.session.toggle_read()
            summary = screen.summaries.get(article.id)
            if summary is not None:
                summary.read = read
                screen.article_list.update_article(summary)
            screen.notify("Marked read" if read else "Marked unread", timeout=2)

    # ------------------------------------------------------------------ deleting, undo
    def delete(self, annotation_id: str) -> None:
        """``x``: move a highlight to the trash."""
        with guard(self.screen):
            self.session.delete(annotation_id)
            self.screen.notify(
                "Highlight moved to the trash (u undoes, ctrl+t shows it)", timeout=3
            )
        self._shown_changed()

    def undo(self) -> None:
        """``u``: undo this window's last change."""
        self._step(undo=True)

    def redo(self) -> None:
        """``ctrl+r``: redo what ``u`` undid."""
        self._step(undo=False)

    def _step(self, *, undo: bool) -> None:
        done: Undone | None = None
        with guard(self.screen):
            done = self.session.undo() if undo else self.session.redo()
            if done is None:
                self.screen.notify("Nothing to undo" if undo else "Nothing to redo", timeout=2)
        if done is None:
            return
        refused = done.message.startswith("Not ")
        self.screen.notify(
            done.message, timeout=3, markup=False, severity="warning" if refused else "information"
        )
        if done.tags is not None:
            self.screen.filters.tags_changed()
            return
        if done.article_id is not None:  # an article's own tags or note: its row, its note
            self.screen.poll_changes()
            return
        for article_id in done.article_ids:
            if self.session.article is None or article_id != self.session.article.id:
                self.screen.contents.refresh_counts(article_id)
        self._shown_changed()

    # ------------------------------------------------------------------ orphans
    def reattach(self, start: int, end: int) -> None:
        """``a``: the selected orphan's note and tags onto the passage here."""
        orphan = self.screen.sidebar.selected_annotation
        if orphan is None or orphan.status != "orphaned":
            orphans = [
                a for a in self.session.annotations if a.status == "orphaned" and not a.deleted
            ]
            if len(orphans) != 1:
                self.screen.notify(
                    "Select the orphaned highlight to move in the sidebar first"
                    if orphans
                    else "This article has no orphaned highlight to attach",
                    severity="warning",
                )
                return
            orphan = orphans[0]  # the only one: no need to pick it
        with guard(self.screen):
            self.session.reattach(orphan.id, start, end)
            self.screen.notify("Note and tags moved to this passage", timeout=3)
        self._shown_changed()

    def jump(self, annotation_id: str) -> None:
        """``enter`` in the sidebar: the reading pane to the passage."""
        annotation = self.session.find(annotation_id)
        if annotation is None:
            return
        if annotation.status == "orphaned":
            self.screen.notify(
                "Its passage is gone: put the cursor on the new one and press a",
                severity="warning",
            )
            return
        self.screen.pane.jump_to(annotation.start)
        self.screen.pane.focus()

    def _shown_changed(self) -> None:
        self.screen.show_annotations()
