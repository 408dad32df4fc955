"""Highlighted text is readable on every built-in theme (WCAG AA: contrast >= 4.5:1)."""

from __future__ import annotations

from rich.color import Color
from rich.style import Style
from textual.app import App, ComposeResult

from reader.core.models import COLORS, Annotation, Article
from reader.ui.widgets.reading_pane import ReadingPane

SENTENCES = [f"Sentence number {n} is highlighted in its colour." for n in range(1, 6)]
TEXT = " ".join(SENTENCES)


def luminance(color: Color) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: Color, b: Color) -> float:
    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)


class ContrastApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ReadingPane()

    def on_mount(self) -> None:
        article = Article(id="a", title="Colours", paragraphs=[TEXT])
        marks = []
        for color, sentence in zip(COLORS, SENTENCES, strict=True):
            start = TEXT.index(sentence)
            end = start + len(sentence)
            marks.append(
                Annotation(
                    id=color, article_id="a", quote=sentence, start=start, end=end, color=color
                )
            )
        pane = self.query_one(ReadingPane)
        pane.show_article(article, marks)
        pane.focus()


def highlighted_styles(pane: ReadingPane) -> dict[str, Style]:
    """The style each highlighted sentence is drawn in (the first one under the cursor)."""
    found: dict[str, Style] = {}
    for y in range(pane.size.height):
        for segment in pane.render_line(y):
            for number, sentence in enumerate(SENTENCES, start=1):
                if segment.text and segment.text.strip() and segment.text.strip() in sentence:
                    assert segment.style is not None
                    found.setdefault(COLORS[number - 1], segment.style)
    return found


async def test_every_highlight_colour_is_readable_on_every_builtin_theme() -> None:
    app = ContrastApp()
    async with app.run_test(size=(200, 20)) as pilot:
        pane = app.query_one(ReadingPane)
        themes = [name for name in app.available_themes if not name.startswith("ansi")]
        assert len(themes) >= 15
        failures = []
        for name in themes:
            app.theme = name
            await pilot.pause()
            styles = highlighted_styles(pane)
            assert set(styles) == set(COLORS), name
            for color, style in styles.items():
                assert style.color is not None and style.bgcolor is not None
                ratio = contrast(style.color, style.bgcolor)
                if ratio < 4.5:
                    failures.append(f"{name}/{color}: {ratio:.2f}")
        assert failures == []
