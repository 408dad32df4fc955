"""The article list: a virtual list (OptionList renders only the visible rows) of summaries.

Rows are built from :class:`~textual.content.Content` pieces, never from markup strings, so a
title such as ``[b]x[/b]`` shows literally. The list only *asks* for things (open, tag,
filter) by posting messages; the screen decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.visual import VisualType
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from reader.core.clean import show_bidi
from reader.core.models import ArticleSummary
from reader.ui.keys import bindings_for
from reader.ui.messages import ArticleNoteRequested

UNREAD_MARK = "●"
ROW_HEIGHT = 2  # title line, details line
RELATED_MARK = "↳ "


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


#: the words of an article a filter matched, by article id (asked only for rows drawn)
MatchedWords = Callable[[str], Sequence[str]]


def article_row(summary: ArticleSummary, depth: int = 0, matched: Sequence[str] = ()) -> Content:
    """The two-line prompt of one article: marker and title; source, date, count and tags,
    and the words a filter matched in it."""
    indent = "   " * depth
    marker = (f"{UNREAD_MARK} ", "bold $accent") if not summary.read else ("  ", "")
    # titles were cleaned at import; bidi overrides in them are shown, never live
    title = " ".join(show_bidi(summary.title).split()) or "(untitled)"
    first = Content.assemble(
        indent,
        marker,
        (RELATED_MARK, "dim") if depth else "",
        (title, "bold" if not summary.read else ""),
    )
    # a related row is indented: its date comes first, so that a long source is what is cut
    order = (summary.date, summary.source) if depth else (summary.source, summary.date)
    details: list[str] = [show_bidi(part) for part in order if part]
    if summary.annotation_count:
        plural = "s" if summary.annotation_count != 1 else ""
        details.append(f"{summary.annotation_count} highlight{plural}")
    second = Content.assemble(
        indent,
        "  ",
        ("   " if depth else ""),
        # first: a narrow list cuts the end of the line
        ("≈ " + ", ".join(matched) + " · ", "italic $accent") if matched else "",
        ("✎ ", "$accent") if summary.note else "",  # a note on the whole article (N)
        (" · ".join(details) or "—", "dim"),
        ("  " + " ".join(f"#{tag}" for tag in summary.tags), "$secondary") if summary.tags else "",
    )
    return Content("\n").join([first, second])


NO_MATCH_HINT = "Nothing matches the filter.\nesc clears it."


class ArticleOption(Option):
    """A row whose prompt is built only when it is first drawn (most rows never are)."""

    # identity hashing in C: OptionList keeps a dict keyed by option (Option's __hash__ is
    # the same identity, in Python)
    __hash__ = object.__hash__

    def __init__(self, summary: ArticleSummary, depth: int) -> None:
        # Option.__init__'s fields set directly: 12,000 rows are made before the first paint
        # (textual is pinned; tests/ui/test_list.py checks rows behave as options)
        self._prompt: VisualType = ""
        self._visual = None
        self._id = summary.id
        self.disabled = False
        self._divider = False
        self.summary = summary
        self.depth = depth
        self._built = False
        #: where the words a filter matched come from (None: no filter words)
        self.matched: MatchedWords | None = None
        self._words: tuple[str, ...] = ()

    @property
    def prompt(self) -> VisualType:
        """The row's content, built on first use."""
        if not self._built:
            self._words = self._look_up(self.matched)
            self._prompt = article_row(self.summary, self.depth, self._words)
            self._built = True
        return self._prompt

    def _look_up(self, matched: MatchedWords | None) -> tuple[str, ...]:
        return tuple(matched(self.summary.id)) if matched is not None else ()

    def set_matched(self, matched: MatchedWords | None) -> None:
        """Another filter: rebuild the row (its matched words) when next drawn."""
        if matched is not self.matched or matched is not None:
            self.matched = matched
            self._built = False
            self._visual = None

    def same_words(self, matched: MatchedWords | None) -> bool:
        """Another filter with the same matches: whether this row stays as drawn (a row
        not drawn yet looks its words up when it is)."""
        self.matched = matched
        if not self._built:
            return True
        if self._look_up(matched) == self._words:
            return True
        self._built = False
        self._visual = None
        return False

    def set_summary(self, summary: ArticleSummary) -> None:
        """New data for the row: rebuild it when next drawn."""
        self.summary = summary
        self._built = False
        self._visual = None


class _RowLines(Sequence[tuple[int, int]]):
    """OptionList's line map of rows that are all ROW_HEIGHT lines: ``(row, line in row)``
    by arithmetic, so re-filtering 12,000 rows on each key builds no 24,000-entry list."""

    def __init__(self) -> None:
        self.rows = 0

    def __len__(self) -> int:
        return self.rows * ROW_HEIGHT

    def __getitem__(self, y: int) -> tuple[int, int]:  # type: ignore[override]
        if y < 0:
            y += len(self)
        if not 0 <= y < len(self):
            raise IndexError(y)
        return divmod(y, ROW_HEIGHT)

    def clear(self) -> None:
        """No rows."""
        self.rows = 0


class _RowMap(dict[int, int]):
    """OptionList's row -> first line (or height) map, by arithmetic (see :class:`_RowLines`)."""

    def __init__(self, lines: _RowLines, scale: int, offset: int = 0) -> None:
        super().__init__()
        self.lines = lines
        self.scale = scale
        self.offset = offset

    def __getitem__(self, index: int) -> int:
        if not 0 <= index < self.lines.rows:
            raise KeyError(index)
        return index * self.scale + self.offset

    def __contains__(self, index: object) -> bool:
        return isinstance(index, int) and 0 <= index < self.lines.rows

    def get(self, index: int, default: int | None = None) -> int | None:  # type: ignore[override]
        try:
            return self[index]
        except KeyError:
            return default


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
        self._summaries: dict[str, ArticleSummary] = {}
        #: rows made so far, reused while their summary is the same (a filter shows mostly
        #: rows it showed before; a reused row keeps its built content)
        self._rows: dict[tuple[str, int], ArticleOption] = {}
        #: what set_articles was last given
        self._shown: tuple[list[ArticleSummary], bool] | None = None
        #: the last unranked list and its rows grouped with related articles
        self._grouped: tuple[list[ArticleSummary], list[tuple[ArticleSummary, int]]] | None
        self._grouped = None
        self._matched: MatchedWords | None = None
        lines = _RowLines()
        self._line_cache.lines = lines  # type: ignore[assignment]
        self._line_cache.index_to_line = _RowMap(lines, ROW_HEIGHT)
        self._line_cache.heights = _RowMap(lines, 0, ROW_HEIGHT)
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
        shown = (list(summaries), ranked)
        if shown == self._shown:
            # typing often narrows to the same matches: only the matched words may change
            if matched is not None or self._matched is not None:
                self._matched = matched
                same = [
                    option.same_words(matched)
                    for option in self.options
                    if isinstance(option, ArticleOption)
                ]
                if not all(same):  # only rows drawn are looked at: a screenful
                    self._option_render_cache.clear()
                    self.refresh()
            return
        self._shown = shown
        self._matched = matched
        keep = self.highlighted_article_id
        if ranked:
            rows = [(s, 0) for s in summaries]
        elif self._grouped is not None and self._grouped[0] == shown[0]:
            rows = self._grouped[1]  # the whole list again (a filter was cleared)
        else:
            rows = order_with_related(summaries)
            self._grouped = (shown[0], rows)
        self._summaries = {summary.id: summary for summary, _ in rows}
        options = [self._row(summary, depth) for summary, depth in rows]
        for option in options:
            if option.matched is not None or matched is not None:
                option.set_matched(matched)
        self._set_rows(options)
        self.border_title = f"{'Matches' if ranked else 'Articles'} ({len(rows)})"
        self._empty_hint = NO_MATCH_HINT if ranked and not rows else ""
        if keep is not None and keep in self._summaries:
            self.highlighted = self.get_option_index(keep)
        elif rows:
            self.highlighted = 0

    def _row(self, summary: ArticleSummary, depth: int) -> ArticleOption:
        key = (summary.id, depth)
        option = self._rows.get(key)
        if option is None or option.summary is not summary:
            option = self._rows[key] = ArticleOption(summary, depth)
        return option

    def update_article(self, summary: ArticleSummary) -> None:
        """Repaint one row (its count, tags or read marker changed)."""
        if summary.id not in self._summaries:
            return
        self._summaries[summary.id] = summary
        option = self.get_option(summary.id)
        if isinstance(option, ArticleOption):
            option.set_summary(summary)
        # OptionList.replace_option_prompt would re-measure every row; only this one changed
        self._option_render_cache.clear()
        self.refresh()

    def select_article(self, article_id: str) -> None:
        """Move the highlight to an article (if listed)."""
        if article_id in self._summaries:
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
        rows before the first paint); the same state is built here with three comprehensions.
        """
        self._options.clear()
        self._line_cache.clear()
        self._option_render_cache.clear()
        self.highlighted = None
        self.scroll_y = 0
        self._options.extend(options)
        self._option_to_index = {option: index for index, option in enumerate(options)}
        self._id_to_option = {option.summary.id: option for option in options}
        if self.is_mounted:
            self.refresh(layout=self.styles.auto_dimensions)
            self._update_lines()

    # Every row is ROW_HEIGHT lines (no wrapping), so the line map is arithmetic; OptionList
    # would otherwise build and measure every row's content up front (seconds at 20,000).
    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        lines = self._line_cache.lines
        assert isinstance(lines, _RowLines)
        lines.rows = len(self.options)
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

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
