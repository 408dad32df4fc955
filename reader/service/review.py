"""The daily review: today's queue of highlights, and answers scheduled with FSRS.

The scheduler is the ``fsrs`` package's (the one Anki adopted), without learning or
relearning steps: a highlight is not a vocabulary card, so its first "good" is days away,
not minutes; fuzzing is off so that the same answers at the same times always give the same
schedule. Each highlight's card lives in the store beside it (``cards/``), read and written
in one locked transaction per answer; the highlight's own record never changes. The queue
rule itself is :func:`reader.core.review.daily_queue`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler

from reader.core.models import Annotation, ArticleSummary
from reader.core.review import (
    DEFAULT_NEW_PER_DAY,
    RATINGS,
    Allowed,
    QueueEntry,
    due_key,
    select_queue,
)
from reader.export.highlight import HighlightInContext, context_fields
from reader.service.errors import LibraryError, store_errors_as_library_errors
from reader.service.library import Library

__all__ = ["RATINGS", "DailyReview", "ReviewCard", "make_scheduler"]

#: the store setting holding how many new highlights a day enter the review
NEW_PER_DAY_KEY = "review_new_per_day"
#: the highlights skipped (``s``) today: {"day": "2026-11-30", "ids": [...]}
SKIPPED_KEY = "review_skipped"

_RATING = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
}


def make_scheduler() -> Scheduler:
    """FSRS with no (re)learning steps and no fuzz (see the module docstring)."""
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def utc_now() -> datetime:
    """Now, in UTC (the default clock)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ReviewCard(HighlightInContext):
    """A highlight as the review shows it: the quote with a sentence of context either
    side, its article (what the Anki and Readwise exports show too), and whether it is new
    or overdue.

    ``orphaned``: the passage is gone from the article's text (the quote shown is the last
    one the highlight had, and there is no context).
    """

    due: str | None = None
    orphaned: bool = False

    @property
    def is_new(self) -> bool:
        """Never answered before."""
        return self.due is None


@store_errors_as_library_errors
class DailyReview:
    """Today's review of a library; ``clock`` returns an aware datetime (tests fix it)."""

    def __init__(self, library: Library, clock: Callable[[], datetime] = utc_now) -> None:
        self.library = library
        self.store = library.store
        self.clock = clock
        self.scheduler = make_scheduler()
        self._summaries: dict[str, ArticleSummary] | None = None
        self._by_article: dict[str, dict[str, Annotation]] = {}

    # ------------------------------------------------------------------ settings
    def new_per_day(self) -> int:
        """How many new highlights enter the review each day (default 10)."""
        value = self.store.get_meta(NEW_PER_DAY_KEY)
        return value if isinstance(value, int) and value >= 0 else DEFAULT_NEW_PER_DAY

    def set_new_per_day(self, count: int) -> None:
        """Change how many new highlights a day enter the review."""
        if count < 0:
            raise LibraryError("new highlights a day cannot be negative")
        self.store.set_meta(NEW_PER_DAY_KEY, int(count))

    # ------------------------------------------------------------------ the queue
    def _today(self) -> tuple[str, str]:
        """Today's local date and the UTC due key of its end (midnight, local time)."""
        local = self.clock().astimezone()
        midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return local.date().isoformat(), due_key(midnight)

    def queue(self, query: str | None = None, *, view: str | None = None) -> list[QueueEntry]:
        """Today's queue, optionally only the highlights matching a query or a saved view.

        Read from the store's partitions: the cards due by today and the oldest new
        highlights, a few files whatever the library's size. Only with a query are
        highlights read, article by article, and only as far as the queue needs.
        """
        allowed = self._without_skipped(self._filter(query, view))
        today, day_end = self._today()
        room = max(0, self.new_per_day() - self.store.introduced_on(today))
        return select_queue(
            self.store.due_cards(day_end[:10]),
            self.store.new_highlights(),
            day_end=day_end,
            room=room,
            allowed=allowed,
        )

    def skip(self, annotation_id: str) -> None:
        """Leave a highlight out of today's review, recording no answer: it is back tomorrow
        (as new, or when due), in every window and in ``reader review``."""
        today, _ = self._today()

        def add(stored: Any) -> dict[str, Any]:
            ids = _skipped_on(stored, today)
            return {"day": today, "ids": [*ids, annotation_id] if annotation_id not in ids else ids}

        self.store.update_meta(SKIPPED_KEY, add)

    def skipped_today(self) -> frozenset[str]:
        """The highlights skipped today."""
        today, _ = self._today()
        return frozenset(_skipped_on(self.store.get_meta(SKIPPED_KEY), today))

    def _without_skipped(self, allowed: Allowed | None) -> Allowed | None:
        skipped = self.skipped_today()
        if not skipped:
            return allowed

        def not_skipped(annotation_id: str, article_id: str) -> bool:
            if annotation_id in skipped:
                return False
            return allowed is None or allowed(annotation_id, article_id)

        return not_skipped

    def _filter(self, query: str | None, view: str | None) -> Allowed | None:
        from reader.core.query import QueryError
        from reader.service.filters import strict_query

        if view is not None:
            views = self.library.settings.saved_views()
            if view not in views:
                raise LibraryError(f"no saved view named {view!r}")
            query = " ".join(part for part in (views[view], query or "") if part.strip())
        if not query or not query.strip():
            return None
        labels = self.library.settings.color_labels()
        try:
            parsed = strict_query(self.library, query)
        except QueryError as error:
            raise LibraryError(f"bad query: {error}") from error
        # tag:x holds only for highlights tagged x: articles whose marks say none of their
        # highlights is are passed over unread ("review only what I tagged" stays fast)
        tags = [t.value for t in parsed.terms if t.key == "tag" and not t.negated]
        passed: dict[str, bool] = {}

        def worth_reading(article_id: str) -> bool:
            if article_id not in passed:
                counts = self.store.highlight_tags(article_id) if tags else {}
                passed[article_id] = all(counts.get(tag) for tag in tags)
            return passed[article_id]

        def allowed(annotation_id: str, article_id: str) -> bool:
            if not worth_reading(article_id):
                return False
            annotation = self._annotation(article_id, annotation_id)
            if annotation is None:
                return False
            summary = self._summary(article_id)
            return parsed.match_annotation(annotation, summary, color_labels=labels)

        return allowed

    def _summary(self, article_id: str) -> ArticleSummary | None:
        if self._summaries is None:
            self._summaries = {s.id: s for s in self.library.articles()}
        return self._summaries.get(article_id)

    def _annotation(self, article_id: str, annotation_id: str) -> Annotation | None:
        """A live highlight, its article's shard read once per review (not per highlight)."""
        notes = self._by_article.get(article_id)
        if notes is None:
            notes = {a.id: a for a in self.library.annotations(article_id)}
            self._by_article[article_id] = notes
        return notes.get(annotation_id)

    def forget_cached(self, article_id: str | None = None) -> None:
        """Read highlights (of one article, or all) again next time (after an edit)."""
        if article_id is None:
            self._by_article.clear()
            self._summaries = None
        else:
            self._by_article.pop(article_id, None)

    # ------------------------------------------------------------------ showing
    def card(self, entry: QueueEntry) -> ReviewCard | None:
        """What the review shows for a queue entry (None if the highlight is gone)."""
        annotation = self._annotation(entry.article_id, entry.annotation_id)
        if annotation is None:
            return None
        # the article has the title, source and author too: no need for the whole catalog
        article = self.library.article(entry.article_id)
        about = None if article is not None else self._summary(entry.article_id)
        return ReviewCard(
            **context_fields(annotation, article, about),
            due=entry.due,
            orphaned=annotation.status == "orphaned",
        )

    # ------------------------------------------------------------------ answers
    def _live(self, annotation_id: str) -> Annotation:
        annotation = self.store.get_annotation(annotation_id)
        if annotation is None:
            raise LibraryError(f"no highlight {annotation_id}")
        if annotation.deleted:
            raise LibraryError(f"highlight {annotation_id} is in the trash")
        return annotation

    def rate(self, annotation_id: str, rating: str) -> datetime:
        """Record an answer (again, hard, good or easy); returns when the highlight is due
        next. The card is read and written in one locked transaction."""
        wanted = _RATING.get(rating.strip().lower())
        if wanted is None:
            raise LibraryError(f"unknown answer {rating!r}: say again, hard, good or easy")
        self._live(annotation_id)
        now = self.clock().astimezone(UTC)
        today, _ = self._today()
        scheduler = self.scheduler

        def answer(current: dict[str, Any] | None) -> dict[str, Any]:
            previous = current or {}
            if previous.get("fsrs"):
                card = Card.from_dict(previous["fsrs"])
            else:
                card = Card(card_id=int(now.timestamp() * 1000), due=now)
            card, _log = scheduler.review_card(card, wanted, review_datetime=now)
            return {
                "fsrs": dict(card.to_dict()),
                "due": due_key(card.due),
                "suspended": False,  # answering a suspended highlight brings it back
                "introduced": previous.get("introduced") or today,
                "reviews": int(previous.get("reviews", 0)) + 1,
                "last_review": due_key(now),
                "last_answer": rating.strip().lower(),
            }

        record = self.store.update_card(annotation_id, answer)
        assert record is not None
        return datetime.fromisoformat(record["fsrs"]["due"])

    def is_suspended(self, annotation_id: str) -> bool:
        """Whether the highlight was stopped (``x`` in the review) and not brought back."""
        return bool((self.store.get_card(annotation_id) or {}).get("suspended"))

    def resume(self, annotation_id: str) -> bool:
        """Bring a stopped highlight back into the review: when due if it was answered
        before, else as a new one. False if it was not stopped."""
        self._live(annotation_id)

        def bring_back(current: dict[str, Any] | None) -> dict[str, Any] | None:
            if not current or not current.get("suspended"):
                return None  # nothing to change
            return {**current, "suspended": False}

        before = self.store.get_card(annotation_id)
        if not before or not before.get("suspended"):
            return False
        self.store.update_card(annotation_id, bring_back)
        return True

    def suspend(self, annotation_id: str) -> None:
        """Stop reviewing a highlight (:meth:`resume`, or an answer, brings it back)."""
        self._live(annotation_id)

        def stop(current: dict[str, Any] | None) -> dict[str, Any]:
            return {**(current or {"due": None, "introduced": None}), "suspended": True}

        self.store.update_card(annotation_id, stop)

    def card_state(self, annotation_id: str) -> Card | None:
        """The scheduler's card of a highlight (None if never answered)."""
        record = self.store.get_card(annotation_id)
        if not record or not record.get("fsrs"):
            return None
        return Card.from_dict(record["fsrs"])

    def preview(self, annotation_id: str) -> dict[str, datetime]:
        """When the highlight would come back after each answer, now (nothing is written)."""
        record = self.store.get_card(annotation_id) or {}
        now = self.clock().astimezone(UTC)
        if record.get("fsrs"):
            card = Card.from_dict(record["fsrs"])
        else:
            card = Card(card_id=int(now.timestamp() * 1000), due=now)
        return {
            name: self.scheduler.review_card(card, rating, review_datetime=now)[0].due
            for name, rating in _RATING.items()
        }


def _skipped_on(stored: Any, day: str) -> list[str]:
    """The ids skipped on ``day`` in the stored setting (a day gone by holds none)."""
    if not isinstance(stored, dict) or stored.get("day") != day:
        return []
    ids = stored.get("ids")
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
