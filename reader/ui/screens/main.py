"""The main screen: article list, reading pane and annotation sidebar.

The screen wires the widgets to a UI-free :class:`~reader.service.session.ReadingSession`
(the open article, its highlights, the pen, undo) and to the parts it is composed of, each
in its own module of this package: ``EditRequests`` (what the pane and the sidebar ask for),
``LibraryViews`` (trash, every highlight, anchor review, colour labels, palette and
exports), ``ListFilters`` (the filter line and keys, the tag view), ``ListContents`` (the
list's rows, counts and the header), ``PaneLayout`` (the sidebar shown or not, the focus
between panes), ``BackgroundWork`` (the import, the search index), ``LiveView`` (twice a
second, what other processes changed), ``DocumentWatch`` and ``StartUp``. Widgets get
attributes set and post requests; the screen and its parts are the only places that call
the library.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, Static

from reader.core.models import Annotation, Article, ArticleSummary, now_iso
from reader.service.library import Library
from reader.service.session import ReadingSession
from reader.ui.article_note import edit_article_note, note_of
from reader.ui.guard import guard
from reader.ui.keys import bindings_for
from reader.ui.messages import (
    ArticleNoteRequested,
    SearchIndexReady,
    SyncFinished,
    SyncProgress,
)
from reader.ui.screens.background_work import BackgroundWork
from reader.ui.screens.document_watch import DocumentWatch
from reader.ui.screens.edit_requests import EditRequests
from reader.ui.screens.library_views import LibraryViews
from reader.ui.screens.list_contents import ListContents
from reader.ui.screens.list_filters import ListFilters
from reader.ui.screens.live_view import LiveView
from reader.ui.screens.pane_layout import PaneLayout
from reader.ui.screens.start_up import StartUp
from reader.ui.widgets import reading_messages as pane_messages
from reader.ui.widgets.article_list import ArticleList, FilterInput
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from reader.ui.commands import PaletteCommand


#: rows the list holds in the first frame when the library has more: the rest come once
#: that frame is drawn (ordering and building 12,000 rows cost ~17 ms for a screen showing
#: ~20). Enough rows that the scrollbar's thumb is already its final single cell.
FIRST_ROWS = 2000
#: save the reading position this long after the cursor stops (it is also saved on quit)
STATE_SAVE_DELAY = 1.0
#: how often the live view asks the store what others changed (a few stats each time)
LIVE_POLL_INTERVAL = 0.5


class MainScreen(Screen[None]):
    """Three panes over one reading session."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("global")]
    #: the reading pane has the focus from the first frame: focusing it when the article
    #: opens changed the footer's keys, and the footer's rebuild delayed the article's paint
    AUTO_FOCUS = "#pane"

    #: the list's filter line (query language), as applied
    filter_text: var[str] = var("", init=False)
    #: the person's choice for the sidebar: None follows the terminal's width
    sidebar_choice: var[bool | None] = var(None, init=False)

    def __init__(self, library: Library, open_article: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.session = ReadingSession(library)
        self.edits = EditRequests(self)
        self.views = LibraryViews(self)
        self.filters = ListFilters(self)
        self.background = BackgroundWork(self)
        self.live = LiveView(self)
        self.documents = DocumentWatch(self)  # documents changed on disk are imported
        self.startup = StartUp(self, open_article)
        self.contents = ListContents(self)  # the list's rows, counts and the header
        self.panes = PaneLayout(self)  # the sidebar shown or not, the focus between panes
        self.summaries: dict[str, ArticleSummary] = {}
        self._labels: dict[str, str] | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield FilterInput(
                    placeholder="filter: words, tag:x, source:y, is:unread", id="filter"
                )
                yield ArticleList(id="articles")
            yield ReadingPane(id="pane")
            yield Sidebar(id="sidebar")
        yield Static("", id="status", markup=False)
        yield KeyFooter()

    @property
    def article_list(self) -> ArticleList:
        """The article list (left)."""
        return self.query_one(ArticleList)

    @property
    def pane(self) -> ReadingPane:
        """The reading pane (centre)."""
        return self.query_one(ReadingPane)

    @property
    def sidebar(self) -> Sidebar:
        """The annotation sidebar (right)."""
        return self.query_one(Sidebar)

    @property
    def article(self) -> Article | None:
        """The open article."""
        return self.session.article

    @property
    def annotations(self) -> list[Annotation]:
        """The open article's highlights (not those in the trash)."""
        return self.session.annotations

    @property
    def pen(self) -> str:
        """The colour ``h`` uses."""
        return self.session.pen

    @property
    def labels(self) -> dict[str, str]:
        """Colour -> meaning, read once from the library (:meth:`labels_changed` rereads)."""
        if self._labels is None:
            from reader.core.models import DEFAULT_COLOR_LABELS

            self._labels = dict(DEFAULT_COLOR_LABELS)
            with guard(self):
                self._labels = self.library.settings.color_labels()
        return self._labels

    def labels_changed(self) -> None:
        """The colour labels were edited: show them everywhere."""
        self._labels = None
        self.pane.color_labels = self.labels
        self.sidebar.show_annotations(self.annotations, self.labels)

    def on_mount(self) -> None:
        self.title = self.library.name
        self.pane.color_labels = self.labels
        self.pane.on_cursor = self._follow_cursor  # the sidebar moves in the pane's frame
        if self.library.notice:
            self.notify(self.library.notice, severity="warning", markup=False)
        with guard(self):
            self.contents.load(first_rows=FIRST_ROWS)
        # the list and the first article in the first frame; the import after it (StartUp)
        self.startup.begin()
        self.background.start_import()  # waits for the paints (a worker from the start)
        self.set_interval(STATE_SAVE_DELAY, self.flush_reading_state)
        if os.environ.get("READER_LIVE_POLL", "1") != "0":  # 0: benchmarks/idle_cpu.py's baseline
            self.set_interval(LIVE_POLL_INTERVAL, self.poll_changes)

    def on_resize(self, event: Resize) -> None:
        self.panes.apply_sidebar_visibility()

    def watch_sidebar_choice(self) -> None:
        self.panes.apply_sidebar_visibility()

    # ------------------------------------------------------------------ articles
    def show_list(self, *, first_rows: int | None = None) -> None:
        """Fill the list with the articles the filter line selects (see
        :meth:`ListContents.show <reader.ui.screens.list_contents.ListContents.show>`)."""
        self.contents.show(first_rows=first_rows)

    def watch_filter_text(self) -> None:
        self.show_list()

    @property
    def syncing(self) -> bool:
        """Whether the background import is running."""
        return self.background.syncing

    def open_article(self, article_id: str, *, focus: bool = False) -> None:
        """Show an article at its saved position and remember it as the last one read."""
        self.flush_reading_state()
        opened = False
        with guard(self):
            article, state = self.session.open(article_id)
            self.pane.show_article(article, self.annotations, state.position)
            self.sidebar.show_annotations(self.annotations, self.labels)
            self.sidebar.set_article_note(note_of(self, article_id))  # the article note atop
            self.article_list.select_article(article_id)
            # opening is not reading: the article counts as read once the person reads on
            # (ReadingSession.reading_moved) or marks it (m)
            state.opened = now_iso()
            # written once the article is on screen, not before: the write locks and fsyncs
            self.session.remember_state(state)
            self.call_after_refresh(self.flush_reading_state)
            opened = True
        if opened and focus:
            self.pane.focus()

    def close_article(self) -> None:
        """Show no article (the open one left the library)."""
        self.flush_reading_state()
        self.session.close()
        self.pane.show_article(None, [])
        self.sidebar.show_annotations([])
        self.sidebar.set_article_note("")

    def show_annotations(self) -> None:
        """Show the session's highlights of the open article in the pane and the sidebar."""
        self.pane.set_annotations(self.annotations)
        self.sidebar.show_annotations(self.annotations, self.labels)
        here = self.pane.annotation_at_cursor()
        if here is not None and not self.sidebar.has_focus:  # don't move the user's choice
            self.sidebar.select_annotation(here.id)
        if self.article is not None:
            self.contents.refresh_counts(self.article.id)

    # ------------------------------------------------------------------ the live view
    def poll_changes(self) -> None:
        """Show what other windows and commands changed (called twice a second)."""
        self.live.poll()

    # ------------------------------------------------------------------ reading state
    def _follow_cursor(self, here: Annotation | None) -> None:
        if here is not None:
            self.sidebar.select_annotation(here.id)

    @on(ReadingPane.CursorMoved)
    def _cursor_moved(self, event: pane_messages.CursorMoved) -> None:
        if self.session.reading_moved(event.offset, event.progress) and self.article:
            self.contents.mark_read(self.article.id)
        here = self.pane.annotation_at_cursor()
        if here is not None:
            self.sidebar.select_annotation(here.id)

    def flush_reading_state(self) -> None:
        """Write the reading position if it changed (cheap to call often)."""
        with guard(self):
            self.session.flush_state()

    def on_unmount(self) -> None:
        self.documents.stop()
        self.startup.release()
        with guard(self):
            self.session.end()

    # ------------------------------------------------------------------ article list
    @on(ArticleList.OpenRequested)
    def _open_requested(self, event: ArticleList.OpenRequested) -> None:
        self.open_article(event.article_id, focus=True)

    @on(ArticleList.TagRequested)
    def _article_tags(self, event: ArticleList.TagRequested) -> None:
        self.edits.article_tags(event.article_id)

    @on(ArticleNoteRequested)
    def _article_note(self, event: ArticleNoteRequested) -> None:
        edit_article_note(self, event.article_id)  # the note on the whole article (N)

    @on(ArticleList.FilterRequested)
    def _filter_requested(self) -> None:
        self.filters.open_line()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.article_list.focus()

    @on(FilterInput.Cancelled)
    @on(ArticleList.FilterCleared)
    def _filter_cleared(self) -> None:
        self.filters.clear_line()

    @on(ArticleList.FilterPickRequested)
    def _filter_pick(self, event: ArticleList.FilterPickRequested) -> None:
        self.filters.pick(event.kind)

    # ------------------------------------------------------------------ pane and sidebar
    @on(ReadingPane.HighlightRequested)
    def _highlight(self, event: pane_messages.HighlightRequested) -> None:
        self.edits.highlight(event)

    @on(ReadingPane.RepeatRequested)
    def _repeat(self, event: pane_messages.RepeatRequested) -> None:
        self.edits.repeat(event.start, event.end)

    @on(ReadingPane.ColorRequested)
    def _color(self, event: pane_messages.ColorRequested) -> None:
        self.edits.color(event.color, event.annotation_id)

    @on(ReadingPane.NoteRequested)
    def _note(self, event: pane_messages.NoteRequested) -> None:
        self.edits.note(event.annotation_id, event.start, event.end)

    @on(ReadingPane.TagsRequested)
    def _tags(self, event: pane_messages.TagsRequested) -> None:
        self.edits.tags(event.annotation_id, event.start, event.end)

    @on(ReadingPane.DeleteRequested)
    @on(Sidebar.DeleteRequested)
    def _delete(self, event: pane_messages.DeleteRequested | Sidebar.DeleteRequested) -> None:
        self.edits.delete(event.annotation_id)

    @on(ReadingPane.ReadToggleRequested)
    def _toggle_read(self) -> None:
        self.edits.toggle_read()

    @on(ReadingPane.ReattachRequested)
    def _reattach(self, event: pane_messages.ReattachRequested) -> None:
        self.edits.reattach(event.start, event.end)

    @on(Sidebar.JumpRequested)
    def _jump(self, event: Sidebar.JumpRequested) -> None:
        self.edits.jump(event.annotation_id)

    @on(Sidebar.EditNoteRequested)
    def _sidebar_note(self, event: Sidebar.EditNoteRequested) -> None:
        annotation = self.session.find(event.annotation_id)
        if annotation is not None:
            self.edits.edit_note(annotation)

    # ------------------------------------------------------------------ import
    def on_sync_progress(self, event: SyncProgress) -> None:
        self.background.progress(event)

    def on_sync_finished(self, event: SyncFinished) -> None:
        self.background.finished(event)

    def on_search_index_ready(self, event: SearchIndexReady) -> None:
        self.filters.index_ready(event.index)

    # ------------------------------------------------------------------ global actions
    def action_help(self) -> None:
        """Show every key."""
        from reader.ui.screens.help import HelpScreen  # dialogs load when first opened

        self.app.push_screen(HelpScreen())

    def action_daily_review(self) -> None:
        """Today's highlights to review, one at a time (see reader.ui.screens.review)."""
        from reader.ui.screens.review import open_daily_review  # loads when first opened

        open_daily_review(self)

    def action_quit(self) -> None:
        """Save the reading position and leave."""
        self.flush_reading_state()
        self.app.exit()

    def action_command_palette(self) -> None:
        """Open the command palette."""
        self.app.action_command_palette()

    def action_toggle_sidebar(self) -> None:
        """Show or hide the annotation sidebar."""
        self.sidebar_choice = not self.panes.sidebar_visible

    def action_trash(self) -> None:
        """Browse deleted highlights."""
        self.views.trash()

    def action_annotations_view(self) -> None:
        """Every highlight of the library, with a query line."""
        self.views.browse(query="", title="All highlights")

    def action_anchor_review(self) -> None:
        """Review the highlights that moved (fuzzy) or lost their passage (orphaned)."""
        self.views.anchor_review()

    def action_tags_view(self) -> None:
        """Every tag with its counts: filter by one, rename or merge."""
        self.filters.tags_view()

    def action_undo(self) -> None:
        """Undo this window's last change."""
        self.edits.undo()

    def action_redo(self) -> None:
        """Redo what was undone."""
        self.edits.redo()

    def action_focus_next_pane(self) -> None:
        """Focus the next pane."""
        self.panes.cycle_focus(1)

    def action_focus_previous_pane(self) -> None:
        """Focus the previous pane."""
        self.panes.cycle_focus(-1)

    # ------------------------------------------------------------------ palette
    def context_target(self, context: str) -> DOMNode | None:
        """Where an action of a registry context runs (for the command palette)."""
        if context == "global":
            return self
        targets: dict[str, Widget] = {
            "list": self.article_list,
            "reader": self.pane,
            "sidebar": self.sidebar,
        }
        return targets.get(context)

    def palette_commands(self) -> list[PaletteCommand]:
        """Commands beyond the key registry: saved views, colour labels, exports."""
        return self.views.palette_commands()
