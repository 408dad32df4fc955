"""How well saved web pages become articles: ``python -m benchmarks.webpage_extraction``.

Pages: ``../shared/corpora/scrapinghub-html/<key>.html.gz`` (128 real news pages of the
ScrapingHub article-extraction benchmark), scored against the ``articleBody`` of the same
key in ``scrapinghub-ground-truth.json`` with the benchmark's own measure: the text is cut
into ``\\w+`` tokens, each page's 4-token shingles are counted, tp/fp/fn per page are
normalised to sum 1, precision and recall are averaged over the pages, and F1 is taken of
the two averages. reader's text is its article's paragraphs (what the reading pane shows
as the body; the title and summary are apart, as in the ground truth).

Also printed for comparison: trafilatura's defaults (``extract`` with no options), and
pages per CPU second of each (parsing only: no store; CPU time, as the machine may be shared).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (ROOT / ".." / "shared" / "corpora").resolve()
PAGES = CORPORA / "scrapinghub-html"
TRUTH = CORPORA / "scrapinghub-ground-truth.json"

_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[str]:
    """The text's ``n``-token shingles with their counts."""
    tokens = _TOKEN.findall(text or "")
    return Counter(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(truth: str, found: str) -> tuple[float, float]:
    """One page's (precision, recall) over 4-token shingles.

    tp/fp/fn are normalised to sum 1 as the benchmark does (which leaves these ratios as
    they are); a page with nothing expected and nothing found scores 1, one with no shingle
    in common 0.
    """
    expected, got = shingles(truth), shingles(found)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    if fp == fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn)


def score(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """(precision, recall, F1): precision and recall averaged over pages, F1 of the two."""
    precisions: list[float] = []
    recalls: list[float] = []
    for truth, found in pairs:
        precision, recall = page_scores(truth, found)
        precisions.append(precision)
        recalls.append(recall)
    if not precisions:
        return 0.0, 0.0, 0.0
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_pages(limit: int | None = None) -> list[tuple[str, bytes, str]]:
    """``(key, gzipped page, expected body)`` for the corpus pages, sorted by key."""
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    pages = []
    for path in sorted(PAGES.glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        pages.append((key, path.read_bytes(), truth[key]["articleBody"]))
    return pages[:limit] if limit else pages


def reader_body(key: str, data: bytes) -> str:
    """reader's article body of one gzipped page ("" when it finds no article)."""
    from reader.core.parser import ParseError
    from reader.core.webpage import parse_html_bytes

    try:
        articles = parse_html_bytes(data, f"{key}.html.gz")
    except ParseError:
        return ""
    return "\n".join(articles[0].paragraphs)


def trafilatura_defaults(key: str, data: bytes) -> str:
    """trafilatura's ``extract`` with its defaults (the baseline)."""
    import trafilatura

    del key
    return trafilatura.extract(gzip.decompress(data)) or ""


def run(
    extractor: Callable[[str, bytes], str], pages: list[tuple[str, bytes, str]]
) -> tuple[float, float, float, float, list[tuple[float, str]]]:
    """Score one extractor: (precision, recall, F1, pages/s, [(page F1, key)])."""
    extractor(pages[0][0], pages[0][1])  # warm: imports
    found: list[str] = []
    # CPU time of this process: on a shared machine wall time measures the neighbours too
    start = time.process_time()
    for key, data, _truth in pages:
        found.append(extractor(key, data))
    elapsed = time.process_time() - start
    p, r, f1 = score((truth, text) for (_k, _d, truth), text in zip(pages, found, strict=True))
    per_page = []
    for (key, _d, truth), text in zip(pages, found, strict=True):
        pp, pr = page_scores(truth, text)
        per_page.append((2 * pp * pr / (pp + pr) if pp + pr else 0.0, key))
    return p, r, f1, len(pages) / elapsed, sorted(per_page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N pages (by key)")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of reader")
    parser.add_argument("--no-baseline", action="store_true", help="skip trafilatura's defaults")
    args = parser.parse_args()
    pages = load_pages(args.limit)
    print(f"{len(pages)} pages of {PAGES}")
    print(f"{'extractor':<24}{'precision':>10}{'recall':>10}{'F1':>8}{'pages/cpu-s':>12}")
    extractors: list[tuple[str, Callable[[str, bytes], str]]] = [("reader", reader_body)]
    if not args.no_baseline:
        extractors.append(("trafilatura defaults", trafilatura_defaults))
    worst: list[tuple[float, str]] = []
    for label, extractor in extractors:
        p, r, f1, rate, per_page = run(extractor, pages)
        print(f"{label:<24}{p:>10.4f}{r:>10.4f}{f1:>8.4f}{rate:>12.1f}")
        if label == "reader":
            worst = per_page
    for page_f1, key in worst[: args.worst]:
        print(f"  {page_f1:.3f}  {key}")


if __name__ == "__main__":
    main()
