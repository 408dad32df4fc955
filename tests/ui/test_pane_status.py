"""The reading pane's status line: what h will use and the progress are never cut off."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.models import COLORS
from reader.ui.pane_status import pane_status


def status(**changes: object) -> str:
    state: dict[str, object] = {
        "here": None,
        "prefix": None,
        "pen": "yellow",
        "count": None,
        "hits": 0,
        "hit_index": None,
        "progress": 0.0,
        "room": 80,
    }
    state.update(changes)
    return pane_status(**state)  # type: ignore[arg-type]


def test_the_parts_in_their_order() -> None:
    assert status() == "pen 1 yellow · 0%"
    assert status(here="Important", count=3, hits=12, hit_index=2, progress=0.456) == (
        "here: Important · pen 1 yellow · count 3 · / 3 of 12 · 46%"
    )
    assert status(prefix="pen").startswith("pen: 1–5?")
    assert status(prefix="recolour", hits=4).startswith("recolour: 1–5? · / 4")


def test_a_narrow_pane_drops_the_label_then_the_colour_name() -> None:
    wide = status(here="a long label of mine", pen="green", progress=0.5)
    assert wide == "here: a long label of mine · pen 2 green · 50%"
    assert status(here="a long label of mine", pen="green", progress=0.5, room=20) == (
        "pen 2 green · 50%"
    )
    assert status(here="a long label of mine", pen="green", progress=0.5, room=10) == "pen 2 · 50%"


@given(
    here=st.none() | st.text(max_size=40),
    pen=st.sampled_from(COLORS),
    count=st.none() | st.integers(1, 999),
    progress=st.floats(0, 1),
    room=st.integers(0, 200),
)
def test_the_pen_number_and_the_progress_always_show(
    here: str | None, pen: str, count: int | None, progress: float, room: int
) -> None:
    shown = status(here=here, pen=pen, count=count, progress=progress, room=room)
    assert f"pen {COLORS.index(pen) + 1}" in shown
    assert shown.endswith(f"{round(progress * 100)}%")
    if here is not None and room < len(f"here: {here} · pen 1 · 100%"):
        assert not shown.startswith("here: ")
