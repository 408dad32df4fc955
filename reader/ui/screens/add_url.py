"""The palette's "Add URL…": ask for an address, fetch and import the page off the UI thread
(:func:`reader.service.webclip.add_url`), then list it and open it."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual.screen import Screen

from reader.ui.commands import PaletteCommand
from reader.ui.messages import SyncFinished
from reader.ui.screens.input_prompt import InputPrompt

NAME = "Add URL…"
HELP = "Fetch a web page, save it into the library folder and import it"


def add_url_command(screen: Screen[Any]) -> PaletteCommand:
    """The palette command, for a screen with a ``library`` and ``open_article``."""
    return (NAME, HELP, partial(ask_for_url, screen))


def ask_for_url(screen: Screen[Any]) -> None:
    """Ask for the address; adding starts when it is given."""
    prompt = InputPrompt("Add URL", placeholder="https://…")
    screen.app.push_screen(prompt, callback=partial(start_adding, screen))


def start_adding(screen: Screen[Any], url: str | None) -> None:
    """Fetch and import ``url`` in a thread; the outcome becomes notifications."""
    if url is None or not url.strip():
        return
    screen.notify(f"Fetching {url.strip()}…", markup=False)
    screen.run_worker(
        partial(_add, screen, url.strip()),
        thread=True,
        group="add-url",
        exit_on_error=False,
    )


def _add(screen: Screen[Any], url: str) -> None:
    from reader.service.webclip import add_url

    try:
        added = add_url(screen.library, url)  # type: ignore[attr-defined]
    except Exception as error:  # a fetch or import failure becomes a notification
        message = str(error) or type(error).__name__
        screen.app.call_from_thread(screen.notify, message, severity="error", markup=False)
        return
    screen.app.call_from_thread(_added, screen, added)


def _added(screen: Screen[Any], added: Any) -> None:
    verb = "Updated" if added.updated else "Added"
    screen.notify(f"{verb}: {added.title}", markup=False)
    # the same path as the background import: the list reloads, highlights that moved
    # are announced; then the new article opens
    screen.post_message(SyncFinished(added.report, announced=True))
    screen.call_later(partial(screen.open_article, added.article_id, focus=True))  # type: ignore[attr-defined]
