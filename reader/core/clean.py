"""Text cleaning at import: nothing from a document may drive the terminal.

Documents are shown in a terminal, so escape sequences (colours, OSC 8 links, window titles,
clipboard writes via OSC 52) and stray control characters are removed when a file is read,
before any other code sees the text.
"""

from __future__ import annotations

import re

__all__ = [
    "clean_field",
    "clean_text",
    "json_safe",
    "normalize_newlines",
    "show_bidi",
    "terminal_safe",
]

# Whole escape sequences first, so their parameters do not survive as visible junk:
# CSI (ESC [ or the C1 byte 0x9b) ... final byte; OSC/DCS/SOS/PM/APC (ESC ] P X ^ _ or their C1
# forms) ... up to BEL or ST (an unterminated one loses only its introducer, not the text
# after it); then any other two-character ESC sequence.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"
)
# C0 controls except tab and newline, DEL, C1 controls, and the BOM/zero-width no-break space.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_TRAILING = " \t\u00a0\u3000"


def normalize_newlines(text: str) -> str:
    """CRLF, lone CR and the Unicode line/paragraph separators become ``\\n``."""
    return (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n\n")
    )


def clean_text(text: str) -> str:
    """``text`` with normalised newlines, no escape sequences or control characters (tab and
    newline kept), and no trailing spaces on any line."""
    text = normalize_newlines(text)
    lines = text.split("\n")
    # cheap scans first: a line of printable characters holds no control character (so no
    # escape sequence either), and the escape-sequence regex is slow on ordinary text
    if not all(line.isprintable() for line in lines) and _CONTROL.search(text) is not None:
        lines = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text)).split("\n")
    return "\n".join(line.rstrip(_TRAILING) for line in lines)


# Lone surrogates (``surrogateescape``'d bytes of a non-UTF-8 command line) cannot be encoded
# or stored; each becomes U+FFFD, as a decoder replaces a bad byte.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): inside a line of
# terminal output they reorder what follows them (a title can make the next column read
# backwards), so output shows them as their code points.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def clean_field(text: str) -> str:
    """A note, tag, quote or title as it may be stored: newlines normalised, escape sequences
    and control characters removed (tab and newline kept), lone surrogates replaced.

    The one sanitiser for text people type or import (CLI arguments, the TUI's editors,
    ``import-annotations``); unlike :func:`clean_text` it keeps trailing spaces.
    """
    text = normalize_newlines(text)
    if _CONTROL.search(text) is not None:
        text = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
    if _SURROGATE.search(text) is not None:
        text = _SURROGATE.sub("\ufffd", text)
    return text


def show_bidi(text: str) -> str:
    """Bidi controls made visible as ``<U+202E>``, never live."""
    if _BIDI.search(text) is None:
        return text
    return _BIDI.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def terminal_safe(text: str) -> str:
    """``text`` fit to print on a terminal: :func:`clean_field` and :func:`show_bidi`."""
    return show_bidi(clean_field(text))


# JSON escapes C0 controls itself but leaves C1 and bidi controls raw, and a terminal may act
# on them (U+009B is CSI).
_JSON_LIVE = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_safe(encoded: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with C1 and bidi controls
    written as ``\\uXXXX`` escapes: the same JSON value, nothing live on a terminal."""
    if _JSON_LIVE.search(encoded) is None:
        return encoded
    return _JSON_LIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
