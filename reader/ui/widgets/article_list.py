"""The article list: a virtual list (OptionList renders only the visible rows) of summaries.

Rows are built from :class:`~textual.content.Content` pieces, never from markup strings, so a
title such as ``[b]x[/b]`` shows literally. The list only *asks* for things (open, tag,
filter) by posting messages; the screen decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size, Spacing
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Padding, Visual
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from reader.core.models import ArticleSummary
from reader.ui.keys import bindings_for
from reader.ui.messages import ArticleNoteRequested
from reader.ui.widgets.article_rows import (
    RELATED_MARK,
    ROW_HEIGHT,
    UNREAD_MARK,
    ArticleOption,
    MatchedWords,
    RowFilter,
    RowLines,
    RowMap,
    article_row,
)

__all__ = [
    "NO_MATCH_HINT",
    "RELATED_MARK",
    "UNREAD_MARK",
    "ArticleList",
    "ArticleOption",
    "FilterInput",
    "MatchedWords",
    "article_row",
    "order_with_related",
]

NO_MATCH_HINT = "Nothing matches the filter.\nesc clears it."
#: drawn rows kept across filters: a screenful for each state of a filter line typed and
#: erased again (each one's ~16 objects also weigh on the garbage collector)
DRAWN_ROWS = 256
_ID = attrgetter("_id")


def order_with_related(summaries: Sequence[ArticleSummary]) -> list[tuple[ArticleSummary, int]]:
    """Summaries in list order, each related article right under the one it came with.

    Returns ``(summary, depth)`` pairs; depth 1 means "listed with the article above".
    An article whose ``related_to`` is not in ``summaries`` stays at top level.
    """
    present = {summary.id for summary in summaries}
    children: dict[str, list[ArticleSummary]] = {}
    for summary in summaries:
        parent = summary.related_to
        if parent and parent in present and parent != summary.id:
            children.setdefault(parent, []).append(summary)
    if not children:
        return [(summary, 0) for summary in summaries]
    ordered: list[tuple[ArticleSummary, int]] = []
    seen: set[str] = set()
    for summary in summaries:
        parent = summary.related_to
        if (parent and parent in present and parent != summary.id) or summary.id in seen:
            continue  # placed under its parent (or already placed)
        seen.add(summary.id)
        ordered.append((summary, 0))
        if summary.id not in children:  # most articles: no walk needed
            continue
        stack = [(child, 1) for child in reversed(children[summary.id])]
        while stack:
            item, depth = stack.pop()
            if item.id in seen:  # a related_to cycle must not loop
                continue
            seen.add(item.id)
            ordered.append((item, depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(item.id, ())))
    # anything caught only in a related_to cycle still gets a row
    ordered.extend((summary, 0) for summary in summaries if summary.id not in seen)
    return ordered


class FilterInput(Input):
    """The list's filter line; escape asks to clear the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Clear", show=False)]

    class Cancelled(Message):
        """The user pressed escape in the filter line."""

    def _watch_value(self, value: str) -> None:
        # Input sets its virtual size (text width + 1) on every key, and that reactive asks
        # for a layout: the whole screen laid out and repainted, ~30 ms with an article
        # open. The line is a fixed box; only its scroll range changes. Set it quietly,
        # then Input's own watcher finds it unchanged.
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Input.virtual_size, size)
            self._scroll_update(size)
            self.refresh()
        super()._watch_value(value)

    @property
    def content_width(self) -> int:
        """The typed text's width and the cursor's (Input counts the placeholder when the
        line is empty: wider than the box, it flipped the line's scroll state, a screen
        layout of ~10 ms, on the first key typed after each erase)."""
        return super().content_width if self.value else 1

    def action_cancel(self) -> None:
        """Ask the screen to clear the filter and hide this line."""
        self.post_message(self.Cancelled())


class ArticleList(OptionList):
    """Every article, one two-line row each; related articles indented under their parent."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("list")]

    class OpenRequested(Message):
        """The user wants to read an article."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class TagRequested(Message):
        """The user wants to edit an article's tags."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class FilterRequested(Message):
        """The user pressed the filter key."""

    class FilterCleared(Message):
        """The user asked to clear the filter."""

    class FilterPickRequested(Message):
        """The user wants to filter by one kind of term: tag, source, date, highlighted, unread."""

        def __init__(self, kind: str) -> None:
            super().__init__()
            self.kind = kind

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        #: rows made so far, reused while their summary is the same (a filter shows mostly
        #: rows it showed before): top-level rows by id, indented ones by (id, depth)
        self._flat: dict[str, ArticleOption] = {}
        self._nested: dict[tuple[str, int], ArticleOption] = {}
        #: what set_articles was last given
        self._shown: tuple[list[ArticleSummary], bool] | None = None
        #: the last unranked list and its rows grouped with related articles
        self._grouped: tuple[list[ArticleSummary], list[ArticleOption]] | None = None
        #: the filter whose matched words the rows show (shared by every row)
        self._filter = RowFilter()
        #: drawn rows, kept across filters: erasing a filter shows again the rows drawn
        #: while it was typed (see _get_option_render)
        self._drawn: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(DRAWN_ROWS)
        lines = RowLines()
        self._line_cache.lines = lines  # type: ignore[assignment]
        self._line_cache.index_to_line = RowMap(lines, ROW_HEIGHT)
        self._line_cache.heights = RowMap(lines, 0, ROW_HEIGHT)
        #: what an empty filter result says instead of a blank list
        self._empty_hint = ""

    # ------------------------------------------------------------------ attributes down
    def set_articles(
        self,
        summaries: Sequence[ArticleSummary],
        *,
        ranked: bool = False,
        matched: MatchedWords | None = None,
    ) -> None:
        """Show these articles, keeping the highlighted one when it is still listed.

        ``ranked`` keeps the given order flat (filter results); otherwise related articles
        are grouped under the article they were listed with. ``matched`` gives the words a
        filter matched in an article, shown in its row.
        """
        listed = list(summaries)
        if (listed, ranked) == self._shown:
            # typing often narrows to the same matches: only the matched words may change.
            # Rows look them up when drawn; the rows on screen are asked now, and the list
            # is repainted only if one of them shows other words.
            if self._filter.set(matched) and any(
                option.drawn_words not in (None, option.words)  # None: never drawn yet
                for option in self._rows_on_screen()
            ):
                self.refresh()
            return
        self._shown = (listed, ranked)
        self._filter.set(matched)
        keep = self.highlighted_article_id
        if ranked:
            options = self._flat_rows(listed)
        else:
            self._drawn.clear()  # the filter is over: the next one draws other rows
            if self._grouped is not None and self._grouped[0] == listed:
                options = self._grouped[1]  # the whole list again (a filter was cleared)
            else:
                grouped = order_with_related(listed)
                options = [self._row(summary, depth) for summary, depth in grouped]
                self._grouped = (listed, options)
        self._set_rows(options)
        self.border_title = f"{'Matches' if ranked else 'Articles'} ({len(options)})"
        self._empty_hint = NO_MATCH_HINT if ranked and not options else ""
        if keep is not None and keep in self._id_to_option:
            self.highlighted = self.get_option_index(keep)
        elif options:
            self.highlighted = 0

    def _rows_on_screen(self) -> list[ArticleOption]:
        first = self.scroll_offset.y // ROW_HEIGHT
        count = self.scrollable_content_region.height // ROW_HEIGHT + 2
        rows = self._options[first : first + count]
        return [row for row in rows if isinstance(row, ArticleOption)]

    def _flat_rows(self, summaries: list[ArticleSummary]) -> list[ArticleOption]:
        """Top-level rows for these summaries: 10,000 matches of a first letter on a key,
        so one comprehension, a row made only when none shows this summary yet."""
        get = self._flat.get
        return [
            row if (row := get(s.id)) is not None and row.summary is s else self._row(s, 0)
            for s in summaries
        ]

    def _row(self, summary: ArticleSummary, depth: int) -> ArticleOption:
        if depth == 0:
            option = self._flat.get(summary.id)
            if option is None or option.summary is not summary:
                option = self._flat[summary.id] = ArticleOption(summary, 0, self._filter)
            return option
        key = (summary.id, depth)
        option = self._nested.get(key)
        if option is None or option.summary is not summary:
            option = self._nested[key] = ArticleOption(summary, depth, self._filter)
        return option

    def update_article(self, summary: ArticleSummary) -> None:
        """Repaint one row (its count, tags or read marker changed).

        Rows not listed now are kept for later filters: they are told too, so that none
        comes back as it was drawn before.
        """
        rows = [self._flat.get(summary.id)]
        rows += [row for (article_id, _), row in self._nested.items() if article_id == summary.id]
        for row in rows:
            if row is not None:
                row.set_summary(summary)
        if summary.id in self._id_to_option:
            # OptionList.replace_option_prompt would re-measure every row; one changed
            self.refresh()

    def select_article(self, article_id: str) -> None:
        """Move the highlight to an article (if listed)."""
        if article_id in self._id_to_option:
            self.highlighted = self.get_option_index(article_id)

    @property
    def highlighted_article_id(self) -> str | None:
        """The id of the highlighted row, if any."""
        option = self.highlighted_option
        return option.id if option is not None else None

    @property
    def article_ids(self) -> list[str]:
        """The ids in the order shown."""
        return [option.id for option in self.options if option.id is not None]

    # ------------------------------------------------------------------ virtual rows
    def _set_rows(self, options: list[ArticleOption]) -> None:
        """``set_options`` in bulk, for rows whose ids are known to be unique.

        OptionList.add_options checks and indexes one option at a time (~40 ms for 12,000
        rows before the first paint); the same state is built here by C-level iteration.
        """
        self._options.clear()
        self._line_cache.clear()
        self._option_render_cache.clear()
        self.highlighted = None
        self.scroll_y = 0
        self._options.extend(options)
        self._option_to_index = dict(zip(options, range(len(options)), strict=True))
        self._id_to_option = dict(zip(map(_ID, options), options, strict=True))
        if self.is_mounted:
            self.refresh(layout=self.styles.auto_dimensions)
            self._update_lines()

    def _get_visual(self, option: Option) -> Visual:
        if isinstance(option, ArticleOption):
            option.prompt  # noqa: B018 (rebuilt, dropping its visual, if its words changed)
        return super()._get_visual(option)

    def _get_option_render(self, option: Option, style: VisualStyle) -> list[Strip]:
        """A row's lines, kept across filters while what they show is the same.

        OptionList keeps rendered rows only until the options change (every filter key);
        erasing a filter shows again, at the same places, the rows shown while it was typed.
        """
        if not isinstance(option, ArticleOption):
            return super()._get_option_render(option, style)
        padding: Spacing = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        index = self._option_to_index[option]  # in each segment's meta, for clicks
        key = (option, option.version, option.words, index, style, padding, width)
        strips = self._drawn.get(key)
        if strips is None:
            visual = self._get_visual(option)
            if padding:
                visual = Padding(visual, padding)
            meta = {"option": index}
            strips = [
                strip.extend_cell_length(width, style.rich_style).apply_meta(meta)
                for strip in visual.to_strips(self, visual, width, None, style)
            ]
            self._drawn[key] = strips
        return strips

    def _clear_caches(self) -> None:
        self._drawn.clear()
        super()._clear_caches()

    def notify_style_update(self) -> None:
        """A theme or style change: rows are drawn again."""
        self._drawn.clear()
        super().notify_style_update()

    # Every row is ROW_HEIGHT lines (no wrapping), so the line map is arithmetic; OptionList
    # would otherwise build and measure every row's content up front (seconds at 20,000).
    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        lines = self._line_cache.lines
        assert isinstance(lines, RowLines)
        lines.rows = len(self.options)
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(lines))
        if virtual_size != self.virtual_size:
            # virtual_size is a layout reactive: every filter key that changes the number
            # of matches would lay out and repaint the whole screen (~15-20 ms with an
            # article open). The list's box does not change; only its scroll range does.
            # A scrollbar that appears or goes still asks for a layout (its own reactive).
            self.set_reactive(OptionList.virtual_size, virtual_size)
            self._scroll_update(virtual_size)
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """The rows; a filter that matches nothing says so (and how to get back)."""
        if self._empty_hint and not self._options:
            width = self.scrollable_content_region.width
            lines = self._empty_hint.splitlines()
            text = lines[y] if y < len(lines) else ""
            style = self.rich_style + Style(dim=True, italic=True)
            segments = [Segment(" " + text[: max(width - 1, 0)], style)]
            return Strip(segments).adjust_cell_length(width, self.rich_style)
        return super().render_line(y)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Rows times their fixed height."""
        return len(self.options) * ROW_HEIGHT

    # ------------------------------------------------------------------ actions (keys)
    def action_open_article(self) -> None:
        """Ask to open the highlighted article."""
        if (article_id := self.highlighted_article_id) is not None:
            self.post_message(self.OpenRequested(article_id))

    def action_tag_article(self) -> None:
        """Ask to edit the highlighted article's tags."""
        if (article_id := self.highlighted_article_id) is not None:
            self.post_message(self.TagRequested(article_id))

    def action_note_article(self) -> None:
        """Ask to edit the note on the highlighted article."""
        if (article_id := self.highlighted_article_id) is not None:
            self.post_message(ArticleNoteRequested(article_id))

    def action_filter(self) -> None:
        """Ask the screen for the filter line."""
        self.post_message(self.FilterRequested())

    def action_clear_filter(self) -> None:
        """Ask the screen to clear the filter."""
        self.post_message(self.FilterCleared())

    def action_filter_tag(self) -> None:
        """Ask to filter by a tag (the screen offers a picker)."""
        self.post_message(self.FilterPickRequested("tag"))

    def action_filter_source(self) -> None:
        """Ask to filter by a source."""
        self.post_message(self.FilterPickRequested("source"))

    def action_filter_date(self) -> None:
        """Ask to filter by a date or a range."""
        self.post_message(self.FilterPickRequested("date"))

    def action_filter_highlighted(self) -> None:
        """Ask to toggle "only articles with highlights"."""
        self.post_message(self.FilterPickRequested("highlighted"))

    def action_filter_unread(self) -> None:
        """Ask to toggle "only unread articles"."""
        self.post_message(self.FilterPickRequested("unread"))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # a mouse click (or OptionList's own select) opens, like enter
        event.stop()
        if event.option.id is not None:
            self.post_message(self.OpenRequested(event.option.id))
