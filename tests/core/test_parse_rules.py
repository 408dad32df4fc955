"""The parser's rules, one synthetic clipping per rule."""

from __future__ import annotations

from reader.core.parse_audit import unaccounted_lines
from reader.core.parse_rules import (
    bio_author,
    byline_of,
    has_photo_credit,
    is_boilerplate,
    marker_rest,
    source_of,
    tweet_tail,
)
from reader.core.parser import parse_text


def _parse(text: str, name: str = "clip.txt") -> list:
    articles = parse_text(text, name)
    assert unaccounted_lines(text, articles) == []
    return articles


def test_blank_line_paragraphs_join_soft_wraps() -> None:
    text = (
        "Harbour Ferries Go Electric\n"
        "June 2, 2025\n"
        "By Ana Ruiz\n"
        "\n"
        "The first battery ferry crossed the harbour on Monday morning, carrying\n"
        "ninety commuters and one very curious dog from the north pier to the\n"
        "old customs house.\n"
        "\n"
        "Engineers said the crossing used less energy than the city's trams use\n"
        "in an hour, and the crew reported no problems with the charging dock.\n"
        "\n"
        "More ferries follow in spring.\n"
    )
    (article,) = _parse(text)
    assert article.title == "Harbour Ferries Go Electric"
    assert article.date == "2025-06-02" and article.author == "Ana Ruiz"
    assert article.paragraphs == [
        "The first battery ferry crossed the harbour on Monday morning, carrying ninety "
        "commuters and one very curious dog from the north pier to the old customs house.",
        "Engineers said the crossing used less energy than the city's trams use in an hour, "
        "and the crew reported no problems with the charging dock.",
        "More ferries follow in spring.",
    ]


def test_one_paragraph_per_line_with_blank_lines_between() -> None:
    long_one = "A long paragraph line that goes on. " * 5
    text = f"Title Here\n\n{long_one}\n\n{long_one}\n\nShort closing line.\n"
    (article,) = _parse(text)
    assert article.paragraphs == [long_one.strip(), long_one.strip(), "Short closing line."]


def test_byline_with_two_authors_and_a_date() -> None:
    text = (
        "Night Markets Are Back\nBy Jane Doe and John Roe | Sept. 3, 2024\n"
        "The stalls opened at dusk.\n"
    )
    (article,) = _parse(text)
    assert article.author == "Jane Doe and John Roe"
    assert article.date == "2024-09-03"
    assert article.paragraphs == ["The stalls opened at dusk."]


def test_trailing_bio_sets_author_and_leaves_the_body() -> None:
    text = (
        "Comet Seen Over the Valley\n14 January 2025\n"
        "Astronomers spotted the comet just after sunset.\n"
        "It will be visible for two more weeks.\n"
        "Priya Natarajan writes about space and physics for the Valley Courier.\n"
        "Share this:\n"
    )
    (article,) = _parse(text)
    assert article.author == "Priya Natarajan"
    assert article.paragraphs == [
        "Astronomers spotted the comet just after sunset.",
        "It will be visible for two more weeks.",
    ]
    assert [e.kind for e in article.embeds] == ["bio"]
    assert article.boilerplate == ["Share this:"]


def test_a_closing_paragraph_about_a_person_is_not_a_bio() -> None:
    text = (
        "Title\nJan. 2, 2025\nThe mayor spoke.\n"
        "Maria Lopez is a retired teacher who lives nearby.\n"
    )
    (article,) = _parse(text)
    assert article.author is None
    assert article.paragraphs[-1].startswith("Maria Lopez is a retired teacher")


def test_several_related_blocks_each_become_an_article() -> None:
    text = (
        "Main Story Headline\nJanuary 14, 2025\nReprinted from The Daily Planet\nMain body.\n"
        "RELATED:\nFirst Related Headline\nOctober 16, 2024\nSource: Northern Post\nBody one.\n"
        "Read more:\nSecond Related Headline\n2024-05-01\nBody two.\nLeave A Comment\n"
    )
    first, second, third = _parse(text)
    assert [a.title for a in (first, second, third)] == [
        "Main Story Headline",
        "First Related Headline",
        "Second Related Headline",
    ]
    assert [a.source for a in (first, second, third)] == ["The Daily Planet", "Northern Post", None]
    assert [a.date for a in (first, second, third)] == ["2025-01-14", "2024-10-16", "2024-05-01"]
    assert second.related_to == third.related_to == first.id
    assert third.paragraphs == ["Body two."] and third.boilerplate == [
        "Read more:",
        "Leave A Comment",
    ]


def test_related_headline_on_the_marker_line() -> None:
    text = "Main\nJan. 1, 2025\nBody.\nRELATED: The Other Story\nFeb. 2, 2025\nOther body.\n"
    first, second = _parse(text)
    assert first.paragraphs == ["Body."]
    assert second.title == "The Other Story" and second.date == "2025-02-02"


def test_inline_related_link_stays_in_the_article() -> None:
    text = "Main\nJan. 1, 2025\nBody one.\nRelated: Why trams came back\nBody two.\n"
    (article,) = _parse(text)
    assert article.paragraphs == ["Body one.", "Body two."]
    assert [(e.kind, e.text) for e in article.embeds] == [("link", "Why trams came back")]


def test_trailing_related_marker_with_nothing_after_is_boilerplate() -> None:
    (article,) = _parse("Main\nJan. 1, 2025\nBody.\nRELATED:\nComments\n")
    assert article.paragraphs == ["Body."]
    assert article.boilerplate == ["RELATED:", "Comments"]


def test_tweet_of_one_line_and_a_colon_intro_stays_a_paragraph() -> None:
    text = (
        "Title\nJan. 1, 2025\nThe club posted:\n"
        "We did it! https://t.co/AbC123 — City FC (@cityfc) December 31, 2024\nAfter the tweet.\n"
    )
    (article,) = _parse(text)
    assert article.paragraphs == ["The club posted:", "After the tweet."]
    (tweet,) = article.embeds
    assert (tweet.kind, tweet.text, tweet.handle) == ("tweet", "We did it!", "cityfc")
    assert tweet.url == "https://t.co/AbC123" and tweet.date == "2024-12-31"


def test_boilerplate_lines_are_dropped_but_recorded() -> None:
    lines = [
        "Advertisement",
        "Click to share on Facebook (Opens in new window)",
        "Subscribe to our newsletter",
        "Related Posts",
        "Comments",
        "Leave A Comment",
    ]
    text = "Title\nJan. 1, 2025\nOne.\n" + "\n".join(lines[:2]) + "\nTwo.\n" + "\n".join(lines[2:])
    (article,) = _parse(text)
    assert article.paragraphs == ["One.", "Two."]
    assert article.boilerplate == lines


def test_long_caption_without_credit_before_the_headline() -> None:
    caption = "Crowds gather at the reopened station on a grey morning, many holding umbrellas."
    text = f"{caption}\nStation Reopens After Two Years\nMay 5, 2025\nThe doors opened at six.\n"
    (article,) = _parse(text)
    assert article.caption == caption and article.title == "Station Reopens After Two Years"


def test_dek_under_the_headline_becomes_the_summary() -> None:
    text = "Bees Return\nA wet spring helped the hives recover.\nMay 5, 2025\nBody.\n"
    (article,) = _parse(text)
    assert article.title == "Bees Return"
    assert article.summary == "A wet spring helped the hives recover."


def test_source_line_at_the_end() -> None:
    text = (
        "Title\nMay 5, 2025\nBody.\n"
        "This article first appeared in The Conversation and is republished under a licence.\n"
    )
    (article,) = _parse(text)
    assert article.source == "The Conversation" and article.paragraphs == ["Body."]


def test_no_headline_takes_the_first_sentence_and_keeps_the_paragraph() -> None:
    paragraph = "This is a long opening sentence of a note. " + "More words follow here. " * 10
    (article,) = _parse(paragraph)
    assert article.title == "This is a long opening sentence of a note."
    assert article.paragraphs == [paragraph.strip()]


def test_markdown_title_front_matter_and_emphasis() -> None:
    text = (
        "---\ntitle: Ignored Because H1 Wins\ndate: 2025-03-01\nauthor: Lee Park\ntags: food\n---\n"
        "![Bakers at dawn](bread.jpg)\n"
        "# The Sourdough *Revival*\n\n"
        "*March 1, 2025*\n\n"
        "Bakers across town are **busy** again,\nand the [queues](https://x.example) are long.\n\n"
        "## Starters\n\n- flour\n- water\n"
    )
    (article,) = parse_text(text, "bread.md")
    assert article.title == "The Sourdough Revival"
    assert article.caption == "Bakers at dawn"
    assert article.date == "2025-03-01" and article.author == "Lee Park"
    assert article.paragraphs == [
        "Bakers across town are busy again, and the queues are long.",
        "Starters",
        "- flour",
        "- water",
    ]
    assert "tags: food" in article.boilerplate


def test_rule_helpers() -> None:
    assert marker_rest("RELATED:") == "" and marker_rest("See also: X") == "X"
    assert marker_rest("Related stories are popular.") is None
    assert is_boilerplate("Leave A Comment") and not is_boilerplate("Comments poured in all day.")
    assert source_of("Originally published by Crosswalk.") == "Crosswalk"
    assert source_of("Sources said it rained.") is None
    assert byline_of("By now everyone knew.") is None
    assert byline_of("Author: Jane Doe") is not None
    assert has_photo_credit("A heron at dusk. Photo: Sam Lee/Valley Courier")
    assert not has_photo_credit("She took a photo of the heron.")
    assert bio_author("Sam Lee covers science for the Courier.") == "Sam Lee"
    tail = tweet_tail("Wow pic.twitter.com/x1— Ann Bo (@annbo) May 2, 2024")
    assert tail is not None and tail.author == "Ann Bo" and tail.date == "2024-05-02"


def test_markdown_front_matter_title_when_there_is_no_heading() -> None:
    text = "---\ntitle: Meta Title\ndate: 2025-01-02\n---\nA short dek without period\n\nBody.\n"
    (article,) = parse_text(text, "note.markdown")
    assert article.title == "Meta Title" and article.date == "2025-01-02"
    assert article.paragraphs == ["A short dek without period", "Body."]


def test_markdown_heading_beats_front_matter_title_but_keeps_it() -> None:
    (article,) = parse_text("---\ntitle: Old Name\n---\n# New Name\n\nBody.\n", "n.md")
    assert article.title == "New Name" and "title: Old Name" in article.boilerplate


def test_markdown_code_blocks_and_quotes_stay_text() -> None:
    text = "# T\n\n```\nLeave A Comment\nBy Jane Doe\n```\n\n> Quoted words here.\n"
    (article,) = parse_text(text, "c.md")
    assert article.paragraphs == ["Leave A Comment", "By Jane Doe", "Quoted words here."]
    assert article.author is None and article.boilerplate == []


def test_markdown_code_block_at_the_top_is_not_furniture() -> None:
    (article,) = parse_text("```\nComments\nRELATED:\nNext\n```\n\nBody.\n", "c.md")
    assert article.paragraphs[:3] == ["Comments", "RELATED:", "Next"]


def test_opening_paragraph_above_a_subheading_stays_body_text() -> None:
    """Without a date or byline to confirm a header, a sentence is not taken for a caption."""
    text = (
        "Google's streaming service launches today, and we tried it for a week.\n"
        "What Does the Service Offer?\n"
        "There are four plans.\n"
    )
    (article,) = _parse(text)
    assert article.caption is None
    assert article.paragraphs == text.split("\n")[:3]


def test_a_first_sentence_paragraph_is_not_taken_for_a_caption() -> None:
    text = "The council met on Monday.\nIt voted for the plan.\nWork starts soon.\n"
    (article,) = _parse(text)
    assert article.caption is None
    assert article.paragraphs == text.split("\n")[:3]


def test_date_above_the_headline() -> None:
    text = "March 3, 2025\nTrams Are Back\nBy Ana Ruiz\nThe first car left at six.\n"
    (article,) = _parse(text)
    assert (article.date, article.title, article.author) == (
        "2025-03-03",
        "Trams Are Back",
        "Ana Ruiz",
    )
    assert article.paragraphs == ["The first car left at six."]


def test_copyright_notices_but_not_sentences_about_copyright() -> None:
    assert is_boilerplate("© 2025 The Alder Ledger. All rights reserved.")
    assert is_boilerplate("Copyright 2019 Hawaii News Now. All rights reserved.")
    assert not is_boilerplate("Copyright holders sued the company in March.")


def test_long_lines_broken_mid_sentence_are_joined_in_blank_line_files() -> None:
    first = "The council approved the plan on Monday after a long debate about " * 2
    text = (
        "Title Here\n\n"
        f"{first.strip()}\n"
        "costs, noise and the old depot.\n\n"
        "A second paragraph that ends properly.\nA third one on its own line.\n"
    )
    (article,) = _parse(text)
    assert article.paragraphs == [
        first.strip() + " costs, noise and the old depot.",
        "A second paragraph that ends properly.",
        "A third one on its own line.",
    ]


def test_headlines_under_related_posts_are_links() -> None:
    text = (
        "Title\nJan. 1, 2025\nBody.\nRelated Posts\n"
        "Ten Trams That Changed the City\nThe Ferry That Never Sank\nShare\n"
    )
    (article,) = _parse(text)
    assert article.paragraphs == ["Body."]
    assert [(e.kind, e.text) for e in article.embeds] == [
        ("link", "Ten Trams That Changed the City"),
        ("link", "The Ferry That Never Sank"),
    ]
    assert article.boilerplate == ["Related Posts", "Share"]
