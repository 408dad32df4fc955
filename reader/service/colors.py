"""Colour names as people type them."""

from __future__ import annotations

from reader.core.models import COLORS
from reader.service.errors import LibraryError


def check_color(color: str) -> str:
    """A colour name or its number (1-5) as the colour's name; LibraryError otherwise."""
    name = color.strip().lower()
    if name.isdigit() and 1 <= int(name) <= len(COLORS):
        return COLORS[int(name) - 1]
    if name not in COLORS:
        raise LibraryError(f"unknown colour {color!r}; use one of {', '.join(COLORS)}")
    return name
