"""The parser on 181 real article bodies (Scrapinghub ground truth): robust and lossless."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.parse_audit import unaccounted_lines
from reader.core.parser import parse_text

CORPUS = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "corpora"
    / "scrapinghub-ground-truth.json"
)


@pytest.fixture(scope="module")
def bodies() -> list[str]:
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    items = data.values() if isinstance(data, dict) else data
    return [str(item["articleBody"]) for item in items]


def test_every_body_parses_without_losing_a_line(bodies: list[str]) -> None:
    assert len(bodies) == 181
    for index, body in enumerate(bodies):
        articles = parse_text(body, f"{index}.txt")
        assert articles and all(a.title for a in articles), index
        assert unaccounted_lines(body, articles) == [], index


def test_bodies_stay_body_text(bodies: list[str]) -> None:
    """These are article bodies only: nearly every line must stay a paragraph."""
    lines = paragraphs = 0
    for index, body in enumerate(bodies):
        articles = parse_text(body, f"{index}.txt")
        lines += sum(1 for line in body.split("\n") if line.strip())
        paragraphs += sum(len(a.paragraphs) for a in articles)
    assert paragraphs >= 0.95 * lines


def test_pasted_tweets_are_recognised(bodies: list[str]) -> None:
    tweets = [
        embed
        for index, body in enumerate(bodies)
        for article in parse_text(body, f"{index}.txt")
        for embed in article.embeds
        if embed.kind == "tweet"
    ]
    assert len(tweets) >= 15
    for tweet in tweets:
        assert tweet.text and tweet.handle and tweet.author and tweet.date
        assert "(@" not in tweet.text  # the closing "— Name (@handle) date" line is parsed apart
