"""The main screen's annotation edits: what it does with the reading pane's and the sidebar's
requests. Every write goes through the Library; failures become notifications.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from reader.core.models import (
    COLORS,
    DEFAULT_COLOR,
    DEFAULT_COLOR_LABELS,
    Annotation,
)
from reader.service.library import LibraryError, TagRename
from reader.ui.screens.main_parts import MainScreenParts
from reader.ui.widgets import reading_messages as pane_messages
from reader.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    pass

#: what a failed library call may raise; anything else is a bug and should surface
EXPECTED_ERRORS = (LibraryError,)


@contextmanager
def guard(node: Any) -> Iterator[None]:
    """Turn an expected failure of the body into an error notification."""
    try:
        yield
    except EXPECTED_ERRORS as error:
        node.notify(str(error) or type(error).__name__, severity="error", markup=False)


class EditsMixin(MainScreenParts):
    """Handlers for annotation requests; mixed into MainScreen (which provides the widgets).

    Handlers are named ``on_<namespace>_<message>``: ``@on`` decorators are only collected
    from classes built by Textual's metaclass, which a plain mixin is not.
    """

    pen: str

    def init_edit_state(self) -> None:
        """The editing state the screen owns."""
        self.article = None
        self.annotations = []
        self.pen = DEFAULT_COLOR
        #: colour and tags of the last highlight made, for ``.``
        self.last_highlight: tuple[str, list[str]] | None = None
        self._last_highlight_id: str | None = None
        #: how to revert the last colour key: ("pen", old) or ("annotation", id)
        self._last_color_change: tuple[str, str] | None = None
        self._labels: dict[str, str] | None = None

    @property
    def labels(self) -> dict[str, str]:
        """Colour -> meaning, read once from the library."""
        if self._labels is None:
            self._labels = dict(DEFAULT_COLOR_LABELS)
            with guard(self):
                self._labels = self.library.settings.color_labels()
        return self._labels

    # ------------------------------------------------------------------ helpers
    def reload_annotations(self) -> None:
        """Read the open article's highlights again and show them everywhere."""
        if self.article is None:
            return
        with guard(self):
            self.annotations = self.library.annotations(self.article.id)
        self.pane.set_annotations(self.annotations)
        self.sidebar.show_annotations(self.annotations, self.labels)
        here = self.pane.annotation_at_cursor()
        if here is not None and not self.sidebar.has_focus:  # don't move the user's choice
            self.sidebar.select_annotation(here.id)
        self.refresh_counts(self.article.id)

    def _find(self, annotation_id: str) -> Annotation | None:
        return next((a for a in self.annotations if a.id == annotation_id), None)

    def _highlight(self, start: int, end: int, color: str, tags: list[str]) -> Annotation | None:
        if self.article is None:
            return None
        made: Annotation | None = None
        with guard(self):
            made = self.library.highlight(self.article.id, start, end, color=color, tags=tags)
            self.last_highlight = (made.color, list(made.tags))
            self._last_highlight_id = made.id
        self.reload_annotations()
        return made

    def _target(self, annotation_id: str | None, start: int, end: int) -> Annotation | None:
        """The highlight to edit: the given one, or a new one over ``[start, end)``."""
        if annotation_id is not None:
            return self._find(annotation_id)
        return self._highlight(start, end, self.pen, [])

    # ------------------------------------------------------------------ pane requests
    def on_reading_pane_highlight_requested(self, event: pane_messages.HighlightRequested) -> None:
        if event.revert_color:
            self._revert_color_change()
        self._last_color_change = None
        self._highlight(event.start, event.end, self.pen, [])

    def _revert_color_change(self) -> None:
        change, self._last_color_change = self._last_color_change, None
        if change is None:
            return
        kind, value = change
        if kind == "pen":
            self.pen = value
            return
        with guard(self):
            undone = self.library.undo()  # the recolour was the last change made
            if undone is not None and getattr(undone, "id", None) != value:
                self.library.redo()  # not ours after all: put it back
        self.reload_annotations()

    def on_reading_pane_repeat_requested(self, event: pane_messages.RepeatRequested) -> None:
        color, tags = self.last_highlight or (self.pen, [])
        self._highlight(event.start, event.end, color, tags)

    def on_reading_pane_color_requested(self, event: pane_messages.ColorRequested) -> None:
        color = event.color if event.color in COLORS else self.pen
        label = self.labels.get(color, color)
        if event.annotation_id is None:
            self._last_color_change = ("pen", self.pen)
            self.pen = color
            self.notify(f"Pen: {color} ({label})", timeout=2, markup=False)
            return
        self._last_color_change = None
        with guard(self):
            changed = self.library.set_color(event.annotation_id, color)
            self._last_color_change = ("annotation", changed.id)
            if changed.id == self._last_highlight_id and self.last_highlight is not None:
                self.last_highlight = (changed.color, self.last_highlight[1])
        self.reload_annotations()

    def on_reading_pane_note_requested(self, event: pane_messages.NoteRequested) -> None:
        target = self._target(event.annotation_id, event.start, event.end)
        if target is not None:
            self.edit_note(target)

    def edit_note(self, annotation: Annotation) -> None:
        """Open the note editor on a highlight; save what comes back."""

        def save(note: str | None) -> None:
            if note is None or note == annotation.note:
                return
            with guard(self):
                self.library.set_note(annotation.id, note)
            self.reload_annotations()

        from reader.ui.screens.note_editor import NoteEditor  # dialogs load when first opened

        self.app.push_screen(NoteEditor(annotation.note, annotation.quote), save)

    def on_reading_pane_tags_requested(self, event: pane_messages.TagsRequested) -> None:
        target = self._target(event.annotation_id, event.start, event.end)
        if target is None:
            return
        known: dict[str, int] = {}
        with guard(self):
            known = self.library.all_tags()

        def save(tags: list[str] | None) -> None:
            if tags is None or tags == target.tags:
                return
            with guard(self):
                changed = self.library.set_tags(target.id, tags)
                if changed.id == self._last_highlight_id:
                    self.last_highlight = (changed.color, list(changed.tags))
            self.reload_annotations()

        from reader.ui.screens.tag_editor import TagEditor

        self.app.push_screen(TagEditor(target.tags, known, title="Tags of the highlight"), save)

    def on_reading_pane_delete_requested(self, event: pane_messages.DeleteRequested) -> None:
        self.delete_annotation(event.annotation_id)

    def on_sidebar_delete_requested(self, event: Sidebar.DeleteRequested) -> None:
        self.delete_annotation(event.annotation_id)

    def delete_annotation(self, annotation_id: str) -> None:
        """Move a highlight to the trash."""
        with guard(self):
            self.library.delete(annotation_id)
            self.notify("Highlight moved to the trash (u undoes)", timeout=3)
        self.reload_annotations()

    def on_reading_pane_undo_requested(self) -> None:
        self._undo_redo(undo=True)

    def on_reading_pane_redo_requested(self) -> None:
        self._undo_redo(undo=False)

    def _undo_redo(self, *, undo: bool) -> None:
        self._last_color_change = None
        with guard(self):
            changed = self.library.undo() if undo else self.library.redo()
            if changed is None:
                self.notify("Nothing to undo" if undo else "Nothing to redo", timeout=2)
                return
            if isinstance(changed, TagRename):
                self.tags_changed()
                self.notify(
                    f"{'Undid' if undo else 'Redid'} renaming #{changed.old} to #{changed.new}",
                    timeout=3,
                    markup=False,
                )
                return
            if self.article is None or changed.article_id != self.article.id:
                self.refresh_counts(changed.article_id)
                self.notify(
                    f"{'Undid' if undo else 'Redid'} a change in another article", timeout=3
                )
        self.reload_annotations()

    def on_reading_pane_search_requested(self) -> None:
        def search(text: str | None) -> None:
            if text is not None:
                self.pane.search(text)

        from reader.ui.screens.input_prompt import InputPrompt

        self.app.push_screen(InputPrompt("Search this article", placeholder="words"), search)

    def on_reading_pane_reattach_requested(self, event: pane_messages.ReattachRequested) -> None:
        orphan = self.sidebar.selected_annotation
        if orphan is None or orphan.status != "orphaned":
            orphans = [a for a in self.annotations if a.status == "orphaned" and not a.deleted]
            if len(orphans) != 1:
                self.notify(
                    "Select the orphaned highlight to move in the sidebar first"
                    if orphans
                    else "This article has no orphaned highlight to attach",
                    severity="warning",
                )
                return
            orphan = orphans[0]  # the only one: no need to pick it
        with guard(self):
            self.library.reattach(orphan.id, event.start, event.end)
            self.notify("Note and tags moved to this passage", timeout=3)
        self.reload_annotations()

    # ------------------------------------------------------------------ sidebar requests
    def on_sidebar_jump_requested(self, event: Sidebar.JumpRequested) -> None:
        annotation = self._find(event.annotation_id)
        if annotation is None:
            return
        if annotation.status == "orphaned":
            self.notify(
                "Its passage is gone: put the cursor on the new one and press a", severity="warning"
            )
            return
        self.pane.jump_to(annotation.start)
        self.pane.focus()

    def on_sidebar_edit_note_requested(self, event: Sidebar.EditNoteRequested) -> None:
        annotation = self._find(event.annotation_id)
        if annotation is not None:
            self.edit_note(annotation)
