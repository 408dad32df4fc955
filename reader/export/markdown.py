"""Markdown export of an article's highlights that survives the user's own edits.

Layout of one article file::

    ---
    title: "…"            (YAML front matter; keys we do not own are kept on merge)
    ---

    <!-- reader:begin article <article_id> -->
    <!-- reader:block header -->
    # Title
    …
    <!-- reader:end header -->

    <!-- reader:block article-note -->   (the note on the whole article, if any)
    ## Note
    …
    <!-- reader:end article-note -->

    <!-- reader:annotation <id> -->
    > quoted text
    note, #tags, colour label
    <!-- reader:end <id> -->
    …
    <!-- reader:end article -->

Everything between a block's markers is ours and is rewritten on re-export; everything
else is the user's. :func:`merge_into` replaces blocks in place by id, drops the blocks
of deleted highlights, and inserts new ones in reading order, so text written around
and between blocks is never lost or duplicated, and merging twice changes nothing.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from reader.core.clean import clean_field
from reader.core.models import Annotation, Article, ArticleSummary, safe_id

__all__ = ["merge_into", "render_article", "render_library", "stable_filename"]

AnyArticle = Article | ArticleSummary

_OPEN = re.compile(r"^<!-- reader:(?:annotation|block) (\S+) -->$")
_CLOSE = re.compile(r"^<!-- reader:end (\S+) -->$")
_BEGIN = re.compile(r"^<!-- reader:begin article (\S+) -->$")
_END_ARTICLE = "<!-- reader:end article -->"
_HEADER, _ORPHANS, _NOTE = "header", "orphaned", "article-note"
# Line starts Markdown would read as structure inside a quote: headings, nested quotes,
# list items, thematic breaks / setext underlines, fenced code, HTML.
_BLOCK_START = re.compile(r"^(\s*)([#>]|[-+*](?=\s|$)|\d+(?=[.)](?:\s|$))|[=_-]{3,}|`{3,}|~{3,}|<)")


# A "<" that starts a URI autolink (<https://example.org>) is Markdown, not HTML: it stays.
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>")
_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _no_html_inline(text: str) -> str:
    """``text`` with every ``<`` that could open raw HTML (a tag, a comment, a processing
    instruction) written as ``&lt;``, outside code spans (where it is shown as is anyway)."""
    if "<" not in text:
        return text
    out: list[str] = []
    position = 0
    while position < len(text):
        run = _BACKTICKS.search(text, position)
        if run is None:
            out.append(_escape_lt(text[position:]))
            break
        out.append(_escape_lt(text[position : run.start()]))
        # a code span runs to the next backtick run of the same length (CommonMark)
        close = re.compile(rf"(?<!`){re.escape(run.group())}(?!`)").search(text, run.end())
        if close is None:
            out.append(run.group())
            position = run.end()
            continue
        out.append(text[run.start() : close.end()])
        position = close.end()
    return "".join(out)


def _escape_lt(text: str) -> str:
    parts = _AUTOLINK.split(text)
    links = _AUTOLINK.findall(text)
    escaped = [part.replace("<", "&lt;") for part in parts]
    return "".join(p + (links[i] if i < len(links) else "") for i, p in enumerate(escaped))


def _no_html(lines: list[str]) -> list[str]:
    """Lines of Markdown with no raw HTML left live (fenced code blocks kept as they are)."""
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            out.append(line)
        elif opened:
            fence = opened.group(1)
            out.append(line)
        else:
            out.append(_no_html_inline(line))
    return out


def marker_id(annotation_id: str) -> str:
    """The id written in a block's markers: the highlight's id, or for an id that is not
    safe there (a space, ``-->``) a stable stand-in, so markers always parse and never
    carry markup (ids are checked at import; this covers stores written before that)."""
    return safe_id(annotation_id)


def _escape_line(line: str) -> str:
    """Escape only what would change a line's meaning inside a block quote."""
    line = _no_html_inline(line)
    match = _BLOCK_START.match(line)
    if not match:
        return line
    indent, token = match.group(1), match.group(2)
    if token.isdigit():  # "1." -> "1\." keeps the number, stops the list
        return f"{indent}{token}\\{line[match.end() :]}"
    return f"{indent}\\{line[len(indent) :]}"


def _quote_block(text: str) -> list[str]:
    lines = clean_field(text).split("\n")
    return [f"> {_escape_line(line)}".rstrip() if line.strip() else ">" for line in lines]


def _safe_user_text(text: str) -> list[str]:
    """Note lines, their Markdown kept; raw HTML (which would include our own markers) and
    control characters are not."""
    return _no_html(clean_field(text).split("\n"))


def _yaml(value: object) -> str:
    # A JSON string or list is valid YAML flow syntax and escapes everything needed; < > &
    # as \u escapes (the same YAML value) leave no markup for a renderer that does not know
    # front matter and shows it as a paragraph.
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _front_matter_fields(article: AnyArticle) -> dict[str, str]:
    tags = list(getattr(article, "tags", []) or [])
    return {
        "title": _yaml(article.title),
        "source": _yaml(article.source or ""),
        "date": _yaml(article.date or ""),
        "author": _yaml(article.author or ""),
        "tags": _yaml(tags),
        "reader_id": _yaml(article.id),
        # a web clipping's address, as Obsidian and Readwise exports carry it
        **({"url": _yaml(url)} if (url := getattr(article, "url", None)) else {}),
    }


def _front_matter(article: AnyArticle) -> list[str]:
    fields = _front_matter_fields(article)
    return ["---", *(f"{key}: {value}" for key, value in fields.items()), "---"]


def _header_block(article: AnyArticle, level: int) -> list[str]:
    lines = [f"{'#' * level} {_inline(article.title or 'Untitled')}"]
    meta = " · ".join(part for part in (article.source, article.author, article.date) if part)
    if meta:
        lines += ["", _escape_line(" ".join(clean_field(meta).split()))]
    return _wrap("block", _HEADER, lines)


def _article_note(article: AnyArticle) -> str:
    return str(getattr(article, "note", "") or "").strip("\n")


def _note_block(article: AnyArticle, level: int) -> list[str]:
    """The note on the whole article, as a section of its own under the header."""
    heading = f"{'#' * (level + 1)} Note"
    return _wrap("block", _NOTE, [heading, "", *_safe_user_text(_article_note(article))])


def _inline(text: str) -> str:
    return _no_html_inline(" ".join(clean_field(text).split()))


def _wrap(kind: str, block_id: str, lines: list[str]) -> list[str]:
    return [f"<!-- reader:{kind} {block_id} -->", *lines, f"<!-- reader:end {block_id} -->"]


def _annotation_block(annotation: Annotation, color_labels: Mapping[str, str]) -> list[str]:
    lines = _quote_block(annotation.quote)
    if annotation.note.strip():
        lines += ["", *_safe_user_text(annotation.note.strip("\n"))]
    meta = [f"#{tag}" for tag in annotation.tags]
    label = color_labels.get(annotation.color)
    meta.append(f"*{label}* ({annotation.color})" if label else f"({annotation.color})")
    if annotation.status == "orphaned":
        meta.append("orphaned: not found in the current text")
    elif annotation.status == "fuzzy":
        meta.append("re-anchored")
    lines += ["", " · ".join(meta)]
    return _wrap("annotation", marker_id(annotation.id), lines)


def _split(annotations: Iterable[Annotation]) -> tuple[list[Annotation], list[Annotation]]:
    live = [a for a in annotations if not a.deleted]
    placed = sorted((a for a in live if a.status != "orphaned"), key=lambda a: (a.start, a.end))
    orphans = sorted((a for a in live if a.status == "orphaned"), key=lambda a: a.created)
    return placed, orphans


def _orphan_heading(level: int) -> list[str]:
    return _wrap("block", _ORPHANS, [f"{'#' * (level + 1)} Orphaned highlights"])


def _region(
    article: AnyArticle,
    annotations: Iterable[Annotation],
    color_labels: Mapping[str, str],
    level: int = 1,
) -> list[str]:
    placed, orphans = _split(annotations)
    lines = [f"<!-- reader:begin article {article.id} -->", *_header_block(article, level)]
    if _article_note(article).strip():
        lines += ["", *_note_block(article, level)]
    for annotation in placed:
        lines += ["", *_annotation_block(annotation, color_labels)]
    if orphans:
        lines += ["", *_orphan_heading(level)]
        for annotation in orphans:
            lines += ["", *_annotation_block(annotation, color_labels)]
    return [*lines, _END_ARTICLE]


def render_article(
    article: AnyArticle, annotations: Iterable[Annotation], color_labels: Mapping[str, str]
) -> str:
    """A whole Markdown file for one article: front matter, header and highlights."""
    lines = [*_front_matter(article), "", *_region(article, annotations, color_labels)]
    return "\n".join(lines) + "\n"


def render_library(
    items: Iterable[tuple[AnyArticle, Iterable[Annotation]]],
    color_labels: Mapping[str, str],
    title: str = "Reader highlights",
) -> str:
    """One Markdown document with every given article's highlights, one section each."""
    lines = ["---", f"title: {_yaml(title)}", "---", "", f"# {_inline(title)}"]
    for article, highlights in items:
        lines += ["", *_region(article, highlights, color_labels, level=2)]
    return "\n".join(lines) + "\n"


def stable_filename(article: AnyArticle) -> str:
    """``<slug-of-title>-<first 8 of id>.md``: readable, stable across re-exports."""
    # Split on any non-word character first, so "Iran–Russia" gives two words.
    words = []
    for word in re.findall(r"[^\W_]+", unicodedata.normalize("NFKD", article.title or "")):
        ascii_word = word.encode("ascii", "ignore").decode().lower()
        if ascii_word:
            words.append(ascii_word)
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    short = re.sub(r"[^A-Za-z0-9]", "", article.id)[:8] or "article"
    return f"{slug or 'article'}-{short}.md"


# --- merging -------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    id: str
    lines: list[str]


_Item = str | _Block  # a user line or one of our blocks


def _block_end(lines: list[str], start: int, block_id: str) -> int | None:
    """The line closing the block opened at ``start``; None if another opens first.

    Stopping at the next opening marker keeps a block whose end marker the user deleted
    from swallowing the text up to some later block's end.
    """
    close = f"<!-- reader:end {block_id} -->"
    for index in range(start + 1, len(lines)):
        if lines[index] == close:
            return index
        if _OPEN.match(lines[index]):
            return None
    return None


def _parse_region(lines: list[str]) -> list[_Item]:
    """User lines and our blocks; an unclosed block is treated as user text."""
    items: list[_Item] = []
    index = 0
    while index < len(lines):
        opened = _OPEN.match(lines[index])
        if opened:
            block_id = opened.group(1)
            end = _block_end(lines, index, block_id)
            if end is not None:
                items.append(_Block(block_id, lines[index : end + 1]))
                index = end + 1
                continue
        items.append(lines[index])
        index += 1
    return items


def _merge_front_matter(lines: list[str], article: AnyArticle) -> list[str]:
    """Rewrite the keys we own in existing front matter; keep every other line."""
    if not lines or lines[0] != "---":
        return lines
    try:
        close = lines.index("---", 1)
    except ValueError:
        return lines
    fields = _front_matter_fields(article)
    body: list[str] = []
    seen: set[str] = set()
    skipping = False
    for line in lines[1:close]:
        if skipping and (line[:1].isspace() or line.startswith("- ")):
            continue  # the rest of a value we own (a block list or folded text)
        skipping = False
        key = line.split(":", 1)[0].strip() if ":" in line and not line[:1].isspace() else None
        if key in fields and key not in seen:
            body.append(f"{key}: {fields[key]}")
            seen.add(key)
            skipping = True
        else:
            body.append(line)
    body += [f"{key}: {value}" for key, value in fields.items() if key not in seen]
    return ["---", *body, *lines[close:]]


def merge_into(
    existing: str,
    article: AnyArticle,
    annotations: Iterable[Annotation],
    color_labels: Mapping[str, str],
) -> str:
    """Re-export into a file the user may have edited, keeping all of their text.

    Blocks are rewritten in place by id; blocks of highlights no longer given are
    removed; new highlights are inserted after the nearest earlier highlight (orphans at
    the end). Without our article region the export is appended after the user's text.
    """
    # blocks are matched by the id in their markers
    placed, orphans = (
        [replace(a, id=marker_id(a.id)) for a in group] for group in _split(annotations)
    )
    lines = existing.split("\n")
    trailing_newline = existing.endswith("\n")
    if trailing_newline:
        lines.pop()
    lines = _merge_front_matter(lines, article)
    begin = next(
        (
            i
            for i, line in enumerate(lines)
            if (m := _BEGIN.match(line)) and m.group(1) == article.id
        ),
        None,
    )
    end = (
        None
        if begin is None
        else next((i for i in range(begin + 1, len(lines)) if lines[i] == _END_ARTICLE), None)
    )
    if begin is None or end is None:
        region = _region(article, placed + orphans, color_labels)
        if not "".join(lines).strip():
            return render_article(article, placed + orphans, color_labels)
        return "\n".join([*lines, "", *region]) + "\n"
    level = 1
    items = _parse_region(lines[begin + 1 : end])
    for item in items:
        if isinstance(item, _Block) and item.id == _HEADER:
            heading = next((line for line in item.lines if line.startswith("#")), "#")
            level = len(heading) - len(heading.lstrip("#")) or 1
    merged = _merge_items(items, article, placed, orphans, color_labels, level)
    out = [*lines[: begin + 1], *merged, *lines[end:]]
    return "\n".join(out) + ("\n" if trailing_newline else "")


def _merge_items(
    items: list[_Item],
    article: AnyArticle,
    placed: list[Annotation],
    orphans: list[Annotation],
    color_labels: Mapping[str, str],
    level: int,
) -> list[str]:
    by_id = {a.id: a for a in placed + orphans}
    orphan_ids = {o.id for o in orphans}
    kept: list[_Item] = []
    in_orphans = False  # past the "Orphaned highlights" heading
    for item in items:
        if not isinstance(item, _Block):
            kept.append(item)
        elif item.id == _HEADER:
            kept.append(_Block(_HEADER, _header_block(article, level)))
        elif item.id == _NOTE:
            if _article_note(article).strip():
                kept.append(_Block(_NOTE, _note_block(article, level)))
        elif item.id == _ORPHANS:
            in_orphans = True
            if orphans:
                kept.append(_Block(_ORPHANS, _orphan_heading(level)))
        elif item.id in by_id and (item.id in orphan_ids) == in_orphans:
            kept.append(_Block(item.id, _annotation_block(by_id[item.id], color_labels)))
        # else: a deleted highlight - its block goes, the user's lines around it stay; or
        # one that lost (or found again) its passage - its block moves to its new section

    def position(block_id: str) -> int | None:
        return next(
            (i for i, it in enumerate(kept) if isinstance(it, _Block) and it.id == block_id), None
        )

    def block(annotation: Annotation) -> _Block:
        return _Block(annotation.id, _annotation_block(annotation, color_labels))

    present = {it.id for it in kept if isinstance(it, _Block)}
    header = position(_HEADER)
    if _article_note(article).strip() and _NOTE not in present and header is not None:
        kept[header + 1 : header + 1] = ["", _Block(_NOTE, _note_block(article, level))]
    for annotation in placed:
        if annotation.id in present:
            continue
        key = (annotation.start, annotation.end)
        others = [a for a in placed if a.id in present]
        earlier = [a for a in others if (a.start, a.end) <= key]
        later = [a for a in others if (a.start, a.end) > key]
        header, orphan_heading = position(_HEADER), position(_ORPHANS)
        if earlier:
            at = position(max(earlier, key=lambda a: (a.start, a.end)).id)
            assert at is not None
            kept[at + 1 : at + 1] = ["", block(annotation)]
        elif later:
            at = position(min(later, key=lambda a: (a.start, a.end)).id)
            assert at is not None
            kept[at:at] = [block(annotation), ""]
        elif header is not None:
            kept[header + 1 : header + 1] = ["", block(annotation)]
        elif orphan_heading is not None:
            kept[orphan_heading:orphan_heading] = [block(annotation), ""]
        else:
            kept += ["", block(annotation)]
        present.add(annotation.id)
    if orphans and position(_ORPHANS) is None:
        kept += ["", _Block(_ORPHANS, _orphan_heading(level))]
    orphan_section = orphan_ids | {_ORPHANS}
    for annotation in orphans:
        if annotation.id in present:
            continue
        at = max(
            i for i, it in enumerate(kept) if isinstance(it, _Block) and it.id in orphan_section
        )
        kept[at + 1 : at + 1] = ["", block(annotation)]
        present.add(annotation.id)
    out: list[str] = []
    for item in kept:
        out.extend(item.lines if isinstance(item, _Block) else [item])
    return out
