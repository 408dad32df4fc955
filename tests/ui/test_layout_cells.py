"""The single-cell table the layout builds quickly agrees with Rich, character by character."""

from __future__ import annotations

from rich.cells import get_character_cell_size

from reader.ui.layout import _single_cell, _single_cell_codes


def test_the_fast_table_matches_rich_for_every_code_point_it_covers() -> None:
    slow = [
        code
        for code in range(0x20, 0x3000)
        if get_character_cell_size(chr(code)) == 1 and chr(code) not in "\u200d\ufe0f"
    ]
    assert _single_cell_codes() == slow


def test_wide_and_zero_width_characters_are_not_single_cell() -> None:
    assert _single_cell("café – naïve “quotes”")
    assert not _single_cell("e\u0301")  # a combining accent takes no cell
    assert not _single_cell("漢字")
    assert not _single_cell("a\u200db")
