"""The one action registry holds together: no key means two things where both could run."""

from __future__ import annotations

from reader.ui.keys import ACTIONS

PANES = ("list", "reader", "sidebar")


def test_no_pane_key_hides_a_key_that_works_everywhere() -> None:
    """A pane's own binding wins while it has the focus: a global key bound in a pane too
    would do nothing there (the review key was once `r`, which the reading pane uses to
    recolour)."""
    everywhere = {k: a.action for a in ACTIONS if a.context == "global" for k in a.keys.split(",")}
    clashes = [
        (a.context, key, a.action, everywhere[key])
        for a in ACTIONS
        if a.context in PANES
        for key in a.keys.split(",")
        if key in everywhere
    ]
    assert clashes == []
