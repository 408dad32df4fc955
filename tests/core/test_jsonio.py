"""jsonio.loads reads what json.loads reads, the same, and refuses what it refuses."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.jsonio import loads

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(values, st.booleans())
def test_anything_json_writes_reads_back_as_json_loads_reads_it(value: object, ascii: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii).encode("utf-8", "surrogatepass")
    try:
        expected = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        with pytest.raises(ValueError):
            loads(raw)
        return
    assert loads(raw) == expected


def test_what_only_pythons_reader_takes_still_reads() -> None:
    assert math.isnan(loads(b'{"x": NaN}')["x"])
    assert loads(b'"\\ud800"') == "\ud800"  # a lone surrogate escape
    assert loads(str(2**70).encode()) == 2**70


@pytest.mark.parametrize("raw", [b"", b"{", b"[1,]", b"\xff\xfe", b'{"a": 1} x'])
def test_what_is_not_json_is_a_value_error(raw: bytes) -> None:
    with pytest.raises(ValueError):
        loads(raw)
