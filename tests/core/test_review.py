"""The daily queue rule (due first, the new allowance, the query) and review context."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.core.models import Article
from reader.core.review import CardInfo, context_around, daily_queue

TODAY = "2026-03-02"
DAY_END = "2026-03-03T00:00:00Z"

times = st.sampled_from(
    [
        "2026-02-01T08:00:00Z",
        "2026-03-01T23:00:00Z",
        "2026-03-02T09:30:00Z",
        "2026-03-02T23:59:59Z",
        "2026-03-03T00:00:00Z",
        "2026-04-10T12:00:00Z",
    ]
)
cards = st.builds(
    CardInfo,
    due=st.one_of(st.none(), times),
    suspended=st.booleans(),
    introduced=st.sampled_from([None, "2026-02-01", TODAY]),
)
ids = st.text("abcdef", min_size=1, max_size=3)


@st.composite
def libraries(draw):
    live = draw(
        st.dictionaries(
            ids,
            st.tuples(st.sampled_from(["a1", "a2"]), times, st.integers(0, 50)),
            max_size=25,
        )
    )
    known = draw(st.dictionaries(ids, cards, max_size=25))  # cards of deleted ids too
    return live, known


@given(libraries(), st.integers(0, 6), st.one_of(st.none(), st.sets(ids)))
def test_queue_rule(library, new_per_day, allowed_ids) -> None:
    live, known = library
    allowed = None if allowed_ids is None else (lambda i, _article: i in allowed_ids)
    queue = daily_queue(
        live, known, today=TODAY, day_end=DAY_END, new_per_day=new_per_day, allowed=allowed
    )
    chosen = [e.annotation_id for e in queue]
    ok = (lambda i: True) if allowed_ids is None else allowed_ids.__contains__
    assert len(set(chosen)) == len(chosen)
    assert all(i in live and ok(i) for i in chosen)  # deleted and filtered-out never show
    # due cards: every one due today that is not suspended, most overdue first, before new
    due = [
        i
        for i, c in known.items()
        if i in live and ok(i) and not c.suspended and c.due is not None and c.due < DAY_END
    ]
    due_part = [e for e in queue if not e.is_new]
    assert sorted(e.annotation_id for e in due_part) == sorted(due)
    assert [e.due for e in due_part] == sorted(e.due for e in due_part)
    assert queue[: len(due_part)] == due_part
    # new ones: never answered, at most the day's allowance left, the oldest allowed ones
    introduced = sum(1 for c in known.values() if c.introduced == TODAY)  # deleted ones too
    fresh = sorted(
        (i for i in live if i not in known and ok(i)),
        key=lambda i: (live[i][1], live[i][0], live[i][2], i),
    )
    room = max(0, new_per_day - introduced)
    assert [e.annotation_id for e in queue if e.is_new] == fresh[:room]


@given(libraries())
def test_allowed_is_asked_only_as_far_as_needed(library) -> None:
    live, known = library
    asked: list[str] = []

    def allowed(annotation_id: str, _article_id: str) -> bool:
        asked.append(annotation_id)
        return True

    queue = daily_queue(live, known, today=TODAY, day_end=DAY_END, new_per_day=1, allowed=allowed)
    assert len([i for i in asked if i not in known]) <= 1
    assert len(queue) <= len(asked)


ARTICLE = Article(
    id="a",
    title="T",
    paragraphs=[
        "First sentence here. Second sentence follows. Third one ends it.",
        "A new paragraph starts. It goes on.",
    ],
)


def test_context_is_a_sentence_either_side() -> None:
    text = ARTICLE.text
    start = text.index("Second")
    end = text.index("follows.") + len("follows.")
    assert context_around(ARTICLE, start, end) == ("First sentence here. ", " Third one ends it.")


def test_context_of_a_highlight_inside_a_sentence_takes_its_neighbours() -> None:
    text = ARTICLE.text
    start = text.index("sentence follows")
    end = start + len("sentence")
    before, after = context_around(ARTICLE, start, end)
    assert before == "First sentence here. Second "
    assert after == " follows. Third one ends it."


def test_context_crosses_a_paragraph_break_as_a_space() -> None:
    text = ARTICLE.text
    start = text.index("Third")
    end = len(ARTICLE.paragraphs[0])
    before, after = context_around(ARTICLE, start, end)
    assert before == "Second sentence follows. "
    assert after == " A new paragraph starts."


@given(st.integers(0, len(ARTICLE.text)), st.integers(0, len(ARTICLE.text)))
def test_context_never_overlaps_the_highlight(a: int, b: int) -> None:
    start, end = min(a, b), max(a, b)
    before, after = context_around(ARTICLE, start, end)
    text = ARTICLE.text
    assert " ".join(text[:start].split()).endswith(before.strip())
    assert " ".join(text[end:].split()).startswith(after.strip())
    # a space next to the quote exactly where the text has whitespace there
    assert before.endswith(" ") == (bool(before) and text[start - 1 : start].isspace())
    assert after.startswith(" ") == (bool(after) and text[end : end + 1].isspace())
