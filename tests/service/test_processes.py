"""Real processes changing one store through the library: no acknowledged write is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.service.library import Library
from tests.service.test_library import DOC

REPO = Path(__file__).resolve().parents[2]
EDITS = 150


def test_two_processes_editing_one_highlight_keep_both_fields(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "trains.txt").write_text(DOC, encoding="utf-8")
    library = Library.open(folder)
    library.sync()
    article = library.article(library.find_article("Night Trains").id)
    assert article is not None
    made = library.highlight(article.id, 0, 40)
    editors = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.service._editor",
                str(folder),
                made.id,
                field,
                str(EDITS),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for field in ("note", "tags")
    ]
    outputs = [editor.communicate(timeout=300) for editor in editors]
    for editor, (out, err) in zip(editors, outputs, strict=True):
        assert editor.returncode == 0, err
        assert out.splitlines()[-1] == f"ok {EDITS - 1}"
    stored = library.store.get_annotation(made.id)
    assert stored is not None
    # each field ends at its writer's last acknowledged value: neither reverted the other
    assert stored.note == f"note {EDITS - 1}"
    assert stored.tags == [f"tag-{EDITS - 1}"]
    assert stored.revision == made.revision + 2 * EDITS


def test_two_processes_saving_views_keep_every_view(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "trains.txt").write_text(DOC, encoding="utf-8")
    Library.open(folder).sync()
    savers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.service._editor", str(folder), who, "view", "40"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("a", "b")
    ]
    for saver in savers:
        _, err = saver.communicate(timeout=300)
        assert saver.returncode == 0, err
    views = Library.open(folder).settings.saved_views()
    assert len(views) == 80  # a read-modify-write under the lock: no view lost
