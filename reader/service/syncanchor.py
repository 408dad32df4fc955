"""Highlights that arrive by sync on a clipping whose text differs here.

The same clipping may have been edited on one machine and not on the other: a highlight
made there is anchored on that machine's text (its ``text_hash``). When it arrives here it
is re-anchored against the text here with the anchoring engine (as a rescan does after an
edit of the file): it lands on the same words, or becomes fuzzy or orphaned as the TUI shows
them. The snapshot of the other machine's text is used for a surer diff when this store
has it (never sent by sync: only the quote and its context travel).

Such a placement is this machine's own: the anchor that travels stays the author's (see
:func:`adapted`), so the two machines never send their placements back and forth. The price:
a highlight's span changed by hand on a text that differs from the one it travels with stays
on this machine too (each machine keeps the highlight on its own text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from reader.core.anchoring import AnchorResult, TextSelector, make_selector, reanchor_many
from reader.core.models import Annotation, text_hash


def adapted(here: dict[str, Any], travelling: dict[str, Any]) -> bool:
    """Whether the anchor a highlight has here (``here``, its anchor register's value)
    differs from the one it travels with only because it was placed on this machine's
    text: re-anchored on another text (another ``text_hash``), or orphaned here while it
    stands on its text elsewhere. Such an anchor is neither sent nor protected from an
    incoming one: only an anchor changed on the text it was made on travels."""
    if here.get("text_hash") != travelling.get("text_hash"):
        return True
    return here.get("status") == "orphaned" and travelling.get("status") != "orphaned"


def placed(annotation: Annotation, result: AnchorResult, text: str, digest: str) -> Annotation:
    """``annotation`` where the anchoring engine found it in ``text`` (hash ``digest``)."""
    if result.status == "orphaned":
        return replace(annotation, status="orphaned")  # its text hash names the text it was on
    selector = make_selector(text, result.start, result.end)
    original = annotation.original_quote
    if result.status == "fuzzy" and original is None:
        original = annotation.quote
    return replace(
        annotation,
        **selector.as_fields(),
        status=result.status,
        original_quote=original,
        text_hash=digest,
    )


@dataclass
class Placing:
    """The arriving highlights of one write whose text differs here, re-anchored at the end.

    ``local(article_id)``: the highlights stored here; ``text(article_id)``: the article's
    text here (None: no document here has it); ``snapshot(hash)``: a text this store kept.
    """

    local: Callable[[str], list[Annotation]]
    text: Callable[[str], str | None]
    snapshot: Callable[[str], str | None]
    #: article id -> highlights to place
    waiting: dict[str, list[Annotation]] = field(default_factory=dict)
    #: status -> how many arriving highlights were re-anchored with it
    results: dict[str, int] = field(default_factory=dict)
    _current: dict[str, set[str]] = field(default_factory=dict)

    def check(self, note: Annotation) -> bool:
        """Queue ``note`` if its anchor was made on another text than the one here;
        whether it was queued."""
        digest = note.text_hash
        if digest is None or digest in self._known(note.article_id):
            return False
        self.waiting.setdefault(note.article_id, []).append(note)
        return True

    def _known(self, article_id: str) -> set[str]:
        """Text hashes that are the article's text here. Highlights stored here stand on
        the text here (a rescan re-anchors them all when the file changes), orphans
        excepted: when one of them names the hash, the text need not be read."""
        known = self._current.get(article_id)
        if known is None:
            known = {
                a.text_hash
                for a in self.local(article_id)
                if a.text_hash is not None and a.status != "orphaned"
            }
            self._current[article_id] = known
        return known

    def place(self, put_text: Callable[[str], str]) -> dict[str, Annotation]:
        """Re-anchor every queued highlight on the text here; id -> placed highlight
        (``put_text`` keeps a snapshot of each text placed on, for later diffs)."""
        out: dict[str, Annotation] = {}
        for article_id, notes in self.waiting.items():
            text = self.text(article_id)
            if text is None:
                continue  # the clipping is not here: the anchor waits as it came
            digest = text_hash(text)
            stale = [n for n in notes if n.text_hash != digest]
            if not stale:
                continue  # the fast path did not know the hash; it is the text here
            put_text(text)
            groups: dict[str | None, list[Annotation]] = {}
            for note in stale:
                groups.setdefault(note.text_hash, []).append(note)
            for old_hash, group in groups.items():
                old_text = self.snapshot(old_hash) if old_hash else None
                selectors = [
                    TextSelector(n.quote, n.prefix, n.suffix, n.start, n.end) for n in group
                ]
                for note, result in zip(
                    group, reanchor_many(selectors, text, old_text), strict=True
                ):
                    self.results[result.status] = self.results.get(result.status, 0) + 1
                    out[note.id] = placed(note, result, text, digest)
        return out
