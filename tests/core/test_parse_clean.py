"""Import-time text cleaning: nothing in a document can drive the terminal."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.clean import clean_text

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\r\ufeff]")


def test_escape_sequences_go_whole() -> None:
    text = (
        "a\x1b[31mred\x1b[0m "  # SGR colour
        "\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\ "  # OSC 8 hyperlink
        "\x1b]0;window title\x07"  # OSC title, BEL-terminated
        "\x1b]52;c;Y2xpcGJvYXJk\x07"  # OSC 52 clipboard write
        "\x9b2Jz \x1bc"  # C1 CSI clear screen, RIS reset
    )
    assert clean_text(text) == "ared link z"


def test_unterminated_osc_keeps_the_following_text() -> None:
    assert clean_text("before\x1b]never closed after") == "beforenever closed after"


def test_newlines_and_trailing_spaces() -> None:
    assert clean_text("one  \r\ntwo\t\rthree\u2028four\u00a0\n") == "one\ntwo\nthree\nfour\n"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=200))
def test_output_is_safe_and_cleaning_is_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert _FORBIDDEN.search(cleaned) is None
    assert all(line == line.rstrip(" \t\u00a0\u3000") for line in cleaned.split("\n"))
    assert clean_text(cleaned) == cleaned
