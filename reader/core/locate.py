"""Find a quote typed by a person in an article's text.

People type straight quotes for curly ones, one space for a line break, other letter case.
``locate_quote`` tries the exact text first, then a folded form whose offsets map back to
the original text.
"""

from __future__ import annotations

import re

_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‹": "'",
        "›": "'",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
    }
)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold quotes, dashes, case and runs of white space; return the folded text and, for
    each folded character, its offset in ``text``."""
    out: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if previous_space or not out:
                continue
            out.append(" ")
            offsets.append(index)
            previous_space = True
            continue
        previous_space = False
        folded = char.translate(_FOLD).casefold()
        for piece in folded:
            out.append(piece)
            offsets.append(index)
    return "".join(out), offsets


# white space that changes when runs are collapsed (a lone " " stays as it is)
_SPACES = re.compile(r"\s{2,}|[^\S ]")
# the characters _FOLD maps (a regex finds the few there are far faster than translate())
_FOLDED_CHARS = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")


def _fold_char(match: re.Match[str]) -> str:
    return str(_FOLD[ord(match.group())])


def fold(text: str) -> str:
    """``fold_with_map(text)[0]`` without the offsets, at C speed (for a quick "is it in
    there at all?" test before the mapped search)."""
    return _SPACES.sub(" ", _FOLDED_CHARS.sub(_fold_char, text).casefold()).removeprefix(" ")


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """The span of the first occurrence of ``quote`` in ``text`` (exact, then folded)."""
    quote = quote.strip()
    if not quote:
        return None
    found = text.find(quote)
    if found >= 0:
        return found, found + len(quote)
    folded_text, offsets = fold_with_map(text)
    folded_quote, _ = fold_with_map(quote)
    folded_quote = folded_quote.strip()
    if not folded_quote:
        return None
    hit = folded_text.find(folded_quote)
    if hit < 0:
        return None
    start = offsets[hit]
    end = offsets[hit + len(folded_quote) - 1] + 1
    return start, end
