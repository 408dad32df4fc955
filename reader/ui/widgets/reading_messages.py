"""The messages the reading pane posts (the screen acts on them; the pane never edits data).

They are exposed as nested classes of :class:`~reader.ui.widgets.reading_pane.ReadingPane`
(``ReadingPane.HighlightRequested`` ...), so handlers are named
``on_reading_pane_highlight_requested`` and so on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from reader.ui.widgets.reading_view import ReadingView


class PaneMessage(Message):
    """Base of the reading pane's messages: remembers the pane that posted it."""

    def __init__(self, pane: ReadingView) -> None:
        super().__init__()
        self.pane = pane

    @property
    def control(self) -> ReadingView:
        """The reading pane that posted the message."""
        return self.pane


class HighlightRequested(PaneMessage, namespace="reading_pane"):
    """Highlight ``[start, end)`` of the article text in ``color``.

    ``color`` is the pen colour the pane's border showed when ``h`` was pressed (the pane
    owns the pen: ``p`` then 1..5 sets it); ``count`` is the number of sentences asked for
    with a count prefix (``3h``), else None.
    """

    def __init__(
        self,
        pane: ReadingView,
        start: int,
        end: int,
        count: int | None = None,
        color: str | None = None,
    ) -> None:
        super().__init__(pane)
        self.start = start
        self.end = end
        self.count = count
        self.color = color


class RepeatRequested(PaneMessage, namespace="reading_pane"):
    """Repeat the last highlight (its colour and tags) on ``[start, end)``."""

    def __init__(self, pane: ReadingView, start: int, end: int) -> None:
        super().__init__(pane)
        self.start = start
        self.end = end


class ColorRequested(PaneMessage, namespace="reading_pane"):
    """``r`` then a colour: recolour ``annotation_id``; ``p`` then a colour (``annotation_id``
    None): the pane's pen is now ``color`` (the screen may keep it and say so)."""

    def __init__(self, pane: ReadingView, color: str, annotation_id: str | None) -> None:
        super().__init__(pane)
        self.color = color
        self.annotation_id = annotation_id


class NoteRequested(PaneMessage, namespace="reading_pane"):
    """Edit the note of ``annotation_id``; if None, highlight ``[start, end)`` first."""

    def __init__(self, pane: ReadingView, annotation_id: str | None, start: int, end: int) -> None:
        super().__init__(pane)
        self.annotation_id = annotation_id
        self.start = start
        self.end = end


class TagsRequested(PaneMessage, namespace="reading_pane"):
    """Edit the tags of ``annotation_id``; if None, highlight ``[start, end)`` first."""

    def __init__(self, pane: ReadingView, annotation_id: str | None, start: int, end: int) -> None:
        super().__init__(pane)
        self.annotation_id = annotation_id
        self.start = start
        self.end = end


class DeleteRequested(PaneMessage, namespace="reading_pane"):
    """Delete (to the trash) the highlight ``annotation_id`` under the cursor."""

    def __init__(self, pane: ReadingView, annotation_id: str) -> None:
        super().__init__(pane)
        self.annotation_id = annotation_id


class ReattachRequested(PaneMessage, namespace="reading_pane"):
    """Move the orphaned highlight selected elsewhere (the sidebar) onto ``[start, end)``."""

    def __init__(self, pane: ReadingView, start: int, end: int) -> None:
        super().__init__(pane)
        self.start = start
        self.end = end


class CursorMoved(PaneMessage, namespace="reading_pane"):
    """The cursor moved to the sentence starting at ``offset``; ``progress`` is 0..1 seen."""

    def __init__(self, pane: ReadingView, offset: int, progress: float) -> None:
        super().__init__(pane)
        self.offset = offset
        self.progress = progress


class ReadToggleRequested(PaneMessage, namespace="reading_pane"):
    """``m``: mark the open article read, or unread if it is read already."""
