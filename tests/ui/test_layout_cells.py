"""The single-cell table the layout builds quickly agrees with Rich, character by character."""

from __future__ import annotations

from rich.cells import get_character_cell_size

from reader.ui.wrapping import _single_cell, single_cell_codes


def test_the_fast_table_matches_rich_for_every_code_point_it_covers() -> None:
    slow = [
        code
        for code in range(0x20, 0x3000)
        if get_character_cell_size(chr(code)) == 1 and chr(code) not in "\u200d\ufe0f"
    ]
    assert single_cell_codes() == slow


def test_wide_and_zero_width_characters_are_not_single_cell() -> None:
    assert _single_cell("café – naïve “quotes”")
    assert not _single_cell("e\u0301")  # a combining accent takes no cell
    assert not _single_cell("漢字")
    assert not _single_cell("a\u200db")


def test_rich_s_private_width_table_agrees_with_its_public_api() -> None:
    """The fast path reads a private module of Rich; the public one-by-one path is the
    fallback, and both must give the same characters."""
    from reader.ui.wrapping import _single_cell_codes_from_table, _single_cell_codes_one_by_one

    assert _single_cell_codes_from_table() == _single_cell_codes_one_by_one()


def test_lines_built_by_tuple_new_equal_lines_built_by_their_constructor() -> None:
    from reader.ui.layout import Line, _new_line

    fields = ("text", "a line", 0, 3, 9, "body")[: len(Line._fields)]
    assert _new_line(Line, fields) == Line(*fields)
    assert type(_new_line(Line, fields)) is Line
