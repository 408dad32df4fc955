"""The body of an article: paragraphs, with embeds, the bio and site furniture taken out."""

from __future__ import annotations

import re

from reader.core.models import Article, Embed
from reader.core.parse_rules import (
    bio_author,
    has_photo_credit,
    is_boilerplate,
    is_link_line,
    is_link_list_header,
    is_titleish,
    looks_like_tweet_line,
    marker_rest,
    source_of,
    tweet_tail,
)
from reader.core.parse_units import Unit

__all__ = ["fill_body"]

_TWEET_CHARS = 280
_TWEET_MAX_LINES = 4
_LONE_TWEET_CHARS = 400
_TRAILING_TWEET_URL = re.compile(r"(?:https?://)?(?:pic\.twitter\.com|t\.co)/\w+$")


def _tweet_lines(candidates: list[str], tail_text: str) -> int:
    """How many of the paragraphs just before a tweet's closing line belong to the tweet.

    A pasted tweet loses its box: its first lines look like paragraphs. Take them back while
    they fit in a tweet and read like one; an introduction ("She wrote:") or a plain sentence
    of prose stays in the article. A closing line without text takes at least one line.
    """
    budget = _TWEET_CHARS - len(tail_text)
    taken = 0
    for line in reversed(candidates):
        if line.endswith(":") or taken >= _TWEET_MAX_LINES - 1:
            break
        # links and thread marks can push a pasted tweet past 280 characters: a lone closing
        # line always takes the line above it when that is tweet-sized
        if len(line) + 1 > budget and (tail_text or taken or len(line) > _LONE_TWEET_CHARS):
            break
        if not looks_like_tweet_line(line) and (tail_text or taken):
            break
        taken += 1
        budget -= len(line) + 1
    return taken


def _tail_flags(units: list[Unit]) -> list[bool]:
    """``flags[k]``: all units after ``k`` are end matter (bio, links, furniture)."""
    flags = [False] * len(units)
    ok = True
    for k in range(len(units) - 1, -1, -1):
        flags[k] = ok
        text = units[k].text
        ok = ok and (
            units[k].hint in ("boilerplate", "link")
            or is_boilerplate(text)
            or source_of(text) is not None
            or bio_author(text) is not None
            or is_titleish(text)
        )
        if not ok:
            break
    return flags


def fill_body(article: Article, units: list[Unit]) -> None:
    """Paragraphs, with tweets, links, inline captions, the bio and furniture taken out."""
    tail_ok = _tail_flags(units)
    after_embed = False
    since_embed = 0  # paragraphs added since the last embed: only those may join a tweet
    for k, unit in enumerate(units):
        text, hint = unit.text, unit.hint
        if hint == "boilerplate" or (hint is None and is_boilerplate(text)):
            article.boilerplate.append(text)
            if is_link_list_header(text):  # the headlines listed under it are links
                after_embed = True
            continue
        if hint == "link" or (hint is None and is_link_line(text)):
            article.embeds.append(Embed(kind="link", text=marker_rest(text) or text))
            after_embed, since_embed = True, 0
            continue
        if hint == "caption":
            article.embeds.append(Embed(kind="image", text=text))
            continue
        if hint is not None:  # headings and list items are body text
            article.paragraphs.append(text)
            after_embed, since_embed = False, since_embed + 1
            continue
        tail = tweet_tail(text)
        if tail is not None:
            parts = [tail.text] if tail.text else []
            taken = _tweet_lines(
                article.paragraphs[len(article.paragraphs) - since_embed :], tail.text
            )
            if taken:
                parts[:0] = article.paragraphs[-taken:]
                del article.paragraphs[-taken:]
            url = tail.url
            found = _TRAILING_TWEET_URL.search(parts[-1]) if parts and url is None else None
            if found is not None:
                url = (
                    found.group(0)
                    if found.group(0).startswith("http")
                    else "https://" + found.group(0)
                )
            article.embeds.append(
                Embed(
                    kind="tweet",
                    text="\n".join(parts),
                    author=tail.author,
                    handle=tail.handle,
                    url=url,
                    date=tail.date,
                )
            )
            after_embed, since_embed = True, 0
            continue
        if after_embed and is_titleish(text):  # the title of a video or link shown under an embed
            article.embeds.append(Embed(kind="link", text=text))
            continue
        source = source_of(text)
        if source is not None:  # "This article first appeared in X." at the end
            article.source = article.source or source
            article.boilerplate.append(text)
            continue
        bio = bio_author(text) if tail_ok[k] else None
        if bio is not None:
            article.embeds.append(Embed(kind="bio", text=text, author=bio))
            article.author = article.author or bio
            continue
        if has_photo_credit(text) and len(text) <= 600:
            article.embeds.append(Embed(kind="image", text=text))
            continue
        article.paragraphs.append(text)
        after_embed, since_embed = False, since_embed + 1
