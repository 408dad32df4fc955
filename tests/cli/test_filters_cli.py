"""``reader list --search/--tag`` lists what the TUI's filter line lists, in the same order."""

from __future__ import annotations

import json
import shutil

import pytest

from reader.cli import main
from reader.service.library import Library
from reader.ui.filtering import annotation_loader, filter_articles, stored_index
from tests.conftest import ROOT, SEED_FILE

#: filter lines a user might type, covering every kind of term
LINES = [
    "harbour",
    "night ",
    "robot -lighthouse",
    "iran russia",
    "alder",
    "tag:food",
    "tag:science is:unread",
    'source:"the alder ledger"',
    "date:2025-01..2025-03",
    "date:..2024",
    "has:highlights",
    "has:note",
    'color:"key idea"',
    "is:read market",
    "-tag:food",
]


@pytest.fixture(scope="module")
def seed_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The bundled seed clippings plus the real one, with a few tags, highlights and reads."""
    folder = tmp_path_factory.mktemp("seeds") / "docs"
    shutil.copytree(ROOT / "seeds", folder)
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    library = Library.open(folder)
    library.sync()
    by_title = {s.title: s for s in library.articles()}
    market = next(s for t, s in by_title.items() if "Night Market" in t)
    octopus = next(s for t, s in by_title.items() if "Octopus" in t)
    trams = next(s for t, s in by_title.items() if "Trams" in t)
    library.set_article_tags(market.id, ["food"])
    library.set_article_tags(trams.id, ["transport", "science"])
    article = library.article(octopus.id)
    assert article is not None
    # a highlight-only tag, a note and a colour: the filter looks at highlights too
    library.highlight(octopus.id, 0, 40, tags=["science"], note="deep", color="green")
    state = library.reading_state(market.id)
    state.read = True
    library.save_reading_state(state)
    return library


def cli_ids(library: Library, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["--db", str(library.store.root), "list", "--json", *args]) == 0
    return [a["id"] for a in json.loads(capsys.readouterr().out)["articles"]]


def tui_ids(library: Library, line: str) -> list[str]:
    summaries = {s.id: s for s in library.articles()}
    found = filter_articles(
        line,
        summaries,
        stored_index(library),
        annotation_loader(library),
        color_labels=library.settings.color_labels(),
    )
    return [s.id for s in found]


@pytest.mark.parametrize("line", LINES)
def test_search_lists_what_the_filter_line_lists(
    seed_library: Library, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    assert cli_ids(seed_library, capsys, f"--search={line}") == tui_ids(seed_library, line)


def test_the_lines_tell_articles_apart(seed_library: Library) -> None:
    """Each kind of term narrows the library (the comparison above is not all-or-nothing)."""
    everything = len(seed_library.articles())
    for line in LINES:
        found = tui_ids(seed_library, line)
        assert 0 < len(found) < everything, line


def test_tag_option_is_the_tag_term(
    seed_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    by_option = cli_ids(seed_library, capsys, "--tag", "Science", "--search", "the")
    assert by_option == tui_ids(seed_library, "the tag:science")
    # the highlight's tag counts, as in the TUI: the octopus article has no tag of its own
    titles = {s.id: s.title for s in seed_library.articles()}
    assert any("Octopus" in titles[i] for i in cli_ids(seed_library, capsys, "--tag", "science"))


def test_a_bad_search_is_one_clear_error(
    seed_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(seed_library.store.root), "list", "--search", "colr:x"]) == 1
    assert "bad search" in capsys.readouterr().err


def test_a_query_that_starts_with_a_minus_needs_no_equals_sign(
    seed_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--search -word` used to be refused ("expected one argument"): argparse took the
    # exclusion for an option
    assert cli_ids(seed_library, capsys, "--search", "-the") == tui_ids(seed_library, "-the")
    assert cli_ids(seed_library, capsys, "--search", "-the") != cli_ids(seed_library, capsys)
