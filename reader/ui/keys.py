"""The one registry of user actions: key, footer label, palette entry and help text.

Widgets and screens build their ``BINDINGS`` from here (``bindings_for``), the command palette
lists ``ACTIONS``, the help screen and the README key table are generated from it, so an action
is defined exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

#: contexts, in the order the help screen shows them
CONTEXTS: dict[str, str] = {
    "global": "Everywhere",
    "list": "Article list",
    "reader": "Reading pane",
    "sidebar": "Annotation sidebar",
    "editor": "Note and tag editors",
    "review": "Daily review",
}


@dataclass(frozen=True, slots=True)
class Action:
    """One user action: where it works, its keys, its short label and its help text."""

    context: str
    action: str  # Textual action name (``cursor_down`` -> ``action_cursor_down``)
    keys: str  # Textual key spec, comma separated ("j,down")
    label: str  # footer / palette label
    help: str  # one line for the help screen and the README
    show: bool = True  # shown in the footer
    palette: bool = True  # offered in the command palette
    priority: bool = False
    #: what follows the key (``p`` then a colour digit): shown after the keys
    then: str = ""
    #: False for keys a widget reads itself (count digits): documented, not a binding
    bound: bool = True
    #: the footer drops keys of lower rank first when it is narrow (``? Help`` and
    #: ``q Quit`` never go: a newcomer must always see how to get help and out)
    rank: int = 5

    @property
    def display_keys(self) -> str:
        """Keys as a person reads them: ``j / ↓``."""
        names = {
            "down": "↓",
            "up": "↑",
            "left": "←",
            "right": "→",
            "question_mark": "?",
            "slash": "/",
            "full_stop": ".",
            "left_curly_bracket": "{",
            "right_curly_bracket": "}",
            "left_square_bracket": "[",
            "right_square_bracket": "]",
            "semicolon": ";",
            "comma": ",",
            "space": "space",
            "escape": "esc",
            "number_sign": "#",
        }
        shown = " / ".join(names.get(k, k) for k in self.keys.split(","))
        return f"{shown} {self.then}" if self.then else shown


A = Action
ACTIONS: tuple[Action, ...] = (
    # everywhere
    A("global", "focus_next_pane", "tab", "Next pane", "Move focus to the next pane", show=False),
    A(
        "global",
        "focus_previous_pane",
        "shift+tab",
        "Prev pane",
        "Move focus to the previous pane",
        show=False,
    ),
    A("global", "help", "question_mark", "Help", "Show every key (this screen)", rank=0),
    A(
        "global",
        "command_palette",
        "ctrl+p",
        "Commands",
        "Command palette: every action by name",
        palette=False,
    ),
    A("global", "quit", "q", "Quit", "Quit (never while typing in an input)", rank=0),
    A("global", "toggle_sidebar", "ctrl+b", "Sidebar", "Show or hide the annotation sidebar"),
    A(
        "global",
        "annotations_view",
        "A",
        "All notes",
        "Library-wide annotations view with a query language",
    ),
    A(
        "global",
        "trash",
        "ctrl+t",
        "Trash",
        "Browse deleted highlights and restore them",
        show=False,
    ),
    A(
        "global",
        "anchor_review",
        "R",
        "Review anchors",
        "Review highlights that moved (fuzzy) or lost their passage (orphaned)",
        show=False,
    ),
    A(
        "global",
        "daily_review",
        "V",
        "Daily review",
        "Daily review: today's due highlights, then new ones (spaced repetition)",
        show=False,
    ),
    A(
        "global",
        "tags_view",
        "number_sign",
        "Tags",
        "Every tag with its counts: filter by it, rename it, merge it into another",
        show=False,
    ),
    A(
        "global",
        "undo",
        "u",
        "Undo",
        "Undo this window's last change (a highlight, note, tag, deletion, tag rename, "
        "or an article's tags or note)",
    ),
    A("global", "redo", "ctrl+r", "Redo", "Redo what u undid", show=False),
    # article list
    A("list", "cursor_down", "j,down", "Down", "Next article", show=False),
    A("list", "cursor_up", "k,up", "Up", "Previous article", show=False),
    A("list", "open_article", "enter", "Open", "Open the article in the reading pane", rank=1),
    A("list", "first", "g,home", "First", "First article", show=False),
    A("list", "last", "G,end", "Last", "Last article", show=False),
    A("list", "filter", "slash", "Filter", "Filter the list as you type (titles, sources, text)"),
    A("list", "tag_article", "t", "Tag", "Edit the article's tags"),
    A("list", "note_article", "N", "Article note", "Write a note on the whole article"),
    A("list", "clear_filter", "escape", "Clear", "Clear the filter", show=False),
    A(
        "list",
        "filter_tag",
        "T",
        "By tag",
        "Filter by a tag (picked from the tags in use, with counts)",
        show=False,
    ),
    A(
        "list",
        "filter_source",
        "S",
        "By source",
        "Filter by a source (picked from the sources, with counts)",
        show=False,
    ),
    A(
        "list",
        "filter_date",
        "D",
        "By date",
        "Filter by a date or a range (2024, 2024-10, 2024-10..2025-01, ..2025-01)",
        show=False,
    ),
    A(
        "list",
        "filter_highlighted",
        "H",
        "Highlighted",
        "Only articles with highlights (press again for all)",
        show=False,
    ),
    A(
        "list",
        "filter_unread",
        "U",
        "Unread",
        "Only unread articles (press again for all)",
        show=False,
    ),
    # reading pane
    A(
        "reader",
        "cursor_down",
        "j,down",
        "Next sentence",
        "Move the cursor to the next sentence",
        show=False,
    ),
    A(
        "reader",
        "cursor_up",
        "k,up",
        "Prev sentence",
        "Move the cursor to the previous sentence",
        show=False,
    ),
    A(
        "reader",
        "paragraph_down",
        "J,right_curly_bracket",
        "Next para",
        "Move the cursor to the next paragraph",
        show=False,
    ),
    A(
        "reader",
        "paragraph_up",
        "K,left_curly_bracket",
        "Prev para",
        "Move the cursor to the previous paragraph",
        show=False,
    ),
    A("reader", "page_down", "space,pagedown", "Page down", "Scroll one page down", show=False),
    A("reader", "page_up", "pageup", "Page up", "Scroll one page up", show=False),
    A(
        "reader",
        "select",
        "v",
        "Select",
        "Start a selection at the cursor's sentence: j/k grow it down or up from there,"
        " w/b move its moving end a word",
        rank=4,
    ),
    A(
        "reader",
        "word_forward",
        "w",
        "Word →",
        "Move the selection's moving end a word right (starts one at the cursor's first word)",
        show=False,
    ),
    A(
        "reader",
        "word_back",
        "b",
        "Word ←",
        "Move the selection's moving end a word left (past its start: grows it backwards)",
        show=False,
    ),
    A(
        "reader",
        "highlight",
        "h",
        "Highlight",
        "Highlight the selection or the cursor's sentence in the pen colour (shown in the"
        " border); a count first (3h) takes that many sentences",
        rank=1,
    ),
    A(
        "reader",
        "repeat",
        "full_stop",
        "Repeat",
        "Repeat the last highlight (colour and tags) on the cursor's sentence",
        show=False,
    ),
    A(
        "reader",
        "count",
        "1–9",
        "Count",
        "A count (digits only ever count) before j, k, J, K, w, b or h: 3j moves three"
        " sentences, 3h highlights three",
        show=False,
        palette=False,
        bound=False,
    ),
    A(
        "reader",
        "pen",
        "p",
        "Pen",
        "Pen colour for the next highlights: p then 1–5 (yellow, green, blue, pink, purple)",
        then="1–5",
        rank=3,
    ),
    A(
        "reader",
        "recolour",
        "r",
        "Recolour",
        "Recolour the highlight under the cursor: r then 1–5 (the pen stays as it is)",
        show=False,
        then="1–5",
    ),
    A("reader", "note", "n", "Note", "Edit the note of the highlight here (creates it if needed)"),
    A("reader", "tags", "t", "Tags", "Edit the tags of the highlight here"),
    A(
        "reader",
        "note_article",
        "N",
        "Article note",
        "Write a note on the whole article (shown atop the sidebar)",
        show=False,
    ),
    A("reader", "delete", "x", "Delete", "Delete the highlight here (to the trash)"),
    A("reader", "copy", "c", "Copy", "Copy the passage to the clipboard (OSC 52)", show=False),
    A(
        "reader",
        "next_highlight",
        "right_square_bracket",
        "Next hl",
        "Jump to the next highlight",
        show=False,
    ),
    A(
        "reader",
        "previous_highlight",
        "left_square_bracket",
        "Prev hl",
        "Jump to the previous highlight",
        show=False,
    ),
    A(
        "reader",
        "search",
        "slash",
        "Search",
        "Search the article as you type (shows hit 3 of 12); enter keeps the hits, esc drops them",
    ),
    A(
        "reader",
        "toggle_read",
        "m",
        "Read/unread",
        "Mark the article read, or unread again",
        show=False,
    ),
    A("reader", "search_next", "semicolon", "Next hit", "Next search hit", show=False),
    A("reader", "search_previous", "comma", "Prev hit", "Previous search hit", show=False),
    A(
        "reader",
        "reattach",
        "a",
        "Attach",
        "Move the selected orphan's note and tags to the passage here",
        show=False,
    ),
    A(
        "reader",
        "clear_selection",
        "escape",
        "Clear",
        "Clear the selection and the search",
        show=False,
    ),
    # sidebar
    A("sidebar", "cursor_down", "j,down", "Down", "Next highlight", show=False),
    A("sidebar", "cursor_up", "k,up", "Up", "Previous highlight", show=False),
    A("sidebar", "jump", "enter", "Go to", "Jump the reading pane to the passage"),
    A("sidebar", "edit_note", "e", "Edit note", "Edit the highlight's note"),
    A("sidebar", "delete", "x", "Delete", "Delete the highlight (to the trash)"),
    # daily review (its own screen)
    A("review", "answer(1)", "1", "Again", "Answer: forgotten (it comes back soon)"),
    A("review", "answer(2)", "2", "Hard", "Answer: remembered, with effort"),
    A("review", "answer(3)", "3", "Good", "Answer: remembered"),
    A("review", "answer(4)", "4", "Easy", "Answer: remembered at once (it comes back later)"),
    A("review", "open", "o", "Open", "Open the highlight in its article (ends the review)"),
    A("review", "edit_note", "n", "Note", "Edit the highlight's note"),
    A("review", "skip", "s", "Skip", "Skip this highlight for today (no answer recorded)"),
    A(
        "review",
        "stop",
        "x",
        "Stop",
        "Stop reviewing this highlight (the palette brings it back)",
    ),
    A("review", "close", "escape,q", "Close", "End the review", palette=False),
    # editors
    A("editor", "save", "ctrl+s", "Save", "Save the note or tags", palette=False),
    A("editor", "cancel", "escape", "Cancel", "Close without saving", palette=False),
)


def actions_for(context: str) -> list[Action]:
    """The actions of one context, in registry order."""
    return [action for action in ACTIONS if action.context == context]


def bindings_for(context: str) -> list[Binding]:
    """Textual bindings for one context, built from the registry."""
    return [
        Binding(
            action.keys,
            action.action,
            action.label,
            show=action.show,
            priority=action.priority,
            tooltip=action.help,
        )
        for action in actions_for(context)
        if action.bound
    ]


#: the footer rank of each action name (lower is kept longer when the footer is narrow)
FOOTER_RANKS: dict[str, int] = {}
for _action in ACTIONS:
    FOOTER_RANKS[_action.action] = min(FOOTER_RANKS.get(_action.action, 9), _action.rank)


def markdown_key_table() -> str:
    """The README's key table, generated from the registry (a test keeps them equal)."""
    rows = ["| Where | Keys | Action |", "| --- | --- | --- |"]
    for context, title in CONTEXTS.items():
        for action in actions_for(context):
            keys = action.display_keys.replace("|", "\\|")
            rows.append(f"| {title} | `{keys}` | {action.help} |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    print(markdown_key_table())
