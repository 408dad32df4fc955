"""Finding the passage a person quoted (``reader annotate --quote``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from reader.service.errors import LibraryError

if TYPE_CHECKING:
    from reader.core.models import Article
    from reader.service.library import Library

#: runs of letters and digits. If :func:`reader.core.locate.locate_quote` finds a quote
#: folded in a text, each of the quote's runs, case-folded, is in ``text.casefold()``:
#: folding leaves letters and digits alone but for their case (per character) and only
#: changes white space, quotes and dashes. A cheap pre-check.
_WORD_RUNS = re.compile(r"[^\W_]+")


class QuoteProbe:
    """A cheap test of whether a text may hold a quote as :func:`locate_quote` finds it.

    Never false when the quote would be found: it looks for the quote as typed, then each of
    its runs of letters and digits case-folded, then the whole folded quote; the slow mapped
    search runs only where this says yes.
    """

    def __init__(self, quote: str) -> None:
        from reader.core.locate import fold

        self._fold = fold
        self.exact = quote.strip()
        self.needles = sorted({run.casefold() for run in _WORD_RUNS.findall(quote)}, key=len)[::-1]
        self.folded = fold(quote).strip()

    def may_hold(self, text: str) -> bool:
        """False only when ``text`` cannot hold the quote."""
        if self.exact in text:
            return True
        lowered = text.casefold()
        return all(n in lowered for n in self.needles) and self.folded in self._fold(text)


def find_quote(
    library: Library, quote: str, article: str | None = None
) -> tuple[str, tuple[int, int]]:
    """The article holding ``quote`` (``article`` when given, else the only one in the
    library that holds it) and the quote's span in its text."""
    from reader.core.locate import locate_quote

    if not quote.strip():
        raise LibraryError("the quote is empty")
    if article is not None:
        # an id is looked up directly: the catalog is read only for a title
        full = library.store.get_article(article.strip()) or library.require_article(
            library.find_article(article).id
        )
        span = locate_quote(full.text, quote)
        if span is None:
            raise LibraryError(f"quote not found in {full.title!r}")
        return full.id, span
    holders: list[tuple[Article, tuple[int, int]]] = []
    probe = QuoteProbe(quote)
    order = {summary.id: position for position, summary in enumerate(library.articles())}
    for article_id, text in library.store.article_texts():  # every shard read once
        if article_id not in order:
            continue
        # the mapped folded search (a Python loop over the text) only where it may succeed
        if not probe.may_hold(text):
            continue
        span = locate_quote(text, quote)
        if span is not None:
            holders.append((library.require_article(article_id), span))
    holders.sort(key=lambda holder: order[holder[0].id])
    if not holders:
        raise LibraryError("quote not found in any article")
    if len(holders) > 1:
        names = "; ".join(f"{a.id} {a.title!r}" for a, _ in holders[:5])
        raise LibraryError(
            f"quote found in {len(holders)} articles ({names}): name one with --article"
        )
    found, span = holders[0]
    return found.id, span
