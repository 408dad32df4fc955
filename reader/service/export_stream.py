"""The one-file exports (JSON, W3C, Markdown) produced as they are written.

At 100,000 highlights, holding them all and then the whole document peaked at 0.5-1.3 GB.
Here the highlights come one article at a time (:class:`Highlights`) and the document
is a stream of text pieces (:func:`chunks`) for the atomic file writer or stdout, so the
memory held is about one article's highlights plus the article list.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter

from reader.core.clean import json_safe
from reader.core.models import Annotation, Article, ArticleSummary
from reader.service.library import Library

__all__ = ["Highlights", "chunks", "with_address"]

Groups = Iterator[tuple[str, list[Annotation]]]


class Highlights:
    """The highlights an export writes, handed out one article at a time.

    :meth:`groups` gives ``(article id, its highlights)`` in the export's order (articles by
    id, each article's in document order); :meth:`of` one article's. ``written`` counts what
    an export took (for its "wrote N highlights" line).
    """

    def __init__(self, groups: Callable[[], Groups], of: Callable[[str], list[Annotation]]):
        self._groups = groups
        self._of = of
        self.written = 0

    @classmethod
    def listed(cls, annotations: Sequence[Annotation]) -> Highlights:
        """Highlights already in memory, in their given order."""
        by_article: dict[str, list[Annotation]] = {}
        for annotation in annotations:
            by_article.setdefault(annotation.article_id, []).append(annotation)

        def groups() -> Groups:
            for article_id, run in itertools.groupby(annotations, key=attrgetter("article_id")):
                yield article_id, list(run)

        return cls(groups, lambda article_id: by_article.get(article_id, []))

    @classmethod
    def stored(
        cls,
        library: Library,
        keep: Callable[[Annotation], bool] | None = None,
        unreadable: list[str] | None = None,
    ) -> Highlights:
        """Every live highlight of the library that ``keep`` accepts, read shard by shard.

        With ``unreadable``, a damaged shard is left out and its error line added there
        (once, however often it is read).
        """
        store = library.store
        scratch: list[str] | None = [] if unreadable is not None else None

        def noted() -> None:
            if unreadable is not None and scratch:
                unreadable.extend(m for m in dict.fromkeys(scratch) if m not in unreadable)
                scratch.clear()

        def kept(notes: list[Annotation]) -> list[Annotation]:
            return notes if keep is None else [a for a in notes if keep(a)]

        def groups() -> Groups:
            for article_id, notes in store.annotation_groups(unreadable=scratch):
                noted()
                mine = kept(notes)
                if mine:
                    yield article_id, mine
            noted()

        def of(article_id: str) -> list[Annotation]:
            notes = kept(store.read_annotations(article_id, unreadable=scratch))
            noted()
            return notes

        return cls(groups, of)

    def groups(self) -> Groups:
        """``(article id, highlights)`` of every article holding any, in export order."""
        return self._groups()

    def of(self, article_id: str) -> list[Annotation]:
        """One article's highlights (none: an empty list)."""
        return self._of(article_id)

    def all(self) -> list[Annotation]:
        """Every highlight in one list (the card exports, which hold them all anyway)."""
        return [a for _, notes in self.groups() for a in notes]


def chunks(
    library: Library, highlights: Highlights, fmt: str, article_ids: Sequence[str] = ()
) -> Iterator[str]:
    """The export in ``fmt`` (json, w3c, markdown) as pieces of text, produced as they are
    consumed. Besides the highlights' own, what is put on their articles goes along (tags,
    read state, article note); ``article_ids`` names articles to carry even without one."""
    summaries = {s.id: s for s in library.articles()}
    named = set(article_ids)
    if fmt == "json":
        return _json(summaries, highlights, named)
    if fmt == "w3c":
        return _w3c(library, summaries, highlights, named)
    return _markdown(library, summaries, highlights, named)


def _json(
    summaries: dict[str, ArticleSummary], highlights: Highlights, named: set[str]
) -> Iterator[str]:
    from reader.export.jsonfmt import json_record
    from reader.export.streams import json_chunks
    from reader.service.articles import article_record

    seen: set[str] = set()

    def records() -> Iterator[dict[str, object]]:
        for article_id, notes in highlights.groups():
            seen.add(article_id)
            summary = summaries.get(article_id)
            title = summary.title if summary is not None else ""
            highlights.written += len(notes)
            for annotation in notes:
                yield json_record(annotation, title)

    def articles() -> Iterator[dict[str, object]]:
        return (article_record(s) for i, s in summaries.items() if i in seen or i in named)

    for chunk in json_chunks(records(), articles):
        yield json_safe(chunk)


def _w3c(
    library: Library,
    summaries: dict[str, ArticleSummary],
    highlights: Highlights,
    named: set[str],
) -> Iterator[str]:
    from reader.export.streams import w3c_chunks
    from reader.export.w3c import to_w3c_annotation, to_w3c_article

    def items() -> Iterator[dict[str, object]]:
        # what is put on whole articles first, as to_w3c orders it; only articles with a
        # note or tags are looked at (their highlights decide whether they go out)
        for article_id, summary in summaries.items():
            if not (summary.note.strip() or summary.tags):
                continue
            if article_id in named or highlights.of(article_id):
                note = to_w3c_article(summary)
                if note is not None:
                    yield note
        for article_id, notes in highlights.groups():
            article = with_address(library, summaries.get(article_id))
            highlights.written += len(notes)
            for annotation in notes:
                if not annotation.deleted:
                    yield to_w3c_annotation(annotation, article)

    for chunk in w3c_chunks(items()):
        yield json_safe(chunk)


def _markdown(
    library: Library,
    summaries: dict[str, ArticleSummary],
    highlights: Highlights,
    named: set[str],
) -> Iterator[str]:
    from reader.export.markdown import render_article

    labels = library.settings.color_labels()
    separator = ""
    for article_id, summary in summaries.items():
        notes = highlights.of(article_id)
        if not notes and article_id not in named:
            continue
        if notes:
            web = with_address(library, summary)
            if web is not None and web is not summary:
                summary.url = web.url  # for the front matter
        highlights.written += len(notes)
        # the summary, not the full article: the export shows its tags and note
        yield separator + render_article(summary, notes, labels)
        separator = "\n\n"


def with_address(
    library: Library, summary: ArticleSummary | None
) -> ArticleSummary | Article | None:
    """A web clipping's (page, e-mail) full article, which carries its address; the summary
    for anything else. Read one at a time: the text is let go with the article."""
    from reader.core.parser import EMAIL_SUFFIXES, WEB_SUFFIXES

    if summary is None or not summary.path.lower().endswith(WEB_SUFFIXES + EMAIL_SUFFIXES):
        return summary
    article = library.article(summary.id)
    return article if article is not None and article.url else summary
