"""The main screen's article-list filters by key: tag (``T``), source (``S``), date (``D``),
highlighted (``H``), unread (``U``), and the tag view (``#``: counts, rename, merge).

Every key edits the one filter line (shown while a filter is active, escape clears it), so
what a key did is always readable there as query language (``tag:x source:"y"
date:2024-10..2025-01 has:highlights is:unread``) and can be edited by hand. A part of
:class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from reader.core.models import Annotation, ArticleSummary, normalize_tag
from reader.ui.guard import guard
from reader.ui.widgets.article_list import FilterInput, MatchedWords

if TYPE_CHECKING:
    from reader.ui.filtering import TextIndex
    from reader.ui.screens.main import MainScreen

#: the toggles: (key, value) of the term a key adds or removes
TOGGLES: dict[str, tuple[str, str]] = {
    "highlighted": ("has", "highlights"),
    "unread": ("is", "unread"),
}
DATE_HINT = "2024 · 2024-10 · 2024-10..2025-01 · ..2025-01 · 2024-10-01.."


def with_term(line: str, key: str, value: str | None, *, only: str | None = None) -> str:
    """The filter ``line`` with its (non-negated) ``key:`` terms replaced by ``key:value``.

    ``value`` None removes them; ``only`` limits the removal to terms of that value (the
    toggles: ``has:highlights`` must not take ``has:note`` with it). Half-typed terms are
    dropped; everything else is kept in order.
    """
    from reader.core.query import Query, Term, parse_query  # loads with the filter

    query = parse_query(line, lenient=True)
    kept = [
        term
        for term in query.terms
        if term.negated or term.key != key or (only is not None and term.value != only)
    ]
    text = str(Query(tuple(kept)))
    if value is not None:
        text = f"{text} {Term(key, value)}".strip()
    return text


def term_value(line: str, key: str) -> str | None:
    """The value of the filter's first non-negated ``key:`` term, if any."""
    from reader.core.query import parse_query

    for term in parse_query(line, lenient=True).terms:
        if term.key == key and not term.negated:
            return term.value
    return None


class ListFilters:
    """The list's filter keys and the tag view."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        #: live highlights by article, kept while the library's highlights stay the same
        self._filter_notes: tuple[object, Mapping[str, Sequence[Annotation]]] | None = None
        #: the store's index when up to date, else titles until the worker has checked it
        self._search_index: TextIndex | None = None
        #: what the filter line's shorter states matched, for erasing back (see matching)
        self._typed: dict[str, list[ArticleSummary]] = {}
        self._typed_stamp: object = None  # the index's content they were found in
        self._last_line = ""

    # ------------------------------------------------------------------ matching
    def matching(self, line: str) -> list[ArticleSummary]:
        """The articles the filter ``line`` selects, best first.

        Erasing the line goes back through the states it had while it was typed: the
        matches of each state of words are kept while the line still starts with it and
        the library and its index stay the same, so that an erase costs no search (a
        first letter's ~10,000 matches cost ~15 ms to find again).
        """
        # the query and search modules load with the filter's first use, not at start-up
        from reader.ui.filtering import filter_articles, word_line

        index = self._index()
        stamp = index.stamp()
        if stamp != self._typed_stamp:
            self._typed, self._typed_stamp = {}, stamp
        erasing = len(self._last_line) > len(line) and self._last_line.startswith(line)
        self._last_line = line
        self._typed = {
            state: found for state, found in self._typed.items() if line.startswith(state)
        }
        if erasing and line in self._typed:
            return self._typed[line]
        found = filter_articles(
            line,
            self.screen.summaries,
            index,
            self.filter_annotations,  # tag: and highlight terms look at the highlights
            color_labels=self.screen.labels,
        )
        if word_line(line) == line:  # words only: no term looks at highlights or labels
            self._typed[line] = found
        return found

    def _index(self) -> TextIndex:
        from reader.ui.filtering import ready_index, title_index

        screen = self.screen
        if self._search_index is None:
            # the store's index when it is up to date (a few stats), else titles for now
            self._search_index = ready_index(screen.library) or title_index(
                list(screen.summaries.values())
            )
        screen.background.want_full_index()
        return self._search_index

    def matched_words(self, line: str) -> MatchedWords | None:
        """Where a row finds the words the filter ``line`` matched in it (None: no words)."""
        from reader.ui.filtering import word_line

        words, index = word_line(line), self._search_index
        if not words or index is None:
            return None
        return lambda article_id: index.matched_words(article_id, words)

    def articles_changed(self) -> None:
        """The list's articles were read again: the title index follows them."""
        self._search_index = None
        self._typed.clear()

    def index_ready(self, index: TextIndex) -> None:
        """The background body index is built: the filter searches bodies from now on."""
        self._search_index = index
        self._typed.clear()
        if self.screen.filter_text.strip():
            self.screen.show_list()

    # ------------------------------------------------------------------ the filter line
    def open_line(self) -> None:
        """``/`` in the list: show the filter line and type in it."""
        filter_input = self.screen.query_one(FilterInput)
        filter_input.add_class("-shown")
        filter_input.focus()

    def clear_line(self) -> None:
        """Escape: hide the filter line, empty, and show the whole list again."""
        filter_input = self.screen.query_one(FilterInput)
        filter_input.remove_class("-shown")
        if filter_input.value:
            filter_input.value = ""  # posts Changed, which reshows the whole list
        self.screen.filter_text = ""
        self.screen.article_list.focus()

    def show_filter(self, line: str) -> None:
        """Make ``line`` the list's filter: shown in the filter line, applied at once."""
        filter_input = self.screen.query_one(FilterInput)
        filter_input.set_class(bool(line), "-shown")
        self.screen.filter_text = line
        if filter_input.value != line:
            filter_input.value = line  # its Changed message re-applies the same line
        filter_input.cursor_position = len(line)
        self.screen.article_list.focus()

    def set_filter_term(self, key: str, value: str | None) -> None:
        """Replace the filter's ``key:`` terms by ``key:value`` (None removes them)."""
        self.show_filter(with_term(self.screen.filter_text, key, value))

    def filter_annotations(self) -> Mapping[str, Sequence[Annotation]]:
        """Live highlights by article, for ``tag:`` and highlight terms in the list filter.

        Read once and kept while the library's highlights stay the same (reading them all
        costs ~0.2 s at a few thousand highlights: too much for every key typed).
        """
        stamp: object = None
        with guard(self.screen):
            stamp = self.screen.library.annotations_stamp()
        cached = self._filter_notes
        if cached is not None and stamp is not None and cached[0] == stamp:
            return cached[1]
        by_article: dict[str, list[Annotation]] = defaultdict(list)
        with guard(self.screen):
            for annotation in self.screen.library.all_annotations():
                by_article[annotation.article_id].append(annotation)
        self._filter_notes = (stamp, by_article)
        return by_article

    # ------------------------------------------------------------------ filter keys
    def pick(self, kind: str) -> None:
        """A filter key of the list: ``T`` tag, ``S`` source, ``D`` date, ``H``/``U`` toggles."""
        from reader.core.query import parse_query

        if kind in TOGGLES:
            key, value = TOGGLES[kind]
            present = any(
                t.key == key and t.value == value and not t.negated
                for t in parse_query(self.screen.filter_text, lenient=True).terms
            )
            # has:highlights must not take has:note with it; is:unread replaces is:read
            only = value if key == "has" else None
            line = with_term(self.screen.filter_text, key, None if present else value, only=only)
            self.show_filter(line)
        elif kind == "tag":
            self._pick_tag()
        elif kind == "source":
            self._pick_source()
        elif kind == "date":
            self._ask_date()

    def _pick_tag(self) -> None:
        from reader.ui.screens.picker import ChoicePicker  # dialogs load when first opened
        from reader.ui.screens.tags import counts_text

        counts: dict[str, tuple[int, int]] = {}
        with guard(self.screen):
            counts = self.screen.library.tag_counts()
        ranked = sorted(counts, key=lambda t: (-sum(counts[t]), t))
        choices = [(tag, f"#{tag}", counts_text(*counts[tag])) for tag in ranked]
        picker = ChoicePicker("Filter by tag", choices, placeholder="tag")

        def picked(tag: str | None) -> None:
            if tag:
                self.set_filter_term("tag", tag)

        self.screen.app.push_screen(picker, picked)

    def _pick_source(self) -> None:
        from reader.ui.screens.picker import ChoicePicker

        sources = Counter(s.source for s in self.screen.summaries.values() if s.source)
        choices = [
            (source, source, f"{n} article{'s' if n != 1 else ''}")
            for source, n in sorted(sources.items(), key=lambda item: (-item[1], item[0]))
        ]
        picker = ChoicePicker("Filter by source", choices, placeholder="source")

        def picked(source: str | None) -> None:
            if source:
                self.set_filter_term("source", source)

        self.screen.app.push_screen(picker, picked)

    def _ask_date(self) -> None:
        from reader.core.query import QueryError, parse_query
        from reader.ui.screens.input_prompt import InputPrompt

        def answer(value: str | None) -> None:
            if value is None:
                return
            value = "".join(value.split())
            if not value:
                self.set_filter_term("date", None)
                return
            try:
                parse_query(f"date:{value}")
            except QueryError as error:
                self.screen.notify(str(error), severity="error", markup=False)
                return
            self.set_filter_term("date", value)

        current = term_value(self.screen.filter_text, "date") or ""
        prompt = InputPrompt("Filter by date (empty: any date)", current, placeholder=DATE_HINT)
        self.screen.app.push_screen(prompt, answer)

    # ------------------------------------------------------------------ the tag view
    def tags_view(self) -> None:
        """Every tag with its counts: filter by one, rename or merge."""
        from reader.ui.screens.tags import TagsScreen

        def counts() -> dict[str, tuple[int, int]]:
            found: dict[str, tuple[int, int]] = {}
            with guard(self.screen):
                found = self.screen.library.tag_counts()
            return found

        def chosen(tag: str | None) -> None:
            if tag:
                self.set_filter_term("tag", tag)

        self.screen.app.push_screen(TagsScreen(counts, self.rename_tag), chosen)

    def tags_changed(self) -> None:
        """Show tags changed across the library (a rename, or its undo) in every pane."""
        self._filter_notes = None
        self._typed.clear()
        with guard(self.screen):
            # the rows' tags change; the list (and its search index) stay as they are
            fresh = {summary.id: summary.tags for summary in self.screen.library.articles()}
            for summary in self.screen.summaries.values():
                tags = fresh.get(summary.id)
                if tags is not None and tags != summary.tags:
                    summary.tags = list(tags)
                    self.screen.article_list.update_article(summary)
        self.screen.show_list()
        self.screen.session.reload()
        self.screen.show_annotations()

    def rename_tag(self, old: str, new: str) -> str | None:
        """Rename (or merge) a tag everywhere; a message for the user, None if it failed."""
        from reader.ui.screens.tags import counts_text

        target = normalize_tag(new)
        changed: tuple[int, int] | None = None
        merged = False
        with guard(self.screen):
            merged = target in self.screen.library.tag_counts()
            changed = self.screen.library.rename_tag(old, new)
        self._filter_notes = None
        if changed is None:
            return None
        if term_value(self.screen.filter_text, "tag") == old:
            self.screen.filter_text = with_term(self.screen.filter_text, "tag", target)
            self.screen.query_one(FilterInput).value = self.screen.filter_text
        self.tags_changed()
        verb = "Merged" if merged else "Renamed"
        what = counts_text(*changed) or "nothing else changed"
        return f"{verb} #{old} into #{target}: {what}"
