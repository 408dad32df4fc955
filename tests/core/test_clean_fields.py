"""The one sanitiser for what people type or import, and output that shows bidi controls."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.clean import clean_field, show_bidi, terminal_safe
from reader.core.models import normalize_tag

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\r\ud800-\udfff]")


def test_escape_sequences_and_controls_go_newlines_and_tabs_stay() -> None:
    note = "a\x1b]0;t\x07b\x1b[2Jc\x1b]52;c;QUJD\x1b\\d\x1bP1;2|x\x1b\\e\x9b1mf\r\ng\th  "
    assert clean_field(note) == "abcdef\ng\th  "


def test_a_non_utf8_argument_byte_becomes_a_replacement_character() -> None:
    # what Python makes of the byte 0xff in argv (surrogateescape)
    assert clean_field("caf\udcff") == "caf\ufffd"
    assert clean_field("caf\udcff").encode("utf-8") == b"caf\xef\xbf\xbd"


def test_bidi_controls_are_shown_by_code_point() -> None:
    assert show_bidi("a\u202eb\u2066c\u2069") == "a<U+202E>b<U+2066>c<U+2069>"
    assert terminal_safe("x\x1b[2J\u202dy") == "x<U+202D>y"


def test_tags_are_cleaned() -> None:
    assert normalize_tag("#Big\x1b[31m Idea\x07") == "big-idea"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x3000, blacklist_categories=()), max_size=80))
def test_output_holds_nothing_live_and_cleaning_is_idempotent(text: str) -> None:
    cleaned = clean_field(text)
    assert _FORBIDDEN.search(cleaned) is None
    assert clean_field(cleaned) == cleaned
    assert re.search(r"[\u202a-\u202e\u2066-\u2069]", terminal_safe(text)) is None
