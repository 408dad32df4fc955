"""Watching the library folder: documents that change are reported; the store's own writes,
hidden files and (for ``reader FILE``) other files are not."""

from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

import pytest

from reader.service.library import Library
from reader.service.watching import document_changes, relevance, watched_folder
from tests.conftest import SEED_FILE


@pytest.fixture
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "seed.txt")
    lib = Library.open(folder)
    lib.sync()
    return lib


def test_only_documents_of_the_library_are_relevant(library: Library) -> None:
    root = library.docs_root
    assert root is not None and watched_folder(library) == root
    relevant = relevance(library)
    assert relevant(root / "seed.txt") and relevant(root / "sub" / "new.html")
    assert not relevant(Path(library.store.root) / "annotations" / "x.json")  # the store
    assert not relevant(root / ".seed.txt.swp") and not relevant(root / ".git" / "HEAD")
    assert not relevant(root.parent / "elsewhere.txt")


def test_one_file_opened_alone_watches_only_that_file(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "a.txt")
    (folder / "b.txt").write_text("Other\n\nText.\n", encoding="utf-8")
    lib = Library.open(folder / "a.txt")
    relevant = relevance(lib)
    assert watched_folder(lib) == folder.absolute()
    assert relevant((folder / "a.txt").absolute()) and not relevant(folder / "b.txt")


def test_a_saved_document_is_reported_and_store_writes_are_not(library: Library) -> None:
    stop = threading.Event()
    batches: queue.Queue[set[Path]] = queue.Queue()

    def watch() -> None:
        for batch in document_changes(library, stop):
            batches.put(batch)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        threading.Event().wait(0.3)  # the watch is set up
        article = library.articles()[0]
        library.highlight(article.id, 0, 10)  # the store writes: nothing to report
        with pytest.raises(queue.Empty):
            batches.get(timeout=1.0)
        root = library.docs_root
        assert root is not None
        (root / "new.txt").write_text("A New Clipping\n\nIts first paragraph.\n", "utf-8")
        batch = batches.get(timeout=5)
        assert (root / "new.txt").absolute() in batch
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()  # stopping ends the watch
