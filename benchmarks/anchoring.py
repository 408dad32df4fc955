"""How well highlights survive edits of their text: ``python -m benchmarks.anchoring``.

Texts: the shared seed clipping (its lines as paragraphs), the project's ``seeds/*.txt``
and the ScrapingHub article bodies. Each trial takes one text, places a few highlights
(sentence-ish spans of 20-300 characters), aims an edit at most of them (see
:data:`benchmarks.edits.TARGETED`) plus one to three edits anywhere, then re-anchors every
highlight in the new text (with and without the old text) and checks it against the
ground truth the edits recorded.

Categories of a highlight after the edits: ``untouched`` (its passage reads the same),
``reformatted`` (only whitespace or quote characters changed), ``reworded`` (words
changed, edit distance up to 15% of its characters), ``rewritten`` (more than that, where
several edits piled up: re-anchoring may rightly give up), ``deleted`` (the passage is gone).
Correct: untouched -> anchored at exactly the right span; reformatted/reworded/rewritten
-> not orphaned and overlapping the right span with IoU >= 0.8; deleted -> orphaned.
Landing on a copy of the passage made by a "duplicate sentence" edit counts as correct
and is counted apart (``copy``). A wrong place is any other anchor that is not correct.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from benchmarks import edits
from reader.core.anchor_text import fold
from reader.core.anchoring import AnchorResult, TextSelector, make_selector, reanchor_many

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
IOU_FLOOR = 0.8
HIGHLIGHTS_PER_TRIAL = 6
#: passages with more of their characters changed (several edits overlapping) are "rewritten"
REWORD_LIMIT = 0.15
TIMING_ROUNDS = 3
#: targeted edit per highlight, with weights ("none": only the edits anywhere touch it)
TARGET_WEIGHTS = {
    "none": 22,
    "reword inside": 25,
    "reword around": 10,
    "duplicate own sentence": 8,
    "whitespace inside": 8,
    "quotes inside": 7,
    "delete passage": 20,
    # a highlight over a paragraph and the next one's first sentence; that paragraph deleted
    "delete next paragraph": 6,
}


def load_texts() -> list[tuple[str, list[str]]]:
    """``(name, paragraphs)`` of every benchmark text."""
    texts: list[tuple[str, list[str]]] = []
    seeds = sorted((SHARED / "seeds").glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    for path in seeds:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        texts.append((path.name, [line for line in lines if line]))
    corpus = json.loads((SHARED / "corpora" / "scrapinghub-ground-truth.json").read_text())
    records = corpus.values() if isinstance(corpus, dict) else corpus
    for record in records:
        body = record.get("articleBody") or ""
        paragraphs = [p.strip() for p in body.splitlines() if p.strip()]
        if len(paragraphs) >= 3 and sum(map(len, paragraphs)) >= 600:
            texts.append((record.get("url", "?"), paragraphs))
    return texts


_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"'’”]\s))[A-Z“\"‘']")


def choose_highlights(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """Up to ``count`` non-overlapping sentence-ish spans (20-300 chars, inside a paragraph)."""
    doc = edits.EditedText(text)
    paragraphs = [p for p in doc.paragraph_spans() if p[1] - p[0] >= 20]
    spans: list[tuple[int, int]] = []
    for _ in range(count * 15):
        if len(spans) >= count or not paragraphs:
            break
        p_start, p_end = rng.choice(paragraphs)
        body = text[p_start:p_end]
        starts = [m.start() for m in _SENTENCE_START.finditer(body)]
        if rng.random() < 0.3 or not starts:
            starts = [m.start() for m in re.finditer(r"\b\w", body)]
        start = rng.choice(starts)
        length = int(rng.triangular(20, 300, 80))
        ends = [m.end() for m in re.finditer(r"[.!?][\"'’”]?(?=\s|$)", body) if m.end() > start]
        near = [e for e in ends if 20 <= e - start <= 300]
        if near and rng.random() < 0.7:
            end = rng.choice(near)
        else:
            word_ends = [m.end() for m in re.finditer(r"\w\b", body) if m.end() >= start + length]
            if not word_ends:
                continue
            end = word_ends[0]
        if not 20 <= end - start <= 300:
            continue
        span = (p_start + start, p_start + end)
        if all(span[1] <= s or span[0] >= e for s, e in spans):
            spans.append(span)
    return spans


@dataclass
class Case:
    """One highlight through one trial."""

    selector: TextSelector
    truth: tuple[int, int] | None
    category: str
    kind: str
    new_text: str
    old_text: str
    log: tuple[str, ...] = ()
    copies: tuple[tuple[int, int], ...] = ()


def make_trial(
    rng: random.Random, texts: list[tuple[str, list[str]]], pool: list[str], words: list[str]
) -> list[Case]:
    """One text, its highlights, a shuffled edit script, and the cases it yields."""
    _, paragraphs = rng.choice(texts)
    text = edits.SEPARATOR.join(paragraphs)
    spans = choose_highlights(text, rng, HIGHLIGHTS_PER_TRIAL)
    kinds = rng.choices(list(TARGET_WEIGHTS), weights=list(TARGET_WEIGHTS.values()), k=len(spans))
    for index, kind in enumerate(kinds):
        if kind == "delete next paragraph":
            wide = edits.paragraph_and_a_half(text, spans[index])
            others = spans[:index] + spans[index + 1 :]
            if wide is not None and all(wide[1] <= s or wide[0] >= e for s, e in others):
                spans[index] = wide
            else:
                kinds[index] = "none"
    doc = edits.EditedText(text, list(spans))
    # half of the passages about to be deleted get a similar sentence elsewhere, beforehand
    for index, kind in enumerate(kinds):
        span = doc.spans[index]
        if kind == "delete passage" and span is not None and rng.random() < 0.5:
            copy = edits.plant_near_copy(doc.text, span, rng, words)
            ends = [e for _, e in doc.paragraph_spans() if not span[0] <= e <= span[1]]
            at = rng.choice(ends)
            doc.replace(at, at, edits.SEPARATOR + copy)
    old_text = doc.text
    selectors = [make_selector(old_text, *span) for span in doc.spans if span is not None]
    own = set(paragraphs)  # inserted paragraphs come from other texts
    context = edits.EditContext([p for p in pool if p not in own], words)
    script: list[tuple[edits.Edit, int | None]] = [
        (edits.TARGETED[kind], index) for index, kind in enumerate(kinds) if kind != "none"
    ]
    script += [(rng.choice(list(edits.GLOBAL.values())), None) for _ in range(rng.randint(1, 3))]
    rng.shuffle(script)
    for edit, target in script:
        context.target = target
        edit(doc, rng, context)
    cases = []
    for index, (selector, truth, kind) in enumerate(
        zip(selectors, doc.spans[: len(selectors)], kinds, strict=True)
    ):
        if truth is None:
            category = "deleted"
        elif doc.text[truth[0] : truth[1]] == selector.quote:
            category = "untouched"
        elif fold(doc.text[truth[0] : truth[1]]) == fold(selector.quote):
            category = "reformatted"
        else:
            now = fold(doc.text[truth[0] : truth[1]])
            changed = Levenshtein.distance(fold(selector.quote), now) / len(selector.quote)
            category = "reworded" if changed <= REWORD_LIMIT else "rewritten"
        copies = tuple(doc.copies(index))
        cases.append(
            Case(selector, truth, category, kind, doc.text, old_text, tuple(doc.log), copies)
        )
    return cases


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two spans."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 1.0


def verdict(case: Case, result: AnchorResult) -> str:
    """``correct``, ``copy``, ``wrong place`` or ``lost`` (orphaned though the passage is there).

    ``copy``: the highlight landed on a copy of its passage that a "duplicate sentence" edit
    made (the same words; which one is "the" passage is a matter of taste).
    """
    span = (result.start, result.end)
    on_copy = any(iou(span, copy) >= IOU_FLOOR for copy in case.copies)
    if result.status != "orphaned" and span != case.truth and on_copy:
        return "copy"
    if case.truth is None:
        return "correct" if result.status == "orphaned" else "wrong place"
    if result.status == "orphaned":
        return "lost"
    if case.category == "untouched":
        exact = result.status == "anchored" and span == case.truth
        return "correct" if exact else "wrong place"
    return "correct" if iou(span, case.truth) >= IOU_FLOOR else "wrong place"


def find_baseline(selectors: list[TextSelector], new_text: str, _old: str) -> list[AnchorResult]:
    """The baseline: a plain ``str.find`` of each quote."""
    results = []
    for selector in selectors:
        at = new_text.find(selector.quote)
        if at < 0:
            results.append(AnchorResult("orphaned", 0, 0, "", 0.0, "none"))
        else:
            end = at + len(selector.quote)
            results.append(AnchorResult("anchored", at, end, selector.quote, 1.0, "exact"))
    return results


Anchorer = Callable[[list[TextSelector], str, str], list[AnchorResult]]
MODES: dict[str, Anchorer] = {
    "with old text": lambda sels, new, old: reanchor_many(sels, new, old),
    "quote+context only": lambda sels, new, old: reanchor_many(sels, new, None),
    "str.find baseline": find_baseline,
}


def run(cases_wanted: int, seed: int, show_wrong: int = 0, show_mode: str = "") -> None:
    """Build the cases, re-anchor them in every mode, print the table."""
    rng = random.Random(seed)
    texts = load_texts()
    pool = [p for _, paragraphs in texts for p in paragraphs if 40 <= len(p) <= 600]
    words = sorted({w for p in pool[:2000] for w in re.findall(r"[A-Za-z]{2,10}", p)})
    trials: list[list[Case]] = []
    total = 0
    while total < cases_wanted:
        trial = make_trial(rng, texts, pool, words)
        trials.append(trial)
        total += len(trial)
    verdicts: dict[str, list[tuple[Case, str, AnchorResult]]] = defaultdict(list)
    trials = [trial for trial in trials if trial]
    for mode, anchor in MODES.items():
        for trial in trials:
            results = anchor([c.selector for c in trial], trial[0].new_text, trial[0].old_text)
            for case, result in zip(trial, results, strict=True):
                verdicts[mode].append((case, verdict(case, result), result))
    # timing: the modes take turns, best of three rounds, so a busy machine skews less
    seconds = dict.fromkeys(MODES, float("inf"))
    for _ in range(TIMING_ROUNDS):
        for mode, anchor in MODES.items():
            started = time.perf_counter()
            for trial in trials:
                anchor([c.selector for c in trial], trial[0].new_text, trial[0].old_text)
            seconds[mode] = min(seconds[mode], time.perf_counter() - started)
    report(verdicts, seconds, len(texts), len(trials), seed)
    mode = show_mode or next(iter(MODES))
    failures = [row for row in verdicts[mode] if row[1] not in ("correct", "copy")]
    for case, outcome, result in failures[:show_wrong]:
        print(f"\n--- {outcome}: {case.category}, edit {case.kind}, truth {case.truth}")
        print(f"edits  {', '.join(case.log)}")
        print(f"quote  {case.selector.quote!r} @ {case.selector.start}")
        if case.truth is not None:
            print(f"truth  {case.new_text[case.truth[0] : case.truth[1]]!r}")
        print(f"result {result}")


def _share(rows: list[tuple[Case, str, AnchorResult]], keep: Callable[[Case], bool]) -> str:
    chosen = [v for c, v, _ in rows if keep(c)]
    if not chosen:
        return "-"
    return f"{100 * sum(v in ('correct', 'copy') for v in chosen) / len(chosen):6.2f}%"


def _is_category(category: str) -> Callable[[Case], bool]:
    return lambda case: case.category == category


def _is_kind(kind: str) -> Callable[[Case], bool]:
    return lambda case: case.kind == kind


def report(
    verdicts: dict[str, list[tuple[Case, str, AnchorResult]]],
    seconds: dict[str, float],
    text_count: int,
    trial_count: int,
    seed: int,
) -> None:
    """Print the results table."""
    modes = list(verdicts)
    first = verdicts[modes[0]]
    counts = Counter(c.category for c, _, _ in first)
    print(f"{len(first)} highlights, {trial_count} edited texts from {text_count} texts, ", end="")
    print(f"seed {seed}")
    width = 30
    print(f"{'share correct':<{width}}{'n':>6}" + "".join(f"{m:>22}" for m in modes))
    rows: list[tuple[str, Callable[[Case], bool]]] = [
        (f"{category} ({counts[category]})", _is_category(category))
        for category in ("untouched", "reformatted", "reworded", "rewritten", "deleted")
    ]
    rows += [(f"  edit: {kind}", _is_kind(kind)) for kind in TARGET_WEIGHTS]
    rows.append(("all", lambda case: True))
    for label, keep in rows:
        n = sum(1 for c, _, _ in first if keep(c))
        cells = "".join(f"{_share(verdicts[m], keep):>22}" for m in modes)
        print(f"{label:<{width}}{n:>6}{cells}")
    for outcome in ("wrong place", "lost", "copy"):
        cells = "".join(f"{sum(v == outcome for _, v, _ in verdicts[m]):>22}" for m in modes)
        print(f"{outcome + ' (count)':<{width}}{'':>6}{cells}")
    deleted_wrong = "".join(
        f"{sum(v == 'wrong place' for c, v, _ in verdicts[m] if c.truth is None):>22}"
        for m in modes
    )
    print(f"{'deleted but anchored':<{width}}{'':>6}{deleted_wrong}")
    base = seconds[modes[-1]] / len(first)
    cells = "".join(f"{1e6 * seconds[m] / len(first):>19.1f} us" for m in modes)
    print(f"{'time per highlight':<{width}}{'':>6}{cells}")
    ratios = "".join(f"{seconds[m] / len(first) / base:>21.0f}x" for m in modes)
    print(f"{'  vs str.find':<{width}}{'':>6}{ratios}")
    methods = Counter(r.method for _, _, r in verdicts[modes[0]])
    print(f"methods ({modes[0]}): " + ", ".join(f"{k} {v}" for k, v in methods.most_common()))


def main(argv: list[str] | None = None) -> None:
    """Command line: ``--cases N`` (highlights, default 3000) and ``--seed``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=3000, help="highlights to re-anchor")
    parser.add_argument("--seed", type=int, default=20250114, help="random seed")
    parser.add_argument("--show-wrong", type=int, default=0, help="print this many failures")
    parser.add_argument("--mode", default="", choices=["", *MODES], help="mode of --show-wrong")
    args = parser.parse_args(argv)
    run(args.cases, args.seed, args.show_wrong, args.mode)


if __name__ == "__main__":
    main()
