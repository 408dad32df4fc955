"""Line classifiers used by the clipping parser: one question per function, all linear.

Every regex here is anchored or bounded, and the callers only try the expensive ones on lines
of a plausible length, so a multi-megabyte line costs one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reader.core.dates import find_date

# --- article separators ---------------------------------------------------------------------

_MARKER = re.compile(
    r"(?i)^\W{0,3}(?:related(?:\s+(?:articles?|stories|story|reading|coverage|content|link))?"
    r"|read\s+more|see\s+also|also\s+read|more\s+on\s+this)\s*:\W{0,3}\s*(.*)$"
)


def marker_rest(line: str) -> str | None:
    """For a "RELATED:" / "Read more:" / "See also:" line, the text after the colon ("" when
    the marker stands alone); None for any other line."""
    if len(line) > 400:
        return None
    match = _MARKER.match(line)
    if match is None:
        return None
    return match.group(1).strip().strip("*_").strip()


# --- site boilerplate -----------------------------------------------------------------------

#: boilerplate headings under which a site lists links to other stories
_LINK_LIST_HEADERS = frozenset(
    {
        "related posts", "related", "you may also like", "you might also like", "recommended",
        "recommended for you", "more stories", "trending", "trending now", "most popular",
        "popular", "don't miss", "dont miss", "up next", "read next", "more from",
        "more like this",
    }
)  # fmt: skip
_BOILERPLATE_EXACT = _LINK_LIST_HEADERS | {
    "leave a comment", "leave a reply", "comments", "comment", "add comment", "post a comment",
    "share this", "share", "share this article", "share this story", "share on", "like this",
    "advertisement", "advertisements", "ad", "sponsored", "sponsored content", "print", "email",
    "tweet", "print this article", "email this article", "loading", "skip to content",
    "subscribe", "sign up", "continue reading", "read more", "show comments", "view comments",
    "back to top", "tags", "filed under", "follow us", "newsletter", "next article",
    "previous article", "click here", "share via",
}  # fmt: skip
_BOILERPLATE_PATTERNS = re.compile(
    r"(?i)^(?:click\s+to\s+(?:share|email|print|tweet)\b.*"
    r"|.*\(opens\s+in\s+new\s+window\)"
    r"|share\s+on\s+(?:facebook|twitter|x|linkedin|whatsapp|reddit|email|pinterest|threads)\b.*"
    r"|(?:subscribe|sign\s+up)\b.{0,40}\bnewsletters?\b.*"
    r"|follow\s+us\s+on\b.*"
    r"|\d+\s+comments?"
    r"|(?:tags|filed\s+under|categories|topics)\s*:.*"
    r"|(?:image|photo)\s+source\s*:.*"
    r"|all\s+rights\s+reserved\.?"
    r"|(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*\d{4}\b).{0,80}"
    r"|article\s+continues\s+(?:below|after\s+advertisement)\.?"
    r"|(?:story|article)\s+continues\s+below\s+advertisement\.?)$"
)
_NON_WORD = re.compile(r"[^\w' ]+")


def _key(line: str) -> str:
    return " ".join(_NON_WORD.sub(" ", line.lower().replace("’", "'")).split())


def is_link_list_header(line: str) -> bool:
    """A "Related Posts" / "You may also like" heading: the short lines after it are links."""
    return len(line) <= 40 and _key(line) in _LINK_LIST_HEADERS


def is_boilerplate(line: str) -> bool:
    """Site furniture: share buttons, comment prompts, ads, newsletter pitches."""
    if len(line) > 120:
        return False
    # the exact phrases are all short: skip the normalising for prose
    if len(line) <= 40 and _key(line) in _BOILERPLATE_EXACT:
        return True
    return _BOILERPLATE_PATTERNS.match(line.strip()) is not None


# --- source / credit lines ------------------------------------------------------------------

_SOURCE = re.compile(
    r"(?i)^(?:reprinted|republished|reposted|syndicated)(?:\s+with\s+permission)?\s+from\s+(.+)$"
    r"|^originally\s+(?:published|appeared|posted)\s+(?:by|in|at|on)\s+(.+)$"
    r"|^source\s*:\s*(.+)$"
    r"|^this\s+(?:article|story|piece|post)\s+(?:first|originally)\s+"
    r"(?:appeared|ran|was\s+published)\s+(?:in|on|at|by)\s+(.+)$"
)
_SOURCE_TAIL = re.compile(r"(?i)[.;]\s.*$|,\s.*$|\s+(?:and|under|on|in)\s+(?:is|was|a|an|the)\b.*$")


def source_of(line: str) -> str | None:
    """The outlet named by a "Reprinted from X" / "Source: X" / "This article first appeared
    in X" line, or None."""
    if len(line) > 300:
        return None
    match = _SOURCE.match(line.strip())
    if match is None:
        return None
    name = next(group for group in match.groups() if group is not None)
    name = _SOURCE_TAIL.sub("", name).strip().rstrip(".").strip("*_ ")
    return name or None


_CREDIT = re.compile(
    r"(?i)(?:\b(?:photo|photograph|image|picture|illustration|credit|video)s?"
    r"(?:\s+(?:by|credit))?\s*[:/]\s*[^\n]{1,120}"
    r"|\b(?:photo|photograph|image|illustration)\s+by\s+[^\n.]{1,80}"
    r"|\((?:photo|image|credit|illustration)[^()]{0,120}\)\.?"
    r"|\b(?:getty\s+images|ap\s+photo|shutterstock|afp\s+via\s+getty\s+images)[^\n.]{0,60})$"
)


_CREDIT_WORDS = (
    "photo",
    "image",
    "picture",
    "illustration",
    "credit",
    "video",
    "getty",
    "shutterstock",
)


def _has_credit_word(lowered: str) -> bool:
    """Whether any of :data:`_CREDIT_WORDS` is in ``lowered`` (spelled out: ``in`` tests
    chained this way are several times faster than ``any()`` or a regex alternation)."""
    return (
        "photo" in lowered
        or "image" in lowered
        or "picture" in lowered
        or "illustration" in lowered
        or "credit" in lowered
        or "video" in lowered
        or "getty" in lowered
        or "shutterstock" in lowered
    )


@lru_cache(maxsize=4096)  # the header and body rules ask about the same lines
def has_photo_credit(line: str) -> bool:
    """Whether the line ends with a photo credit ("… Photo: Jane Doe/Reuters")."""
    if len(line) > 1200:
        return False
    tail = line[-200:]
    # cheap substring screen first: the regex search is the parser's hottest spot
    if not _has_credit_word(tail.lower()):
        return False
    return _CREDIT.search(tail) is not None


# --- bylines and bios -----------------------------------------------------------------------

_NAME_WORD = r"(?:[A-Z][\w'’.-]*|(?:de|da|del|der|van|von|la|le|al|bin|ibn|du|dos|y)\b)"
_NAME = rf"[A-Z][\w'’.-]*(?:\s+{_NAME_WORD}){{0,4}}"
_BYLINE = re.compile(
    r"^(?i:(?:written\s+|story\s+|words\s+|reporting\s+|text\s+)?by|authors?\s*:|writer\s*:)"
    r"[:\s]+"
    rf"(?P<names>{_NAME}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){_NAME})*)"
    r"(?:\s*(?:[|,·•–—-]|\s)\s*(?P<rest>.*))?$"
)
_BIO = re.compile(
    rf"^(?P<name>[A-Z][\w'’.-]+(?:\s+{_NAME_WORD}){{1,3}})\s+"
    r"(?:has\s+(?:covered|written|reported|been|worked|spent|contributed)"
    r"|is\s+(?:a|an|the)\b|writes|covers|reports|was\s+(?:a|an)\b|teaches|lives)"
)
_WRITERLY = re.compile(
    r"(?i)\b(?:covered|cover|covers|writ\w*|report\w*|journalis\w*|editor|author|correspondent"
    r"|contribut\w*|columnist|stories|freelance|bylines?|appeared|newsroom|staff)\b"
)


@dataclass(frozen=True, slots=True)
class Byline:
    """A parsed "By Jane Doe | January 3, 2025" line."""

    author: str
    date: str | None = None
    extra: str | None = None  # whatever followed the names that is not a date


def byline_of(line: str) -> Byline | None:
    """The author(s) of a byline ("By Jane Doe", "By Jane Doe and John Roe"), or None."""
    stripped = line.strip().strip("*_").strip()
    if len(stripped) > 200:
        return None
    match = _BYLINE.match(stripped)
    if match is None:
        return None
    names = match.group("names").strip()
    rest = (match.group("rest") or "").strip(" |,·•–—-")
    if not rest:
        return Byline(names)
    found = find_date(rest)
    if found is not None:
        return Byline(names, date=found)
    # "By Jane Doe is here" is prose, not a byline: what follows names must not be lowercase
    if rest[:1].islower():
        return None
    return Byline(names, extra=rest)


def bio_author(line: str) -> str | None:
    """The name at the start of an author bio ("Jane Doe has covered science for …"), or None."""
    if len(line) > 800:
        return None
    match = _BIO.match(line.strip())
    if match is None or _WRITERLY.search(line) is None:
        return None
    return match.group("name")


# --- embedded tweets ------------------------------------------------------------------------

_TWEET_TAIL = re.compile(
    r"^(?P<text>.*?)\s*(?P<url>(?:https?://)?(?:pic\.twitter\.com|t\.co)/\w+)?\s*"
    r"[—–-]{1,2}\s*(?P<author>[^()\n—–]{1,60}?)\s*\(@(?P<handle>\w{1,15})\)\s*"
    r"(?P<date>[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4})\s*$"
)


@dataclass(frozen=True, slots=True)
class TweetTail:
    """The last line of a pasted tweet: "… pic.twitter.com/x— Name (@handle) Month D, YYYY"."""

    text: str
    author: str
    handle: str
    date: str | None
    url: str | None


def tweet_tail(line: str) -> TweetTail | None:
    """Parse the closing line of an embedded tweet, or None."""
    if len(line) > 2000 or "(@" not in line:
        return None
    match = _TWEET_TAIL.match(line.strip())
    if match is None:
        return None
    url = match.group("url")
    if url and not url.startswith("http"):
        url = "https://" + url
    return TweetTail(
        text=match.group("text").strip(),
        author=match.group("author").strip(),
        handle=match.group("handle"),
        date=find_date(match.group("date")),
        url=url,
    )


_TWEETISH = re.compile(r"[@#]\w|https?://|[\U0001F000-\U0001FAFF\u2600-\u27BF]")
_PROSE_END = re.compile(r"[.…][\"'”’)]*$")


def looks_like_tweet_line(line: str) -> bool:
    """A line that reads like part of a tweet rather than article prose: it has a handle, a
    hashtag, a link or an emoji, or it is very short, or it does not end with a full stop."""
    return len(line) < 40 or _TWEETISH.search(line) is not None or _PROSE_END.search(line) is None


# --- line shapes ----------------------------------------------------------------------------

_LINK_PREFIX = re.compile(r"(?i)^(?:watch|video|listen|podcast|gallery|photos)\s*:\s*\S")


def is_link_line(line: str) -> bool:
    """A "WATCH: …" / "Video: …" line announcing embedded media."""
    return len(line) <= 300 and _LINK_PREFIX.match(line) is not None


def is_titleish(line: str) -> bool:
    """Short and not ending like a sentence: a headline, a video title, a link text."""
    stripped = line.strip()
    return 0 < len(stripped) <= 200 and not stripped.endswith((".", "…", ":", ";", ","))


def is_teaser(line: str) -> bool:
    """A teaser cut short with an ellipsis ("… the United States must…")."""
    return line.rstrip().endswith(("…", "...")) and len(line) <= 600
