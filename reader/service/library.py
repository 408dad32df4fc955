"""The library service: documents on disk, the store, parsing and anchoring tied together.

The UI and the CLI call only this. Every change to an annotation goes through one method
here, is saved at once and is recorded in the store's undo journal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.clean import clean_field
from reader.core.models import (
    DEFAULT_COLOR,
    Annotation,
    Article,
    ArticleSummary,
    ReadingState,
    normalize_tags,
    now_iso,
)
from reader.service.anchor_review import AnchorReview
from reader.service.changes import Changes, Marked, clamp_span
from reader.service.colors import check_color
from reader.service.errors import LibraryError, store_errors_as_library_errors
from reader.service.opening import Location, is_document_name
from reader.service.settings import Settings
from reader.service.undo import Undone, new_owner
from reader.store import Store, StoreError, TagChanges

if TYPE_CHECKING:
    from reader.service.sync import SyncReport
    from reader.store.tags import ChangeStamp

#: progress callback: (done, total, current file)
Progress = Callable[[int, int, str], None]


__all__ = ["Library", "LibraryError"]


#: a tag rename that changed more tag lists than this cannot be undone (the undo journal is
#: rewritten with every change; a rename's entry holds each list before and after)
UNDOABLE_TAG_CHANGES = 2000


def tag_rename_undoable(articles: int, highlights: int) -> bool:
    """Whether renaming a tag on this many articles and live highlights can be undone
    (the counts leave the trash out: half the limit keeps a margin for it)."""
    return articles + highlights <= UNDOABLE_TAG_CHANGES // 2


@store_errors_as_library_errors
class Library:
    """A folder of documents and the store that holds what the reader made of them."""

    def __init__(
        self,
        store: Store,
        docs_root: Path | None,
        files: Sequence[Path] = (),
        notice: str | None = None,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.docs_root = docs_root
        self.files = [Path(f) for f in files]
        self.notice = notice
        self.settings = Settings(store)
        #: the change path; its owner names whose undo journal entries are whose
        self.changes = Changes(store, owner or new_owner("cli"))
        #: how :meth:`open` chose the store (None when built from a store directly)
        self.location: Location | None = None
        #: highlights that moved or lost their passage, until a person decides (``R``)
        self.anchors = AnchorReview(self)

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(
        cls,
        path: Path | None = None,
        db: Path | None = None,
        *,
        default: bool = False,
        kind: str = "cli",
        announce: Callable[[str], None] | None = None,
    ) -> Library:
        """Open the library at ``path`` (a folder or one document) with the store at ``db``.

        Without ``db`` (and without ``READER_DB``) the store lives in ``<folder>/.reader``; a
        folder that cannot be written falls back to the per-user data folder, with a notice.
        With ``default``, no path and no store name the library the way every command
        finds it (:func:`reader.service.opening.locate`). ``kind`` (``cli`` or ``tui``)
        names whose changes this library makes, for undo; ``announce`` is told before a
        store of an older format is upgraded (seconds, once).
        """
        from reader.service.opening import STORE_DIRNAME, LocationError, holds_documents, locate

        try:
            location = locate(path, db, default=default)
        except LocationError as error:
            raise LibraryError(str(error)) from None
        docs_root, files, store_dir = location.docs_root, location.files, location.store_dir
        try:
            store = Store(store_dir, announce=announce)
        except StoreError as error:
            raise LibraryError(str(error)) from error
        if docs_root is None:
            remembered = store.get_meta("docs_root")
            home = store_dir.parent
            moved = store_dir.name == STORE_DIRNAME and str(home) != remembered
            if moved and holds_documents(home):
                # `--db FOLDER/.reader` of a folder copied or moved with its store: the
                # documents beside it are the library (the remembered folder is the old place,
                # and naming the documents from there made every article a new one)
                docs_root = home
                store.set_meta("docs_root", str(home))
            elif remembered and Path(remembered).is_dir():
                docs_root = Path(remembered)
        elif not files and store.get_meta("docs_root") != str(docs_root):
            store.set_meta("docs_root", str(docs_root))
        library = cls(store, docs_root, files, location.notice, owner=new_owner(kind))
        library.location = location
        return library

    @property
    def name(self) -> str:
        """A short name for the header."""
        if self.location is not None and self.location.is_samples:
            return "samples shipped with reader"
        if self.files:
            return self.files[0].name
        if self.docs_root is not None:
            return self.docs_root.name
        return self.store.root.name

    @property
    def ever_synced(self) -> bool:
        """Whether this store has imported anything yet."""
        return bool(self.store.get_meta("synced"))

    # ------------------------------------------------------------------ documents
    def document_paths(self) -> list[Path]:
        """The documents this library covers, sorted, hidden folders skipped."""
        if self.files:
            return list(self.files)
        if self.docs_root is None:
            return []
        found: list[Path] = []
        for folder, dirnames, filenames in os.walk(self.docs_root):
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and not _page_assets(d, filenames)
            )
            for filename in sorted(filenames):
                if filename.startswith("."):
                    continue
                if is_document_name(filename):
                    found.append(Path(folder) / filename)
        return found

    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Import new or changed documents (size/mtime, then hash) and re-anchor highlights."""
        from reader.service.sync import SyncReport, sync_documents

        root = self.docs_root
        if root is None:
            return SyncReport()
        report = sync_documents(
            self.store,
            root,
            self.document_paths(),
            progress=progress,
            prune=not self.files,
        )
        self.store.set_meta("synced", now_iso())
        return report

    def import_paths(self, paths: Sequence[Path], progress: Progress | None = None) -> SyncReport:
        """Import files and folders into this store (re-import updates changed ones)."""
        from reader.service.sync import SyncReport, sync_documents

        total = SyncReport()
        for raw in paths:
            path = Path(raw).expanduser()
            if not path.exists():
                total.errors.append(f"{path}: no such file or folder")
                continue
            path = path.resolve()
            # anything but a folder is a document: a named pipe or a device given by name is
            # then skipped with its reason (never taken for the library folder)
            folder = path if path.is_dir() else path.parent
            if self.docs_root is None:
                # the first folder imported into a bare store becomes its library folder:
                # documents are named by their path from it, those of other folders too
                self.docs_root = folder
                self.store.set_meta("docs_root", str(folder))
            files = Library(self.store, path).document_paths() if path.is_dir() else [path]
            # re-import updates what changed; it never prunes, since one store may hold
            # documents imported from several folders
            total.merge(
                sync_documents(self.store, self.docs_root, files, progress=progress, prune=False)
            )
        self.store.set_meta("synced", now_iso())
        return total

    # ------------------------------------------------------------------ reading
    def articles(self) -> list[ArticleSummary]:
        """Every article, from the store's small index."""
        return self.store.list_articles()

    def articles_stamp(self) -> object:
        """A cheap token that changes when :meth:`articles` may have changed (one stat)."""
        return self.store.listing_stamp()

    def article(self, article_id: str) -> Article | None:
        """One article with its full text."""
        return self.store.get_article(article_id)

    def find_article(self, id_or_title: str) -> ArticleSummary:
        """An article by id, exact title, or a title fragment that names only one."""
        wanted = id_or_title.strip()
        if not wanted:
            raise LibraryError("an article name is needed: its id or words of its title")
        summaries = self.articles()
        for summary in summaries:
            if summary.id == wanted:
                return summary
        folded = wanted.casefold()
        exact = [s for s in summaries if s.title.casefold() == folded]
        if len(exact) == 1:
            return exact[0]
        partial = exact or [s for s in summaries if folded in s.title.casefold()]
        if len(partial) == 1:
            return partial[0]
        if not partial:
            raise LibraryError(f"no article matches {wanted!r}")
        names = "; ".join(f"{s.id} {s.title!r}" for s in partial[:5])
        raise LibraryError(f"{len(partial)} articles match {wanted!r}: {names}")

    def annotations(self, article_id: str, *, include_deleted: bool = False) -> list[Annotation]:
        """The highlights of one article, in reading order."""
        return self.store.annotations_for(article_id, include_deleted=include_deleted)

    def all_annotations(self, *, include_deleted: bool = False) -> list[Annotation]:
        """Every highlight in the library (for exports and the annotations view)."""
        return self.store.all_annotations(include_deleted=include_deleted)

    def trash(self) -> list[Annotation]:
        """Deleted highlights, newest first."""
        deleted = [a for a in self.store.all_annotations(include_deleted=True) if a.deleted]
        return sorted(deleted, key=lambda a: a.deleted or "", reverse=True)

    # ------------------------------------------------------------------ changes
    def mark(
        self,
        article_id: str,
        start: int,
        end: int,
        *,
        color: str | None = None,
        tags: Sequence[str] = (),
        note: str = "",
        basis: tuple[str, Any] | None = None,
    ) -> Marked:
        """Highlight ``[start, end)`` of an article's text, as it is stored now; a span
        already highlighted makes nothing new, one overlapping highlights extends them
        (see :meth:`reader.service.changes.Changes.mark`)."""
        return self.changes.mark(
            article_id,
            start,
            end,
            color=check_color(color or DEFAULT_COLOR),
            tags=normalize_tags(list(tags)),
            note=clean_note(note),
            basis=basis,
        )

    def highlight(self, article_id: str, start: int, end: int, **options: Any) -> Annotation:
        """Highlight ``[start, end)`` of an article's text: :meth:`mark`'s highlight (the
        options are :meth:`mark`'s: color, tags, note)."""
        return self.mark(article_id, start, end, **options).annotation

    def set_note(self, annotation_id: str, note: str, *, seen: str | None = None) -> Annotation:
        """Replace a highlight's note; ``seen``, the note the editor opened on, makes a
        save over a note changed meanwhile raise :class:`EditConflict` instead."""
        expect = {"note": seen} if seen is not None else None
        return self.changes.change(
            annotation_id, {"note": clean_note(note)}, action="note", expect=expect
        )

    def set_color(self, annotation_id: str, color: str) -> Annotation:
        """Recolour a highlight."""
        return self.changes.change(annotation_id, {"color": check_color(color)}, action="color")

    def set_tags(
        self, annotation_id: str, tags: Sequence[str], *, seen: Sequence[str] | None = None
    ) -> Annotation:
        """Replace a highlight's tags (``seen`` as for :meth:`set_note`)."""
        expect = {"tags": list(seen)} if seen is not None else None
        return self.changes.change(
            annotation_id, {"tags": normalize_tags(list(tags))}, action="tags", expect=expect
        )

    def edit(
        self,
        annotation_id: str,
        *,
        note: str | None = None,
        tags: Sequence[str] | None = None,
        color: str | None = None,
    ) -> Annotation:
        """Change only the fields given, as one undoable step (``reader edit``)."""
        fields: dict[str, Any] = {}
        if note is not None:
            fields["note"] = clean_note(note)
        if tags is not None:
            fields["tags"] = normalize_tags(list(tags))
        if color is not None:
            fields["color"] = check_color(color)
        if not fields:
            raise LibraryError("nothing to change: give --note, --tag, --no-tags or --color")
        action = next(iter(fields)) if len(fields) == 1 else "note"
        return self.changes.change(annotation_id, fields, action=action)

    def delete(self, annotation_id: str) -> Annotation:
        """Move a highlight to the trash (``restore`` and ``undo`` bring it back)."""
        current = self.require_annotation(annotation_id)
        if current.deleted:
            return current
        return self.changes.change(annotation_id, {"deleted": now_iso()}, action="delete")

    def restore(self, annotation_id: str) -> Annotation:
        """Bring a highlight back from the trash."""
        return self.changes.change(annotation_id, {"deleted": None}, action="restore")

    def reattach(self, annotation_id: str, start: int, end: int) -> Annotation:
        """Move a (typically orphaned) highlight's note and tags onto a new passage."""
        from reader.core.anchoring import make_selector

        current = self.require_annotation(annotation_id)
        article = self.require_article(current.article_id)
        text = article.text
        start, end = clamp_span(text, start, end)
        if start >= end:
            raise LibraryError("nothing to attach to there")
        selector = make_selector(text, start, end)
        changed = self.changes.change(
            annotation_id,
            {
                **selector.as_fields(),
                "status": "anchored",
                "original_quote": current.original_quote or current.quote,
                "text_hash": self.store.put_text(text),
            },
            action="reattach",
        )
        self.anchors.mark_reviewed(changed)
        return changed

    def undo(self) -> Undone | None:
        """Undo this library's owner's last change (None if there was nothing to undo)."""
        return self.changes.undo()

    def redo(self) -> Undone | None:
        """Redo the last undone change."""
        return self.changes.redo()

    # ------------------------------------------------------------------ tags and state
    def set_article_tags(self, article_id: str, tags: Sequence[str]) -> None:
        """Replace an article's tags (``u`` / ``reader undo`` take it back)."""
        self._require_summary(article_id)
        self.changes.change_article(article_id, "tags", normalize_tags(list(tags)))

    def all_tags(self) -> dict[str, int]:
        """Every tag in use with its number of uses."""
        return self.store.all_tags()

    def reading_state(self, article_id: str) -> ReadingState:
        """Where the reader was in an article."""
        return self.store.get_state(article_id)

    def save_reading_state(self, state: ReadingState) -> None:
        """Remember the reader's place (and that this article was the last one open)."""
        self.store.put_state(state)
        if self.store.get_meta("last_article") != state.article_id:
            self.store.set_meta("last_article", state.article_id)

    def last_article_id(self) -> str | None:
        """The article open when the reader last quit."""
        value = self.store.get_meta("last_article")
        return str(value) if value else None

    def first_article_id(self) -> str | None:
        """The article a window opens on: with ``reader FILE``, that file's first article;
        else the one open when the reader last quit."""
        if self.files:
            from reader.service.documents import relative_name

            root = self.docs_root or self.files[0].parent
            record = self.store.file_records().get(relative_name(root, self.files[0]))
            if record is not None and record.article_ids:
                return str(record.article_ids[0])
        return self.last_article_id()

    # ------------------------------------------------------------------ tags
    def tag_counts(self) -> dict[str, tuple[int, int]]:
        """tag -> (articles tagged with it, live highlights carrying it), sorted by tag."""
        return self.store.tag_counts()

    def rename_tag(self, old: str, new: str) -> tuple[int, int]:
        """Rename a tag on every article and highlight (the trash too); merges into ``new``
        when it is already in use. Returns (articles, highlights) changed.

        Undoable like a highlight change when it touched at most
        :data:`UNDOABLE_TAG_CHANGES` tag lists (:func:`tag_rename_undoable` says so first).
        """
        from reader.core.models import normalize_tag

        if not normalize_tag(old) or not normalize_tag(new):
            raise LibraryError("a tag cannot be empty")
        changes = TagChanges()
        merged = normalize_tag(new) in self.store.tag_counts()
        counts = self.store.rename_tag(old, new, changes=changes)
        if 0 < len(changes) <= UNDOABLE_TAG_CHANGES:
            self.changes.journal_tag_rename(normalize_tag(old), normalize_tag(new), merged, changes)
        return counts

    def annotations_stamp(self) -> object:
        """A cheap token that changes whenever any highlight may have changed (two stats)."""
        return self.store.annotations_stamp()

    def change_stamp(self) -> ChangeStamp:
        """A cheap token that changes whenever anything an open window shows may have
        changed, by this process or another (a few stats: the live view polls it)."""
        return self.store.change_stamp()

    # ------------------------------------------------------------------ CLI helper
    def annotate_quote(
        self,
        quote: str,
        *,
        article: str | None = None,
        note: str = "",
        tags: Sequence[str] = (),
        color: str | None = None,
    ) -> Marked:
        """Highlight the passage ``quote`` (in ``article``, or the one article holding it)."""
        from reader.service.quotes import find_quote

        article_id, (start, end) = find_quote(self, quote, article)
        return self.mark(article_id, start, end, color=color, tags=tags, note=note)

    # ------------------------------------------------------------------ internals
    def _require_summary(self, article_id: str) -> ArticleSummary:
        for summary in self.articles():
            if summary.id == article_id:
                return summary
        raise LibraryError(f"no article {article_id}")

    def require_article(self, article_id: str) -> Article:
        article = self.store.get_article(article_id)
        if article is None:
            raise LibraryError(f"no article {article_id}")
        return article

    def require_annotation(self, annotation_id: str) -> Annotation:
        annotation = self.store.get_annotation(annotation_id)
        if annotation is None:
            raise LibraryError(f"no highlight {annotation_id}")
        return annotation


def _page_assets(dirname: str, filenames: list[str]) -> bool:
    """Whether a folder holds the images and frames of a page a browser saved beside it
    ("Save page, complete": ``story.html`` and ``story_files/``): not documents."""
    if not dirname.endswith("_files"):
        return False
    stem = dirname.removesuffix("_files")
    return any(f.rsplit(".", 1)[0] == stem for f in filenames)


def clean_note(note: str) -> str:
    """A note as stored: line ends as newlines, no escape sequence or control character
    (but newline and tab), no trailing blank space."""
    return clean_field(note.replace("\r\n", "\n").replace("\r", "\n")).rstrip()
