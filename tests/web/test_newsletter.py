"""E-mail newsletters (.eml) become articles (reader.core.newsletter)."""

from __future__ import annotations

import textwrap
from email.message import EmailMessage

import pytest

from reader.core.parser import ParseError, parse_bytes
from tests.web.pages import LONG, small_page


def _mail(*, html: str | None = None, text: str | None = None, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.get("sender", '"Harbour Weekly" <news@harbour.example>')
    message["Subject"] = headers.get("subject", "Cranes work at night")
    message["Date"] = headers.get("date", "Tue, 04 Mar 2025 08:30:00 +0100")
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    if text is None and html is None:
        message.set_content(b"\x89PNG...", maintype="image", subtype="png")
    return message.as_bytes()


def test_the_html_part_is_read_like_a_page_with_the_headers_as_fields() -> None:
    data = _mail(text="A plain version nobody reads.", html=small_page("Web title", LONG))
    [article] = parse_bytes(data, "mail/cranes.eml")
    assert article.title == "Cranes work at night"
    assert article.source == "Harbour Weekly"
    assert article.date == "2025-03-04"
    assert article.paragraphs == LONG


def test_without_an_html_part_the_text_part_is_read_with_its_lines_joined() -> None:
    wrapped = "\n\n".join(textwrap.fill(p, 70) for p in ["Dear reader,", *LONG])
    data = _mail(text=wrapped + "\n\n-- \nHarbour Weekly, 1 Quay Street\n", sender="a@b.example")
    [article] = parse_bytes(data, "cranes.eml")
    assert article.source == "a@b.example"
    assert article.paragraphs == ["Dear reader,", *LONG]
    assert "Quay Street" not in article.text  # the signature


def test_a_mail_without_a_text_part_is_one_line_naming_it() -> None:
    with pytest.raises(ParseError, match=r"^only\.eml: no text in the e-mail"):
        parse_bytes(_mail(), "only.eml")


def test_a_file_that_is_not_mail_is_refused() -> None:
    with pytest.raises(ParseError, match=r"^x\.eml: "):
        parse_bytes(b"\x00\x01\x02binary", "x.eml")


def test_a_bad_date_header_leaves_the_date_empty() -> None:
    [article] = parse_bytes(_mail(text="\n\n".join(LONG), date="someday soon"), "d.eml")
    assert article.date is None and article.title == "Cranes work at night"


def test_an_html_part_without_an_article_gives_way_to_the_text_part() -> None:
    html = "<html><body><a href='https://x.example/web'>View in your browser</a></body></html>"
    [article] = parse_bytes(_mail(text="\n\n".join(LONG), html=html), "m.eml")
    assert article.paragraphs == LONG
