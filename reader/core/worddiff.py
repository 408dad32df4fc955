"""Word-level differences between an old quote and the text that now stands for it."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

DiffOp = Literal["same", "removed", "added"]
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[tuple[DiffOp, str]]:
    """Pieces of ``old`` and ``new`` marked same/removed/added, in reading order.

    Joining the ``same`` and ``removed`` pieces gives ``old``; ``same`` and ``added`` give
    ``new``.
    """
    old_tokens = _TOKENS.findall(old)
    new_tokens = _TOKENS.findall(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    pieces: list[tuple[DiffOp, str]] = []

    def emit(op: DiffOp, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + text)
        else:
            pieces.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("same", old_tokens[i1:i2])
        else:
            emit("removed", old_tokens[i1:i2])
            emit("added", new_tokens[j1:j2])
    return pieces
