"""Dates in clipping lines."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.dates import date_candidate, find_date, is_date_line


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("January 14, 2025", "2025-01-14"),
        ("Jan. 14, 2025", "2025-01-14"),
        ("14 January 2025", "2025-01-14"),
        ("14th of January, 2025", "2025-01-14"),
        ("2025-01-14", "2025-01-14"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("sep 3 2024", "2024-09-03"),
        ("01/14/2025", "2025-01-14"),
        ("Published: Tuesday, Jan. 14, 2025 at 9:03 a.m. ET", "2025-01-14"),
        ("Updated 10:30 AM EST, March 3, 2025", "2025-03-03"),
    ],
)
def test_date_lines(line: str, iso: str) -> None:
    assert find_date(line) == iso
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "He said on January 14, 2025 that the talks would go on.",
        "Greg Laurie (@greglaurie) October 16, 2024",
        "Iran-Russia Strategic Pact to Last 20 Years",
        "I give my answer 123 times",
        "",
    ],
)
def test_prose_with_or_without_a_date_is_not_a_date_line(line: str) -> None:
    assert not is_date_line(line)


def test_dates_inside_prose_are_found() -> None:
    assert find_date("He said on January 14, 2025 that") == "2025-01-14"
    assert find_date("— Greg Laurie (@greglaurie) October 16, 2024") == "2024-10-16"


@pytest.mark.parametrize(
    "line", ["Feb 30, 2024", "13/45/2025", "Tweet 123 and 4567", "May 2024", "2025-13-40"]
)
def test_impossible_or_partial_dates_are_rejected(line: str) -> None:
    assert find_date(line) is None
    assert not is_date_line(line)


def test_candidate_span() -> None:
    line = "Posted Jan. 14, 2025 at noon"
    span = date_candidate(line)
    assert span is not None and line[span[0] : span[1]] == "Jan. 14, 2025"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_never_raises_and_date_lines_have_dates(line: str) -> None:
    found = find_date(line)
    if is_date_line(line):
        assert found is not None
    if found is not None:
        year, month, day = (int(part) for part in found.split("-"))
        assert 1800 <= year <= 2199 and 1 <= month <= 12 and 1 <= day <= 31


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31)))
def test_round_trip_of_common_forms(day: date) -> None:
    for text in (day.strftime("%B %-d, %Y"), day.strftime("%-d %b %Y"), day.isoformat()):
        assert find_date(text) == day.isoformat()
        assert is_date_line(text)
