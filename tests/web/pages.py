"""Web pages for the tests: real corpus pages and small hand-made ones."""

from __future__ import annotations

import gzip
import json
from functools import cache

from tests.conftest import CORPORA

PAGES = CORPORA / "scrapinghub-html"
#: a VentureBeat page: canonical URL, site name, date and author in its metadata
VENTUREBEAT = "06e5123e4ef7cfb4533250dc45d1e03d0838fc66223f45c583c4d12f48b4da85"
SLASHGEAR = "06ee193de4bd611f7fafbab0c59b0f6fe3495093516720632cd093b24c7a0e98"


@cache
def truth() -> dict[str, dict[str, str]]:
    """The ground truth of the corpus (key -> articleBody, url)."""
    return json.loads((CORPORA / "scrapinghub-ground-truth.json").read_text(encoding="utf-8"))


def page(key: str) -> bytes:
    """A corpus page, unzipped."""
    return gzip.decompress((PAGES / f"{key}.html.gz").read_bytes())


def small_page(title: str, paragraphs: list[str], *, head: str = "", charset: str = "") -> str:
    """A minimal article page."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>© 2025 The Example Post. All rights reserved.</footer></body></html>"
    )


LONG = [
    "The harbour authority voted on Monday to extend the night shifts of its crane operators "
    "after two weeks of talks with the union, which had asked for the change since spring.",
    "Shipping lines welcomed the decision, saying it would shorten the waiting times of the "
    "container ships that anchor outside the breakwater for days before they can unload.",
    "The new schedule starts in March and will be reviewed after six months, when the "
    "authority publishes the figures of the first season under the extended shifts.",
]
