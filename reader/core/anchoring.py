"""Anchoring: find a highlight again after the text it was made on has been edited.

A highlight is stored as a :class:`TextSelector` (the W3C TextQuoteSelector and
TextPositionSelector in one). :func:`reanchor` finds it in a new version of the text,
trying in order:

1. ``position``: the old offsets still hold the exact quote;
2. ``diff`` (when the old text is known): a word-level diff of the old text against the new
   one carries the offsets over; the text found there (or right around it) must be the
   quote (``anchored``) or a close variant of it (``fuzzy``: quote similarity >=
   :data:`FUZZY_FLOOR`, length within :data:`LENGTH_FLOOR`, still mostly the passage's own
   unchanged words, see :data:`SURVIVAL_FLOOR`);
3. ``exact``/``context``: the quote occurs once, or several times and the occurrence whose
   prefix/suffix agree best (then nearest to the old place) wins;
4. ``fuzzy``: the most similar passage near the old place or anywhere, accepted only when
   it is a close variant and its prefix/suffix agree (:data:`CONTEXT_FLOOR`), or, with the
   old text known, when it is a long quote found in text the edit brought in
   (:data:`MOVED_FLOOR`: a paragraph moved and reworded has new neighbours);
5. otherwise ``orphaned``: a highlight in a wrong place is worse than a lost one.

When the old text is known, steps 3-4 only look at the passage's own place and at text the
edit brought in (a moved paragraph, an inserted one): text that was already there elsewhere
was not the highlighted passage, however similar. And no fuzzy anchor may be a passage that
some *other* part of the old text resembles more than the quote (an edited look-alike), nor
span more paragraph breaks than the quote did.

Whitespace changes (spaces, line breaks) and quote-character changes (curly vs straight)
are not edits: texts are compared folded (:mod:`reader.core.anchor_text`) and offsets map
back, so such a passage is ``anchored`` (score 1.0) with the new text as its quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from rapidfuzz import fuzz

from reader.core.anchor_diff import TextDiff
from reader.core.anchor_text import NormalizedText, context_score, fold, refine, similarity
from reader.core.anchor_trim import trim

CONTEXT_CHARS = 32
#: least similarity of a found passage to the quote for an approximate (fuzzy) anchor
FUZZY_FLOOR = 0.75
#: least length of a fuzzy anchor against the quote's (either way round)
LENGTH_FLOOR = 0.8
#: least prefix/suffix agreement (see :func:`context_score`) for a fuzzy anchor found by search
CONTEXT_FLOOR = 0.6
#: least share of the quote still unchanged in place for the diff to vouch for a fuzzy anchor
SURVIVAL_FLOOR = 0.5
#: least similarity for a fuzzy anchor in text an edit brought in, whatever its context
MOVED_FLOOR = 0.85
#: ... and only for quotes at least this long (short ones need their context)
MOVED_MIN_CHARS = 40
#: most occurrences of a quote weighed by context (a longer list is a very common phrase)
MAX_OCCURRENCES = 200
#: a paragraph of a quote: text between paragraph breaks (two or more line breaks)
_PARAGRAPH = re.compile(r"\S(?:(?!\n[^\S\n]*\n).)*", re.S)
#: least length of a trimmed approximate anchor against the quote's: less was not the passage
TRIMMED_FLOOR = 0.5


@dataclass(frozen=True)
class TextSelector:
    """Where a highlight is: its quote with some context, and its offsets when made."""

    quote: str
    prefix: str
    suffix: str
    start: int
    end: int

    def as_fields(self) -> dict[str, Any]:
        """The annotation fields this selector sets (quote, prefix, suffix, start, end)."""
        return asdict(self)


@dataclass(frozen=True)
class AnchorResult:
    """Where a highlight is now.

    ``start``/``end``/``quote`` describe the text now found (the old values when
    ``orphaned``); ``score`` is its similarity to the old quote (1.0 when equal up to
    whitespace and quote characters); ``method`` says which step found it.
    """

    status: Literal["anchored", "fuzzy", "orphaned"]
    start: int
    end: int
    quote: str
    score: float
    method: str


def make_selector(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> TextSelector:
    """The selector of ``text[start:end]`` with ``context`` characters on each side.

    Offsets are clamped into the text and put in order, so any pair gives a valid selector.
    """
    start, end = sorted((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    context = max(0, context)
    return TextSelector(
        quote=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def reanchor(selector: TextSelector, new_text: str, old_text: str | None = None) -> AnchorResult:
    """Find the highlight described by ``selector`` in ``new_text``.

    ``old_text``, the text the selector was made on, makes re-anchoring surer (a diff);
    without it the quote and its context are all there is to go on.
    """
    return reanchor_many([selector], new_text, old_text)[0]


def reanchor_many(
    selectors: Sequence[TextSelector], new_text: str, old_text: str | None = None
) -> list[AnchorResult]:
    """:func:`reanchor` for many highlights of one text, folding and diffing it once."""
    anchorer = _Anchorer(new_text, old_text)
    return [anchorer.run(selector) for selector in selectors]


def reanchorer(
    new_text: str, old_text: str | None = None
) -> Callable[[TextSelector], AnchorResult]:
    """:func:`reanchor` for highlights of one text that arrive one at a time (an import's
    records, in file order): the text is folded, and diffed, once for all of them."""
    return _Anchorer(new_text, old_text).run


class _Anchorer:
    """The shared work for one new text (and old text): folded texts, the diff."""

    def __init__(self, new_text: str, old_text: str | None) -> None:
        self.new_raw = new_text
        self.old_raw = old_text or None
        self._new: NormalizedText | None = None
        self._old: NormalizedText | None = None
        self._diff: TextDiff | None = None
        self._old_finder: _Anchorer | None = None
        #: the folded old span of the selector being anchored, when the old text has it
        self._old_span: tuple[int, int] | None = None

    # folding and diffing wait for the first highlight whose old offsets no longer hold it

    @property
    def new(self) -> NormalizedText:
        """The new text, folded."""
        if self._new is None:
            self._new = NormalizedText.of(self.new_raw)
        return self._new

    @property
    def old(self) -> NormalizedText | None:
        """The old text, folded (None when unknown or empty)."""
        if self._old is None and self.old_raw is not None:
            self._old = NormalizedText.of(self.old_raw)
        return self._old

    @property
    def diff(self) -> TextDiff:
        """The diff of old against new, computed at the first highlight that needs it."""
        if self._diff is None:
            assert self.old is not None
            self._diff = TextDiff(self.old.text, self.new.text)
        return self._diff

    # -- results ---------------------------------------------------------------------------

    def _found(self, selector: TextSelector, start: int, end: int, method: str) -> AnchorResult:
        """A result for folded span ``[start, end)`` of the new text.

        An approximate one first loses the edges that were not the passage
        (:func:`reader.core.anchor_trim.trim`, :meth:`TextDiff.keep_inside`).
        """
        raw_start, raw_end = self.new.to_raw(start, end)
        quote = self.new_raw[raw_start:raw_end]
        if fold(quote) == fold(selector.quote):
            return AnchorResult("anchored", raw_start, raw_end, quote, 1.0, method)
        if self._old_span is not None:
            start, end = self.diff.keep_inside(start, end, *self._old_span)
        start, end = trim(
            selector.quote, fold(selector.prefix), fold(selector.suffix), self.new, start, end
        )
        if self._old_span is not None:  # a snap to a sentence end stays inside too
            start, end = self.diff.keep_inside(start, end, *self._old_span)
        if end - start < TRIMMED_FLOOR * len(fold(selector.quote)):
            return self._orphan(selector)  # little of it was the passage
        raw_start, raw_end = self.new.to_raw(start, end)
        quote = self.new_raw[raw_start:raw_end]
        if fold(quote) == fold(selector.quote):
            return AnchorResult("anchored", raw_start, raw_end, quote, 1.0, method)
        score = similarity(fold(selector.quote), self.new.text[start:end])
        return AnchorResult("fuzzy", raw_start, raw_end, quote, round(score, 4), method)

    @staticmethod
    def _orphan(selector: TextSelector) -> AnchorResult:
        return AnchorResult("orphaned", selector.start, selector.end, selector.quote, 0.0, "none")

    # -- the steps -------------------------------------------------------------------------

    def run(self, selector: TextSelector) -> AnchorResult:
        """Re-anchor one selector (see the module docstring for the order of steps)."""
        self._old_span = None
        if not selector.quote:
            return self._run_empty(selector)
        start, end, raw = selector.start, selector.end, self.new_raw
        if 0 <= start <= end <= len(raw) and raw[start:end] == selector.quote:
            return AnchorResult("anchored", start, end, selector.quote, 1.0, "position")
        if not raw:
            return self._orphan(selector)
        quote = fold(selector.quote)
        context = (fold(selector.prefix), fold(selector.suffix))
        barriers = (self.new, NormalizedText.of(selector.quote).breaks_in(0, len(quote)))
        hint = self.new.from_raw(max(0, min(start, len(raw))))
        allowed: Callable[[int, int], bool] = _anything
        old_span = self._old_span = self._locate_old(selector)
        fresh: Callable[[int, int], bool] = _anything
        if old_span is not None:
            diff = self.diff
            old_start, old_end = old_span
            mapped_start, mapped_end = diff.map_span(old_start, old_end)
            hint = mapped_start
            near = self._near(quote, mapped_start, mapped_end)
            if near is not None:
                return self._found(selector, near, near + len(quote), "diff")

            def fresh(s: int, e: int) -> bool:
                # a variant of the quote, not an (edited) passage that was there elsewhere
                found = self.new.text[s:e]
                if self._existed(found, old_start, old_end):
                    return False
                return not self._rival(found, quote, old_start, old_end)

            if diff.survived(old_start, old_end) >= SURVIVAL_FLOOR:
                s, e = refine(
                    quote, self.new.text, mapped_start, mapped_end, *context, barriers=barriers
                )
                if (
                    _close(quote, self.new.text[s:e])
                    and self._within(s, e, barriers)
                    and fresh(s, e)
                ):
                    return self._found(selector, s, e, "diff")

            def allowed(s: int, e: int) -> bool:
                # the passage's own (edited) place, or text the edit brought in
                if s < mapped_end and e > mapped_start:
                    return True
                return diff.unchanged_share(s, e) < 0.5

        exact = self._exact(selector, quote, hint, allowed)
        if exact is not None:
            return exact
        fuzzy = self._fuzzy(
            selector,
            quote,
            hint,
            lambda s, e: allowed(s, e) and fresh(s, e) and self._within(s, e, barriers),
            old_span is not None,
            barriers,
        )
        if fuzzy is not None:
            return fuzzy
        return self._largest_piece(selector) or self._orphan(selector)

    def _largest_piece(self, selector: TextSelector) -> AnchorResult | None:
        """For a quote over several paragraphs that is not found whole: its largest
        paragraph, found on its own, when that is at least half of the quote (the rest was
        deleted; what is left of the highlight is that paragraph)."""
        quote = selector.quote
        pieces = [
            (m.start(), m.start() + len(m.group().rstrip())) for m in _PARAGRAPH.finditer(quote)
        ]
        if len(pieces) < 2:
            return None
        start, end = max(pieces, key=lambda piece: piece[1] - piece[0])
        if 2 * (end - start) < len(quote.strip()):
            return None
        piece = TextSelector(
            quote=quote[start:end],
            prefix=(selector.prefix + quote[:start])[-CONTEXT_CHARS:],
            suffix=(quote[end:] + selector.suffix)[:CONTEXT_CHARS],
            start=selector.start + start,
            end=selector.start + end,
        )
        found = self.run(piece)
        if found.status == "orphaned":
            return None
        score = similarity(fold(quote), fold(found.quote))
        return AnchorResult(
            "fuzzy", found.start, found.end, found.quote, round(score, 4), found.method
        )

    @staticmethod
    def _within(start: int, end: int, barriers: tuple[NormalizedText, int]) -> bool:
        """Whether ``[start, end)`` holds no more paragraph breaks than the quote did."""
        return barriers[0].breaks_in(start, end) <= barriers[1]

    def _near(self, quote: str, start: int, end: int) -> int | None:
        """Where the quote occurs verbatim in or right around new ``[start, end)``, if it does."""
        slack = max(8, len(quote) // 5)
        lo = max(0, start - slack)
        window = self.new.text[lo : end + slack]
        hits = []
        at = window.find(quote)
        while at >= 0:
            hits.append(lo + at)
            at = window.find(quote, at + 1)
        return min(hits, key=lambda hit: abs(hit - start)) if hits else None

    def _existed(self, found: str, old_start: int, old_end: int) -> bool:
        """Whether ``found`` was already in the old text, away from the quote's old place.

        Then it is that other passage, unchanged, rather than the highlighted one edited.
        """
        assert self.old is not None
        text = self.old.text
        at = text.find(found)
        for _ in range(MAX_OCCURRENCES):
            if at < 0:
                return False
            if not (at < old_end and at + len(found) > old_start):
                return True
            at = text.find(found, at + 1)
        return False

    def _rival(self, found: str, quote: str, old_start: int, old_end: int) -> bool:
        """Whether some other passage of the old text looks more like ``found`` than the quote.

        Then ``found`` is that passage, edited, rather than the highlighted one: a similar
        sentence elsewhere must not catch a highlight whose own passage was deleted.
        """
        assert self.old is not None
        text = self.old.text
        masked = text[:old_start] + "\x00" * (old_end - old_start) + text[old_end:]
        own = similarity(found, quote)
        return fuzz.partial_ratio(found, masked, score_cutoff=own * 100) / 100 > own

    def _locate_old(self, selector: TextSelector) -> tuple[int, int] | None:
        """The selector's folded span in the old text, if the old text is known and has it.

        A selector whose offsets do not hold its quote in the old text (made on yet another
        version) is first looked for in the old text by quote and context.
        """
        if self.old is None:
            return None
        start, end, raw = selector.start, selector.end, self.old.raw
        if not (0 <= start <= end <= len(raw) and raw[start:end] == selector.quote):
            if self._old_finder is None:
                self._old_finder = _Anchorer(raw, None)
            found = self._old_finder.run(selector)
            if found.status != "anchored":
                return None
            start, end = found.start, found.end
        return self.old.from_raw(start), self.old.from_raw(end)

    def _exact(
        self, selector: TextSelector, quote: str, hint: int, allowed: Callable[[int, int], bool]
    ) -> AnchorResult | None:
        """The quote found verbatim (folded): once, or the occurrence with the best context."""
        text = self.new.text
        hits: list[int] = []
        at = text.find(quote)
        while at >= 0 and len(hits) < MAX_OCCURRENCES:
            if allowed(at, at + len(quote)):
                hits.append(at)
            at = text.find(quote, at + 1)
        if not hits:
            return None
        if len(hits) == 1:
            return self._found(selector, hits[0], hits[0] + len(quote), "exact")
        prefix, suffix = fold(selector.prefix), fold(selector.suffix)

        def rank(at: int) -> tuple[float, int]:
            agreement = context_score(prefix, suffix, text, at, at + len(quote))
            return (round(agreement, 2), -abs(at - hint))

        best = max(hits, key=rank)
        return self._found(selector, best, best + len(quote), "context")

    def _fuzzy(
        self,
        selector: TextSelector,
        quote: str,
        hint: int,
        allowed: Callable[[int, int], bool],
        diffed: bool,
        barriers: tuple[NormalizedText, int],
    ) -> AnchorResult | None:
        """The most similar passage near the old place or elsewhere, if similar enough."""
        text = self.new.text
        span = len(quote)
        windows = [(hint - 2 * span - 200, hint + 3 * span + 200)]
        if diffed:
            # only new text can hold a passage that left its place: search each change
            changes = [
                op for op in self.diff.ops if op.j2 - op.j1 >= span // 2 and op.tag != "equal"
            ]
            changes.sort(key=lambda op: op.j2 - op.j1, reverse=True)
            windows += [(op.j1 - span, op.j2 + span) for op in changes[:40]]
        else:
            windows.append((0, len(text)))
        prefix, suffix = fold(selector.prefix), fold(selector.suffix)
        best: tuple[float, int, int] | None = None
        for lo, hi in windows:
            lo, hi = max(0, lo), min(len(text), hi)
            if hi - lo < max(1, int(span * FUZZY_FLOOR)):
                continue
            found = fuzz.partial_ratio_alignment(
                quote, text[lo:hi], score_cutoff=FUZZY_FLOOR * 100 - 10
            )
            if found is None:
                continue
            s, e = refine(
                quote,
                text,
                lo + found.dest_start,
                lo + found.dest_end,
                prefix,
                suffix,
                None,
                barriers,
            )
            score = similarity(quote, text[s:e])
            if not _close(quote, text[s:e]) or not allowed(s, e):
                continue
            agreement = context_score(prefix, suffix, text, s, e)
            # a passage moved into new text often has new neighbours on both sides: a close
            # enough long quote is accepted there on its own
            moved = diffed and score >= MOVED_FLOOR and len(quote) >= MOVED_MIN_CHARS
            if agreement < CONTEXT_FLOOR and not moved:
                continue
            if best is None or score + agreement > best[0]:
                best = (score + agreement, s, e)
        if best is None:
            return None
        return self._found(selector, best[1], best[2], "fuzzy")

    def _run_empty(self, selector: TextSelector) -> AnchorResult:
        """A zero-length selector (a caret): carried by the diff, or found by its context."""
        raw = self.new_raw
        old_span = self._locate_old(selector)
        if old_span is not None:
            at = self.diff.map_start(old_span[0])
            raw_at = self.new.origin(at)
            return AnchorResult("anchored", raw_at, raw_at, "", 1.0, "diff")
        at = selector.start
        prefix, suffix = selector.prefix, selector.suffix
        holds = 0 <= at <= len(raw) and raw[max(0, at - len(prefix)) : at] == prefix
        if (prefix or suffix) and holds and raw[at : at + len(suffix)] == suffix:
            return AnchorResult("anchored", at, at, "", 1.0, "position")
        if prefix or suffix:
            found = raw.find(prefix + suffix)
            if found >= 0:
                at = found + len(prefix)
                return AnchorResult("anchored", at, at, "", 1.0, "context")
        return self._orphan(selector)


def _close(quote: str, found: str) -> bool:
    """Whether ``found`` is a close variant of ``quote``: similar, and about as long.

    The length check matters because similarity forgives a missing tail: what is left of
    a passage after most of it was deleted is not that passage.
    """
    if not found or min(len(quote), len(found)) < LENGTH_FLOOR * max(len(quote), len(found)):
        return False
    return similarity(quote, found) >= FUZZY_FLOOR


def _anything(start: int, end: int) -> bool:
    return True
