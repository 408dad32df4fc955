"""What is put on a whole article rather than a passage: its note, tags and read state.

The note on an article is Hypothesis' page note (Readwise's document note): kept in the
article's ``marks`` record in the store, beside its tags and reading state. This module
also turns those marks into the article records of the JSON export and back.
No Textual here; the UI and the CLI call these functions with their :class:`Library`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reader.core.models import ArticleSummary, normalize_tags
from reader.service.errors import LibraryError
from reader.service.library import Library

__all__ = [
    "ArticleChanges",
    "article_marked",
    "article_note",
    "article_record",
    "marked_articles",
    "restore_articles",
    "retag_article",
    "set_article_note",
]


def article_note(library: Library, article_id: str) -> str:
    """The note on a whole article ("" when it has none)."""
    return library.store.get_article_note(article_id)


def article_marked(library: Library, article_id: str) -> bool:
    """Whether something is put on the whole article: a note or tags."""
    summary = next((s for s in library.articles() if s.id == article_id), None)
    return summary is not None and bool(summary.note or summary.tags)


def marked_articles(library: Library) -> list[str]:
    """The articles that carry a note or tags: what an export of the whole library names,
    so that a note on an article without a highlight is not left out of it."""
    return [s.id for s in library.articles() if s.note or s.tags]


def set_article_note(library: Library, article_id: str, note: str) -> str:
    """Replace the note on a whole article (an empty note removes it); returns it as kept.

    Trailing whitespace is dropped so that a note of blank lines counts as no note.
    """
    _require(library, article_id)
    kept = note.rstrip()
    library.changes.change_article(article_id, "note", kept)  # undone by u / reader undo
    return kept


def retag_article(
    library: Library, article_id: str, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> list[str]:
    """Add and remove tags of an article (``reader tag``); returns its tags afterwards."""
    summary = _require(library, article_id)
    gone = set(normalize_tags(list(remove)))
    tags = [t for t in normalize_tags([*summary.tags, *add]) if t not in gone]
    if tags != summary.tags:
        library.set_article_tags(article_id, tags)
    return tags


def article_record(summary: ArticleSummary) -> dict[str, Any]:
    """An article's record in the JSON export: id, title, source, date, author, path,
    tags, read state and article note."""
    return {
        "id": summary.id,
        "title": summary.title,
        "source": summary.source,
        "date": summary.date,
        "author": summary.author,
        "path": summary.path,
        "tags": list(summary.tags),
        "read": summary.read,
        "note": summary.note,
    }


@dataclass
class ArticleChanges:
    """What :func:`restore_articles` did: articles changed, unchanged, and why others were
    skipped (one line each)."""

    changed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def restore_articles(library: Library, records: Sequence[Mapping[str, Any]]) -> ArticleChanges:
    """Put back the tags, read state and note of each exported article this library has.

    An article is matched by id, else by its path and title (a library imported again
    elsewhere keeps its ids, but a renamed folder may not). A field missing from a record
    is left as it is. Nothing written in the library is lost: the file's tags are added to
    the article's, and a note differing from the article's is added below it (an empty
    note in the file removes nothing); the read state is the file's.
    """
    result = ArticleChanges()
    summaries = library.articles()
    by_id = {s.id: s for s in summaries}
    by_place = {(s.path, s.title): s for s in summaries}
    for index, record in enumerate(records):
        label = f"article {index}"
        try:
            summary = by_id.get(str(record["id"])) or by_place.get(
                (str(record.get("path", "")), str(record.get("title", "")))
            )
            if summary is None:
                result.errors.append(f"{label}: no article {record['id']} in this library")
                continue
            if _restore_one(library, summary, record):
                result.changed += 1
            else:
                result.unchanged += 1
        except (KeyError, TypeError, ValueError) as error:
            result.errors.append(f"{label}: {error}")
    return result


def _restore_one(library: Library, summary: ArticleSummary, record: Mapping[str, Any]) -> bool:
    changed = False
    if "tags" in record:
        tags = normalize_tags([*summary.tags, *list(record["tags"] or [])])
        if tags != summary.tags:
            # an import's article records are not journalled one by one (only added to)
            library.store.set_article_tags(summary.id, tags)
            changed = True
    if "note" in record:
        note = _merged_note(summary.note, str(record["note"] or "").rstrip())
        if note != summary.note:
            library.store.set_article_note(summary.id, note)
            changed = True
    if "read" in record and bool(record["read"]) != summary.read:
        state = library.reading_state(summary.id)
        state.read = bool(record["read"])
        library.store.put_state(state)
        changed = True
    return changed


def _merged_note(mine: str, theirs: str) -> str:
    """The article's note with the imported one: either alone when the other is empty or
    holds it already, else both (the library's first)."""
    if not theirs.strip() or theirs in mine:
        return mine
    if not mine.strip() or mine in theirs:
        return theirs
    return f"{mine}\n\n{theirs}"


def _require(library: Library, article_id: str) -> ArticleSummary:
    for summary in library.articles():
        if summary.id == article_id:
            return summary
    raise LibraryError(f"no article {article_id}")
