"""What the main screen's mixins may use of the screen: one declaration for all of them.

:class:`~reader.ui.screens.main.MainScreen` is built from mixins (annotation edits, the
library views, the list filters); each reaches the screen's widgets and state through the
names declared here, which MainScreen provides (its own properties come first in the MRO).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.core.models import Annotation, Article, ArticleSummary
from reader.service.library import Library

if TYPE_CHECKING:
    from textual.app import App

    from reader.ui.widgets.article_list import ArticleList
    from reader.ui.widgets.reading_pane import ReadingPane
    from reader.ui.widgets.sidebar import Sidebar


class MainScreenParts:
    """The main screen's state and widgets, as its mixins see them."""

    library: Library
    article: Article | None
    annotations: list[Annotation]
    summaries: dict[str, ArticleSummary]
    app: App[Any]
    notify: Callable[..., None]
    refresh_counts: Callable[[str], None]
    reload_annotations: Callable[[], None]
    open_article: Callable[..., None]
    tags_changed: Callable[[], None]

    @property
    def pane(self) -> ReadingPane:
        """The reading pane (MainScreen provides it)."""
        raise NotImplementedError

    @property
    def sidebar(self) -> Sidebar:
        """The annotation sidebar (MainScreen provides it)."""
        raise NotImplementedError

    @property
    def article_list(self) -> ArticleList:
        """The article list (MainScreen provides it)."""
        raise NotImplementedError
