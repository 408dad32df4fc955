"""``reader review``: today's queue from the shell, and answers that print the next due date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from tests.cli.test_cli import library  # noqa: F401 - the fixture


def _reader(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:  # noqa: F811
    store = tmp_path / "store"
    assert main(["--db", str(store), "import", str(library)]) == 0
    for quote, tag in (
        ("Crane operators at the eastern harbour voted", "ports"),
        ("The union said the vote passed", "unions"),
    ):
        assert main(["--db", str(store), "annotate", "--quote", quote, "--tag", tag]) == 0
    capsys.readouterr()
    return store


def test_review_lists_the_queue_and_rate_prints_the_next_due_date(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _reader(db, capsys, "review")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and "new" in lines[0]
    assert "“Crane operators at the eastern harbour voted”" in lines[0]
    assert "Harbour Crane Operators Vote to Extend Night Shifts" in lines[0]
    first = lines[0].split()[0]
    code, out, _ = _reader(db, capsys, "review", "rate", first, "good")
    assert code == 0 and out.startswith("next due ") and "(in 2 days)" in out
    code, out, _ = _reader(db, capsys, "review", "--json")
    queue = json.loads(out)["queue"]
    assert [q["id"] for q in queue] != [] and first not in [q["id"] for q in queue]
    assert set(queue[0]) >= {"id", "quote", "article", "due"}


def test_review_query_and_new_per_day(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _reader(db, capsys, "review", "--json", "--query", "tag:unions")
    assert [q["quote"] for q in json.loads(out)["queue"]] == ["The union said the vote passed"]
    code, out, _ = _reader(db, capsys, "review", "--new-per-day", "0")
    assert code == 0 and out.strip() == "nothing to review today"
    code, out, _ = _reader(db, capsys, "review", "--json")
    assert json.loads(out) == {"new_per_day": 0, "queue": []}


def test_review_resume_brings_back_a_stopped_highlight(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.service.library import Library
    from reader.service.review import DailyReview

    code, out, _ = _reader(db, capsys, "review", "--json")
    first = json.loads(out)["queue"][0]["id"]
    DailyReview(Library.open(db, db)).suspend(first)  # x in the review
    code, out, _ = _reader(db, capsys, "review", "--json")
    assert first not in [q["id"] for q in json.loads(out)["queue"]]
    code, out, _ = _reader(db, capsys, "review", "resume", first)
    assert code == 0 and out.strip() == "back in the daily review"
    code, out, _ = _reader(db, capsys, "review", "--json")
    assert first in [q["id"] for q in json.loads(out)["queue"]]
    code, out, _ = _reader(db, capsys, "review", "resume", first)
    assert out.strip() == "already in the daily review (it was not stopped)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("review", "rate", "nope", "good"), "reader: no highlight nope"),
        (("review", "resume", "nope"), "reader: no highlight nope"),
        (("review", "--query", "tag:"), "reader: bad query"),
        (("review", "--view", "Missing"), "reader: no saved view named 'Missing'"),
    ],
)
def test_review_errors_are_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = _reader(db, capsys, *args)
    assert code == 1 and err.startswith(message) and len(err.strip().splitlines()) == 1


def test_an_unknown_answer_is_one_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _reader(db, capsys, "review", "--json")
    first = json.loads(out)["queue"][0]["id"]
    code, _, err = _reader(db, capsys, "review", "rate", first, "maybe")
    assert (
        code == 1 and err.strip() == "reader: unknown answer 'maybe': say again, hard, good or easy"
    )
