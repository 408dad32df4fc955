"""The reading session: what one TUI window has open and does with it, with no widget.

The main screen shows what the session holds and sends it what the person asked for; the
session is the one place that reconciles the open article with the store: every change goes
through the library (field by field, under the store's lock), and :meth:`ReadingSession.poll`
notices what other processes (another window, a ``reader`` command, an import) changed, so
that the screen can show it without a key press.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.core.models import (
    COLORS,
    DEFAULT_COLOR,
    Annotation,
    Article,
    ArticleSummary,
    ReadingState,
    now_iso,
    text_hash,
)
from reader.service.changes import Marked
from reader.service.errors import LibraryError
from reader.service.undo import Undone, new_owner

if TYPE_CHECKING:
    from reader.service.library import Library
    from reader.store.tags import ChangeStamp


@dataclass
class LiveUpdate:
    """What :meth:`ReadingSession.poll` found changed by others since the last look."""

    #: the article list's summaries, when any may have changed (counts, tags, read state)
    summaries: list[ArticleSummary] | None = None
    #: the open article's highlights changed (the session holds the new ones)
    annotations: bool = False
    #: the open article's text changed: the new article, and where the cursor goes
    article: Article | None = None
    cursor: int | None = None
    #: the open article left the library
    closed: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class Pending:
    """A highlight's place before it exists: the span an editor was opened on."""

    start: int
    end: int


class ReadingSession:
    """The open article, its highlights, the pen, and the last highlight made (for ``.``)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        if not library.changes.owner.startswith("tui:"):
            # undo in this window covers this window's changes (and ended windows')
            library.changes.owner = new_owner("tui")
        self.article: Article | None = None
        self.annotations: list[Annotation] = []
        self.pen: str = DEFAULT_COLOR
        #: colour and tags of the last highlight made, for ``.``
        self.last_highlight: tuple[str, list[str]] | None = None
        self.last_highlight_id: str | None = None
        self._text_hash: str | None = None
        self._stamp: ChangeStamp | None = None
        self._pending_state: ReadingState | None = None
        self._read = False  # whether the open article counts as read

    # ------------------------------------------------------------------ the open article
    def open(self, article_id: str) -> tuple[Article, ReadingState]:
        """Open an article: its text, highlights and the reading state saved for it."""
        article = self.library.article(article_id)
        if article is None:
            raise LibraryError(f"article {article_id} is no longer in the library")
        state = self.library.reading_state(article_id)
        self._read = state.read
        self._stamp = self.library.change_stamp()
        self.article = article
        self._text_hash = text_hash(article.text)
        self._set_annotations(self.library.annotations(article_id))
        return article, state

    def close(self) -> None:
        """Show no article."""
        self.article = None
        self._text_hash = None
        self._set_annotations([])

    def reload(self) -> list[Annotation]:
        """Read the open article's highlights again."""
        if self.article is not None:
            self._set_annotations(self.library.annotations(self.article.id))
        return self.annotations

    def _set_annotations(self, annotations: list[Annotation]) -> None:
        self.annotations = annotations

    def find(self, annotation_id: str) -> Annotation | None:
        """A highlight of the open article."""
        return next((a for a in self.annotations if a.id == annotation_id), None)

    @property
    def live_count(self) -> int:
        """Highlights of the open article not in the trash."""
        return sum(1 for a in self.annotations if not a.deleted)

    # ------------------------------------------------------------------ highlighting
    def highlight(
        self, start: int, end: int, *, color: str | None = None, tags: list[str] | None = None
    ) -> Marked:
        """Highlight ``[start, end)`` of the text on screen with the pen (or ``color``)."""
        article = self._require_open()
        from reader.core.anchoring import make_selector

        basis = (self._text_hash or "", make_selector(article.text, start, end))
        marked = self.library.mark(
            article.id, start, end, color=color or self.pen, tags=tags or [], basis=basis
        )
        self.last_highlight = (marked.annotation.color, list(marked.annotation.tags))
        self.last_highlight_id = marked.annotation.id
        self.reload()
        return marked

    def repeat(self, start: int, end: int) -> Marked:
        """The last highlight's colour and tags on ``[start, end)``."""
        color, tags = self.last_highlight or (self.pen, [])
        return self.highlight(start, end, color=color, tags=tags)

    def set_pen(self, color: str) -> None:
        """The colour ``h`` uses from now on."""
        if color not in COLORS:
            raise LibraryError(f"unknown colour {color!r}")
        self.pen = color

    def recolor(self, annotation_id: str, color: str) -> Annotation:
        """Give a highlight another colour."""
        changed = self.library.set_color(annotation_id, color)
        if changed.id == self.last_highlight_id and self.last_highlight is not None:
            self.last_highlight = (changed.color, self.last_highlight[1])
        self.reload()
        return changed

    def save_note(self, target: Annotation | Pending, note: str) -> Annotation | None:
        """Save a note typed in the editor opened on ``target``.

        On a highlight, the note it had when the editor opened is what the person saw: if
        another window changed it meanwhile, :class:`~reader.service.changes.EditConflict`
        carries both texts and nothing is written. On a place with no highlight yet, the
        highlight is made now, with the note (an editor closed without saving made nothing).
        """
        if isinstance(target, Pending):
            if not note.strip():
                return None
            made = self._make_with(target, note=note)
            return made
        changed = self.library.set_note(target.id, note, seen=target.note)
        self.reload()
        return changed

    def save_tags(self, target: Annotation | Pending, tags: list[str]) -> Annotation | None:
        """Save tags typed in the editor opened on ``target`` (as :meth:`save_note`)."""
        if isinstance(target, Pending):
            if not tags:
                return None
            return self._make_with(target, tags=tags)
        changed = self.library.set_tags(target.id, tags, seen=target.tags)
        if changed.id == self.last_highlight_id:
            self.last_highlight = (changed.color, list(changed.tags))
        self.reload()
        return changed

    def _make_with(
        self, target: Pending, *, note: str = "", tags: list[str] | None = None
    ) -> Annotation:
        article = self._require_open()
        from reader.core.anchoring import make_selector

        basis = (self._text_hash or "", make_selector(article.text, target.start, target.end))
        marked = self.library.mark(
            article.id,
            target.start,
            target.end,
            color=self.pen,
            tags=tags or [],
            note=note,
            basis=basis,
        )
        self.last_highlight = (marked.annotation.color, list(marked.annotation.tags))
        self.last_highlight_id = marked.annotation.id
        self.reload()
        return marked.annotation

    def delete(self, annotation_id: str) -> Annotation:
        """Move a highlight to the trash."""
        deleted = self.library.delete(annotation_id)
        self.reload()
        return deleted

    def restore(self, annotation_id: str) -> Annotation:
        """Bring a highlight back from the trash."""
        restored = self.library.restore(annotation_id)
        self.reload()
        return restored

    def reattach(self, orphan_id: str, start: int, end: int) -> Annotation:
        """Move an orphan's note and tags onto ``[start, end)`` of the open article."""
        moved = self.library.reattach(orphan_id, start, end)
        self.reload()
        return moved

    def undo(self) -> Undone | None:
        """Undo this window's last change (or an ended window's)."""
        done = self.library.undo()
        self.reload()
        return done

    def redo(self) -> Undone | None:
        """Redo what this window undid last."""
        done = self.library.redo()
        self.reload()
        return done

    def _require_open(self) -> Article:
        if self.article is None:
            raise LibraryError("no article is open")
        return self.article

    # ------------------------------------------------------------------ reading state
    def reading_moved(self, offset: int, progress: float) -> bool:
        """The cursor moved: remember where (written by :meth:`flush_state`). Returns
        whether the article has become read: the person read on past its first screen or
        reached its end (``progress`` above 0), or it was read already."""
        if self.article is None:
            return False
        became_read = not self._read and progress > 0
        self._read = self._read or progress > 0
        self._pending_state = ReadingState(
            article_id=self.article.id,
            position=offset,
            progress=progress,
            read=self._read,
            opened=now_iso(),
        )
        if became_read:
            self.flush_state()  # at once: the list (and other windows) show it read
        return self._read

    def toggle_read(self) -> bool:
        """Mark the open article read, or unread if it is read (written at once)."""
        article = self._require_open()
        state = self._pending_state or self.library.reading_state(article.id)
        self._read = not self._read
        state.read = self._read
        self._pending_state = state
        self.flush_state()
        return self._read

    def remember_state(self, state: ReadingState) -> None:
        """A reading state to write at the next :meth:`flush_state`."""
        self._pending_state = state

    def flush_state(self) -> None:
        """Write the reading position if it changed (cheap to call often)."""
        state, self._pending_state = self._pending_state, None
        if state is not None:
            self.library.save_reading_state(state)

    # ------------------------------------------------------------------ live view
    def poll(self, cursor: tuple[int, int] | None = None) -> LiveUpdate | None:
        """What changed in the store since the last look (None: nothing; a few stats).

        Only what moved is read again: the list's summaries when article marks or the
        catalog changed, the open article when articles changed, its highlights when
        highlights changed. ``cursor`` is the span of the sentence under the cursor: when
        the open article's text changed, :attr:`LiveUpdate.cursor` is where that sentence
        is in the new text.
        """
        stamp = self.library.change_stamp()
        old = self._stamp
        if stamp == old:
            return None
        self._stamp = stamp

        def moved(part: str) -> bool:
            return old is None or getattr(old, part) != getattr(stamp, part)

        update = LiveUpdate()
        if moved("marks") or moved("articles"):
            update.summaries = self.library.articles()
        if self.article is not None and moved("articles"):
            fresh = self.library.article(self.article.id)
            if fresh is None:
                self.close()
                update.closed = True
                return update
            new_hash = text_hash(fresh.text)
            if new_hash != self._text_hash:
                old_text = self.article.text
                self.article, self._text_hash = fresh, new_hash
                update.article = fresh
                if cursor is not None:
                    update.cursor = follow_offset(old_text, fresh.text, *cursor)
        if self.article is not None and (moved("highlights") or update.article is not None):
            annotations = self.library.annotations(self.article.id)
            if update.article is not None or _changed(self.annotations, annotations):
                self._set_annotations(annotations)
                update.annotations = True
        if update.summaries is None and update.article is None and not update.annotations:
            return None
        return update

    def end(self) -> None:
        """The window closes: write the reading position; a later window may undo this
        one's changes."""
        self.flush_state()
        self.library.changes.end()


def _changed(seen: list[Annotation], fresh: list[Annotation]) -> bool:
    """Whether ``fresh`` differs from the highlights ``seen``: another id or a new revision
    (an unchanged shard gives the very same objects, see :meth:`Library.annotations`; no
    dict of 100,000 revisions is kept for this)."""
    if len(seen) != len(fresh):
        return True
    return any(
        a is not b and (a.id != b.id or a.revision != b.revision)
        for a, b in zip(seen, fresh, strict=True)
    )


def follow_offset(old_text: str, new_text: str, start: int, end: int) -> int:
    """Where the passage ``old_text[start:end]`` begins in ``new_text`` (0 if it is gone)."""
    from reader.core.anchoring import make_selector, reanchor

    if start >= end:
        return 0
    found = reanchor(make_selector(old_text, start, end), new_text, old_text)
    if found.status == "orphaned":
        return min(start, len(new_text))
    return found.start
