"""The daily review's rules, pure: which highlights are in today's queue, and in what order.

A highlight is *new* until its first answer, then a *card* with a due time set by the
scheduler (FSRS, in :mod:`reader.service.review`). Today's queue, like Readwise's daily review
and Anki's deck:

1. every card due by the end of today (not suspended), the longest overdue first;
2. then new highlights, oldest first, up to the day's allowance: ``new_per_day`` minus the
   highlights already introduced (first answered) today, so answering does not bring more.

Both are limited by ``allowed`` (a query or a saved view) when given. Times are ISO strings
in UTC with a ``Z`` (:func:`due_key`), which sort as they compare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from reader.core.models import Article, Span
from reader.core.sentences import split_sentences

#: the four answers, in the order of their keys (1-4)
RATINGS: tuple[str, ...] = ("again", "hard", "good", "easy")

#: new highlights a day when the setting was never changed
DEFAULT_NEW_PER_DAY = 10


def due_key(moment: datetime) -> str:
    """A UTC time as a sortable string (``2026-11-30T17:05:09Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class CardInfo:
    """What the queue needs of a card: when it is due, whether it is suspended, and the
    local day (``YYYY-MM-DD``) it was first answered."""

    due: str | None
    suspended: bool = False
    introduced: str | None = None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One highlight in today's queue; ``due`` is None for a new highlight."""

    annotation_id: str
    article_id: str
    due: str | None

    @property
    def is_new(self) -> bool:
        """Never answered before."""
        return self.due is None


#: asked of each candidate when the queue is limited: (annotation id, article id) -> keep?
Allowed = Callable[[str, str], bool]


def select_queue(
    due: Iterable[tuple[str, str, str]],
    fresh: Iterable[tuple[str, str, int, str]],
    *,
    day_end: str,
    room: int,
    allowed: Allowed | None = None,
) -> list[QueueEntry]:
    """Today's queue from its two candidate streams.

    ``due``: (due, annotation id, article id) of live, not stopped cards, most overdue first;
    those due before ``day_end`` (the :func:`due_key` of the end of today) are in. ``fresh``:
    (created, article id, start, annotation id) of live highlights never answered, oldest
    first; up to ``room`` of them follow (the day's allowance left). ``allowed`` is asked once
    per candidate, in queue order, and of new highlights only until the room is filled, so a
    lazily read ``fresh`` is read no further than needed.
    """
    queue = [
        QueueEntry(annotation_id, article_id, when)
        for when, annotation_id, article_id in due
        if when < day_end and (allowed is None or allowed(annotation_id, article_id))
    ]
    if room <= 0:
        return queue
    for _created, article_id, _start, annotation_id in fresh:
        if allowed is None or allowed(annotation_id, article_id):
            queue.append(QueueEntry(annotation_id, article_id, None))
            room -= 1
            if not room:
                break
    return queue


def daily_queue(
    live: Mapping[str, tuple[str, str, int]],
    cards: Mapping[str, CardInfo],
    *,
    today: str,
    day_end: str,
    new_per_day: int,
    allowed: Allowed | None = None,
) -> list[QueueEntry]:
    """The queue rule over the whole library at once (the plain statement of the rule; the
    store reads the same queue from its partitions, and the tests hold the two equal).

    ``live`` maps each live highlight id to (article id, created key, start); ids not in it
    (deleted, purged) never appear. ``cards``: every card, live or not; those first answered
    ``today`` spend the day's allowance of new highlights.
    """
    due = sorted(
        (card.due, annotation_id, live[annotation_id][0])
        for annotation_id, card in cards.items()
        if annotation_id in live and not card.suspended and card.due is not None
    )
    fresh = sorted(
        (created, article_id, start, annotation_id)
        for annotation_id, (article_id, created, start) in live.items()
        if annotation_id not in cards
    )
    introduced = sum(1 for card in cards.values() if card.introduced == today)
    return select_queue(
        due, fresh, day_end=day_end, room=max(0, new_per_day - introduced), allowed=allowed
    )


def context_around(article: Article, start: int, end: int) -> tuple[str, str]:
    """A sentence of context either side of ``[start, end)`` of ``article.text``, on one
    line each, with a space next to the quote where the text had one.

    The sentence before the highlight's first sentence (plus the part of that sentence
    before the highlight), and likewise after. Only the paragraphs the highlight is in are
    split into sentences (pySBD is slow), and a neighbouring paragraph only when the
    highlight reaches that paragraph's edge.
    """
    text = article.text
    paragraphs = article.paragraph_spans()
    if not paragraphs:
        return "", ""
    last_index = len(paragraphs) - 1
    first = next((i for i, p in enumerate(paragraphs) if p.end > start), last_index)
    last = next((i for i, p in enumerate(paragraphs) if p.end >= end), last_index)

    def sentences(index: int) -> list[Span]:
        para = paragraphs[index]
        return [
            Span(s.start + para.start, s.end + para.start)
            for s in split_sentences(text[para.start : para.end])
        ]

    spans = [span for index in range(first, last + 1) for span in sentences(index)]
    # i: the sentence the highlight starts in; j: the one it ends in
    i = next((k for k, s in enumerate(spans) if s.end > start), len(spans))
    if i == 0 and first > 0:
        earlier = sentences(first - 1)
        spans = earlier + spans
        i += len(earlier)
    j = max((k for k, s in enumerate(spans) if s.start < end), default=i - 1)
    if j >= len(spans) - 1 and last < last_index:
        spans = spans + sentences(last + 1)
    if not spans:
        return "", ""
    before_start = spans[i - 1].start if i > 0 else start
    after_end = spans[j + 1].end if j + 1 < len(spans) else end
    before, after = _flat(text[before_start:start]), _flat(text[end:after_end])
    # keep the gap between context and quote where there was one ("new, built" stays whole)
    if before and text[start - 1 : start].isspace():
        before += " "
    if after and text[end : end + 1].isspace():
        after = " " + after
    return before, after


def _flat(text: str) -> str:
    """Context on one line: runs of whitespace (paragraph breaks too) as one space."""
    return " ".join(text.split())
