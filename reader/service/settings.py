"""Preferences kept in the store: what each colour means and the saved views."""

from __future__ import annotations

from typing import Any

from reader.core.models import DEFAULT_COLOR_LABELS
from reader.service.colors import check_color
from reader.service.errors import LibraryError, store_errors_as_library_errors
from reader.store import Store


@store_errors_as_library_errors
class Settings:
    """The library's preferences (colour labels, saved views of the annotations view)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def color_labels(self) -> dict[str, str]:
        """Colour name -> meaning, user labels over the defaults."""
        labels = dict(DEFAULT_COLOR_LABELS)
        stored = self.store.get_meta("color_labels") or {}
        if isinstance(stored, dict):
            labels.update({k: str(v) for k, v in stored.items() if k in labels})
        return labels

    def set_color_label(self, color: str, label: str) -> dict[str, str]:
        """Give a colour a meaning (an empty label restores the default); returns all labels."""
        name = check_color(color)
        text = " ".join(label.split())

        def relabel(stored: Any) -> dict[str, str]:
            labels = dict(stored) if isinstance(stored, dict) else {}
            if text and text != DEFAULT_COLOR_LABELS[name]:
                labels[name] = text
            else:
                labels.pop(name, None)
            return labels

        self.store.update_meta("color_labels", relabel)
        return self.color_labels()

    def saved_views(self) -> dict[str, str]:
        """Saved queries of the annotations view: name -> query, by name."""
        stored = self.store.get_meta("saved_views") or {}
        if not isinstance(stored, dict):
            return {}
        return {str(k): str(v) for k, v in sorted(stored.items(), key=lambda kv: kv[0].casefold())}

    def save_view(self, name: str, query: str) -> None:
        """Save (or replace) a named query; raises LibraryError on a bad one."""
        from reader.core.query import QueryError, parse_query

        title = " ".join(name.split())
        if not title:
            raise LibraryError("a saved view needs a name")
        try:
            parse_query(query)
        except QueryError as error:
            raise LibraryError(f"bad query: {error}") from error
        self.store.update_meta("saved_views", lambda views: {**_views(views), title: query.strip()})

    def delete_view(self, name: str) -> bool:
        """Forget a saved view; False if there was none of that name."""
        if name not in self.saved_views():
            return False
        self.store.update_meta(
            "saved_views", lambda views: {k: v for k, v in _views(views).items() if k != name}
        )
        return True


def _views(stored: Any) -> dict[str, str]:
    """The saved views as stored (anything else: none)."""
    return {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}
