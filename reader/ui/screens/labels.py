"""Edit what the five colours mean ("key idea", "question", ...): one line per colour.

The labels show in the sidebar, the reading pane's subtitle and exports, and a query can
name a colour by its label (``color:"key idea"``). An empty line restores the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.core.models import COLORS, DEFAULT_COLOR_LABELS
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.sidebar import SWATCH_STYLES


class ColorLabelsScreen(ModalScreen[dict[str, str] | None]):
    """Five inputs. Dismisses with colour -> label (as typed, stripped), or None."""

    DEFAULT_CSS = """
    ColorLabelsScreen {
        align: center middle;
    }
    ColorLabelsScreen .dialog.labels {
        width: 60;
    }
    ColorLabelsScreen .label-row {
        height: 3;
    }
    ColorLabelsScreen .label-row Static {
        width: 12;
        padding: 1 1 0 0;
    }
    ColorLabelsScreen .label-row Input {
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, labels: Mapping[str, str]) -> None:
        super().__init__()
        self._labels = dict(labels)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog labels") as dialog:
            dialog.border_title = "Colour labels"
            dialog.border_subtitle = "enter next / save · ctrl+s save · esc cancel"
            for number, color in enumerate(COLORS, 1):
                with Horizontal(classes="label-row"):
                    yield Static(
                        Content.assemble(("  ", SWATCH_STYLES[color]), f" {number} {color}"),
                        markup=False,
                    )
                    yield Input(
                        self._labels.get(color, DEFAULT_COLOR_LABELS[color]),
                        placeholder=DEFAULT_COLOR_LABELS[color],
                        id=f"label-{color}",
                    )
        yield KeyFooter()  # the dialog's own keys, over the main screen's

    def on_mount(self) -> None:
        self.query_one(f"#label-{COLORS[0]}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next colour; on the last one it saves."""
        event.stop()
        if event.input.id == f"label-{COLORS[-1]}":
            self.action_save()
        else:
            self.focus_next()

    @property
    def typed(self) -> dict[str, str]:
        """colour -> the label as typed (whitespace folded)."""
        return {
            color: " ".join(self.query_one(f"#label-{color}", Input).value.split())
            for color in COLORS
        }

    def action_save(self) -> None:
        """Close with the labels."""
        self.dismiss(self.typed)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
