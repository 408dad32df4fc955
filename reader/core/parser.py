"""The clipping parser: bytes or text in, :class:`Article` objects out.

A clipping is what a person pasted from a news site: an optional photo caption, a headline,
a date, a "Reprinted from X" line, the paragraphs, and then whatever the page carried along
(an embedded tweet, a video title, the author's bio, "Leave A Comment"). "RELATED:" lines
start further articles in the same file. The parser reads it like a careful editor would:
nothing is silently lost; what is not body text goes into the field it belongs to, or into
``Article.boilerplate`` when it is site furniture.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from reader.core.clean import clean_text
from reader.core.dates import find_date, is_date_line
from reader.core.models import Article, Embed, article_id_for
from reader.core.parse_body import fill_body
from reader.core.parse_rules import (
    byline_of,
    has_photo_credit,
    is_boilerplate,
    is_teaser,
    is_titleish,
    marker_rest,
    source_of,
)
from reader.core.parse_units import MarkdownMeta, Unit, markdown_units, text_units

__all__ = [
    "EMAIL_SUFFIXES",
    "MARKDOWN_SUFFIXES",
    "MAX_BYTES",
    "WEB_SUFFIXES",
    "ParseError",
    "parse_bytes",
    "parse_file",
    "parse_text",
]

#: files larger than this are refused (a clipping is a few kilobytes; this is a safety net)
MAX_BYTES = 32 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: saved web pages (reader.core.webpage) and e-mails (reader.core.newsletter)
WEB_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
EMAIL_SUFFIXES = (".eml",)
#: how many units at the top of an article may hold its header (caption, title, teaser, date)
_HEADER_WINDOW = 6


class ParseError(Exception):
    """A document that cannot be read; ``str()`` is one line: ``"<name>: <reason>"``."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


# --- bytes to text --------------------------------------------------------------------------


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a document: UTF-16 if it has that BOM, else UTF-8 (BOM dropped), else cp1252,
    else latin-1. Raises :class:`ParseError` for oversized or binary data."""
    if len(data) > MAX_BYTES:
        raise ParseError(name, f"too large ({len(data) / 1e6:.1f} MB; the limit is 32 MB)")
    return decode_text(data, name)


def decode_text(data: bytes, name: str, *, kind: str = "text", charsets: Sequence[str] = ()) -> str:
    """Text from bytes: UTF-16 when it has that BOM, else UTF-8 (its BOM dropped), else each
    of ``charsets`` (a page's declared one), else cp1252, else latin-1. Raises
    :class:`ParseError` for binary data (``kind`` names what it should have been)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ParseError(name, f"undecodable UTF-16 {kind}") from error
    if b"\x00" in data[:8192]:
        raise ParseError(name, f"binary file (not {'text' if kind == 'text' else 'a ' + kind})")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", *charsets, "cp1252"):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")  # every byte is a latin-1 character


def parse_bytes(data: bytes, name: str) -> list[Article]:
    """Parse a document's raw bytes; ``name`` is its library-relative path (used in ids).

    Saved web pages and e-mails (by their suffix) go to their own readers, loaded only then.
    """
    lower = name.lower()
    if lower.endswith(WEB_SUFFIXES):
        from reader.core.webpage import parse_html_bytes

        return parse_html_bytes(data, name)
    if lower.endswith(EMAIL_SUFFIXES):
        from reader.core.newsletter import parse_eml_bytes

        return parse_eml_bytes(data, name)
    return parse_text(decode_bytes(data, name), name)


def parse_file(path: Path, name: str | None = None) -> list[Article]:
    """Parse the file at ``path``; ``name`` defaults to the file's name."""
    name = name if name is not None else path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ParseError(name, "too large (the limit is 32 MB)")
        data = path.read_bytes()
    except OSError as error:
        raise ParseError(name, f"cannot read ({error.strerror or type(error).__name__})") from error
    return parse_bytes(data, name)


# --- text to articles -----------------------------------------------------------------------


@dataclass(slots=True)
class _Segment:
    units: list[Unit] = field(default_factory=list)
    marker: str | None = None  # the "RELATED:" line that opened it


def parse_text(text: str, name: str) -> list[Article]:
    """Parse a document's text into one article, plus one per "RELATED:" block.

    Raises :class:`ParseError` only when there is no text at all.
    """
    text = clean_text(text)
    if not text.strip():
        raise ParseError(name, "empty document")
    meta: MarkdownMeta | None = None
    if name.lower().endswith(MARKDOWN_SUFFIXES):
        meta, units = markdown_units(text)
    else:
        units = text_units(text)
    articles: list[Article] = []
    for segment in _split(units):
        article = Article(
            id=article_id_for(name, len(articles)),
            title="",
            paragraphs=[],
            path=name,
            index=len(articles),
        )
        if segment.marker is not None:
            article.boilerplate.append(segment.marker)
        if meta is not None and not articles:
            _apply_front_matter(article, meta)
        _fill(article, segment.units, name)
        articles.append(article)
    if not articles:  # e.g. a Markdown file holding nothing but a rule or an empty image
        article = Article(id=article_id_for(name, 0), title="", paragraphs=[], path=name)
        if meta is not None:
            _apply_front_matter(article, meta)
        article.title = article.title or _title_from_name(name)
        articles.append(article)
    for article in articles[1:]:
        article.related_to = articles[0].id
    return articles


def _split(units: list[Unit]) -> list[_Segment]:
    """Cut the units at "RELATED:"-style markers that really open another article."""
    substantive_after = [False] * (len(units) + 1)
    for k in range(len(units) - 1, -1, -1):
        substantive_after[k] = substantive_after[k + 1] or not is_boilerplate(units[k].text)
    segments: list[_Segment] = []
    current = _Segment()
    for k, unit in enumerate(units):
        rest = marker_rest(unit.text) if unit.hint != "code" else None
        if rest is None:
            current.units.append(unit)
        elif rest == "":
            if substantive_after[k + 1]:
                segments.append(current)
                current = _Segment(marker=unit.text)
            else:  # "RELATED:" with nothing after it: page furniture
                current.units.append(Unit(unit.text, "boilerplate"))
        elif any(_is_furniture(u.text) for u in units[k + 1 : k + 4]):
            segments.append(current)
            current = _Segment([Unit(rest, "title")], marker=unit.text)
        else:  # an inline "Related: <headline>" link inside the story
            current.units.append(Unit(unit.text, "link"))
    segments.append(current)
    return [s for s in segments if s.units]


def _is_furniture(text: str) -> bool:
    """Header furniture: a date line, a byline or a source line."""
    return is_date_line(text) or byline_of(text) is not None or source_of(text) is not None


def _fill(article: Article, units: list[Unit], name: str) -> None:
    start = _header(article, units)
    fill_body(article, units[start:])
    if not article.title:
        article.title = (
            _derive_title(article.paragraphs[0]) if article.paragraphs else _title_from_name(name)
        )


def _header(article: Article, units: list[Unit]) -> int:
    """Fill caption/title/summary/date/source/author from the top; return where the body starts."""
    i = 0
    while i < len(units) and (
        units[i].hint == "boilerplate" or (units[i].hint is None and is_boilerplate(units[i].text))
    ):
        article.boilerplate.append(units[i].text)
        i += 1
    window = units[i : i + _HEADER_WINDOW]
    titled = next((k for k, u in enumerate(window) if u.hint == "title"), None)
    furniture = next(
        (k for k, u in enumerate(window) if u.hint is None and _is_furniture(u.text)), None
    )
    if titled is not None:
        _classify_header([u.text for u in window[:titled]], article, caption_only=True)
        if article.title and article.title != window[titled].text:  # front matter said otherwise
            article.boilerplate.append(f"title: {article.title}")
        article.title = window[titled].text
        i += titled + 1
        if i < len(units) and units[i].hint == "dek":
            article.summary = units[i].text
            i += 1
    elif (
        furniture is not None
        and furniture <= 4
        and all(len(u.text) <= 1200 for u in window[:furniture])
    ):
        _classify_header([u.text for u in window[:furniture]], article)
        i += furniture
    elif _starts_with_caption(units, i):
        article.caption = units[i].text
        i += 1
    i = _furniture_run(article, units, i)
    # no furniture above it: the headline is the first short line
    if (
        not article.title
        and i + 1 < len(units)
        and units[i].hint is None
        and is_titleish(units[i].text)
    ):
        article.title = units[i].text
        i = _furniture_run(article, units, i + 1)
    if i + 1 < len(units) and is_teaser(units[i].text) and not article.summary:
        stem = units[i].text.rstrip(".…").strip()[:60]
        if stem and units[i + 1].text.startswith(stem):
            article.summary = units[i].text
            i += 1
    return i


def _starts_with_caption(units: list[Unit], i: int) -> bool:
    """Unit ``i`` is a photo caption with its credit, above the rest of the article.

    Without a credit, a sentence above a headline is only taken for a caption when a date or
    byline confirms the header (see :func:`_classify_header`): in article bodies an opening
    paragraph is often followed by a Title Case subheading, and must stay body text.
    """
    return i + 1 < len(units) and units[i].hint is None and has_photo_credit(units[i].text)


def _classify_header(lines: list[str], article: Article, caption_only: bool = False) -> None:
    """Header lines above the date: photo captions, the headline, then a teaser or dek."""
    captions = [line for line in lines if has_photo_credit(line)]
    rest = [line for line in lines if not has_photo_credit(line)]
    if not caption_only and rest and article.title:  # the front matter named the title
        article.summary = " ".join([article.summary, *rest] if article.summary else rest)
    elif not caption_only and rest:
        title_at = next((k for k, line in enumerate(rest) if is_titleish(line)), 0)
        captions += rest[:title_at]
        article.title = rest[title_at]
        if rest[title_at + 1 :]:
            article.summary = " ".join(rest[title_at + 1 :])
    elif rest:
        captions += rest
    if captions:
        article.caption = " ".join([article.caption, *captions] if article.caption else captions)


def _furniture_run(article: Article, units: list[Unit], i: int) -> int:
    """Consume the date/byline/source/caption lines right under the headline."""
    while i < len(units) and units[i].hint in (None, "caption"):
        text = units[i].text
        byline = byline_of(text)
        source = source_of(text)
        if units[i].hint == "caption" or (has_photo_credit(text) and len(text) <= 600):
            if article.caption:
                article.embeds.append(Embed(kind="image", text=text))
            else:
                article.caption = text
        elif is_date_line(text):
            if article.date:
                article.boilerplate.append(text)  # a second ("Updated …") date
            else:
                article.date = find_date(text)
        elif byline is not None:
            if article.author:
                article.boilerplate.append(text)
            else:
                article.author = byline.author + (f", {byline.extra}" if byline.extra else "")
                if byline.date and article.date and byline.date != article.date:
                    article.boilerplate.append(text)  # keep the second date it carried
                article.date = article.date or byline.date
        elif source is not None:
            if article.source or not text.rstrip(" .").endswith(source):
                article.boilerplate.append(text)  # a second source, or words beyond the name
            article.source = article.source or source
        else:
            break
        i += 1
    return i


_FIRST_SENTENCE = re.compile(r"(.{8,120}?[.!?…])(?:\s|$)")


def _derive_title(paragraph: str) -> str:
    """A title for an article without a headline: its first sentence, shortened."""
    match = _FIRST_SENTENCE.match(paragraph[:400])
    if match is not None:
        return match.group(1)
    if len(paragraph) <= 100:
        return paragraph
    cut = paragraph.rfind(" ", 0, 100)
    return paragraph[: cut if cut > 40 else 100].rstrip() + "…"


def _title_from_name(name: str) -> str:
    stem = PurePosixPath(name).stem
    return stem.replace("_", " ").replace("-", " ").strip() or name


def _apply_front_matter(article: Article, meta: MarkdownMeta) -> None:
    """Start the first article from a Markdown file's front matter (the body may add to it)."""
    fields = meta.fields
    article.title = fields.get("title", "")
    if fields.get("date"):
        article.date = find_date(fields["date"])
        if article.date is None:  # unreadable: keep what it said
            article.boilerplate.append(f"date: {fields['date']}")
    article.author = fields.get("author")
    article.source = fields.get("source")
    article.caption = fields.get("caption")
    article.summary = fields.get("summary") or fields.get("description")
    article.boilerplate.extend(meta.unknown)
