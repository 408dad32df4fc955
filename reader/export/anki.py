"""An Anki deck (``.apkg``) of highlights, written with genanki.

One note per highlight: the front is the quote, bold, inside a sentence of context either
side; the back adds the note, the tags and the source. Reader's tags become Anki tags. The
note's GUID is derived from the highlight's id alone, so importing a later export into Anki
updates the notes it already has instead of adding copies; the note type and the deck keep
fixed ids for the same reason.

Everything a field holds is text, escaped: Anki renders fields as HTML, and a quote or a
note saying ``<script>`` must show as those characters.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import genanki

from reader.export.highlight import HighlightInContext

__all__ = ["DECK_ID", "MODEL_ID", "note_for", "note_guid", "write_deck"]

#: fixed ids: a re-import finds the same note type and deck (random once, then constant)
MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110

FIELDS = ("Quote", "Context", "Note", "Tags", "Source")

MODEL = genanki.Model(
    MODEL_ID,
    "reader highlight",
    fields=[{"name": name} for name in FIELDS],
    templates=[
        {
            "name": "Highlight",
            "qfmt": '<div class="context">{{Context}}</div>',
            "afmt": (
                '{{FrontSide}}<hr id="answer">'
                '{{#Note}}<div class="note">{{Note}}</div>{{/Note}}'
                '{{#Tags}}<div class="tags">{{Tags}}</div>{{/Tags}}'
                '<div class="source">{{Source}}</div>'
            ),
        }
    ],
    css=(
        ".card { font-family: Georgia, serif; font-size: 20px; text-align: left; }\n"
        ".context b { background: #fff3a8; }\n"
        ".note { margin-top: 1em; }\n"
        ".tags, .source { margin-top: 1em; font-size: 15px; color: #666; }\n"
    ),
)


def note_guid(annotation_id: str) -> str:
    """The Anki GUID of a highlight's note: the same in every export."""
    return str(genanki.guid_for("reader-highlight", annotation_id))


def _text(value: str) -> str:
    """Plain text as an HTML field: escaped, line breaks kept."""
    return html.escape(value, quote=True).replace("\n", "<br>")


def _flat(value: str) -> str:
    return " ".join(value.split())


def anki_tag(tag: str) -> str:
    """An Anki tag (no spaces allowed there)."""
    return "_".join(tag.split())


def note_for(item: HighlightInContext) -> genanki.Note:
    """The Anki note of one highlight."""
    annotation = item.annotation
    quote = _flat(annotation.quote)
    context = f"{_text(item.before)}<b>{_text(quote)}</b>{_text(item.after)}"
    source = " · ".join(
        _text(part) for part in (item.title, item.author, item.source, item.url) if part
    )
    if annotation.status == "orphaned":
        source += " · (its passage is gone from the article)"
    return genanki.Note(
        model=MODEL,
        fields=[
            _text(quote),
            context,
            _text(annotation.note),
            _text(" ".join(f"#{t}" for t in annotation.tags)),
            source,
        ],
        tags=[anki_tag(t) for t in annotation.tags if anki_tag(t)],
        guid=note_guid(annotation.id),
    )


def _new_file_beside(path: Path) -> str:
    """An empty temporary file in ``path``'s folder with the mode ``path`` will have: its
    own mode when it exists, else the one the umask gives (``mkstemp`` would make it 0600,
    unlike every other export)."""
    try:
        mode: int | None = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = None
    while True:
        name = str(path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        try:
            if mode is not None:
                with contextlib.suppress(OSError):
                    os.fchmod(fd, mode)
        finally:
            os.close(fd)
        return name


def write_deck(
    path: Path,
    items: Iterable[HighlightInContext],
    deck_name: str = "reader highlights",
    timestamp: float | None = None,
) -> int:
    """Write the deck to ``path`` whole or not at all; returns the number of notes.

    The collection is built in a temporary SQLite file that is always removed (genanki's
    own ``write_to_file`` leaves it behind in the temp folder).
    """
    import time

    deck = genanki.Deck(DECK_ID, deck_name)
    count = 0
    for item in items:
        deck.add_note(note_for(item))
        count += 1
    stamp = time.time() if timestamp is None else timestamp
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, db_name = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    zip_name = _new_file_beside(path)
    try:
        connection = sqlite3.connect(db_name)
        try:
            genanki.Package(deck).write_to_db(
                connection.cursor(), stamp, itertools.count(int(stamp * 1000))
            )
            connection.commit()
        finally:
            connection.close()
        with zipfile.ZipFile(zip_name, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(db_name, "collection.anki2")
            archive.writestr("media", json.dumps({}))
        os.replace(zip_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(zip_name)
        raise
    finally:
        with contextlib.suppress(OSError):
            os.unlink(db_name)
    return count
