"""Plain dataclasses shared by every layer.

Offsets (``start``/``end``) are always character offsets into :attr:`Article.text`, the
article's body paragraphs joined by a blank line. Captions, titles and embeds are kept
apart and are not part of the anchorable text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from itertools import islice
from operator import attrgetter, le
from typing import Any, Literal

from reader.core.clean import clean_field

PARAGRAPH_SEPARATOR = "\n\n"

AnchorStatus = Literal["anchored", "fuzzy", "orphaned"]
ANCHOR_STATUSES: tuple[AnchorStatus, ...] = ("anchored", "fuzzy", "orphaned")

#: The five highlight colours, in key order (keys ``1``..``5``), with their default labels.
COLORS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR_LABELS: dict[str, str] = {
    "yellow": "highlight",
    "green": "key idea",
    "blue": "question",
    "pink": "disagree",
    "purple": "follow up",
}
DEFAULT_COLOR = "yellow"

#: what a highlight or article id may hold: ids go into file names, Markdown block markers
#: and URLs, so an imported one must not carry spaces, markup or separators
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_valid_id(value: object) -> bool:
    """Whether ``value`` is an id reader can write anywhere as is (:data:`ID_PATTERN`)."""
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def safe_id(value: str) -> str:
    """``value`` if it is a valid id, else a stable stand-in made from it (``h`` and 16 hex
    digits): the same foreign id always gives the same stand-in."""
    if is_valid_id(value):
        return value
    return "h" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def now_iso() -> str:
    """The current time as ISO 8601 with a zone, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def text_hash(text: str) -> str:
    """A short, stable content hash of a text (used to find the text an annotation was made on)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def article_id_for(name: str, index: int) -> str:
    """The stable id of the ``index``-th article of the file called ``name``.

    ``name`` is the file's path relative to the library root (its basename for a lone file),
    with ``/`` separators, so ids survive moves of the whole library and re-parses.
    """
    digest = hashlib.sha1(f"{name}#{index}".encode()).hexdigest()
    return digest[:12]


def plain_dict(obj: Any) -> dict[str, Any]:
    """A model dataclass as a JSON-ready dict: every field, lists copied, models in lists as
    their dicts.

    ``dataclasses.asdict`` deep-copies every value through a recursive walk (~0.1 ms per
    annotation: 5 of the 13 s of exporting 100,000 highlights); the models hold only
    strings, numbers, None and lists, so this is the same result.
    """
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, list):
            value = [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
        out[name] = value
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` in an article's text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(slots=True)
class Embed:
    """Something embedded in an article (a tweet, a link title, a bio), kept out of paragraphs."""

    kind: str  # "tweet" | "link" | "image" | "bio"
    text: str
    author: str | None = None
    handle: str | None = None
    url: str | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Embed:
        return cls(
            kind=str(data.get("kind", "link")),
            text=str(data.get("text", "")),
            author=data.get("author"),
            handle=data.get("handle"),
            url=data.get("url"),
            date=data.get("date"),
        )


@dataclass(slots=True)
class Article:
    """One article parsed out of a document (a file may hold several, see ``related_to``)."""

    id: str
    title: str
    paragraphs: list[str]
    date: str | None = None  # ISO YYYY-MM-DD
    source: str | None = None
    caption: str | None = None
    author: str | None = None
    summary: str | None = None
    related_to: str | None = None
    embeds: list[Embed] = field(default_factory=list)
    path: str = ""  # the document's path relative to the library root
    index: int = 0  # position of the article inside its document
    #: what the parser dropped as site boilerplate ("Leave A Comment", ...), kept for honesty
    boilerplate: list[str] = field(default_factory=list)
    #: the page's address, for an article clipped from the web (its W3C ``source``)
    url: str | None = None

    @property
    def text(self) -> str:
        """The anchorable body text: paragraphs joined by a blank line."""
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    def paragraph_spans(self) -> list[Span]:
        """The span of each paragraph inside :attr:`text`."""
        spans: list[Span] = []
        offset = 0
        for paragraph in self.paragraphs:
            spans.append(Span(offset, offset + len(paragraph)))
            offset += len(paragraph) + len(PARAGRAPH_SEPARATOR)
        return spans

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            paragraphs=[str(p) for p in data.get("paragraphs", [])],
            date=data.get("date"),
            source=data.get("source"),
            caption=data.get("caption"),
            author=data.get("author"),
            summary=data.get("summary"),
            related_to=data.get("related_to"),
            embeds=[Embed.from_dict(e) for e in data.get("embeds", [])],
            path=str(data.get("path", "")),
            index=int(data.get("index", 0)),
            boilerplate=[str(b) for b in data.get("boilerplate", [])],
            url=data.get("url"),
        )


@dataclass(slots=True)
class ArticleSummary:
    """What the article list needs, from the store's small index (no paragraphs)."""

    id: str
    title: str
    date: str | None = None
    source: str | None = None
    author: str | None = None
    related_to: str | None = None
    path: str = ""
    index: int = 0
    tags: list[str] = field(default_factory=list)
    annotation_count: int = 0
    read: bool = False
    progress: float = 0.0
    #: the note on the whole article (Hypothesis' page note), "" when none
    note: str = ""
    #: a web clipping's address, when an export read it from the full article (the
    #: catalog does not keep it)
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass(slots=True)
class Annotation:
    """A highlight with its note, tags and colour, anchored by W3C-style selectors.

    ``quote``/``prefix``/``suffix`` form the TextQuoteSelector, ``start``/``end`` the
    TextPositionSelector, both over the article's text as it is now. ``text_hash`` names the
    article text the selectors were last verified against (the store keeps that text), so a
    later edit can be diffed. ``original_quote`` keeps the quote as first made when fuzzy
    re-anchoring changed it.
    """

    id: str
    article_id: str
    quote: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: list[str] = field(default_factory=list)
    color: str = DEFAULT_COLOR
    status: AnchorStatus = "anchored"
    created: str = ""
    updated: str = ""
    original_quote: str | None = None
    text_hash: str | None = None
    deleted: str | None = None  # ISO time it went to the trash, or None
    #: how many times it was written: every change under the store lock takes the next one
    revision: int = 0

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Annotation:
        # 100,000 are read when a dense article opens: a local get, positional fields
        # (in declaration order) and no call for the usual None
        get = data.get
        status = get("status", "anchored")
        tags = get("tags")
        original, digest, deleted = get("original_quote"), get("text_hash"), get("deleted")
        return cls(
            str(data["id"]),
            str(data["article_id"]),
            str(get("quote", "")),
            int(get("start", 0)),
            int(get("end", 0)),
            str(get("prefix", "")),
            str(get("suffix", "")),
            str(get("note", "") or ""),
            [str(t) for t in tags] if tags else [],  # most have none: no comprehension
            str(get("color", DEFAULT_COLOR) or DEFAULT_COLOR),
            status if status in ANCHOR_STATUSES else "orphaned",
            str(get("created", "")),
            str(get("updated", "")),
            original if original is None else _text_or_none(original),
            digest if digest is None else _text_or_none(digest),
            deleted if deleted is None else _text_or_none(deleted),
            int(get("revision", 0) or 0),
        )


#: document order: start, end, then creation time, the id breaking ties (a C-level key)
DOCUMENT_ORDER = attrgetter("start", "end", "created", "id")
_START = attrgetter("start")


def sort_in_document_order(annotations: list[Annotation]) -> None:
    """Sort highlights in place by :data:`DOCUMENT_ORDER`.

    An article may hold 100,000: a key of one int each sorts about five times faster than
    a tuple each (~0.03 against ~0.15 s, even on highlights in order already); the few
    that share a start with another are then put in order by the whole key.
    """
    starts = list(map(_START, annotations))
    distinct = len(set(starts)) == len(starts)
    if distinct and all(map(le, starts, islice(starts, 1, None))):
        return  # in order already (the store's order, read again): nothing to sort
    annotations.sort(key=_START)
    if distinct:
        return
    starts = list(map(_START, annotations))
    run = 0
    for here in range(1, len(starts) + 1):
        if here == len(starts) or starts[here] != starts[run]:
            if here - run > 1:
                annotations[run:here] = sorted(annotations[run:here], key=DOCUMENT_ORDER)
            run = here


def _text_or_none(value: Any) -> str | None:
    """An optional text field as stored; anything else (``"deleted": 5`` from a hand-edited
    or foreign file) as its text, so sorting and comparing never meet an int."""
    if value is None or isinstance(value, str):
        return value
    return str(value)


@dataclass(slots=True)
class ReadingState:
    """Where the reader was in an article."""

    article_id: str
    position: int = 0  # character offset of the cursor in Article.text
    progress: float = 0.0  # 0.0 .. 1.0
    read: bool = False
    opened: str | None = None  # ISO time last opened

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReadingState:
        return cls(
            article_id=str(data["article_id"]),
            position=int(data.get("position") or 0),
            # (a progress that was not a number, NaN say, is stored as null)
            progress=float(data.get("progress") or 0.0),
            read=bool(data.get("read", False)),
            opened=data.get("opened"),
        )


def normalize_tag(tag: str) -> str:
    """Tags are trimmed, lower-cased, inner whitespace folded to '-', leading '#' dropped;
    control characters and escape sequences removed (a tag is shown on terminals)."""
    if not tag.isprintable():  # the usual tag is: no regex for it
        tag = clean_field(tag)
    cleaned = "-".join(tag.strip().lstrip("#").split())
    return cleaned.lower()


def normalize_tags(tags: list[str] | tuple[str, ...]) -> list[str]:
    """Normalise, drop empties and duplicates, keep first-seen order."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = normalize_tag(tag)
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)
