"""The footer: the focused pane's keys, drawn as one line of text.

Every screen that has keys of its own (dialogs too) yields one, so the footer always shows
the keys of what is in front: a dialog's footer covers the main screen's.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the bindings change
(every focus change). On start-up that rebuild ran two or three times between the article
list's first frame and the article's (~40 ms each); this footer only repaints one line.
Clicking a key presses it, as in Textual's footer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.style import Style
from textual.widget import Widget

from reader.ui.keys import FOOTER_RANKS

if TYPE_CHECKING:
    from textual.screen import Screen

#: (first cell, cell after the last, key to press) of each key drawn in the footer
KeySpot = tuple[int, int, str]
#: the rank of a key that is not in the registry (a dialog's own)
DEFAULT_RANK = 5


class KeyFooter(Widget):
    """A one-line footer of the keys the focused widget and its screen offer."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--disabled",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
        }
        & > .key-footer--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spots: list[KeySpot] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def shown_bindings(self) -> list[tuple[Binding, bool]]:
        """The bindings shown, in order, one per action, with whether each is enabled now."""
        seen: set[str] = set()
        shown: list[tuple[Binding, bool]] = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, enabled))
        return shown

    def render(self) -> Content:
        """`` key Label  key Label …`` and the command palette's key at the right edge.

        Keys that do not fit are left out whole (the palette and ``?`` list them all).
        """
        key_style = self.get_visual_style("key-footer--key")
        label_style = self.get_visual_style("key-footer--description")
        dim = self.get_visual_style("key-footer--disabled")
        palette = self._palette_key()
        room = self.size.width - (cell_len(palette) + 2 if palette else 0)
        pieces: list[tuple[str, Style]] = []
        spots: list[KeySpot] = []
        x = 0
        for binding, enabled in self._fitting(room):
            key = f" {self.app.get_key_display(binding)}"
            label = f" {binding.description} "
            width = cell_len(key) + cell_len(label)
            spots.append((x, x + width, binding.key.split(",")[0]))
            pieces.append((key, key_style if enabled else key_style + dim))
            pieces.append((label, label_style if enabled else label_style + dim))
            x += width
        if palette and room >= x:
            spots.append((room, room + cell_len(palette) + 2, self.app.COMMAND_PALETTE_BINDING))
            pieces += [(" " * (room - x) + "▏", label_style), (palette, key_style)]
            pieces.append((" ", label_style))
        self._spots = spots
        return Content.assemble(*pieces)

    def _width(self, binding: Binding) -> int:
        return cell_len(f" {self.app.get_key_display(binding)}") + cell_len(
            f" {binding.description} "
        )

    def _fitting(self, room: int) -> list[tuple[Binding, bool]]:
        """The shown bindings that fit in ``room`` cells, in their order: when they do not
        all fit, the least important go first (the registry's ranks; ``? Help`` and
        ``q Quit`` are kept to the last, so a newcomer always sees how to get help)."""
        shown = self.shown_bindings()
        widths = [self._width(binding) for binding, _ in shown]
        total = sum(widths)
        ranked = sorted(
            range(len(shown)),
            key=lambda i: (FOOTER_RANKS.get(shown[i][0].action, DEFAULT_RANK), i),
            reverse=True,
        )
        dropped: set[int] = set()
        for index in ranked:
            if total <= room:
                break
            dropped.add(index)
            total -= widths[index]
        return [entry for i, entry in enumerate(shown) if i not in dropped]

    def _palette_key(self) -> str:
        app = self.app
        if not app.ENABLE_COMMAND_PALETTE:
            return ""
        return f"{app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, ''))} palette"

    def on_click(self, event: events.Click) -> None:
        """Clicking a key does what pressing it does."""
        for start, end, key in self._spots:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
