"""Two processes answering review cards at once: every answer lands on its card."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

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


def assert_partitions_match_cards(store: Store) -> None:
    """Every live highlight sits in exactly the partition its card says (new if none)."""
    due = store.due_cards("9999-12-31")
    fresh = list(store.new_highlights())
    placed = [i for _, i, _ in due] + [i for *_, i in fresh]
    assert len(placed) == len(set(placed))
    for annotation_id in store.live_highlights():
        card = store.get_card(annotation_id)
        if card is None:
            assert annotation_id in {i for *_, i in fresh}
        elif card.get("suspended"):
            assert annotation_id not in placed
        else:
            assert (card["due"], annotation_id) in {(d, i) for d, i, _ in due}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_raters_killed_at_random_points_lose_no_acknowledged_answer(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store = Store(root)
    ids = [f"h{n}" for n in range(12)]
    store.put_annotations(
        [Annotation(id=i, article_id=f"art{n % 3}", quote="q", start=n, end=n + 1)
         for n, i in enumerate(ids)]
    )  # fmt: skip
    rng = random.Random(20261130)
    acked: Counter[str] = Counter()
    for round_no in range(16):
        rater = subprocess.Popen(
            [sys.executable, "-m", "tests.store._rater", str(root), "loop", *ids],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert rater.stdout is not None
        lines = [rater.stdout.readline()]  # it is rating...
        time.sleep(rng.uniform(0.0, 0.3))  # ...kill it at a random point
        os.kill(rater.pid, signal.SIGKILL)
        rater.wait(timeout=30)
        lines += rater.stdout.readlines()
        acked.update(line.split()[1] for line in lines if line.startswith("ok "))
        reopened = Store(root)  # recovers what the dead writer left
        for path in root.rglob("*.json"):
            json.loads(path.read_text(encoding="utf-8"))
        reviews = {i: (reopened.get_card(i) or {}).get("reviews", 0) for i in ids}
        # every acknowledged answer landed; at most the one in flight landed unacknowledged
        assert all(reviews[i] >= acked[i] for i in ids), round_no
        assert sum(reviews.values()) <= sum(acked.values()) + round_no + 1
        reopened.update_card("h0", lambda card: card)  # a write runs recovery first
        assert_partitions_match_cards(reopened)
        assert list((root / "pending").glob("*")) == []
