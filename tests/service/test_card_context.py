"""What the Anki and Readwise exports and the daily review show beside a highlight: the
article's title, author, source and address, and a sentence of context either side."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from reader.service.card_exports import in_context
from reader.service.library import Library
from reader.service.review import DailyReview
from tests.web.pages import VENTUREBEAT, page, truth


def test_a_saved_page_gives_its_address_to_the_cards_and_the_review(tmp_path: Path) -> None:
    from reader.export.readwise import readwise_csv

    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "venturebeat.html").write_bytes(page(VENTUREBEAT))
    library = Library.open(folder)
    library.sync()
    (summary,) = library.articles()
    article = library.article(summary.id)
    assert article is not None and article.url
    start = len(article.paragraphs[0]) + 2  # the second paragraph's first words
    made = library.highlight(article.id, start, start + 40)

    (item,) = in_context(library, [made])
    assert item.url == article.url == truth()[VENTUREBEAT]["url"]
    assert item.title == article.title and item.before and item.after
    (row,) = csv.DictReader(io.StringIO(readwise_csv([item])))
    assert row["URL"] == article.url

    review = DailyReview(library)
    (entry,) = review.queue()
    card = review.card(entry)
    assert card is not None and card.is_new and not card.orphaned
    assert (card.title, card.url, card.before) == (item.title, item.url, item.before)
