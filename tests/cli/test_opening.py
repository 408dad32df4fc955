"""Which library and store a command opens when it is typed in a folder (no --db, no PATH).

Every test runs in temporary folders, with HOME and XDG_DATA_HOME pointed into tmp_path so
that the per-user stores (samples, read-only folders) never touch the real user data.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main
from reader.service.library import Library
from reader.service.opening import STORE_DIRNAME, fallback_store_dir, samples_path

CLIPPING = """Harbour Crane Operators Vote to Extend Night Shifts
March 3, 2025
Reprinted from The Quay Gazette
Crane operators at the eastern harbour voted on Monday to extend night shifts through the spring.
The union said the vote passed by a wide margin after two weeks of talks.
"""


@pytest.fixture(autouse=True)
def private_user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Per-user stores go under tmp_path; no READER_DB from the environment."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("READER_DB", raising=False)
    return tmp_path / "xdg"


@pytest.fixture()
def clips(tmp_path: Path) -> Path:
    """A folder holding one clipping and nothing else (no .reader/, no seeds/)."""
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "harbour.txt").write_text(CLIPPING, encoding="utf-8")
    return folder


def _listed(capsys: pytest.CaptureFixture[str]) -> tuple[list[str], str]:
    assert main(["list", "--json"]) == 0
    out, err = capsys.readouterr()
    return [a["title"] for a in json.loads(out)["articles"]], err


def test_a_folder_of_clippings_is_the_library(
    clips: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(clips)
    titles, err = _listed(capsys)
    assert titles == ["Harbour Crane Operators Vote to Extend Night Shifts"]
    assert "samples" not in err
    assert (clips / STORE_DIRNAME).is_dir()  # created on first use
    assert main(["annotate", "--quote", "The union said the vote passed"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() and err == ""  # wrote to <folder>/.reader/: nothing to say
    assert Library.open(clips).annotations(Library.open(clips).articles()[0].id)


def test_the_tui_opens_the_folder_not_the_samples(
    clips: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(clips)
    library = Library.open(None, None, default=True)
    assert library.docs_root == clips.resolve()
    assert library.name == "clips"


def test_a_read_only_folder_keeps_finding_its_per_user_store(
    clips: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    private_user_data: Path,
) -> None:
    # the tests run as root, who writes everywhere: the folder's store cannot be made
    from reader.service import opening

    real = opening.writable_dir
    monkeypatch.setattr(
        opening, "writable_dir", lambda path: path.parent != clips.resolve() and real(path)
    )
    monkeypatch.chdir(tmp_path)
    assert main(["import", "clips"]) == 0
    err = capsys.readouterr().err
    fallback = fallback_store_dir(clips.resolve())
    assert str(fallback) in err and str(private_user_data) in str(fallback)
    assert not (clips / STORE_DIRNAME).exists()

    monkeypatch.chdir(clips)
    titles, err = _listed(capsys)
    assert titles == ["Harbour Crane Operators Vote to Extend Night Shifts"]
    assert main(["annotate", "--quote", "The union said the vote passed"]) == 0
    err = capsys.readouterr().err
    assert str(fallback) in err  # a write says where it went
    assert len(Library.open(clips).all_annotations()) == 1
    assert Library.open(None, None, default=True).name == "clips"
    # the folder can be written again: its notes stay put, and no notice says otherwise
    monkeypatch.setattr(opening, "writable_dir", real)
    again = Library.open(clips)
    assert again.store.root == fallback and len(again.all_annotations()) == 1
    assert again.notice is not None and "not writable" not in again.notice


def test_where_there_is_nothing_the_samples_say_so(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    private_user_data: Path,
) -> None:
    empty = tmp_path / "parent"
    (empty / "docs").mkdir(parents=True)
    (empty / "docs" / "harbour.txt").write_text(CLIPPING, encoding="utf-8")
    monkeypatch.chdir(empty)
    titles, err = _listed(capsys)
    assert len(titles) >= 5 and "samples" in err
    library = Library.open(None, None, default=True)
    assert library.docs_root == samples_path() and "samples" in library.name
    assert main(["annotate", "--quote", "eleven thousand people waiting"]) == 0
    out, err = capsys.readouterr()
    assert out.strip()  # the highlight's id; and the user is told it went to the samples
    assert "samples" in err and str(private_user_data) in err
    assert not (samples_path() / STORE_DIRNAME).exists()


def test_a_clone_with_a_readme_opens_its_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "clone"
    (clone / "seeds").mkdir(parents=True)
    (clone / "README.md").write_text("# project\n", encoding="utf-8")
    (clone / "seeds" / "harbour.txt").write_text(CLIPPING, encoding="utf-8")
    monkeypatch.chdir(clone)
    assert Library.open(None, None, default=True).docs_root == (clone / "seeds").resolve()


def test_a_folder_holding_a_store_opens_it(
    clips: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (clips / "seeds").mkdir()
    (clips / "harbour.txt").rename(clips / "seeds" / "harbour.txt")
    Library.open(clips).sync()  # a store in clips/, its documents in a subfolder
    monkeypatch.chdir(clips)
    assert Library.open(None, None, default=True).docs_root == clips.resolve()


def test_restore_looks_where_the_other_commands_do(
    clips: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(clips)
    _listed(capsys)
    assert main(["restore"]) == 0
    out = capsys.readouterr().out
    assert str(clips / STORE_DIRNAME) in out


def test_a_note_in_the_home_folder_does_not_make_home_a_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "todo.txt").write_text(CLIPPING, encoding="utf-8")
    monkeypatch.chdir(home)
    assert Library.open(None, None, default=True).docs_root == samples_path()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, None)),
        (["clips"], (Path("clips"), None)),
        (["--db", "store", "clips"], (Path("clips"), Path("store"))),
        (["clips", "--db", "store"], (Path("clips"), Path("store"))),
    ],
)
def test_the_tui_gets_the_folder_and_store_however_they_are_given(
    argv: list[str], expected: tuple[Path | None, Path | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reader` and `reader PATH` skip the parser; with options it parses them the same."""
    import importlib

    cli_main = importlib.import_module("reader.cli.main")  # the module, not the function
    opened: list[tuple[Path | None, Path | None]] = []
    monkeypatch.setattr(cli_main, "run_tui", lambda path, db: opened.append((path, db)) or 0)
    assert main(argv) == 0
    assert opened == [expected]


def test_an_empty_store_path_is_still_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", "", "clips"])
    assert exit_info.value.code == 2
    assert "an empty path is not a store folder" in capsys.readouterr().err


def test_a_folder_copied_with_its_store_keeps_its_articles_when_named_by_db(
    clips: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--db COPY/.reader import COPY` of a copied library: its documents are the same
    articles (they were named from the old folder, and all came in again as new ones)."""
    store = clips / STORE_DIRNAME
    assert main(["--db", str(store), "import", str(clips)]) == 0
    assert main(["--db", str(store), "annotate", "--quote", "The union said"]) == 0
    copy = tmp_path / "copy"
    shutil.copytree(clips, copy)
    capsys.readouterr()
    assert main(["--db", str(copy / STORE_DIRNAME), "import", str(copy)]) == 0
    assert "1 unchanged" in capsys.readouterr().out
    assert main(["--db", str(copy / STORE_DIRNAME), "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)["articles"]
    assert listed["path"] == "harbour.txt"
