"""The reading pane's status line (its bottom border): the highlight under the cursor, what
``h`` will use (the pen, a pending ``p``/``r`` prefix, a count), search hits and progress.

Pure (no Textual): the pane passes its state in and shows the text (as text, never markup).
"""

from __future__ import annotations

from reader.core.models import COLORS

SEPARATOR = " · "


def pane_status(
    *,
    here: str | None,
    prefix: str | None,
    pen: str,
    count: int | None,
    hits: int,
    hit_index: int | None,
    progress: float,
    room: int,
) -> str:
    """The status text for a pane ``room`` cells wide.

    ``here`` is the label of the highlight under the cursor (None: none), ``prefix`` a
    pending ``"pen"`` or ``"recolour"`` key, ``hits`` the number of search hits and
    ``hit_index`` the current one. A narrow pane drops the label of the highlight first, then
    the pen's colour name (its number stays): what ``h`` will use and the progress are never
    cut off.
    """
    parts = []
    if here is not None:
        parts.append(f"here: {here}")
    if prefix == "pen":
        parts.append("pen: 1–5?")
    elif prefix == "recolour":
        parts.append("recolour: 1–5?")
    else:
        number = COLORS.index(pen) + 1 if pen in COLORS else 0
        parts.append(f"pen {number} {pen}" if number else f"pen {pen}")
    if count is not None:
        parts.append(f"count {count}")
    if hits:
        current = f"{hit_index + 1} of " if hit_index is not None else ""
        parts.append(f"/ {current}{hits}")
    parts.append(f"{round(progress * 100)}%")
    if here is not None and len(SEPARATOR.join(parts)) > room:
        parts.pop(0)
    pen_part = next((i for i, part in enumerate(parts) if part.startswith("pen ")), None)
    if pen_part is not None and len(SEPARATOR.join(parts)) > room:
        parts[pen_part] = " ".join(parts[pen_part].split()[:2])
    return SEPARATOR.join(parts)
