"""A word-level diff of two texts, used to carry offsets from the old text to the new one.

The diff is a longest-common-subsequence alignment of tokens, each a word with its
punctuation and the space after it (rapidfuzz's Indel opcodes, in C: about a millisecond
for a long article; coarser tokens than single words and punctuation halve the cost of
tokenising without changing the results measured by ``benchmarks.anchoring``). Short runs of
"equal" tokens sandwiched between changes (a shared "the ", a lone space) are folded into
the change around them, so a replaced paragraph reads as one replacement rather than as
scraps of coincidental agreement.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rapidfuzz.distance import Indel

_TOKEN = re.compile(r"\S+\s*|\s+")

#: equal runs shorter than this many characters, between two changes, count as changed
MIN_EQUAL_CHARS = 12


@dataclass(frozen=True, slots=True)
class Op:
    """One diff operation over character offsets: old ``[i1, i2)`` became new ``[j1, j2)``."""

    tag: str  # "equal" | "replace" | "delete" | "insert"
    i1: int
    i2: int
    j1: int
    j2: int


def _token_starts(text: str) -> tuple[list[str], list[int]]:
    """The tokens of ``text`` and where each starts (plus the end); the tokens tile the text."""
    tokens = _TOKEN.findall(text)
    return tokens, list(accumulate(map(len, tokens), initial=0))


def _merge(ops: list[Op]) -> list[Op]:
    """Fold short equal runs between changes into one replacement; join adjacent changes."""
    out: list[Op] = []
    for index, op in enumerate(ops):
        if op.tag == "equal":
            inner = 0 < index < len(ops) - 1
            if not (inner and op.i2 - op.i1 < MIN_EQUAL_CHARS):
                out.append(op)
                continue
        if out and out[-1].tag != "equal":
            last = out[-1]
            out[-1] = Op("replace", last.i1, op.i2, last.j1, op.j2)
        else:
            tag = "replace" if op.tag == "equal" else op.tag
            out.append(Op(tag, op.i1, op.i2, op.j1, op.j2))
    # a merged change may have no old or no new side left
    fixed = []
    for op in out:
        if op.tag != "equal":
            if op.i1 == op.i2:
                op = Op("insert", op.i1, op.i2, op.j1, op.j2)
            elif op.j1 == op.j2:
                op = Op("delete", op.i1, op.i2, op.j1, op.j2)
            else:
                op = Op("replace", op.i1, op.i2, op.j1, op.j2)
        fixed.append(op)
    return fixed


def _slide(ops: list[Op], old: str, new: str) -> list[Op]:
    """Slide each lone insertion or deletion as far right as the text allows.

    Where text repeats ("A S X" -> "A S S X") the diff may put the insertion anywhere
    inside the repeat; the rightmost choice keeps the old passage on the first copy, where
    it was, with the copy counted as the new text.
    """
    ops = list(ops)
    for k in range(1, len(ops) - 1):
        op, before, after = ops[k], ops[k - 1], ops[k + 1]
        if op.tag not in ("insert", "delete") or before.tag != "equal" or after.tag != "equal":
            continue
        room = after.i2 - after.i1
        if op.tag == "insert":
            step = 0
            while step < room and new[op.j1 + step] == new[op.j2 + step]:
                step += 1
        else:
            step = 0
            while step < room and old[op.i1 + step] == old[op.i2 + step]:
                step += 1
        if step:
            ops[k - 1] = Op("equal", before.i1, before.i2 + step, before.j1, before.j2 + step)
            ops[k] = Op(op.tag, op.i1 + step, op.i2 + step, op.j1 + step, op.j2 + step)
            ops[k + 1] = Op("equal", after.i1 + step, after.i2, after.j1 + step, after.j2)
    return [op for op in ops if op.tag != "equal" or op.i2 > op.i1]


class TextDiff:
    """The diff of ``old`` against ``new``, with offset mapping from old to new."""

    def __init__(self, old: str, new: str) -> None:
        old_tokens, old_starts = _token_starts(old)
        new_tokens, new_starts = _token_starts(new)
        raw = [
            Op(
                op.tag,
                old_starts[op.src_start],
                old_starts[op.src_end],
                new_starts[op.dest_start],
                new_starts[op.dest_end],
            )
            for op in Indel.opcodes(old_tokens, new_tokens)
        ]
        self.ops = _slide(_merge(raw), old, new)
        # the ops that cover old characters (inserts cover none), to find the one holding an offset
        self._covering = [op for op in self.ops if op.i1 < op.i2]
        self._covering_starts = [op.i1 for op in self._covering]
        # the equal ops in new-text order, to ask whether new text already existed before
        self._equal_new = [op for op in self.ops if op.tag == "equal"]
        self._equal_new_starts = [op.j1 for op in self._equal_new]
        # the ops that cover new characters, to carry new offsets back to the old text
        self._covering_new = [op for op in self.ops if op.j1 < op.j2]
        self._covering_new_starts = [op.j1 for op in self._covering_new]
        self._new_length = len(new)

    def _covering_op(self, char: int) -> Op | None:
        """The op whose old side holds character ``char``, if any."""
        index = bisect_right(self._covering_starts, char) - 1
        if index < 0 or index >= len(self._covering):
            return None
        op = self._covering[index]
        return op if op.i1 <= char < op.i2 else None

    def map_start(self, offset: int) -> int:
        """Where a passage starting at old ``offset`` starts in the new text.

        Text inserted right before the passage stays outside it; a passage whose first
        characters were replaced or deleted starts where the replacement starts.
        """
        op = self._covering_op(offset)
        if op is None:
            return self._new_length if offset > 0 else 0
        if op.tag == "equal":
            return op.j1 + (offset - op.i1)
        return op.j1

    def map_end(self, offset: int) -> int:
        """Where a passage ending at old ``offset`` ends in the new text.

        Text inserted right after the passage stays outside it.
        """
        if offset <= 0:
            return 0
        op = self._covering_op(offset - 1)
        if op is None:
            return self._new_length
        if op.tag == "equal":
            return op.j1 + (offset - op.i1)
        return op.j2

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        """Where old ``[start, end)`` is in the new text, best guess.

        The ends are carried by the unchanged text nearest them inside the passage, so a
        reworded first or last word moves the end by its own length, not by the length of
        the whole change around it (an inserted paragraph right after, say).
        """
        low, high = self.map_start(start), max(self.map_start(start), self.map_end(end))
        first = last = None
        index = max(0, bisect_right(self._covering_starts, start) - 1)
        for op in self._covering[index:]:
            if op.i1 >= end:
                break
            if op.tag == "equal" and min(end, op.i2) > max(start, op.i1):
                first = first or op
                last = op
        if first is None or last is None:
            return low, high
        a = max(start, first.i1)
        b = min(end, last.i2)
        mapped_start = max(low, first.j1 + (a - first.i1) - (a - start))
        mapped_end = min(high, last.j1 + (b - last.i1) + (end - b))
        return mapped_start, max(mapped_start, mapped_end)

    def origin(self, start: int, end: int) -> tuple[int, int]:
        """The old span new ``[start, end)`` came from (empty where it is all inserted)."""
        if end <= start:
            return 0, 0
        first = self._covering_new[bisect_right(self._covering_new_starts, start) - 1]
        last = self._covering_new[bisect_right(self._covering_new_starts, end - 1) - 1]
        old_start = first.i1 + (start - first.j1) if first.tag == "equal" else first.i1
        old_end = last.i1 + (end - last.j1) if last.tag == "equal" else last.i2
        return old_start, max(old_start, old_end)

    def survived(self, start: int, end: int) -> float:
        """Share of old ``[start, end)`` that is still there unchanged (0..1)."""
        if end <= start:
            return 1.0
        kept = 0
        index = max(0, bisect_right(self._covering_starts, start) - 1)
        for op in self._covering[index:]:
            if op.i1 >= end:
                break
            if op.tag == "equal":
                kept += max(0, min(end, op.i2) - max(start, op.i1))
        return kept / (end - start)

    def unchanged_share(self, start: int, end: int) -> float:
        """Share of new ``[start, end)`` that was already in the old text (0..1).

        A highlight whose passage left its old place may only be found again in text the
        edit brought in (a moved paragraph is new text where it lands); text that was
        already there was not the highlighted passage.
        """
        if end <= start:
            return 0.0
        kept = 0
        index = max(0, bisect_right(self._equal_new_starts, start) - 1)
        for op in self._equal_new[index:]:
            if op.j1 >= end:
                break
            kept += max(0, min(end, op.j2) - max(start, op.j1))
        return kept / (end - start)

    def _origin_of(self, char: int) -> int | None:
        """The old offset of new character ``char`` when it is unchanged text, else None."""
        index = bisect_right(self._covering_new_starts, char) - 1
        if index < 0:
            return None
        op = self._covering_new[index]
        if op.tag != "equal" or not op.j1 <= char < op.j2:
            return None
        return op.i1 + (char - op.j1)

    def keep_inside(self, start: int, end: int, old_start: int, old_end: int) -> tuple[int, int]:
        """New ``[start, end)`` without the unchanged text at its edges that the diff maps
        outside old ``[old_start, old_end)``: that text was there before, beside the passage,
        and was never part of it (a deleted paragraph's neighbour, say)."""
        while start < end:
            origin = self._origin_of(start)
            if origin is None or origin >= old_start:
                break
            index = bisect_right(self._covering_new_starts, start) - 1
            op = self._covering_new[index]
            start = min(op.j2, start + (old_start - origin))
        while end > start:
            origin = self._origin_of(end - 1)
            if origin is None or origin < old_end:
                break
            index = bisect_right(self._covering_new_starts, end - 1) - 1
            op = self._covering_new[index]
            end = max(op.j1, end - (origin - old_end + 1))
        return start, end
