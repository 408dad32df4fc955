"""The baseline of the keystroke benchmark: a bare Textual OptionList of N options.

    python benchmarks/bare_option_list.py N [LINES_PER_OPTION]

Each option is ``LINES_PER_OPTION`` lines (2 for the article list's rows, 1 for the
display lines of an article); the first reads ``OPTION 0``.
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import OptionList


class BareOptionList(App[None]):
    """An OptionList filling the screen, focused."""

    def __init__(self, count: int, lines: int) -> None:
        super().__init__()
        self.count = count
        self.lines = lines

    def compose(self) -> ComposeResult:
        extra = "\n".join(f"detail line {n}" for n in range(1, self.lines))
        yield OptionList(
            *(f"OPTION {n}\n{extra}" if extra else f"OPTION {n}" for n in range(self.count))
        )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 12_000
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    BareOptionList(count, lines).run()
