"""Dates in clipping lines: find one, tell whether a line is nothing but a date.

A candidate is found with a regex first and read directly in its common shapes; only an
unusual one is handed to dateutil (day-first dates such as 14/01/2025 are the ones it alone
reads). Given a whole line, dateutil happily reads tweet digits or counts as a year ("123"),
hence the regex first; a sentinel default keeps a missing year from passing for a real one.
A candidate dateutil rejects (2025-13-01, February 30) is no date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

__all__ = ["DATE_LINE_WORDS", "date_candidate", "find_date", "is_date_line"]

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"

_CANDIDATES = re.compile(
    rf"""
    \b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b              # January 14, 2025 / Sept. 3, 2024
    | \b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b  # 14 January 2025 / 14th of Jan. 2025
    | \b{_YEAR}-[01]?\d-[0-3]?\d\b                 # 2025-01-14
    | \b[01]?\d/[0-3]?\d/{_YEAR}\b                 # 01/14/2025 (US order, as dateutil reads it)
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: words that may surround a date on a line that is still "just a date"
_DATE_LINE_WORDS_TEXT = """published updated posted on at date last modified first dated edited
    and originally
    monday tuesday wednesday thursday friday saturday sunday
    mon tue tues wed thu thur thurs fri sat sun
    am pm a m p et est edt pt pst pdt ct cst cdt gmt utc bst cet cest"""
DATE_LINE_WORDS = frozenset(_DATE_LINE_WORDS_TEXT.split())
_TIME = re.compile(r"\b\d{1,2}(?::\d{2}){1,2}\b|\b\d{1,2}\s*(?=[ap]\.?m\b)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")

_SENTINEL = datetime(1, 1, 1)
#: a line longer than this is prose that mentions a date, never a date line
MAX_DATE_LINE = 80


def date_candidate(line: str) -> tuple[int, int] | None:
    """The ``(start, end)`` of the first date-looking text in ``line`` (not yet validated)."""
    match = _CANDIDATES.search(line)
    return (match.start(), match.end()) if match else None


_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_PLAIN = re.compile(
    r"""
    (?P<m1>[a-z]+)\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})   # January 14, 2025
    | (?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>[a-z]+)\.?,?\s+(?P<y2>\d{4})
    | (?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})                          # 2025-01-14
    | (?P<m4>\d{1,2})/(?P<d4>\d{1,2})/(?P<y4>\d{4})                          # 01/14/2025
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _plain_date(candidate: str) -> date | None:
    """The common candidate shapes read directly (what dateutil would read, far faster).

    None when the shape or the numbers are anything unusual: the caller then asks dateutil.
    """
    match = _PLAIN.fullmatch(candidate)
    if match is None:
        return None
    groups = match.groupdict()
    for k in "1234":
        if groups[f"y{k}"] is not None:
            month_text, day_text, year_text = groups[f"m{k}"], groups[f"d{k}"], groups[f"y{k}"]
            break
    else:  # pragma: no cover - the pattern has no other branch
        return None
    month = int(month_text) if month_text.isdigit() else _MONTH_NUMBERS.get(month_text.lower())
    if month is None or not 1 <= month <= 12:
        return None
    try:
        return date(int(year_text), month, int(day_text))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _parse(candidate: str) -> date | None:
    """The date a candidate names, or None (cached: a clipping repeats its date lines)."""
    plain = _plain_date(candidate)
    if plain is not None:
        return plain if 1800 <= plain.year <= 2199 else None
    from dateutil import parser as dateutil_parser

    try:
        parsed = dateutil_parser.parse(candidate, default=_SENTINEL)
    except (ValueError, OverflowError):
        return None
    if not 1800 <= parsed.year <= 2199:
        return None
    return parsed.date()


def find_date(line: str) -> str | None:
    """The first real date in ``line`` as ISO ``YYYY-MM-DD``, or None."""
    for match in _CANDIDATES.finditer(line):
        parsed = _parse(match.group(0))
        if parsed is not None:
            return parsed.isoformat()
    return None


def is_date_line(line: str) -> bool:
    """Whether ``line`` is only a date, maybe with "Published", a weekday or a time around it."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_DATE_LINE:
        return False
    span = date_candidate(stripped)
    if span is None or _parse(stripped[span[0] : span[1]]) is None:
        return False
    rest = _TIME.sub(" ", stripped[: span[0]] + " " + stripped[span[1] :])
    return all(word.lower() in DATE_LINE_WORDS for word in _WORD.findall(rest))
