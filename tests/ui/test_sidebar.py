"""The annotation sidebar: reading order, orphans marked, literal text, keys post requests."""

from __future__ import annotations

from reader.core.models import Annotation
from reader.ui.widgets.sidebar import WINDOW, Sidebar, reading_order
from tests.ui.conftest import Harness, visible_text


def note(id: str, start: int, **fields: object) -> Annotation:
    values: dict = {"quote": f"quote {id}", "end": start + 10, **fields}
    return Annotation(id=id, article_id="art", start=start, **values)


def sample() -> list[Annotation]:
    return [
        note("late", 300, color="blue", note="a [b]note[/b] with [@click=app.quit]x[/]"),
        note("lost", 0, status="orphaned", quote="gone passage"),
        note("early", 10, color="green", tags=["treaty", "iran"]),
        note("binned", 5, deleted="2025-01-01T00:00:00+00:00"),
        note("moved", 200, status="fuzzy"),
    ]


def test_reading_order_puts_orphans_last() -> None:
    ordered = reading_order([a for a in sample() if not a.deleted])
    assert [a.id for a in ordered] == ["early", "moved", "late", "lost"]


async def test_shows_highlights_in_order_with_labels_notes_tags_and_marks() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar.show_annotations(sample(), {"green": "key idea", "blue": "question"})
        await pilot.pause()
        assert sidebar.annotation_ids == ["early", "moved", "late", "lost"]  # not the deleted
        text = visible_text(sidebar)
        assert "key idea" in text and "question" in text
        assert "#treaty #iran" in text
        assert "✎ a [b]note[/b] with [@click=app.quit]x[/]" in text  # literal, not markup
        assert "⚠ orphaned" in text and "≈ moved" in text
        assert "gone passage" in text
        assert sidebar.border_title == "Highlights (4) · 1 orphaned"


async def test_long_quotes_are_clipped() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar.show_annotations([note("long", 0, quote="word " * 200)])
        await pilot.pause()
        text = visible_text(sidebar)
        assert "…" in text
        assert text.count("word") < 60


async def test_keys_post_requests_for_the_selected_highlight() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar.show_annotations(sample())
        await pilot.pause()
        assert sidebar.selected_annotation_id == "early"
        await pilot.press("j")
        assert sidebar.selected_annotation_id == "moved"
        await pilot.press("down", "k")
        assert sidebar.selected_annotation_id == "moved"
        await pilot.press("up")
        assert sidebar.selected_annotation_id == "early"
        await pilot.press("j", "enter")
        await pilot.press("e")
        await pilot.press("x")
        await pilot.pause()
        assert [m.annotation_id for m in app.received(Sidebar.JumpRequested)] == ["moved"]
        assert [m.annotation_id for m in app.received(Sidebar.EditNoteRequested)] == ["moved"]
        assert [m.annotation_id for m in app.received(Sidebar.DeleteRequested)] == ["moved"]


async def test_select_annotation_follows_the_reading_cursor_and_reload_keeps_it() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar.show_annotations(sample())
        sidebar.select_annotation("late")
        await pilot.pause()
        assert sidebar.selected_annotation is not None
        assert sidebar.selected_annotation.id == "late"
        sidebar.select_annotation("no-such-id")
        assert sidebar.selected_annotation_id == "late"
        sidebar.show_annotations(sample())
        assert sidebar.selected_annotation_id == "late"


async def test_empty_sidebar_says_how_to_highlight_and_ignores_keys() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 20)) as pilot:
        sidebar.show_annotations([])
        await pilot.pause()
        assert "Press h" in visible_text(sidebar)
        await pilot.press("enter", "e", "x")
        await pilot.pause()
        assert not app.received(Sidebar.JumpRequested)
        assert not app.received(Sidebar.EditNoteRequested)
        assert not app.received(Sidebar.DeleteRequested)
        assert sidebar.selected_annotation is None


def many(count: int) -> list[Annotation]:
    return [note(f"n{i:05d}", i * 20, quote=f"passage number {i}") for i in range(count)]


async def test_a_dense_article_lists_every_highlight_and_builds_only_a_window() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 30)) as pilot:
        sidebar.show_annotations(many(5000))
        await pilot.pause()
        assert sidebar.border_title == "Highlights (5000)"
        assert len(sidebar.annotation_ids) == 5000
        assert sidebar.option_count <= 2 * WINDOW  # cards and the rules between them
        assert "passage number 0" in visible_text(sidebar)


async def test_the_cards_shown_follow_the_reading_cursor_far_down_and_back() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 30)) as pilot:
        sidebar.show_annotations(many(5000))
        sidebar.select_annotation("n04000")
        await pilot.pause()
        assert sidebar.selected_annotation_id == "n04000"
        assert "passage number 4000" in visible_text(sidebar)
        sidebar.select_annotation("n00003")
        await pilot.pause()
        assert "passage number 3" in visible_text(sidebar)
        assert "passage number 4000" not in visible_text(sidebar)


async def test_j_and_k_walk_past_the_window_and_stop_at_the_ends() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 30)) as pilot:
        sidebar.show_annotations(many(400))
        await pilot.pause()
        for _ in range(WINDOW + 50):  # past the first window's end
            await pilot.press("j")
        await pilot.pause()
        expected = f"n{WINDOW + 50:05d}"
        assert sidebar.selected_annotation_id == expected
        assert f"passage number {WINDOW + 50}" in visible_text(sidebar)
        await pilot.press("k")
        assert sidebar.selected_annotation_id == f"n{WINDOW + 49:05d}"
        await pilot.press("end")
        await pilot.pause()
        assert sidebar.selected_annotation_id == "n00399"
        assert "passage number 399" in visible_text(sidebar)
        await pilot.press("j")  # the last one stays
        assert sidebar.selected_annotation_id == "n00399"
        await pilot.press("home")
        await pilot.pause()
        assert sidebar.selected_annotation_id == "n00000"
        assert "passage number 0" in visible_text(sidebar)
        await pilot.press("k", "enter")  # the first one stays
        await pilot.pause()
        assert [m.annotation_id for m in app.received(Sidebar.JumpRequested)] == ["n00000"]


async def test_a_reload_keeps_the_selected_highlight_far_down() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 30)) as pilot:
        notes = many(1000)
        sidebar.show_annotations(notes)
        sidebar.select_annotation("n00700")
        notes[700].note = "changed elsewhere"
        sidebar.show_annotations(notes)
        await pilot.pause()
        assert sidebar.selected_annotation_id == "n00700"
        assert "changed elsewhere" in visible_text(sidebar)


async def test_j_and_k_stop_at_the_ends_instead_of_wrapping() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 40)) as pilot:
        sidebar.show_annotations(sample())
        await pilot.pause()
        await pilot.press("k")
        assert sidebar.selected_annotation_id == "early"  # the first: k stays
        await pilot.press("j", "j", "j", "j", "j")
        assert sidebar.selected_annotation_id == "lost"  # the last: j stays
        await pilot.press("k")
        assert sidebar.selected_annotation_id == "late"


async def test_a_multi_line_note_keeps_its_line_breaks() -> None:
    sidebar = Sidebar()
    app = Harness(sidebar)
    async with app.run_test(size=(60, 40)) as pilot:
        text = "Three reasons:\n- cost\n- speed\n\n\nSee also p. 12"
        sidebar.show_annotations([note("n", 0, note=text)])
        await pilot.pause()
        shown = visible_text(sidebar).splitlines()
        at = next(i for i, line in enumerate(shown) if "✎ Three reasons:" in line)
        assert [line.strip() for line in shown[at + 1 : at + 5]] == [
            "- cost",
            "- speed",
            "",
            "See also p. 12",
        ]


def test_an_article_note_keeps_its_lines_as_typed() -> None:
    from reader.ui.widgets.sidebar import article_note_row

    shown = article_note_row("Ask Ruth\n\n\nabout the ferry\x1b[31m").plain.splitlines()
    assert shown == ["✎ Note on the article", "Ask Ruth", "", "about the ferry"]
