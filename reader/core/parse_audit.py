"""Check that parsing lost nothing: every input line must land in some article field.

Used by the tests (as a property over arbitrary input) and handy for ``reader parse`` style
debugging: :func:`unaccounted_lines` lists the input lines whose words are found nowhere in
the parsed articles.
"""

from __future__ import annotations

import re

from reader.core.clean import clean_text
from reader.core.dates import date_candidate, find_date, is_date_line
from reader.core.models import Article

__all__ = ["article_words", "unaccounted_lines"]

_WORD = re.compile(r"[^\W_]+")

#: words of the furniture phrases the parser reads but does not keep verbatim
#: ("Reprinted from", "RELATED:", "By", "Watch:", ...)
_FURNITURE_TEXT = """related articles article stories story reading coverage content link
    read more see also
    more on this reprinted republished reposted syndicated with permission from originally
    published appeared posted by in at on source first ran was piece post written words
    reporting text author authors writer"""
_FURNITURE_WORDS = frozenset(_FURNITURE_TEXT.split())


def _words(text: str | None) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text or "")]


def article_words(article: Article) -> set[str]:
    """Every word the article keeps, in any field."""
    words: set[str] = set()
    for text in (
        article.title,
        article.caption,
        article.summary,
        article.author,
        article.source,
        article.date,
        *article.paragraphs,
        *article.boilerplate,
    ):
        words.update(_words(text))
    for embed in article.embeds:
        for text in (embed.text, embed.author, embed.handle, embed.url, embed.date):
            words.update(_words(text))
    return words


def unaccounted_lines(text: str, articles: list[Article]) -> list[str]:
    """The non-blank lines of ``text`` with a word that no article field holds."""
    kept: set[str] = set()
    dates: set[str] = set()
    for article in articles:
        kept |= article_words(article)
        dates.update(d for d in [article.date, *(e.date for e in article.embeds)] if d)
    missing: list[str] = []
    for line in clean_text(text).split("\n"):
        if not line.strip():
            continue
        if is_date_line(line) and find_date(line) in dates:
            continue
        span = date_candidate(line)
        if span is not None and find_date(line[span[0] : span[1]]) in dates:
            line_words = _words(line[: span[0]] + " " + line[span[1] :])
        else:
            line_words = _words(line)
        if any(w not in kept and w not in _FURNITURE_WORDS for w in line_words):
            missing.append(line)
    return missing
