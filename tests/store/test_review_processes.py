"""Two processes answering review cards at once: every answer lands on its card."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.core.models import Annotation
from reader.store import Store, storage

REPO = Path(__file__).resolve().parents[2]


def test_two_processes_rating_at_once_lose_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(storage, "SYNC", False)
    root = tmp_path / "store"
    store = Store(root)
    ids = [f"h{n}" for n in range(60)]
    store.put_annotations(
        [
            Annotation(id=i, article_id=f"art{n % 4}", quote="q", start=n, end=n + 1)
            for n, i in enumerate(ids)
        ]
    )
    # both rate every highlight (the same cards, the same card buckets), in opposite orders
    raters = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.store._rater", str(root), answer, *order],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for answer, order in (("good", ids), ("easy", ids[::-1]))
    ]
    for rater in raters:
        out, err = rater.communicate(timeout=120)
        assert rater.returncode == 0, err
        assert out.count("ok ") == len(ids)
    reopened = Store(root)
    for annotation_id in ids:
        card = reopened.get_card(annotation_id)
        assert card is not None
        assert card["reviews"] == 2  # neither answer overwrote the other
        assert card["last_answer"] in ("good", "easy")
    # each highlight sits in exactly one due partition, the one of its card's due day
    due = reopened.due_cards("9999-12-31")
    assert sorted(i for _, i, _ in due) == sorted(ids)
    assert all(when == reopened.get_card(i)["due"] for when, i, _ in due)  # type: ignore[index]
    assert list(reopened.new_highlights()) == []
