"""From cleaned text to "units": the logical lines the clipping parser classifies.

A clipping usually has one paragraph per line. Some files instead hard-wrap paragraphs and
separate them with blank lines; their wrapped lines are joined back into one unit. Markdown
files are read as blank-line paragraphs, with ``#`` headings, front matter and inline markup
handled here so the rest of the parser sees plain lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.dates import is_date_line
from reader.core.parse_rules import (
    byline_of,
    has_photo_credit,
    is_boilerplate,
    marker_rest,
    source_of,
    tweet_tail,
)

__all__ = ["MarkdownMeta", "Unit", "markdown_units", "text_units"]


@dataclass(slots=True)
class Unit:
    """One logical line. ``hint`` is set when the syntax already says what it is."""

    text: str
    hint: str | None = None  # "title" | "dek" | "caption" | "heading" | "item" | "code" | None


@dataclass(slots=True)
class MarkdownMeta:
    """What a Markdown file's front matter said."""

    fields: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # front-matter lines we have no field for


_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+\S")


def _is_structural(line: str) -> bool:
    """A line that stands on its own even inside a blank-line-separated block."""
    return (
        marker_rest(line) is not None
        or is_boilerplate(line)
        or source_of(line) is not None
        or byline_of(line) is not None
        or is_date_line(line)
        or has_photo_credit(line)
        or tweet_tail(line) is not None
        or _LIST_ITEM.match(line) is not None
    )


def _wrap_width(lines: list[str]) -> int:
    lengths = sorted(len(line) for line in lines if line.strip())
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """Blank lines separate blocks and nearly every line is short: wrapped prose."""
    non_blank = [line for line in lines if line.strip()]
    blanks = len(lines) - len(non_blank)
    if blanks < 2 or not non_blank:
        return False
    short = sum(len(line) <= 100 for line in non_blank)
    return short >= 0.8 * len(non_blank)


_SENTENCE_END = (
    ".",
    "!",
    "?",
    "…",
    '"',
    "”",
    "’",
    "'",
    ")",
    ":",
    ";",
    "。",
    "！",
    "？",
    "」",
    "』",
)


def _broken_mid_sentence(line: str, following: str) -> bool:
    """No closing punctuation, and the next line carries on in lower case."""
    return not line.endswith(_SENTENCE_END) and following[:1].islower()


def _join_block(block: list[str], width: int | None) -> list[str]:
    """Join the wrapped lines of one blank-line block.

    With a wrap ``width`` (a hard-wrapped file) a line ending well short of it ends the
    paragraph; without one (long lines) only a line broken mid-sentence is joined.
    """
    units: list[str] = []
    current: list[str] = []
    lines = [line.strip() for line in block]
    for k, text in enumerate(lines):
        if _is_structural(text):
            if current:
                units.append(" ".join(current))
                current = []
            units.append(text)
            continue
        current.append(text)
        following = lines[k + 1] if k + 1 < len(lines) else ""
        if width is not None:
            ends = len(text) < width * 0.5
        else:
            ends = not _broken_mid_sentence(text, following)
        if ends:
            units.append(" ".join(current))
            current = []
    if current:
        units.append(" ".join(current))
    return units


def text_units(text: str) -> list[Unit]:
    """The units of a plain-text clipping (blank lines dropped).

    One line is one paragraph, except in files that separate paragraphs by blank lines:
    there, lines wrapped inside a paragraph are joined again.
    """
    lines = text.split("\n")
    blank_separated = sum(1 for line in lines if not line.strip()) >= 2
    if not blank_separated:
        return [Unit(line.strip()) for line in lines if line.strip()]
    width = _wrap_width(lines) if _looks_hard_wrapped(lines) else None
    units: list[Unit] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
        elif block:
            units.extend(Unit(u) for u in _join_block(block, width))
            block = []
    return units


# --- Markdown -------------------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]*)(?:\s+\"([^\"]*)\")?\)$")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|(?:\*\s){2,}\*)$")
_FRONT_KEY = re.compile(r"^([A-Za-z][\w -]{0,30}):\s*(.*)$")
# bounded repeats: an unclosed "[" or "**" must not make a megabyte line quadratic
_LINK = re.compile(r"!?\[([^\]\n]{0,200})\]\([^)\n]{0,2000}\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,200}?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)([^*\n]{1,200}?)(?<=\S)\*(?!\*)"
    r"|(?<!\w)_(?=\S)([^_\n]{1,200}?)(?<=\S)_(?!\w)"
)
_CODE = re.compile(r"`([^`\n]{1,500})`")
_QUOTE = re.compile(r"^(?:>\s?)+")
_WHOLE_EMPHASIS = re.compile(r"^([*_])[^*_]+\1$")

FRONT_MATTER_KEYS = ("title", "date", "author", "by", "source", "caption", "summary", "description")


def strip_inline(text: str) -> str:
    """Plain text of a Markdown line: links keep their text, emphasis markers go."""
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)


def _front_matter(lines: list[str]) -> tuple[MarkdownMeta, list[str]]:
    meta = MarkdownMeta()
    if not lines or lines[0].strip() != "---":
        return meta, lines
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return meta, lines
    for line in lines[1:end]:
        match = _FRONT_KEY.match(line.strip())
        key = match.group(1).strip().lower() if match else ""
        value = match.group(2).strip().strip("\"'") if match else ""
        if key in FRONT_MATTER_KEYS and value:
            meta.fields.setdefault("author" if key == "by" else key, value)
        elif line.strip():
            meta.unknown.append(line.strip())
    return meta, lines[end + 1 :]


def markdown_units(text: str) -> tuple[MarkdownMeta, list[Unit]]:
    """Front matter and units of a Markdown document."""
    meta, lines = _front_matter(text.split("\n"))
    units: list[Unit] = []
    paragraph: list[str] = []
    in_code = False

    def flush() -> None:
        if paragraph:
            joined = " ".join(paragraph)
            # a wholly italic paragraph straight under the title is its dek (standfirst)
            dek = bool(units) and units[-1].hint == "title" and _WHOLE_EMPHASIS.match(joined)
            units.append(Unit(strip_inline(joined), "dek" if dek else None))
            paragraph.clear()

    for raw in lines:
        line = raw.strip()
        if line.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:  # code is kept line by line, verbatim
            if line:
                units.append(Unit(raw.rstrip(), "code"))
            continue
        line = _QUOTE.sub("", line).strip()
        heading = _HEADING.match(line)
        image = _IMAGE.match(line)
        if not line or _RULE.match(line):
            flush()
        elif heading:
            flush()
            level = len(heading.group(1))
            hint = (
                "title" if level == 1 and not any(u.hint == "title" for u in units) else "heading"
            )
            units.append(Unit(strip_inline(heading.group(2)), hint))
        elif image:
            flush()
            caption = image.group(3) or image.group(1)
            if caption.strip():
                units.append(Unit(caption.strip(), "caption"))
        elif _LIST_ITEM.match(line) or (len(line) <= 400 and _is_structural(strip_inline(line))):
            flush()
            units.append(Unit(strip_inline(line), "item" if _LIST_ITEM.match(line) else None))
        else:
            paragraph.append(line)
    flush()
    return meta, [u for u in units if u.text.strip()]
