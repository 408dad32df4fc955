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


_MONTH_SPELLINGS = [
    "January", "jan", "Jan.", "FEB", "february", "Mar.", "april", "May", "june", "Jul",
    "August", "Sept.", "sep", "September", "oct.", "November", "Dec", "Mon", "Octember",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    month=st.sampled_from(_MONTH_SPELLINGS),
    number=st.integers(0, 19),
    day=st.integers(0, 39),
    year=st.integers(1790, 2210),
    shape=st.integers(0, 5),
)
def test_fast_date_reading_agrees_with_dateutil(
    month: str, number: int, day: int, year: int, shape: int
) -> None:
    """The shortcut for common date shapes reads every date exactly as dateutil does."""
    from datetime import datetime

    from dateutil import parser as dateutil_parser

    from reader.core.dates import _plain_date

    candidate = [
        f"{month} {day}, {year}",
        f"{month} {day}th {year}",
        f"{day} {month} {year}",
        f"{day}rd of {month}, {year}",
        f"{year}-{number}-{day}",
        f"{number:02d}/{day}/{year}",
    ][shape]
    fast = _plain_date(candidate)
    if fast is None:
        return  # left to dateutil itself
    expected = dateutil_parser.parse(candidate, default=datetime(1, 1, 1)).date()
    assert fast == expected


def test_common_shapes_take_the_shortcut() -> None:
    from reader.core.dates import _plain_date

    assert _plain_date("Sept. 3, 2024") == date(2024, 9, 3)
    assert _plain_date("14th of January, 2025") == date(2025, 1, 14)
    assert _plain_date("February 30, 2025") is None  # dateutil decides


def test_dateutil_reads_what_the_shortcut_leaves_and_invalid_dates_are_none() -> None:
    from reader.core.dates import _plain_date, find_date

    # a day-first date: the one shape the shortcut leaves that dateutil reads
    assert _plain_date("14/01/2025") is None
    assert find_date("Published 14/01/2025") == "2025-01-14"
    # impossible dates are no dates (dateparser used to read 2025-13-01 as 13 January)
    assert find_date("Posted 2025-13-01") is None
    assert find_date("February 30, 2025") is None
