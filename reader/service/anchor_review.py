"""Reviewing anchors (``R``): highlights that moved (fuzzy) or lost their passage (orphaned)
after their article's text changed, listed until a person accepts the new place, re-attaches
the highlight, or keeps the orphan. A decision holds for the anchoring it was about: if the
text changes again and the highlight moves again, it is listed again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.core.models import Annotation
from reader.service.changes import clamp_span
from reader.service.errors import store_errors_as_library_errors

if TYPE_CHECKING:
    from reader.service.library import Library


@store_errors_as_library_errors
class AnchorReview:
    """The anchor review of one library (``library.anchors``)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.store = library.store

    def needs_review(self) -> list[Annotation]:
        """Highlights that moved (fuzzy) or lost their passage (orphaned) and were not
        reviewed in the state they are in now."""
        reviewed = self._reviewed()
        return [
            a
            for a in self.library.all_annotations()
            if a.status in ("fuzzy", "orphaned") and reviewed.get(a.id) != _review_key(a)
        ]

    def accept(self, annotation_id: str) -> Annotation:
        """Confirm a highlight's new place: it counts as anchored from now on."""
        changes = self.library.changes
        changed = changes.change(annotation_id, {"status": "anchored"}, action="accept")
        self.mark_reviewed(changed)
        return changed

    def keep_orphan(self, annotation_id: str) -> None:
        """Leave a highlight as it is (an orphan keeps its note and tags) and stop asking
        until its anchoring changes again."""
        self.mark_reviewed(self.library.require_annotation(annotation_id))

    def suggest_passage(self, annotation_id: str) -> tuple[int, int] | None:
        """The passage of the article now most like the highlight's quote, if any is close."""
        from rapidfuzz import fuzz

        annotation = self.library.require_annotation(annotation_id)
        article = self.store.get_article(annotation.article_id)
        if article is None or not article.paragraphs or not annotation.quote.strip():
            return None
        alignment = fuzz.partial_ratio_alignment(annotation.quote, article.text)
        if alignment is None or alignment.score < 60:
            return None
        start, end = clamp_span(article.text, alignment.dest_start, alignment.dest_end)
        return (start, end) if start < end else None

    def _reviewed(self) -> dict[str, str]:
        stored = self.store.get_meta("reviewed_anchors") or {}
        if isinstance(stored, list):  # older stores: reviewed once, whatever happened next
            return {}
        return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}

    def mark_reviewed(self, annotation: Annotation) -> None:
        """Stop asking about a highlight until its anchoring changes again."""
        key = _review_key(annotation)

        def add(stored: Any) -> dict[str, str]:
            reviewed = dict(stored) if isinstance(stored, dict) else {}
            reviewed[annotation.id] = key
            return reviewed

        self.store.update_meta("reviewed_anchors", add)


def _review_key(annotation: Annotation) -> str:
    """What a review decision was about: the anchoring result it saw."""
    return f"{annotation.status}:{annotation.text_hash}:{annotation.start}:{annotation.end}"
