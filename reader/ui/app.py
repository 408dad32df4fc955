"""The Textual app: a thin shell that pushes the main screen (which owns the state)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from reader.service.library import Library
from reader.ui.commands import RegistryCommands
from reader.ui.messages import FirstPaint
from reader.ui.screens.main import MainScreen


class ReaderApp(App[None]):
    """Read and annotate the documents of one library."""

    CSS_PATH = "reader.tcss"
    COMMANDS = App.COMMANDS | {RegistryCommands}
    # ctrl+q stays as Textual's emergency exit; the registry's q lives on the main screen
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        library: Library,
        *,
        open_article: str | None = None,
        after_first_paint: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self._open_article = open_article
        self._after_first_paint = after_first_paint
        self.title = library.name

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's palette commands, without its Quit: the registry's "Everywhere: Quit"
        is the one Quit (two with different names left a newcomer wondering which)."""
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command

    def get_default_screen(self) -> MainScreen:
        """The reading screen is the app's base screen.

        Pushing it from ``on_mount`` instead rendered it once inside Textual's start-up batch
        (a frame never shown), delaying the first frame the user sees.
        """
        return MainScreen(self.library, open_article=self._open_article)

    def on_first_paint(self, event: FirstPaint) -> None:
        """Start-up is over: run what the caller deferred until then."""
        # What start-up made (the library's summaries, rows, widgets) lives as long as the
        # app: out of the collector's sight, a full collection scans only what came since
        # (it took ~65 ms at 12,000 articles, a keystroke's budget, every few keys).
        gc.freeze()
        # A frame makes thousands of short-lived objects (each Strip holds 7 caches): at
        # the default 700 allocations a young collection ran mid-frame, promoting what was
        # still in use, and a full collection (10-20 ms) came every few filter keys. At
        # 10,000 most of a frame's objects are gone before the collector looks.
        gc.set_threshold(10_000, 10, 10)
        if self._after_first_paint is not None:
            self._after_first_paint()
            self._after_first_paint = None

    @property
    def main_screen(self) -> MainScreen:
        """The reading screen (below any dialog)."""
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))


def make_app(
    library: Library,
    *,
    open_article: str | None = None,
    after_first_paint: Callable[[], None] | None = None,
) -> ReaderApp:
    """The app for ``library``, opening ``open_article`` (id or title) or the last one read.

    ``after_first_paint`` runs once the list and the first article are on screen.
    """
    return ReaderApp(library, open_article=open_article, after_first_paint=after_first_paint)
