"""The file names of the palette's exports."""

from __future__ import annotations

from reader.ui.screens.exports import slug


def test_long_titles_are_cut_between_words() -> None:
    title = "Sea Otters Return to the Bay After a Century, Warmed by Hidden Springs Beneath"
    name = slug(title)
    assert len(name) <= 60
    words = title.casefold().replace(",", "").split()
    assert name.split("-") == words[: len(name.split("-"))]  # whole words only
    assert slug("x" * 80) == "x" * 60  # one overlong word has to be cut
