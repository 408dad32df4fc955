"""Saved web pages become clean articles (reader.core.webpage)."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.parser import ParseError, parse_bytes
from reader.core.webpage import clean_paragraphs, decode_html, parse_html_bytes
from tests.web.pages import LONG, SLASHGEAR, VENTUREBEAT, page, small_page, truth

HEAD = (
    '<link rel="canonical" href="https://example.com/harbour">'
    '<meta property="og:site_name" content="The Example Post">'
    '<meta name="author" content="Ann Lee">'
    '<meta property="article:published_time" content="2025-03-04T10:00:00Z">'
)


def test_a_real_news_page_fills_the_article_fields() -> None:
    [article] = parse_bytes(page(VENTUREBEAT), "clips/wework.html")
    assert article.title == "New York State Attorney General investigating WeWork and former CEO"
    assert article.source == "VentureBeat"
    assert article.date == "2019-11-18"
    assert article.author == "Reuters"
    assert article.url == truth()[VENTUREBEAT]["url"]
    assert article.path == "clips/wework.html"
    assert article.paragraphs[0].startswith("(Reuters) — The New York State Attorney General")
    # the page's navigation and scripts are not the article
    assert all("function(" not in p and "Subscribe" not in p for p in article.paragraphs)


def test_gzipped_pages_read_as_the_page_itself() -> None:
    data = page(SLASHGEAR)
    [zipped] = parse_bytes(gzip.compress(data), "vw.html.gz")
    [plain] = parse_bytes(data, "vw.html.gz")  # named .gz but not compressed
    assert zipped == plain
    assert zipped.title.startswith("The VW ID. SPACE VIZZION") and len(zipped.paragraphs) > 5


def test_the_headline_and_site_furniture_are_not_paragraphs() -> None:
    html = small_page(
        "Harbour cranes work at night", [*LONG, "Advertisement", "Share this article"]
    )
    [article] = parse_html_bytes(html.encode(), "harbour.html", None)
    assert article.title == "Harbour cranes work at night"
    assert article.paragraphs == LONG
    assert article.date is None  # "© 2025" in the footer is no publication date


def test_metadata_of_a_small_page() -> None:
    [article] = parse_html_bytes(small_page("Cranes", LONG, head=HEAD).encode(), "c.htm")
    assert (article.url, article.source, article.author, article.date) == (
        "https://example.com/harbour",
        "The Example Post",
        "Ann Lee",
        "2025-03-04",
    )


def test_the_saved_from_mark_of_browsers_names_the_page() -> None:
    html = "<!-- saved from url=(0027)https://example.org/story -->\n" + small_page("S", LONG)
    [article] = parse_html_bytes(html.encode(), "s.html")
    assert article.url == "https://example.org/story"
    assert article.source == "example.org"  # no site name: the host stands in


@pytest.mark.parametrize("charset", ["", "utf-8", "iso-8859-1"])
def test_utf8_pages_decode_whatever_they_declare(charset: str) -> None:
    text = [LONG[0] + " Café “quoted” — naïve.", *LONG[1:]]
    [article] = parse_html_bytes(small_page("Café", text, charset=charset).encode(), "x.html")
    assert "Café “quoted” — naïve." in article.paragraphs[0]


@pytest.mark.parametrize("charset", ["", "utf-8", "windows-1252", "bogus-charset"])
def test_cp1252_pages_decode_with_or_without_a_true_charset(charset: str) -> None:
    text = [LONG[0] + " Café “quoted” — naïve.", *LONG[1:]]
    data = small_page("Café", text, charset=charset).encode("cp1252")
    [article] = parse_html_bytes(data, "x.html")
    assert "Café “quoted” — naïve." in article.paragraphs[0]


def test_a_declared_legacy_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    text = [LONG[0] + " Привет, мир.", *LONG[1:]]
    data = small_page("Мир", text, charset="windows-1251").encode("cp1251")
    [article] = parse_html_bytes(data, "x.html")
    assert "Привет, мир." in article.paragraphs[0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary file"),
        (b"", "empty page"),
        (b"just some words, no markup at all", "not a web page"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article found"),
        (
            b"<html><head><title>Sign in</title></head><body><h1>Sign in</h1><form>"
            b"<label>Email</label><input name=e><label>Password</label><input name=p>"
            b"<button>Sign in</button><a href=/forgot>Forgot your password?</a></form>"
            b"<footer>Terms &middot; Privacy &middot; Help</footer></body></html>",
            "no article found",
        ),
        (b"\x1f\x8b\x08\x00garbage", "not a readable gzip file"),
    ],
)
def test_what_is_not_an_article_is_one_line_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, "folder/bad.html")
    message = str(caught.value)
    assert message.startswith("folder/bad.html: ") and reason in message
    assert "\n" not in message


def test_malformed_html_still_gives_its_text() -> None:
    broken = small_page("Broken", LONG).replace("</p>", "").replace("</article>", "<div><b>")
    [article] = parse_html_bytes(broken.encode()[:-30], "broken.html")
    assert article.text.startswith(LONG[0][:60])


def test_a_page_of_endless_markup_is_refused_quickly() -> None:
    html = small_page("Big", LONG).replace("</body>", "<div><span>x</span></div>" * 60_000)
    with pytest.raises(ParseError, match="too large to read"):
        parse_html_bytes(html.encode(), "big.html")


def test_a_page_made_big_by_an_inline_image_still_imports() -> None:
    image = '<img src="data:image/png;base64,' + "A" * (20 << 20) + '">'
    html = small_page("Big", LONG).replace("</body>", image + "</body>")
    [article] = parse_html_bytes(html.encode(), "big.html")
    assert article.paragraphs == LONG


def test_a_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<p>" + b" " * (40 << 20))
    with pytest.raises(ParseError, match="too large"):
        parse_html_bytes(bomb, "bomb.html.gz")


def test_control_and_escape_characters_never_reach_the_text() -> None:
    text = [LONG[0] + " \x1b[31mred\x1b[0m \x07bell", *LONG[1:]]
    [article] = parse_html_bytes(small_page("Esc", text).encode(), "e.html")
    assert "\x1b" not in article.text and "\x07" not in article.text


def test_utf8_with_a_bom_and_utf16_pages_decode() -> None:
    html = small_page("Café", LONG)
    assert decode_html(b"\xef\xbb\xbf" + html.encode(), "x") == html
    assert decode_html(html.encode("utf-16"), "x") == html


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=12))
def test_clean_paragraphs_are_stripped_single_lines(lines: list[str]) -> None:
    for paragraph in clean_paragraphs("\n".join(lines)):
        assert paragraph == paragraph.strip() and paragraph
        assert "\n" not in paragraph and "\x1b" not in paragraph


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "Share this article",
        "Read more: Harbour cranes work at night",
        "[Related: Salesforce keynote and protesters]",
        "Copyright ⓒ Entermedia.co.kr. All rights reserved.",
        "Most read in world news",
        "DON'T MISS",
        "Like this story? Share it with a friend!",
        "Sign up for our newsletter",
    ],
)
def test_site_furniture_lines_are_dropped(line: str) -> None:
    assert clean_paragraphs(f"{LONG[0]}\n{line}\n{LONG[1]}") == LONG[:2]


@pytest.mark.parametrize(
    "line",
    [
        "More than 300 people came to the pier.",
        "Shares rose 4% after the report was published.",
        "“Read more books,” she said.",
        "Related research suggests the same.",
    ],
)
def test_article_lines_that_look_like_furniture_are_kept(line: str) -> None:
    assert clean_paragraphs(f"{LONG[0]}\n{line}") == [LONG[0], line]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_utf8_text_always_decodes_to_itself(text: str) -> None:
    text = text.lstrip("\ufeff")  # a leading BOM is dropped, as it should be
    assert decode_html(text.encode("utf-8"), "x.html") == text
