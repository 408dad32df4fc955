"""The main screen's panes: whether the sidebar shows, and moving the focus between panes.

A part of :class:`~reader.ui.screens.main.MainScreen` (composed, not mixed in). The screen
keeps the person's choice (its ``sidebar_choice`` reactive, which ctrl+b flips) and calls
:meth:`PaneLayout.apply_sidebar_visibility` when it or the terminal's width changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.ui.widgets.article_list import FilterInput

if TYPE_CHECKING:
    from textual.widget import Widget

    from reader.ui.screens.main import MainScreen

#: below this width the sidebar hides itself (ctrl+b still shows it)
NARROW_WIDTH = 110


class PaneLayout:
    """Shows or hides the sidebar and cycles the focus through the visible panes."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def apply_sidebar_visibility(self) -> None:
        """Show the sidebar as chosen, else as wide enough; never leave the focus in it
        when it hides."""
        screen = self.screen
        visible = screen.sidebar_choice
        if visible is None:
            visible = screen.size.width >= NARROW_WIDTH
        screen.set_class(not visible, "-no-sidebar")
        if not visible and screen.focused is screen.sidebar:
            screen.pane.focus()

    @property
    def sidebar_visible(self) -> bool:
        """Whether the annotation sidebar is shown."""
        return not self.screen.has_class("-no-sidebar")

    def _panes(self) -> list[Widget]:
        screen = self.screen
        panes: list[Widget] = [screen.article_list, screen.pane]
        if self.sidebar_visible:
            panes.append(screen.sidebar)
        return panes

    def cycle_focus(self, step: int) -> None:
        """Focus the pane ``step`` panes on from the focused one (the filter line counts as
        the list), round the visible panes."""
        screen = self.screen
        panes = self._panes()
        focused = screen.focused
        index = next((i for i, p in enumerate(panes) if focused is p), -1)
        if index < 0 and focused is screen.query_one(FilterInput):
            index = 0
        panes[(index + step) % len(panes)].focus()
