"""The baseline of the first-paint benchmark: a bare Textual app.

Header, a 3-item ListView, a Static and a Footer, as the issue defines the baseline.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label, ListItem, ListView, Static


class BareApp(App[None]):
    """The smallest app that looks like an app."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield ListView(*(ListItem(Label(f"BAREITEM {n}")) for n in range(3)))
        yield Static("bare static text")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
