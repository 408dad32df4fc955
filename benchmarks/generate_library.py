"""A deterministic synthetic library of news clippings, for benchmarks.

Each clipping has the shape of a real one: a photo caption line, a headline, a date line
("January 14, 2025"), "Reprinted from <source>", 6-20 paragraphs of generated prose, and
sometimes a ``RELATED:`` block holding a second article (headline, teaser, date, source,
paragraphs). The prose is made from a fixed vocabulary by a seeded RNG, so the same
``--seed`` always gives byte-identical files (default 10,000 clippings, about 35 MB).

    python -m benchmarks.generate_library OUT_DIR [--n 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

SOURCES = (
    "The Algemeiner", "Crosswalk", "The Daily Ledger", "Harbor Times", "The Northern Post",
    "Evening Standard-Bearer", "Capital Wire", "The Weekly Review",
)  # fmt: skip
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
NAMES = (
    "Jalali", "Peskov", "Lavrov", "Laurie", "Foust", "Okafor", "Lindqvist", "Moreau",
    "Tanaka", "Haddad", "Novak", "Alvarez", "Kowalski", "Mensah", "Ivanova", "Brennan",
)  # fmt: skip
PLACES = (
    "Moscow", "Tehran", "Ashgabat", "Geneva", "Brussels", "Nairobi", "Lima", "Oslo",
    "Jakarta", "Ottawa", "Lisbon", "Seoul",
)  # fmt: skip
NOUNS = (
    "agreement", "treaty", "ministry", "parliament", "delegation", "sanctions", "economy",
    "alliance", "spokesman", "council", "report", "pipeline", "election", "budget", "summit",
    "investment", "border", "court", "market", "reform", "coalition", "agency", "official",
    "statement", "interview", "proposal", "negotiation", "region", "university", "campaign",
)  # fmt: skip
VERBS = (
    "said", "announced", "denied", "confirmed", "signed", "rejected", "warned", "reported",
    "welcomed", "criticised", "proposed", "ratified", "questioned", "expected", "described",
)  # fmt: skip
ADJECTIVES = (
    "comprehensive", "bilateral", "strategic", "long-awaited", "controversial", "regional",
    "economic", "military", "cultural", "new", "former", "senior", "international", "local",
)  # fmt: skip
INFINITIVES = (
    "sign", "reject", "ratify", "delay", "review", "expand", "fund", "oppose", "support", "revise",
)  # fmt: skip
LINKS = (
    "on Tuesday", "last week", "in recent months", "according to officials", "after the talks",
    "earlier this year", "in a statement", "for the next two decades",
)  # fmt: skip


@dataclass
class SyntheticArticle:
    """One generated article (the clipping's main piece or its RELATED piece)."""

    title: str
    date: str  # "January 14, 2025"
    source: str
    paragraphs: list[str]
    caption: str | None = None
    teaser: str | None = None


@dataclass
class SyntheticClipping:
    """One generated file: a main article and maybe a related one."""

    name: str  # path relative to the library root
    articles: list[SyntheticArticle] = field(default_factory=list)

    def text(self) -> str:
        """The clipping file's text, in the real clippings' line layout."""
        lines: list[str] = []
        for position, article in enumerate(self.articles):
            if position:
                lines.append("RELATED:")
            if article.caption:
                lines.append(article.caption)
            lines.append(article.title)
            if article.teaser:
                lines.append(article.teaser)
            lines.append(article.date)
            lines.append(f"Reprinted from {article.source}")
            lines.extend(article.paragraphs)
        return "\n".join(lines) + "\n"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(NAMES), rng.choice(VERBS), "that", "the", rng.choice(ADJECTIVES)]
    words += [rng.choice(NOUNS), "in", rng.choice(PLACES), "would"]
    words += [rng.choice(INFINITIVES), "the", rng.choice(NOUNS)]
    if rng.random() < 0.6:
        words += [rng.choice(LINKS)]
    if rng.random() < 0.3:
        words += ["and", "the", rng.choice(ADJECTIVES), rng.choice(NOUNS)]
    text = " ".join(words)
    if rng.random() < 0.2:
        text = f"“{text[0].upper()}{text[1:]},” {rng.choice(NAMES)} added"
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))


def _title(rng: random.Random) -> str:
    return (
        f"{rng.choice(PLACES)} {rng.choice(NOUNS).title()} to Last "
        f"{rng.randint(2, 40)} Years, {rng.choice(NAMES)} Says"
    )


def _date(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2019, 2025)}"


def _article(rng: random.Random, related: bool) -> SyntheticArticle:
    return SyntheticArticle(
        title=_title(rng),
        date=_date(rng),
        source=rng.choice(SOURCES),
        paragraphs=[_paragraph(rng) for _ in range(rng.randint(6, 20))],
        caption=None if related else f"{_sentence(rng)[:-1]}. Photo: {rng.choice(SOURCES)}",
        teaser=f"{_sentence(rng)[:-1]}…" if related else None,
    )


def clippings(n: int = 10_000, seed: int = 1) -> list[SyntheticClipping]:
    """``n`` clippings, about one in five with a RELATED article; same seed, same output."""
    rng = random.Random(seed)
    found = []
    for number in range(n):
        clip = SyntheticClipping(name=f"{number // 100:03d}/clip_{number:05d}.txt")
        clip.articles.append(_article(rng, related=False))
        if rng.random() < 0.2:
            clip.articles.append(_article(rng, related=True))
        found.append(clip)
    return found


def write_library(out: Path, n: int = 10_000, seed: int = 1) -> int:
    """Write the clippings under ``out``; returns the bytes written."""
    total = 0
    for clip in clippings(n, seed):
        path = out / clip.name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = clip.text().encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write the library into")
    parser.add_argument("--n", type=int, default=10_000, help="number of clippings")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    total = write_library(args.out, args.n, args.seed)
    elapsed = time.perf_counter() - started
    print(f"wrote {args.n} clippings, {total / 1e6:.1f} MB, to {args.out} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
