"""Answers review cards from a subprocess, for the concurrency test of the daily review.

Usage: python -m tests.store._rater ROOT ANSWER ID...
Rates every id once with ANSWER through the service (each a locked read-modify-write of the
card) and prints ``ok <id>`` after each. With ANSWER ``loop`` it rates the ids over and over
(answers in turn) until it is killed, with fsync on (for the fault-injection test).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from reader.service.library import Library
from reader.service.review import DailyReview
from reader.store import Store, storage


def main() -> None:
    root, answer, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
    review = DailyReview(Library(Store(Path(root)), None))
    if answer == "loop":
        answers = itertools.cycle(("again", "hard", "good", "easy", "good"))
        for annotation_id in itertools.cycle(ids):
            review.rate(annotation_id, next(answers))
            print(f"ok {annotation_id}", flush=True)
    storage.SYNC = False  # locking is under test, not durability
    for annotation_id in ids:
        review.rate(annotation_id, answer)
        print(f"ok {annotation_id}", flush=True)


if __name__ == "__main__":
    main()
