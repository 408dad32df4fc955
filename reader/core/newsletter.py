"""E-mail newsletters (``.eml``) to articles, with the standard library's ``email`` package.

The HTML part is read like a saved web page when there is one (newsletters are HTML first);
else the plain-text part. The subject is the title, the sender (their name, else their
address) the source, the ``Date`` header the date.
"""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime

from reader.core.clean import clean_text
from reader.core.models import Article, article_id_for
from reader.core.parser import MAX_BYTES, ParseError

__all__ = ["parse_eml_bytes", "text_paragraphs"]

#: the address of the newsletter's web version, when it links one (List-Archive, say)
_URL = re.compile(r"<(https?://[^>\s]+)>")


def parse_eml_bytes(data: bytes, name: str) -> list[Article]:
    """The article of a saved e-mail: raises :class:`ParseError` (one line) when it has no
    readable text part."""
    from reader.core.webpage import PageMeta, extract_article

    if len(data) > MAX_BYTES:
        raise ParseError(name, f"too large ({len(data) / 1e6:.1f} MB; the limit is 32 MB)")
    if b"\x00" in data[:8192]:
        raise ParseError(name, "binary file (not an e-mail)")
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as error:  # the parser is lenient; anything it raises means "not mail"
        raise ParseError(name, "not a readable e-mail") from error
    if not isinstance(message, EmailMessage) or not message.keys():
        raise ParseError(name, "not an e-mail (no headers)")
    title = _header(message, "subject")
    sender = _sender(message)
    date = _date(message)
    archive = _URL.search(_header(message, "list-archive") or "")
    meta = PageMeta(
        title=title, source=sender, date=date, url=archive.group(1) if archive else None
    )
    html = _part_text(message, "html")
    if html is not None and html.strip():
        try:
            article = extract_article(html, name, meta)
        except ParseError:
            article = None  # an HTML part with nothing extractable: try the text part
        if article is not None:
            return [article]
    plain = _part_text(message, "plain")
    if plain is None or not plain.strip():
        raise ParseError(name, "no text in the e-mail (neither an HTML nor a text part)")
    paragraphs = text_paragraphs(plain)
    if not paragraphs:
        raise ParseError(name, "no text in the e-mail (neither an HTML nor a text part)")
    return [
        Article(
            id=article_id_for(name, 0),
            title=title or paragraphs[0][:80],
            paragraphs=paragraphs,
            date=date,
            source=sender,
            path=name,
            url=meta.url,
        )
    ]


def text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text mail: blocks between blank lines, hard-wrapped lines of a
    block joined, the signature (after ``-- ``) left out."""
    text = clean_text(text)
    body = re.split(r"(?m)^--[ \t]*$", text, maxsplit=1)[0]
    paragraphs = []
    for block in re.split(r"\n\s*\n", body):
        line = " ".join(block.split())
        if line:
            paragraphs.append(line)
    return paragraphs


def _part_text(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return None
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError, KeyError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else None
    return content if isinstance(content, str) else None


def _header(message: EmailMessage, key: str) -> str | None:
    try:
        value = message.get(key)
    except (ValueError, IndexError, TypeError):  # a malformed header
        return None
    if value is None:
        return None
    line = " ".join(clean_text(str(value)).split())
    return line or None


def _sender(message: EmailMessage) -> str | None:
    raw = _header(message, "from")
    if not raw:
        return None
    display, address = parseaddr(raw)
    return display.strip() or address.strip() or raw


def _date(message: EmailMessage) -> str | None:
    raw = _header(message, "date")
    if not raw:
        return None
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
