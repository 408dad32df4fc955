"""Odd entries in a library folder are skipped with a reason; the rest is imported (issue 14).

A FIFO hung ``reader import`` forever, a self-looping symlink aborted the whole import, and a
link to /dev/zero was read until memory ran out.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reader.service import documents as sync
from reader.service import parse_workers
from reader.service.library import Library
from tests.conftest import SEED_FILE

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks (POSIX)"),
    pytest.mark.timeout(60),  # the FIFO used to hang the import forever
]


def _odd_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "good.txt")
    os.mkfifo(folder / "x.txt")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "z.txt").symlink_to("/dev/zero")
    with open(folder / "huge.txt", "wb") as handle:  # sparse: no disk used
        handle.truncate(sync.MAX_DOCUMENT_BYTES + 1)
    return folder


def test_odd_files_are_skipped_with_a_reason_and_the_rest_imported(tmp_path: Path) -> None:
    library = Library.open(_odd_folder(tmp_path), tmp_path / "store")
    report = library.sync()
    assert report.added == 1
    assert sorted(report.errors) == [
        "huge.txt: larger than 50 MB; skipped",
        "loop.txt: a symbolic link loop; skipped",
        "x.txt: not a regular file (a named pipe); skipped",
        "z.txt: not a regular file (a character device); skipped",
    ]
    assert len(library.articles()) == 2  # the seed holds two articles


def test_the_parallel_import_skips_them_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _odd_folder(tmp_path)
    for index in range(3):
        shutil.copy(SEED_FILE, folder / f"copy{index}.txt")
    monkeypatch.setattr(parse_workers, "PARALLEL_MIN_FILES", 2)
    library = Library.open(None, tmp_path / "store")
    report = library.import_paths([folder])
    assert report.added == 4 and len(report.errors) == 4


def test_a_link_loop_given_by_name_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "self.txt").symlink_to("self.txt")
    library = Library.open(None, tmp_path / "store")
    report = library.import_paths([tmp_path / "self.txt"])
    assert report.added == 0 and len(report.errors) == 1 and "self.txt" in report.errors[0]


def test_a_file_swapped_for_a_fifo_after_the_check_never_blocks(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p.txt")
    with pytest.raises(sync.Skipped, match="not a regular file"):
        sync.read_document(tmp_path / "p.txt")


def test_a_named_pipe_given_by_name_is_skipped_with_its_reason(tmp_path: Path) -> None:
    """``reader import PIPE``: it was taken for a folder (not ``is_file()``), made the store's
    library folder and skipped without a word."""
    os.mkfifo(tmp_path / "p.txt")
    library = Library.open(None, tmp_path / "store")
    report = library.import_paths([tmp_path / "p.txt"])
    assert report.added == 0
    assert len(report.errors) == 1 and "named pipe" in str(report.errors[0])
    assert library.docs_root == tmp_path  # the folder holding it, never the pipe itself


def test_a_named_pipe_opened_by_name_is_a_document_of_its_folder(tmp_path: Path) -> None:
    from reader.service.opening import locate

    os.mkfifo(tmp_path / "p.txt")
    location = locate(tmp_path / "p.txt", None, cwd=tmp_path, env={})
    assert location.docs_root == tmp_path and location.store_dir == tmp_path / ".reader"
    assert location.files == [tmp_path / "p.txt"]
