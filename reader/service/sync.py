"""Importing documents into the store, and re-anchoring highlights of changed articles."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.core.models import Annotation, Article, article_id_for
from reader.service.documents import (
    Namer,
    Skipped,
    check_document,
    is_outside_name,
    read_document,
)
from reader.service.parse_workers import ParseAhead, ParseFailed
from reader.store import FileRecord, Store

#: documents are saved in batches, each one write of every store shard it touches (with
#: 10,000 files that is every article shard: a flush costs as much as the store is big). A
#: batch is flushed once it holds this many bytes of documents...
BATCH_BYTES = 1 << 20
#: ... growing to this many times the bytes already saved in this import
BATCH_GROWTH = 8
#: ... but never more than this (the batch's articles are held in memory)
BATCH_MAX_BYTES = 64 << 20


@dataclass
class SyncReport:
    """What an import did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    #: documents found under a new name (moved or renamed): same articles, same highlights
    renamed: int = 0
    bytes_read: int = 0
    errors: list[str] = field(default_factory=list)
    reanchored: dict[str, int] = field(default_factory=dict)

    def merge(self, other: SyncReport) -> None:
        """Add another report's counts to this one."""
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.renamed += other.renamed
        self.bytes_read += other.bytes_read
        self.errors.extend(other.errors)
        for status, count in other.reanchored.items():
            self.reanchored[status] = self.reanchored.get(status, 0) + count

    @property
    def changed(self) -> bool:
        """Whether the import changed the library."""
        return bool(self.added or self.updated or self.removed or self.renamed)

    def summary(self) -> str:
        """One line for people."""
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        if self.renamed:
            parts.append(f"{self.renamed} renamed")
        moved = {k: v for k, v in self.reanchored.items() if v and k != "anchored"}
        if moved:
            parts.append("highlights " + ", ".join(f"{v} {k}" for k, v in sorted(moved.items())))
        if self.errors:
            parts.append(f"{len(self.errors)} not imported")
        return ", ".join(parts)


def sync_documents(
    store: Store,
    root: Path,
    files: Sequence[Path],
    *,
    progress: Callable[[int, int, str], None] | None = None,
    prune: bool = True,
) -> SyncReport:
    """Bring the store up to date with ``files`` (all under ``root``).

    A file whose size and mtime match its record is skipped without reading it; one whose
    bytes hash the same is skipped without parsing. With ``prune`` the documents the store
    knows under ``root`` but that are gone are removed (their highlights become orphans).
    """
    from reader.core.parser import ParseError, parse_bytes

    report = SyncReport()
    records = store.file_records()
    name_of = Namer(root)
    ahead = ParseAhead(files, records, name_of) if progress is None else None
    seen: set[str] = set()
    moves = _Moves(store, root, records, {name_of(path) for path in files})
    returning = _Returning(store)
    batch: list[tuple[FileRecord, list[Article]]] = []
    batch_bytes = flushed_bytes = 0
    changed_articles: list[tuple[Article | None, Article]] = []
    total = len(files)
    try:
        for done, path in enumerate(files, start=1):
            name = name_of(path)
            seen.add(name)
            if progress is not None:
                progress(done, total, name)
            try:
                stat = check_document(path)
            except Skipped as error:
                report.errors.append(f"{name}: {error}")
                continue
            old = records.get(name)
            if old is not None and old.size == stat.st_size and old.mtime_ns == stat.st_mtime_ns:
                report.unchanged += 1
                continue
            try:
                data = read_document(path)
            except Skipped as error:
                report.errors.append(f"{name}: {error}")
                continue
            report.bytes_read += len(data)
            sha = hashlib.sha256(data).hexdigest()[:32]
            moved_from = moves.same_bytes(sha) if old is None else None
            if moved_from is not None:
                old = records[moved_from]
            if old is not None and old.sha == sha and moved_from is None:
                report.unchanged += 1
                batch.append((replace(old, size=stat.st_size, mtime_ns=stat.st_mtime_ns), None))  # type: ignore[arg-type]
                continue
            parsed = ahead.result(name, sha) if ahead is not None else None
            try:
                if isinstance(parsed, str):
                    raise ParseFailed(parsed)
                articles = parsed if parsed is not None else parse_bytes(data, name)
            except ParseFailed as error:
                report.errors.append(str(error))
                continue
            except ParseError as error:
                report.errors.append(str(error))
                continue
            except Exception as error:  # a parser bug must not stop the rest of the folder
                report.errors.append(f"{name}: could not be parsed ({type(error).__name__})")
                continue
            if old is None and moves:
                moved_from = moves.similar_text(articles)
                if moved_from is not None:
                    old = records[moved_from]
            previous = _previous_articles(store, old)
            articles = keep_article_ids(previous, articles, name)
            if old is None:
                # a document removed in an earlier import, back (under any name): its
                # articles take their old ids and their highlights are placed again
                articles, returned = returning.adopt(articles)
                changed_articles.extend((a, a) for a in returned)
            by_id = {a.id: a for a in previous}
            changed_articles.extend((by_id.get(a.id), a) for a in articles)
            for gone_id in set(by_id) - {a.id for a in articles}:
                changed_articles.append((by_id[gone_id], _vanished(by_id[gone_id])))
            record = FileRecord(
                path=name,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                sha=sha,
                article_ids=[a.id for a in articles],
            )
            batch.append((record, articles))
            if moved_from is not None:
                report.renamed += 1
                moves.adopted[moved_from] = name
            elif old is None:
                report.added += 1
            else:
                report.updated += 1
            batch_bytes += len(data)
            if batch_bytes >= min(max(BATCH_BYTES, BATCH_GROWTH * flushed_bytes), BATCH_MAX_BYTES):
                _flush(store, batch)
                flushed_bytes += batch_bytes
                batch_bytes = 0
        _flush(store, batch)
    finally:
        if ahead is not None:
            ahead.close()
    for old_name in moves.adopted:
        store.forget_document(old_name)  # its articles now belong to the file's new name
    if prune:
        for name, record in records.items():
            if name in seen or name in moves.adopted or is_outside_name(name):
                continue  # still there, moved, or imported from another folder
            for article_id in record.article_ids:
                article = store.get_article(article_id)
                if article is not None:
                    changed_articles.append((article, _vanished(article)))
            store.remove_document(name)
            report.removed += 1
    _reanchor(store, changed_articles, report)
    return report


#: a new document whose text is at least this similar (0-100) to a vanished one's is that
#: document moved (git's rename detection works the same way, with 50)
SIMILAR_TEXT = 70
#: vanished documents compared by text with each new one, at most (bytes are always compared)
SIMILAR_CANDIDATES = 200


class _Moves:
    """Documents that vanished from their name in this import, to be found under a new one.

    A vanished document is one the store knows whose file is no longer there. A new file
    with the same bytes is that document moved; failing that, one whose text is nearly the
    same (:data:`SIMILAR_TEXT`). Its articles keep their ids, highlights and reading state.
    """

    def __init__(
        self, store: Store, root: Path, records: dict[str, FileRecord], present: set[str]
    ) -> None:
        self._store = store
        self.vanished = {
            name: record
            for name, record in records.items()
            if name not in present and not (root / name).exists()
        }
        self._by_sha = {record.sha: name for name, record in self.vanished.items()}
        self._texts: dict[str, str] | None = None
        #: old name -> new name, of the moves found
        self.adopted: dict[str, str] = {}

    def __bool__(self) -> bool:
        return len(self.adopted) < len(self.vanished)

    def same_bytes(self, sha: str) -> str | None:
        """The vanished document with exactly these bytes, if any."""
        name = self._by_sha.get(sha)
        return name if name is not None and name not in self.adopted else None

    def similar_text(self, articles: list[Article]) -> str | None:
        """The vanished document whose text is most like these articles', if close enough."""
        from rapidfuzz import fuzz

        if len(self.vanished) > SIMILAR_CANDIDATES:
            return None
        if self._texts is None:
            self._texts = {
                name: "\n".join(a.text for a in _previous_articles(self._store, record))
                for name, record in self.vanished.items()
            }
        text = "\n".join(a.text for a in articles)
        best, best_score = None, float(SIMILAR_TEXT)
        for name, old_text in self._texts.items():
            if name in self.adopted or not old_text:
                continue
            score = fuzz.ratio(text, old_text, score_cutoff=best_score)
            if score >= best_score:
                best, best_score = name, score
        return best


class _Returning:
    """Articles gone from the library whose highlights are kept (their document was removed
    by an earlier import: moved out of the folder, deleted, renamed while no import ran).

    A new document holding one of them again, under its old name (the same id) or another
    (a text at least :data:`SIMILAR_TEXT` alike the text its highlights were placed on),
    takes the old article's id, so its highlights come back instead of staying orphans.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._gone: dict[str, str] | None = None  # article id -> the text its highlights saw

    def _gone_articles(self) -> dict[str, str]:
        if self._gone is None:
            store = self._store
            listed = {s.id for s in store.list_articles()}
            gone = [a for a, n in store.annotation_counts().items() if n and a not in listed]
            self._gone = {}
            for article_id in gone[:SIMILAR_CANDIDATES]:
                hashes = [a.text_hash for a in store.annotations_for(article_id) if a.text_hash]
                text = store.get_text(hashes[0]) if hashes else None
                self._gone[article_id] = text or ""
        return self._gone

    def adopt(self, articles: list[Article]) -> tuple[list[Article], list[Article]]:
        """``articles`` with the ids of gone articles they are, and those that took one."""
        from rapidfuzz import fuzz

        gone = self._gone_articles()
        if not gone:
            return articles, []
        mapping: dict[str, str] = {}
        for article in articles:
            if article.id in gone:
                mapping[article.id] = article.id
                continue
            best, best_score = None, float(SIMILAR_TEXT)
            for article_id, old_text in gone.items():
                if not old_text or article_id in mapping.values():
                    continue
                score = fuzz.ratio(article.text, old_text, score_cutoff=best_score)
                if score >= best_score:
                    best, best_score = article_id, score
            if best is not None:
                mapping[article.id] = best
        if not mapping:
            return articles, []
        for taken in mapping.values():
            del gone[taken]  # one document takes it
        adopted = [
            replace(
                article,
                id=mapping.get(article.id, article.id),
                related_to=mapping.get(article.related_to, article.related_to)
                if article.related_to
                else None,
            )
            for article in articles
        ]
        return adopted, [a for a in adopted if a.id in mapping.values()]


def _flush(store: Store, batch: list[tuple[FileRecord, list[Article]]]) -> None:
    if not batch:
        return
    documents = [(record, articles) for record, articles in batch if articles is not None]
    touched = [record for record, articles in batch if articles is None]
    if documents:
        store.save_documents(documents)
    if touched:
        store.touch_documents(touched)
    batch.clear()


def _previous_articles(store: Store, record: FileRecord | None) -> list[Article]:
    if record is None:
        return []
    found = [store.get_article(article_id) for article_id in record.article_ids]
    return [a for a in found if a is not None]


def _vanished(article: Article) -> Article:
    """A stand-in for an article that is gone: no text, so its highlights orphan."""
    return replace(article, paragraphs=[])


def keep_article_ids(previous: list[Article], parsed: list[Article], name: str) -> list[Article]:
    """Give re-parsed articles the ids they had: same title first, then same position.

    The parser's ids depend on the position in the file; an article whose text changed keeps
    its id, and so its highlights, also when a block above it was inserted or removed.
    """
    if not previous:
        return parsed
    by_title: dict[str, str] = {}
    for article in previous:
        by_title.setdefault(article.title.strip().casefold(), article.id)
    previous_ids = {a.id for a in previous}
    claimed: set[str] = set()
    mapping: dict[str, str] = {}
    for article in parsed:
        wanted = by_title.get(article.title.strip().casefold())
        if wanted and wanted not in claimed:
            mapping[article.id] = wanted
            claimed.add(wanted)
    by_index = {a.index: a.id for a in previous}
    for article in parsed:
        if article.id in mapping:
            continue
        # the same place in the file (its id, when the file kept its name)
        wanted = by_index.get(article.index)
        if wanted is not None and wanted not in claimed:
            mapping[article.id] = wanted
            claimed.add(wanted)
    taken = set(mapping.values())
    for article in parsed:
        if article.id not in mapping:
            candidate = article.id
            counter = 0
            while candidate in taken or candidate in previous_ids:
                counter += 1
                candidate = article_id_for(name, article.index + 1000 * counter)
            mapping[article.id] = candidate
            taken.add(candidate)
    return [
        replace(
            article,
            id=mapping[article.id],
            related_to=mapping.get(article.related_to, article.related_to)
            if article.related_to
            else None,
        )
        for article in parsed
    ]


def _reanchor(
    store: Store, changes: list[tuple[Article | None, Article]], report: SyncReport
) -> None:
    """Re-anchor the highlights of every article whose text changed."""
    from reader.core.anchoring import TextSelector, make_selector, reanchor_many
    from reader.core.models import text_hash

    for before, after in changes:
        if before is None:
            continue
        new_text = after.text
        new_hash = text_hash(new_text)
        annotations = store.annotations_for(after.id, include_deleted=True)
        stale = [a for a in annotations if a.text_hash != new_hash]
        if not stale:
            continue
        if after.paragraphs:
            store.put_text(new_text)
        # what each highlight's anchoring fields become, computed outside the lock
        anchors: dict[str, tuple[str | None, dict[str, Any]]] = {}
        groups: dict[str | None, list[Annotation]] = {}
        for annotation in stale:
            groups.setdefault(annotation.text_hash, []).append(annotation)
        for old_hash, group in groups.items():
            old_text = store.get_text(old_hash) if old_hash else None
            selectors = [TextSelector(a.quote, a.prefix, a.suffix, a.start, a.end) for a in group]
            results = reanchor_many(selectors, new_text, old_text)
            for annotation, result in zip(group, results, strict=True):
                report.reanchored[result.status] = report.reanchored.get(result.status, 0) + 1
                if result.status == "orphaned":
                    anchors[annotation.id] = (old_hash, {"status": "orphaned"})
                    continue
                selector = make_selector(new_text, result.start, result.end)
                original = annotation.original_quote
                if result.status == "fuzzy" and original is None:
                    original = annotation.quote
                fields = {
                    "status": result.status,
                    **selector.as_fields(),
                    "original_quote": original,
                    "text_hash": new_hash,
                }
                anchors[annotation.id] = (old_hash, fields)
        if anchors:
            _write_anchors(store, anchors)


def _write_anchors(store: Store, anchors: dict[str, tuple[str | None, dict[str, Any]]]) -> None:
    """Write new anchoring fields under the lock, field by field: a highlight whose note or
    tags another process changed meanwhile keeps them; one re-anchored meanwhile (its text
    hash moved on) is left as that writer left it."""
    with store.edit() as edit:
        changed: list[Annotation] = []
        for annotation_id, (old_hash, fields) in anchors.items():
            current = edit.get(annotation_id)
            if current is None or current.text_hash != old_hash:
                continue
            changed.append(replace(current, **fields, revision=current.revision + 1))
        edit.put_many(changed)
