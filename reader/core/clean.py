"""Text cleaning at import: nothing from a document may drive the terminal.

Documents are shown in a terminal, so escape sequences (colours, OSC 8 links, window titles,
clipboard writes via OSC 52) and stray control characters are removed when a file is read,
before any other code sees the text.
"""

from __future__ import annotations

import re

__all__ = ["clean_text", "normalize_newlines"]

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
