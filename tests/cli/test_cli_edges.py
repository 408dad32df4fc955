"""Arguments, store files and export files at their edges (issue 14): one line, never a
traceback, never a temporary file named or left behind."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import ROOT, SEED_FILE
from tests.store.make_v1_fixture import FIXTURE


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("READER_DB", raising=False)
    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "seed.txt")
    store = tmp_path / "store"
    assert main(["--db", str(store), "import", str(folder)]) == 0
    assert main(["--db", str(store), "annotate", "--quote", "Iran", "--article", "Pact"]) == 0
    return store


# --- arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["annotate"], ["export", "--format", "x"], ["--bogus"], ["list", "--tag"], ["--db", ""]],
)
def test_usage_errors_are_one_line_with_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(argv)  # caught after argparse (annotate: no --quote and no --article)
    except SystemExit as exited:  # argparse's own
        code = int(exited.code or 0)
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("reader: error: ") and err.count("\n") == 1
    assert "--help)" in err


def test_tag_without_an_article_names_only_what_is_required(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``tag ARTICLE [T]...``: the tags are optional (none shows them); the error said
    "required: ARTICLE, T"."""
    with pytest.raises(SystemExit) as exited:
        main(["tag"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "required: ARTICLE (see reader tag --help)" in err


def test_an_empty_db_never_makes_the_current_folder_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["--db", "", "list"])
    assert "empty path" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_non_utf8_byte_in_a_note_is_stored_as_a_replacement_character(db: Path) -> None:
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"reader.cli", b"--db", str(db).encode(), b"annotate",
         b"--quote", b"Iran", b"--article", b"Pact", b"--note", b"caf\xff", b"--tag", b"t\xfe"],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(
        subprocess.run(
            [sys.executable, "-m", "reader.cli", "--db", str(db), "show", "Pact", "--json"],
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
        ).stdout
    )
    assert [a["note"] for a in shown["annotations"]][-1] == "caf\ufffd"
    assert shown["annotations"][-1]["tags"] == ["t\ufffd"]


# --- store files --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["two", None, True])
def test_a_bad_schema_value_names_the_file(
    db: Path, value: object, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = json.loads((db / "meta.json").read_text())
    for record in meta["store"].values():
        record["value"] = value
    (db / "meta.json").write_text(json.dumps(meta))
    capsys.readouterr()
    assert main(["--db", str(db), "list"]) == 1
    err = capsys.readouterr().err
    assert f"{db / 'meta.json'}" in err and "schema_version" in err and "unexpected" not in err


def test_a_v1_store_with_a_bad_record_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "old"
    shutil.copytree(FIXTURE, root)
    data = json.loads((root / "reader.json").read_text())
    first = next(iter(data["annotations"]))
    data["annotations"][first]["start"] = "not a number"
    (root / "reader.json").write_text(json.dumps(data))
    assert main(["--db", str(root), "list"]) == 1
    err = capsys.readouterr().err
    assert f"{root / 'reader.json'}" in err and "unexpected" not in err
    assert (root / "reader.json").exists()  # left as it was


def test_a_store_that_cannot_be_locked_with_a_leftover_marker_can_still_be_listed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (db / "pending").mkdir(exist_ok=True)
    (db / "pending" / "123-abcd.json").write_text('{"articles": ["x"]}')
    # as root a read-only folder can still be written: a folder where the lock file should
    # be makes the lock fail the same way (open() of the lock file fails)
    (db / "store.lock").unlink()
    (db / "store.lock").mkdir()
    capsys.readouterr()
    assert main(["--db", str(db), "list"]) == 0
    assert "Pact" in capsys.readouterr().out


# --- export files -------------------------------------------------------------------


def test_markdown_output_to_a_new_folder_creates_it(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "newdir"
    assert main(["--db", str(db), "export", "--format", "markdown", "--output", f"{out}/"]) == 0
    assert out.is_dir() and len(list(out.glob("*.md"))) == 1


def test_one_file_formats_refuse_a_folder(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "export", "--output", f"{tmp_path}/new/"]) == 1
    err = capsys.readouterr().err
    assert "names a folder" in err and not (tmp_path / "new").exists()


def test_exports_follow_the_umask_and_keep_an_existing_mode(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    old = os.umask(0o022)
    try:
        assert main(["--db", str(db), "export", "--output", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)
        assert main(["--db", str(db), "export", "--output", str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clips", "out.json", "store"]


def test_errors_name_the_output_never_a_temporary_file(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "export", "--output", "/proc/x.json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("reader: /proc/x.json: ") and ".tmp" not in err


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="Linux O_TMPFILE")
def test_an_export_killed_while_writing_leaves_no_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    script = (
        "import os, signal, sys\n"
        "from reader.cli import main\n"
        "os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        "main(['--db', sys.argv[1], 'export', '--output', sys.argv[2]])\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(db), str(out / "out.json")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert killed.returncode == -9
    assert list(out.iterdir()) == []
