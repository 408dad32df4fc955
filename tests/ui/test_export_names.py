"""The file names of the palette's exports."""

from __future__ import annotations

import json
from pathlib import Path

from reader.service.articles import set_article_note
from reader.service.library import Library
from reader.ui.screens.exports import export_commands, export_folder, slug


def test_long_titles_are_cut_between_words() -> None:
    title = "Sea Otters Return to the Bay After a Century, Warmed by Hidden Springs Beneath"
    name = slug(title)
    assert len(name) <= 60
    words = title.casefold().replace(",", "").split()
    assert name.split("-") == words[: len(name.split("-"))]  # whole words only
    assert slug("x" * 80) == "x" * 60  # one overlong word has to be cut


def test_the_palette_s_export_of_all_highlights_carries_article_notes(tmp_path: Path) -> None:
    """ "Export: all highlights to …" left out the note of an article without a highlight."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "trams.txt").write_text(
        "Trams Return\nApril 2, 2025\nThe last tram ran in 1965. They came back.\n",
        encoding="utf-8",
    )
    library = Library.open(folder, tmp_path / "store")
    library.sync()
    (summary,) = library.articles()
    set_article_note(library, summary.id, "ride it")
    messages: list[str] = []
    commands = export_commands(library, None, "", lambda job: messages.append(job()))
    (run_json,) = [run for name, _, run in commands if name == "Export: all highlights to JSON"]
    run_json()
    assert messages and messages[0].startswith("Exported 0 highlights to ")
    written = json.loads((export_folder(library) / "all-highlights.json").read_text("utf-8"))
    assert [a["note"] for a in written["articles"]] == ["ride it"]
