"""The sample library: seeds/ and the copy shipped in reader/samples/ parse as intended."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.parse_audit import unaccounted_lines
from reader.core.parser import parse_file

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SAMPLES = ROOT / "reader" / "samples"
DOCUMENTS = sorted(p.name for p in SEEDS.iterdir() if p.is_file())


def _parse(name: str) -> list:
    return parse_file(SEEDS / name)


def test_samples_are_an_exact_copy_of_seeds() -> None:
    shipped = sorted(p.name for p in SAMPLES.iterdir() if p.is_file())
    assert shipped == DOCUMENTS
    for name in DOCUMENTS:
        assert (SAMPLES / name).read_bytes() == (SEEDS / name).read_bytes(), name


def test_there_is_a_real_library() -> None:
    assert len(DOCUMENTS) >= 6
    assert any(name.endswith(".md") for name in DOCUMENTS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_sample_parses_into_titled_articles_with_paragraphs(name: str) -> None:
    articles = _parse(name)
    assert articles
    for article in articles:
        assert article.title and article.date
        assert len(article.paragraphs) >= 6
        assert all("\n" not in p and "\r" not in p for p in article.paragraphs)
    if not name.endswith(".md"):  # Markdown drops link targets by design
        text = (SEEDS / name).read_bytes().decode("utf-8")
        assert unaccounted_lines(text, articles) == []


def test_city_trams_has_a_related_article_with_teaser_and_bio() -> None:
    main, related = _parse("001_city-trams.txt")
    assert main.caption is not None and main.caption.endswith(
        "Photo: Marta Lindqvist/The Alder Ledger"
    )
    assert main.source == related.source == "The Alder Ledger"
    assert related.related_to == main.id
    assert related.summary is not None and related.paragraphs[0].startswith(related.summary[:-1])
    assert related.author == "Tomas Reyes"
    assert related.boilerplate[-1] == "Leave A Comment"
    assert len(main.paragraphs) == 9 and len(related.paragraphs) == 6


def test_octopus_hard_wrapped_paragraphs_are_joined() -> None:
    (article,) = _parse("002_octopus-nursery.txt")
    assert article.author == "Ines Okafor" and article.date == "2025-01-14"
    assert len(article.paragraphs) == 10
    assert article.paragraphs[0].endswith("in water as warm as a summer bath.")
    assert "Advertisement" in article.boilerplate
    assert all(not p.startswith("Click to share") for p in article.paragraphs)


def test_night_market_has_two_related_articles() -> None:
    main, first, second = _parse("003_night-market.txt")
    assert first.related_to == second.related_to == main.id
    assert [a.date for a in (main, first, second)] == ["2025-06-21", "2024-07-02", "2023-10-12"]
    assert main.source == "The Riverside Courier"


def test_marathon_tweet_link_and_bio() -> None:
    (article,) = _parse("004_harbour-marathon.txt")
    kinds = [e.kind for e in article.embeds]
    assert kinds == ["tweet", "link", "bio"]
    tweet = article.embeds[0]
    assert tweet.handle == "amara_runs" and tweet.author == "Amara Osei"
    assert tweet.text.startswith("What a day!!") and tweet.date == "2025-04-27"
    assert article.author == "Jonas Whitfield"
    assert article.paragraphs[-1].endswith("line:")
    assert article.boilerplate == ["Share this:", "Related Posts", "Comments"]


def test_markdown_keyboard() -> None:
    (article,) = _parse("005_listening-keyboard.md")
    assert article.title == "The Keyboard That Learned to Listen"
    assert (article.date, article.author, article.source) == (
        "2025-02-18",
        "Keiko Tanabe",
        "The Workbench Review",
    )
    assert article.caption is not None and article.caption.startswith("A prototype")
    assert article.summary is not None and article.summary.startswith("A small team")
    assert "How it works" in article.paragraphs
    assert not any("**" in p or "*teh*" in p for p in article.paragraphs)


def test_seed_library_crlf_file() -> None:
    data = (SEEDS / "006_seed-library.txt").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 10
    (article,) = _parse("006_seed-library.txt")
    assert article.title == "A Library Where You Can Borrow Tomatoes"
    assert article.caption is not None and article.caption.startswith("Volunteers sort envelopes")
    assert article.author == "Hanna Berg and Luis Moreno"
    assert article.date == "2024-10-05" and article.source == "Greenway Weekly"
    assert len(article.paragraphs) == 9
    assert article.boilerplate[:2] == ["Subscribe to our newsletter", "Advertisement"]


def test_lighthouse_inline_photo_and_related_link_stay_out_of_the_body() -> None:
    (article,) = _parse("007_last-lighthouse-keeper.txt")
    assert [e.kind for e in article.embeds] == ["image", "link"]
    assert article.date == "2025-01-30" and article.boilerplate == ["Updated Feb. 1, 2025"]
    assert len(article.paragraphs) == 6
