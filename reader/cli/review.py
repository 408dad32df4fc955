"""``reader review``: today's review queue, and answers from the shell. No Textual here."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from reader.cli.commands import open_library
from reader.cli.errors import CliError, print_json
from reader.core.clean import terminal_safe

ANSWERS = ("again", "hard", "good", "easy")


def add_parser(sub: Any) -> None:
    """The ``review`` subcommand and its ``rate`` form."""
    p = sub.add_parser("review", help="today's review queue; rate ID ANSWER records an answer")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--query", metavar="Q", help="only highlights matching, e.g. 'tag:ideas'")
    p.add_argument("--view", metavar="NAME", help="only highlights of a saved view")
    p.add_argument(
        "--new-per-day",
        type=int,
        metavar="N",
        help="new highlights a day from now on (saved; default 10)",
    )
    actions = p.add_subparsers(dest="review_command", metavar="rate|resume")
    rate = actions.add_parser("rate", help="record an answer and print the next due date")
    rate.add_argument("id", metavar="ID", help="the highlight's id")
    rate.add_argument("answer", metavar="ANSWER", help="again, hard, good or easy")
    resume = actions.add_parser("resume", help="review a highlight you stopped reviewing again")
    resume.add_argument("id", metavar="ID", help="the highlight's id")


def _when(due: datetime, now: datetime) -> str:
    """``2026-12-03 (in 2 days)`` in local time."""
    day = due.astimezone().date()
    days = (day - now.astimezone().date()).days
    if days <= 0:
        return f"{day.isoformat()} (today)"
    return f"{day.isoformat()} (in {days} day{'s' * (days != 1)})"


def cmd_review(args: argparse.Namespace) -> int:
    """``reader review [--json] [--query Q]``, ``review rate ID ANSWER``, ``review resume ID``."""
    from reader.service.review import DailyReview

    library = open_library(args)
    review = DailyReview(library)
    if args.review_command == "rate":
        answer = args.answer.strip().lower()
        if answer not in ANSWERS:
            raise CliError(f"unknown answer {args.answer!r}: say again, hard, good or easy")
        due = review.rate(args.id, answer)
        print(f"next due {_when(due, datetime.now(UTC))}")
        return 0
    if args.review_command == "resume":
        if review.resume(args.id):
            print("back in the daily review")
        else:
            print("already in the daily review (it was not stopped)")
        return 0
    if args.new_per_day is not None:
        review.set_new_per_day(args.new_per_day)
    entries = review.queue(args.query, view=args.view)
    cards = [card for card in map(review.card, entries) if card is not None]
    if args.json:
        print_json(
            {
                "new_per_day": review.new_per_day(),
                "queue": [
                    {
                        "id": c.annotation.id,
                        "quote": c.annotation.quote,
                        "article_id": c.annotation.article_id,
                        "article": c.title,
                        "due": c.due,
                        "new": c.is_new,
                        "orphaned": c.orphaned,
                        "note": c.annotation.note,
                        "tags": c.annotation.tags,
                    }
                    for c in cards
                ],
            }
        )
        return 0
    if not cards:
        print("nothing to review today")
        return 0
    for c in cards:
        when = "new" if c.due is None else f"due {c.due[:10]}"
        quote = " ".join(c.annotation.quote.split())
        if len(quote) > 100:
            quote = quote[:99] + "…"
        flag = "  (orphaned: its passage is gone)" if c.orphaned else ""
        print(terminal_safe(f"{c.annotation.id}  {when:<14} “{quote}” — {c.title}{flag}"))
    return 0
