"""The clipping parser on the real seed clipping and on each rule it follows."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reader.core.models import article_id_for
from reader.core.parse_audit import unaccounted_lines
from reader.core.parser import MAX_BYTES, ParseError, parse_bytes, parse_file, parse_text

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "000_8086b627738b3232.txt"


@pytest.fixture(scope="module")
def seed_articles() -> list:
    return parse_file(SEED)


def test_seed_holds_two_articles(seed_articles: list) -> None:
    first, second = seed_articles
    assert first.title == (
        "Iran-Russia Strategic Pact to Last 20 Years, Ambassador Says Ahead of Signing"
    )
    assert second.title == (
        "Pastor Greg Laurie Warns of Prophetic Significance in Iran-Russia Alliance"
    )
    assert (first.date, second.date) == ("2025-01-14", "2024-10-16")
    assert (first.source, second.source) == ("The Algemeiner", "Crosswalk")
    assert first.id == article_id_for(SEED.name, 0) and second.id == article_id_for(SEED.name, 1)
    assert second.related_to == first.id and first.related_to is None
    assert (first.index, second.index) == (0, 1)
    assert first.path == second.path == SEED.name


def test_seed_caption_and_paragraphs(seed_articles: list) -> None:
    first, second = seed_articles
    assert first.caption is not None
    assert first.caption.startswith("Russian President Vladimir Putin meets")
    assert first.caption.endswith("Photo: Sputnik/Alexander Scherbak/Pool via REUTERS")
    assert len(first.paragraphs) == 19
    assert first.paragraphs[0].startswith("A major comprehensive bilateral agreement")
    assert first.paragraphs[-1].startswith("Iranian and Russian officials")
    assert len(second.paragraphs) == 9
    assert second.paragraphs[0].startswith("Pastor and author Greg Laurie says")
    assert second.paragraphs[-1].startswith("“I think a lot of these kids")


def test_seed_second_article_summary_author_and_embeds(seed_articles: list) -> None:
    second = seed_articles[1]
    assert second.summary is not None and second.summary.endswith("must…")
    assert second.paragraphs[0].startswith(second.summary.rstrip("…"))
    assert second.author == "Michael Foust"
    tweets = [e for e in second.embeds if e.kind == "tweet"]
    assert len(tweets) == 1
    tweet = tweets[0]
    assert tweet.text.startswith("Is the relatively new alliance between Russia and Iran")
    assert "I give my answer in this interview" in tweet.text
    assert (tweet.author, tweet.handle, tweet.date) == ("Greg Laurie", "greglaurie", "2024-10-16")
    assert tweet.url == "https://pic.twitter.com/qdqRLp9LOm"
    links = [e.text for e in second.embeds if e.kind == "link"]
    assert links == ["Iran in Bible prophecy and its rise in aggression against Israel"]


def test_seed_keeps_furniture_out_of_paragraphs(seed_articles: list) -> None:
    first, second = seed_articles
    body = "\n".join(first.paragraphs + second.paragraphs)
    for furniture in (
        "RELATED:",
        "Leave A Comment",
        "Reprinted from",
        "Michael Foust has covered",
        "pic.twitter.com",
        "Iran in Bible prophecy and its rise",
    ):
        assert furniture not in body
    assert "Leave A Comment" in second.boilerplate


def test_seed_loses_nothing(seed_articles: list) -> None:
    assert unaccounted_lines(SEED.read_text(encoding="utf-8"), seed_articles) == []


# --- decoding and errors --------------------------------------------------------------------

CLIP = "Trams Return to Main Street\nMarch 3, 2025\nFirst paragraph here.\nSecond paragraph here.\n"


def test_crlf_and_lone_cr_are_newlines() -> None:
    for newline in ("\r\n", "\r"):
        (article,) = parse_bytes(CLIP.replace("\n", newline).encode(), "a.txt")
        assert article.paragraphs == ["First paragraph here.", "Second paragraph here."]
        assert article.title == "Trams Return to Main Street"


def test_utf8_bom_is_dropped() -> None:
    (article,) = parse_bytes(codecs.BOM_UTF8 + CLIP.encode(), "a.txt")
    assert article.title == "Trams Return to Main Street"


def test_cp1252_falls_back() -> None:
    text = (
        "Caf\u00e9 Owners Cheer\nMarch 3, 2025\n"
        "\u201cWe are thrilled,\u201d said the owner \u2014 twice.\n"
    )
    (article,) = parse_bytes(text.encode("cp1252"), "a.txt")
    assert article.title == "Café Owners Cheer"
    assert article.paragraphs == ["“We are thrilled,” said the owner — twice."]


def test_latin1_bytes_undefined_in_cp1252_still_decode() -> None:
    (article,) = parse_bytes(b"Title here\nBody \x81 text\xe9 ends.\n", "a.txt")
    assert article.paragraphs == ["Body  texté ends."]  # the C1 byte 0x81 is dropped


def test_utf16_with_bom() -> None:
    (article,) = parse_bytes(CLIP.encode("utf-16"), "a.txt")
    assert article.date == "2025-03-03"


def test_trailing_spaces_are_stripped() -> None:
    (article,) = parse_text("Title   \nOne paragraph.   \t\nTwo.  \n", "a.txt")
    assert article.title == "Title"
    assert article.paragraphs == ["One paragraph.", "Two."]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "empty"),
        (b"\x1b[31m\x07\x1b[0m\n\x0c", "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (b"text with a NUL \x00 byte", "binary"),
        (b"\xff\xfe\x00\xd8", "undecodable"),
    ],
)
def test_unreadable_documents_raise_one_line_errors(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, "doc.txt")
    message = str(caught.value)
    assert message.startswith("doc.txt: ") and reason in message and "\n" not in message


def test_too_large_is_refused() -> None:
    with pytest.raises(ParseError, match="too large"):
        parse_bytes(b"a" * (MAX_BYTES + 1), "big.txt")


def test_parse_file_names_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "clip.txt"
    path.write_text(CLIP, encoding="utf-8")
    (article,) = parse_file(path)
    assert article.path == "clip.txt" and article.id == article_id_for("clip.txt", 0)
    (renamed,) = parse_file(path, "folder/clip.txt")
    assert renamed.path == "folder/clip.txt"
    with pytest.raises(ParseError, match=r"^missing\.txt: cannot read"):
        parse_file(tmp_path / "missing.txt")


def test_control_characters_and_escape_sequences_are_stripped() -> None:
    text = (
        "\x1b]0;pwned\x07Title \x1b[1mbold\x1b[0m\n"
        "Body \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ and \x9b2J\x07bell.\x08\n"
    )
    (article,) = parse_text(text, "a.txt")
    assert article.title == "Title bold"
    assert article.paragraphs == ["Body link and bell."]
    everything = repr(article.to_dict())
    assert "\\x1b" not in everything and "\\x07" not in everything and "\\x9b" not in everything
