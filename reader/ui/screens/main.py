"""The main screen: article list, reading pane and annotation sidebar.

The screen wires the widgets to a UI-free :class:`~reader.service.session.ReadingSession`
(the open article, its highlights, the pen, undo) and to three helpers it is composed of:
:class:`~reader.ui.screens.edit_requests.EditRequests` (what the pane and the sidebar ask
for), :class:`~reader.ui.screens.library_views.LibraryViews` (trash, every highlight,
anchor review, colour labels, palette and exports) and
:class:`~reader.ui.screens.list_filters.ListFilters` (the filter keys and the tag view).
Widgets get attributes set and post requests; the screen is the only place that calls the
library. Twice a second it asks the session what other processes changed (the live view).
"""

from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from reader.core.models import Annotation, Article, ArticleSummary, now_iso
from reader.service.library import Library
from reader.service.session import LiveUpdate, ReadingSession
from reader.ui.guard import guard
from reader.ui.keys import bindings_for
from reader.ui.messages import FirstPaint, SearchIndexReady, SyncFinished, SyncProgress
from reader.ui.screens.edit_requests import EditRequests
from reader.ui.screens.library_views import LibraryViews
from reader.ui.screens.list_filters import ListFilters
from reader.ui.widgets import reading_messages as pane_messages
from reader.ui.widgets.article_list import ArticleList, FilterInput
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from reader.ui.commands import PaletteCommand
    from reader.ui.filtering import TextIndex


class ImportCancelled(Exception):
    """Raised from the import's progress callback when the app is quitting."""


#: below this width the sidebar hides itself (ctrl+b still shows it)
NARROW_WIDTH = 110
#: while importing, repaint the list at most this often (seconds)
LIST_REFRESH_INTERVAL = 0.5
#: the import reports its progress to the screen at most this often (seconds)
PROGRESS_INTERVAL = 0.1
#: the import starts after the first paints, or after this long (seconds) whatever happens
FIRST_PAINT_WAIT = 2.0
#: start-up is over this long after the first article was put on screen (seconds)
AFTER_FIRST_PAINT = 0.1
#: "Looking for new or changed documents…" shows only if the scan takes longer (seconds)
SCAN_NOTICE_DELAY = 0.5
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
        self._open_request = open_article
        self.summaries: dict[str, ArticleSummary] = {}
        self._search_index: TextIndex | None = None
        self._last_list_refresh = 0.0
        self._articles_stamp: object = None
        self._index_wanted = False  # the filter was used: keep a body index
        self._painted = threading.Event()  # set once the list and the article are on screen
        self.syncing = False
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
        """The open article's highlights (the trash included)."""
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
            self._load_summaries()
        # The first frame holds the list and the article (its text read, laid out, its
        # first sentence split): painting the list first cost the article three more
        # frames (~70 ms) before it opened. The import (it scans every document and imports
        # the parser) starts once that is on screen, so that its thread does not hold the
        # GIL during the paint.
        self._open_first_then_sync()
        self._sync()  # waits for the paints (a worker from the start: tests wait for it)
        self.set_interval(STATE_SAVE_DELAY, self.flush_reading_state)
        if os.environ.get("READER_LIVE_POLL", "1") != "0":  # 0: benchmarks/idle_cpu.py's baseline
            self.set_interval(LIVE_POLL_INTERVAL, self.poll_changes)

    def on_resize(self, event: Resize) -> None:
        self._apply_sidebar_visibility()

    def watch_sidebar_choice(self) -> None:
        self._apply_sidebar_visibility()

    def _apply_sidebar_visibility(self) -> None:
        visible = self.sidebar_choice
        if visible is None:
            visible = self.size.width >= NARROW_WIDTH
        self.set_class(not visible, "-no-sidebar")
        if not visible and self.focused is self.sidebar:
            self.pane.focus()

    @property
    def sidebar_visible(self) -> bool:
        """Whether the annotation sidebar is shown."""
        return not self.has_class("-no-sidebar")

    # ------------------------------------------------------------------ articles
    def _load_summaries(self) -> None:
        self._articles_stamp = self.library.articles_stamp()
        self.summaries = {summary.id: summary for summary in self.library.articles()}
        self._search_index = None
        self.show_list()
        self._update_header()

    def show_list(self) -> None:
        """Fill the list with the articles the filter line selects."""
        summaries = list(self.summaries.values())
        if not self.filter_text.strip():
            self.article_list.set_articles(summaries)
            return
        # the query and search modules load with the filter's first use, not at start-up
        from reader.ui.filtering import filter_articles, ready_index, title_index, word_line

        if self._search_index is None:
            # the store's index when it is up to date (a few stats), else titles for now
            self._search_index = ready_index(self.library) or title_index(summaries)
        self._want_full_index()
        found = filter_articles(
            self.filter_text,
            self.summaries,
            self._search_index,
            self.filters.filter_annotations,  # tag: and highlight terms look at highlights
            color_labels=self.labels,
        )
        words, index = word_line(self.filter_text), self._search_index
        matched = (lambda article_id: index.matched_words(article_id, words)) if words else None
        self.article_list.set_articles(found, ranked=True, matched=matched)

    def watch_filter_text(self) -> None:
        self.show_list()

    def _update_header(self) -> None:
        highlights = sum(s.annotation_count for s in self.summaries.values())
        articles = len(self.summaries)
        self.sub_title = (
            f"{articles} article{'s' if articles != 1 else ''} · "
            f"{highlights} highlight{'s' if highlights != 1 else ''}"
        )

    def _open_first_then_sync(self) -> None:
        self._open_first()
        if self.article is None:
            self.pane.show_article(None, [])  # no article after all: show the hint
        # after the article's frame: call_after_refresh alone could run before it was drawn
        self.set_timer(AFTER_FIRST_PAINT, self._first_paint_done)

    def _first_paint_done(self) -> None:
        self._painted.set()
        self.post_message(FirstPaint())

    def _open_first(self) -> None:
        """On start: the article asked for, else the last one read, else the first listed."""
        wanted = self._open_request
        self._open_request = None
        article_id: str | None = None
        with guard(self):
            if wanted:
                article_id = self.library.find_article(wanted).id
            else:
                article_id = self.library.last_article_id()
        if article_id not in self.summaries:
            ids = self.article_list.article_ids
            article_id = ids[0] if ids else None
        if article_id is not None:
            self.open_article(article_id, focus=True)
        else:
            self.article_list.focus()

    def open_article(self, article_id: str, *, focus: bool = False) -> None:
        """Show an article at its saved position and remember it as the last one read."""
        self.flush_reading_state()
        opened = False
        with guard(self):
            article, state = self.session.open(article_id)
            self.pane.show_article(article, self.annotations, state.position)
            self.sidebar.show_annotations(self.annotations, self.labels)
            self.article_list.select_article(article_id)
            state.read = True
            state.opened = now_iso()
            # written once the article is on screen, not before: the write locks and fsyncs
            self.session.remember_state(state)
            self.call_after_refresh(self.flush_reading_state)
            self._mark_read(article_id)
            opened = True
        if opened and focus:
            self.pane.focus()

    def close_article(self) -> None:
        """Show no article (the open one left the library)."""
        self.flush_reading_state()
        self.session.close()
        self.pane.show_article(None, [])
        self.sidebar.show_annotations([])

    def _mark_read(self, article_id: str) -> None:
        summary = self.summaries.get(article_id)
        if summary is not None and not summary.read:
            summary.read = True
            self.article_list.update_article(summary)

    def refresh_counts(self, article_id: str) -> None:
        """Repaint one article's row and the header after its highlights changed."""
        summary = self.summaries.get(article_id)
        if summary is None:
            return
        if self.article is not None and article_id == self.article.id:
            summary.annotation_count = self.session.live_count
        else:
            with guard(self):
                summary.annotation_count = len(self.library.annotations(article_id))
        self.article_list.update_article(summary)
        self._update_header()

    def show_annotations(self) -> None:
        """Show the session's highlights of the open article in the pane and the sidebar."""
        self.pane.set_annotations(self.annotations)
        self.sidebar.show_annotations(self.annotations, self.labels)
        here = self.pane.annotation_at_cursor()
        if here is not None and not self.sidebar.has_focus:  # don't move the user's choice
            self.sidebar.select_annotation(here.id)
        if self.article is not None:
            self.refresh_counts(self.article.id)

    # ------------------------------------------------------------------ the live view
    def poll_changes(self) -> None:
        """Show what other windows and commands changed (called twice a second)."""
        cursor = self.pane.cursor
        update: LiveUpdate | None = None
        with guard(self):
            update = self.session.poll((cursor.start, cursor.end))
        if update is not None:
            self.apply_update(update)

    def apply_update(self, update: LiveUpdate) -> None:
        """Bring every pane up to date with what the session found changed."""
        if update.summaries is not None:
            self._merge_summaries(update.summaries)
        if update.closed:
            self.close_article()
            self.notify("The open article left the library", severity="warning")
            return
        if update.article is not None:
            position = update.cursor if update.cursor is not None else self.pane.cursor.start
            self.pane.show_article(update.article, self.annotations, position)
            self.sidebar.show_annotations(self.annotations, self.labels)
            self.notify("The article changed on disk: it shows the new text", timeout=3)
        elif update.annotations:
            self.show_annotations()

    def _merge_summaries(self, fresh: list[ArticleSummary]) -> None:
        """Repaint only the rows that changed; the whole list only if articles came or went."""
        if [s.id for s in fresh] != list(self.summaries):
            selected = self.article_list.highlighted_article_id
            self.summaries = {s.id: s for s in fresh}
            self._articles_stamp = self.library.articles_stamp()
            self._search_index = None
            self.show_list()
            if selected is not None and selected in self.summaries:
                self.article_list.select_article(selected)
            self._update_header()
            return
        changed = False
        for summary in fresh:
            shown = self.summaries[summary.id]
            if summary != shown:
                self.summaries[summary.id] = summary
                self.article_list.update_article(summary)
                changed = True
        if changed:
            self._update_header()

    # ------------------------------------------------------------------ reading state
    def _follow_cursor(self, here: Annotation | None) -> None:
        if here is not None:
            self.sidebar.select_annotation(here.id)

    @on(ReadingPane.CursorMoved)
    def _cursor_moved(self, event: pane_messages.CursorMoved) -> None:
        self.session.reading_moved(event.offset, event.progress)
        here = self.pane.annotation_at_cursor()
        if here is not None:
            self.sidebar.select_annotation(here.id)

    def flush_reading_state(self) -> None:
        """Write the reading position if it changed (cheap to call often)."""
        with guard(self):
            self.session.flush_state()

    def on_unmount(self) -> None:
        self._painted.set()  # an import still waiting for the first paint starts (and stops)
        with guard(self):
            self.session.end()

    # ------------------------------------------------------------------ article list
    @on(ArticleList.OpenRequested)
    def _open_requested(self, event: ArticleList.OpenRequested) -> None:
        self.open_article(event.article_id, focus=True)

    @on(ArticleList.TagRequested)
    def _article_tags(self, event: ArticleList.TagRequested) -> None:
        self.edits.article_tags(event.article_id)

    @on(ArticleList.FilterRequested)
    def _filter_requested(self) -> None:
        filter_input = self.query_one(FilterInput)
        filter_input.add_class("-shown")
        filter_input.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.article_list.focus()

    @on(FilterInput.Cancelled)
    @on(ArticleList.FilterCleared)
    def _filter_cleared(self) -> None:
        filter_input = self.query_one(FilterInput)
        filter_input.remove_class("-shown")
        if filter_input.value:
            filter_input.value = ""  # posts Changed, which reshows the whole list
        self.filter_text = ""
        self.article_list.focus()

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

    @on(ReadingPane.SearchRequested)
    def _search(self) -> None:
        self.edits.search()

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
    @work(thread=True, exclusive=True, group="sync")
    def _sync(self) -> None:
        """Import new and changed documents, reporting progress; never raises.

        Quitting cancels the worker: the next progress call stops the import (what was
        not saved yet is imported next time), so quitting never waits for a long import.
        """
        worker = get_current_worker()
        # Event.wait releases the GIL: the first paints are not slowed by this thread
        self._painted.wait(timeout=FIRST_PAINT_WAIT)
        if worker.is_cancelled:
            return
        self.post_message(SyncProgress(0, 0, ""))

        last_post = 0.0

        def progress(done: int, total: int, name: str) -> None:
            nonlocal last_post
            if worker.is_cancelled:
                raise ImportCancelled
            # one message per file flooded the UI (10,000 unchanged files: 10,000 repaints
            # of the status line competing with keystrokes); a few a second are enough
            now = time.monotonic()
            if now - last_post >= PROGRESS_INTERVAL or done == total:
                last_post = now
                self.post_message(SyncProgress(done, total, name))

        try:
            report = self.library.sync(progress)
        except ImportCancelled:
            return
        except Exception as error:  # any failure becomes a notification
            self.post_message(SyncFinished(None, str(error) or type(error).__name__))
            return
        self.post_message(SyncFinished(report))

    def on_sync_progress(self, event: SyncProgress) -> None:
        self.syncing = True
        status = self.query_one("#status", Static)
        if event.total:
            status.add_class("-shown")
            status.update(f"Importing {event.done}/{event.total} · {event.name}")
        else:
            # most scans find nothing and take a moment: a status line flashing at every
            # start (and the panes shrinking by a row for it) is only noise
            status.update("Looking for new or changed documents…")
            self.set_timer(SCAN_NOTICE_DELAY, self._show_scan_notice)
        now = time.monotonic()
        if event.done and now - self._last_list_refresh >= LIST_REFRESH_INTERVAL:
            self._last_list_refresh = now
            with guard(self):
                if self.library.articles_stamp() != self._articles_stamp:
                    self._load_summaries()  # only when the import changed the catalog

    def _show_scan_notice(self) -> None:
        if self.syncing:
            self.query_one("#status", Static).add_class("-shown")

    def on_sync_finished(self, event: SyncFinished) -> None:
        self.syncing = False
        self.query_one("#status", Static).remove_class("-shown")
        if event.error is not None:
            self.notify(f"Import failed: {event.error}", severity="error", markup=False)
            return
        report = event.report
        if report is not None and report.changed:
            self.notify(f"Import: {report.summary()}", markup=False)
        for line in report.errors[:5] if report is not None else []:
            self.notify(line, severity="warning", markup=False)
        if report is not None:
            unsure = sum(report.reanchored.get(status, 0) for status in ("fuzzy", "orphaned"))
            if unsure:
                plural = "s" if unsure != 1 else ""
                self.notify(
                    f"{unsure} highlight{plural} moved or lost their passage: R reviews them",
                    severity="warning",
                )
        if (
            report is None
            or report.changed
            or self.library.articles_stamp() != self._articles_stamp
        ):
            with guard(self):
                self._load_summaries()  # an unchanged library keeps its list (12,000 rows)
        if self.article is not None and self.article.id not in self.summaries:
            self.close_article()  # its document was deleted or lost this article
        if self.article is None:
            self._open_first()
        elif report is not None and report.changed:
            self.poll_changes()  # its text or anchors may have changed: keep the cursor
        if self._index_wanted:
            self._build_index()  # the import may have changed bodies or the list

    def _want_full_index(self) -> None:
        """Check the store's body index the first time the filter is used, not at start-up.

        It is kept up to date by imports; one missing or stale (a store of an older
        reader, a lost file) is rebuilt by a worker, seconds at 12,000 articles. Until it
        is ready the filter matches titles, sources and authors.
        """
        if not self._index_wanted:
            self._index_wanted = True
            if not self.syncing:
                self._build_index()  # otherwise the end of the import builds it

    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        """Bring the store's index of titles, sources, authors and bodies up to date for
        the filter (off the UI thread)."""
        from reader.ui.filtering import stored_index

        try:
            index = stored_index(self.library)
        except Exception:  # the title-only index keeps working
            return
        self.post_message(SearchIndexReady(index))

    def on_search_index_ready(self, event: SearchIndexReady) -> None:
        self._search_index = event.index
        if self.filter_text.strip():
            self.show_list()

    # ------------------------------------------------------------------ global actions
    def action_help(self) -> None:
        """Show every key."""
        from reader.ui.screens.help import HelpScreen  # dialogs load when first opened

        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        """Save the reading position and leave."""
        self.flush_reading_state()
        self.app.exit()

    def action_command_palette(self) -> None:
        """Open the command palette."""
        self.app.action_command_palette()

    def action_toggle_sidebar(self) -> None:
        """Show or hide the annotation sidebar."""
        self.sidebar_choice = not self.sidebar_visible

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

    def _panes(self) -> list[Widget]:
        panes: list[Widget] = [self.article_list, self.pane]
        if self.sidebar_visible:
            panes.append(self.sidebar)
        return panes

    def _cycle_focus(self, step: int) -> None:
        panes = self._panes()
        focused = self.focused
        index = next((i for i, p in enumerate(panes) if focused is p), -1)
        if index < 0 and focused is self.query_one(FilterInput):
            index = 0
        panes[(index + step) % len(panes)].focus()

    def action_focus_next_pane(self) -> None:
        """Focus the next pane."""
        self._cycle_focus(1)

    def action_focus_previous_pane(self) -> None:
        """Focus the previous pane."""
        self._cycle_focus(-1)

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
