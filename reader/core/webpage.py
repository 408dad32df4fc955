"""Saved web pages (``.html``, ``.htm``, gzipped ``.html.gz``) to clean articles.

The article body, title, author, date and site name come from trafilatura (the best
open-source article extractor on the ScrapingHub benchmark); it is imported only when a page
is parsed, so opening the app never pays for it (~140 ms of imports). reader adds what a
saved clipping needs around it: decoding that survives wrong or missing charsets, a refusal
of binary or oversized files in one line, the page's own address (canonical link, og:url, or
the ``<!-- saved from url=... -->`` mark browsers and ``reader add`` write), and a small
clean-up of the extracted text (share buttons, "Advertisement" lines, newsletter pitches).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Any

from reader.core.clean import clean_text
from reader.core.models import Article, article_id_for
from reader.core.parser import WEB_SUFFIXES, ParseError

__all__ = [
    "MAX_HTML_BYTES",
    "MAX_TAGS",
    "PageMeta",
    "clean_paragraphs",
    "decode_html",
    "extract_article",
    "parse_html_bytes",
    "saved_from_url",
]

#: pages larger than this (after gunzip) are refused, as other documents are
MAX_HTML_BYTES = 32 * 1024 * 1024
#: ... and pages with more elements than this (a script's code not counted): extraction
#: time grows with the tree (~2.5 s for 100,000 tags); a long news page has under 10,000
MAX_TAGS = 100_000
#: an extraction shorter than this (words, or characters for unspaced scripts) is retried
#: with trafilatura's defaults
_MIN_WORDS = 40
_MIN_CHARS = 600

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_NOT_MARKUP = re.compile(r"<(script|style|svg)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[A-Za-z/!]")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_FETCHED = re.compile(r"<!--\s*reader: fetched (\S+)\s*-->", re.I)


@dataclass(slots=True)
class PageMeta:
    """What is known about a page besides its HTML (from an e-mail's headers, say)."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None


def _gunzip(data: bytes, name: str) -> bytes:
    try:
        # a bounded read: a small .gz can expand to gigabytes (a "zip bomb")
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = unpacker.decompress(data, MAX_HTML_BYTES + 1)
    except (zlib.error, EOFError, OSError) as error:
        raise ParseError(name, "not a readable gzip file") from error
    if len(out) > MAX_HTML_BYTES:
        raise ParseError(name, _too_large(None))
    if not unpacker.eof:
        raise ParseError(name, "not a readable gzip file (cut short)")
    return out


def _too_large(size: int | None) -> str:
    limit = f"the limit is {MAX_HTML_BYTES >> 20} MB"
    if size is None:
        return f"too large ({limit})"
    return f"too large ({size / 1e6:.1f} MB; {limit})"


def decode_html(data: bytes, name: str) -> str:
    """A page's text: its BOM, else UTF-8 when the bytes are UTF-8 (whatever the page
    declares: a wrong declaration is common, valid UTF-8 by accident is not), else the
    declared charset, else cp1252, else latin-1. Raises :class:`ParseError` for binary data.
    """
    from reader.core.parser import decode_text

    found = _META_CHARSET.search(data[:16384])
    declared = [found.group(1).decode("ascii", "replace")] if found else []
    return decode_text(data, name, kind="web page", charsets=declared)


def saved_from_url(text: str) -> tuple[str | None, str | None]:
    """The page address and fetch date written at the top of a saved page, if any.

    Browsers mark a saved page with ``<!-- saved from url=(0043)https://... -->``; ``reader
    add`` writes the same mark plus ``<!-- reader: fetched 2026-11-30T17:00:00+00:00 -->``.
    """
    head = text[:4096]
    url = _SAVED_FROM.search(head)
    fetched = _FETCHED.search(head)
    return (url.group(1) if url else None, fetched.group(1) if fetched else None)


def _looks_like_html(text: str) -> bool:
    head = text[:65536].lower()
    return "<" in head and any(t in head for t in ("<html", "<body", "<p", "<div", "<head"))


def parse_html_bytes(data: bytes, name: str, meta: PageMeta | None = None) -> list[Article]:
    """A saved page's article (one): raises :class:`ParseError` (one line) when the file is
    not a page, too large, or holds no article."""
    if data[:2] == b"\x1f\x8b":  # gzipped (a page.html.gz, or a server's raw bytes)
        data = _gunzip(data, name)
    if len(data) > MAX_HTML_BYTES:
        raise ParseError(name, _too_large(len(data)))
    text = decode_html(data, name)
    if not text.strip():
        raise ParseError(name, "empty page")
    if not _looks_like_html(text):
        raise ParseError(name, "not a web page (no HTML found)")
    # a script or style counts as one element whatever it holds ("<" in code is no tag)
    tags = len(_TAG.findall(_NOT_MARKUP.sub("<x>", text)))
    if tags > MAX_TAGS:
        raise ParseError(
            name, f"too large to read ({tags:,} HTML elements; the limit is {MAX_TAGS:,})"
        )
    return [extract_article(text, name, meta)]


def extract_article(html: str, name: str, meta: PageMeta | None = None) -> Article:
    """The article of a page's HTML text; ``meta`` fills what the page does not say."""
    meta = meta or PageMeta()
    saved_url, _fetched = saved_from_url(html)  # the fetch date is for people reading the file
    found = _extract(html, precise=True)
    if found is None or _too_short(found.get("text")):
        # favor_precision is right on most news pages but drops everything on a few
        # (short articles, unusual markup): the default settings keep those
        again = _extract(html, precise=False)
        if again is not None and _size(again.get("text")) > _size((found or {}).get("text")):
            found = again
    if found is None or not (found.get("text") or "").strip():
        raise ParseError(name, "no article found in the page")
    paragraphs = clean_paragraphs(found.get("text") or "")
    title = _one_line(meta.title) or _one_line(found.get("title")) or _title_from_name(name)
    titles = {t.casefold() for t in (title, _one_line(found.get("title"))) if t}
    if paragraphs and paragraphs[0].casefold() in titles:
        paragraphs = paragraphs[1:]  # the headline, shown as the title already
    if not _is_prose(paragraphs):
        # menus, a sign-in form, "Page not found": no article to read
        raise ParseError(name, "no article found in the page")
    # the page's own name for itself (canonical link, og:url) is the cleanest address (no
    # tracking parameters); where the page was saved from stands in
    url = meta.url or _web_address(found.get("url")) or saved_url
    source = _one_line(meta.source) or _one_line(found.get("sitename")) or _host(url)
    summary = _one_line(found.get("description"))
    if summary and paragraphs and summary in paragraphs[0]:
        summary = None  # the teaser is the first paragraph: no need to show it twice
    return Article(
        id=article_id_for(name, 0),
        title=title,
        paragraphs=paragraphs,
        date=meta.date or _iso_date(found.get("date")),
        source=source,
        author=_one_line(meta.author) or _one_line(found.get("author")),
        summary=summary,
        path=name,
        index=0,
        url=url,
    )


def _extract(html: str, *, precise: bool) -> dict[str, Any] | None:
    import trafilatura  # ~140 ms of imports: only when a page is parsed

    options: dict[str, Any] = {
        "include_comments": False,  # readers' comments are not the article
        "with_metadata": True,
        # a date the page states (metadata, a dated URL, a byline), never a guess from
        # "© 2025" or the newest date anywhere in the page: no date beats a wrong one
        "date_extraction_params": {"extensive_search": False, "original_date": True},
    }
    if precise:
        # fast: no second opinion from trafilatura's fallback extractors (justext,
        # readability): a third less time per page for 0.0004 of F1 on the benchmark
        options.update(favor_precision=True, fast=True)
    try:
        result = trafilatura.bare_extraction(html, **options)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None  # markup lxml cannot make a tree of: the caller says "no article"
    if result is None:
        return None
    return result if isinstance(result, dict) else result.as_dict()


def _is_prose(paragraphs: list[str]) -> bool:
    """Whether extracted paragraphs read as an article: one sentence-long paragraph at least,
    or a few short ones (a poem, a list). Measured in characters: Chinese and Japanese
    write no spaces between words."""
    return any(len(p) >= 40 for p in paragraphs) or sum(map(len, paragraphs)) >= 150


def _too_short(text: str | None) -> bool:
    return not text or (len(text.split()) < _MIN_WORDS and len(text) < _MIN_CHARS)


def _size(text: str | None) -> int:
    return len(text.strip()) if text else 0


# --- clean-up of the extracted text ---------------------------------------------------------

#: whole lines that are site furniture, not the article (compared case-folded, stripped of
#: trailing punctuation)
_FURNITURE = frozenset(
    {
        "advertisement",
        "advertising",
        "ad",
        "sponsored",
        "sponsored content",
        "story continues below advertisement",
        "continue reading below",
        "continue reading",
        "read more",
        "read more below",
        "share",
        "share this",
        "share this article",
        "share this story",
        "share on facebook",
        "share on twitter",
        "tweet",
        "email",
        "print",
        "comments",
        "related",
        "related articles",
        "related stories",
        "recommended",
        "most popular",
        "image",
        "photo",
        "close",
        "skip to content",
        "we're sorry, this feature is currently unavailable.",
    }
)
_FURNITURE_RE = re.compile(
    r"^(?:(?:click|tap) here to|sign up for|subscribe to (?:our|the)|follow (?:us|@)"
    r"|\[?(?:related|more|read more|see also|also read|recommended)\s*:"
    r"|you (?:may|might) also like|this article (?:was|is) (?:originally )?(?:published|reprinted)"
    r"|most (?:read|popular|shared) (?:in|on|from)\b|don.t miss\b|like this (?:story|article)\?"
    r"|copyright [©ⓒ]|[©ⓒ] ?\d{4}|all rights reserved)",
    re.I,
)
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def clean_paragraphs(text: str) -> list[str]:
    """The extracted text as paragraphs: one a line, spaces tidied, furniture lines dropped,
    repeated lines (a pull quote printed twice) kept once."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in clean_text(text).split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        key = line.casefold().rstrip(" .:!…")
        if key in _FURNITURE or (len(line) < 120 and _FURNITURE_RE.match(line)):
            continue
        if len(line) > 40 and key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def _one_line(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    line = " ".join(clean_text(value).split())
    return line or None


def _web_address(value: object) -> str | None:
    line = _one_line(value)
    return line if line and line.startswith(("http://", "https://")) else None


def _iso_date(value: object) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
        return value[:10]
    return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _title_from_name(name: str) -> str:
    stem = name.rsplit("/", 1)[-1]
    for suffix in WEB_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return stem.replace("-", " ").replace("_", " ").strip() or "Untitled page"
