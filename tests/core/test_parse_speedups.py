"""The parser's cheap screens agree with the rules they stand in front of."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.parse_rules import _CREDIT_WORDS, _has_credit_word, has_photo_credit


def test_the_credit_screen_knows_every_credit_word() -> None:
    for word in _CREDIT_WORDS:
        assert _has_credit_word(f"a caption. {word}: someone")
    assert not _has_credit_word("the delegation signed the treaty on tuesday.")


@given(st.text(alphabet="photoimagecreditvideo gtysuk:/()ABP.", max_size=60))
def test_the_screen_never_hides_a_credit(line: str) -> None:
    lowered = line[-200:].lower()
    if has_photo_credit(line):
        assert _has_credit_word(lowered)
    assert _has_credit_word(lowered) == any(word in lowered for word in _CREDIT_WORDS)


@given(st.text() | st.text(alphabet=" \u00a0\t\n\u2028\x1cabAßİΣ“”’–—-\"'"))
def test_fast_fold_is_the_mapped_fold(text: str) -> None:
    from reader.core.locate import fold, fold_with_map

    assert fold(text) == fold_with_map(text)[0]
