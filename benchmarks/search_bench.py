"""Search-as-you-type benchmark for :class:`reader.core.search.SearchIndex`.

Builds a deterministic synthetic library (12,000 articles, about 35 MB of prose; 1,200
with ``--small``), then types "strategic partnership" one key at a time and measures
each query's latency with the index against, in the same run, two baselines:

* naive: casefold every text and substring-scan it, per query (what a list filter with
  no index does);
* prefolded: the same scan over texts casefolded once up front (a stronger baseline).

Each measurement repeats the whole typing sequence with the index's small result cache
cleared, so every keystroke is a cold query. Prints a table with medians, p95 and
ratios; the budget is 50 ms per keystroke.

    python -m benchmarks.search_bench [--small] [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from reader.core.search import SearchIndex

QUERIES = [
    "s", "st", "str", "stra", "strat", "strate", "strateg", "strategi", "strategic",
    "strategic ", "strategic p", "strategic pa", "strategic par", "strategic partner",
    "strategic partnership", "iran", "zürich", "moscow treaty",
]  # fmt: skip
BUDGET_MS = 50.0


def _words(text: str) -> list[str]:
    """A word list written as text."""
    return text.split()


#: The most frequent words of news prose: nearly every article has them.
_FUNCTION = _words(
    "the of and to in a is that for on with as was by at from it be this are an has have said "
    "not but or which were its had their been more after also will who would one two new about "
    "up than other into over last year"
)
#: Topical words, spread over the middle ranks (in some articles, not all).
_TOPICAL = _words(
    "government minister president state states military foreign security talks agreement "
    "treaty deal war peace sanctions oil gas energy market markets economy trade officials "
    "report reports week month people country countries region regional international "
    "national policy strategy strategic partnership partner partners pact alliance "
    "cooperation defence defense nuclear missile missiles drone drones forces army navy "
    "border support supported according spokesman statement meeting summit leaders leader "
    "capital city news agency iran russia china israel ukraine moscow tehran beijing "
    "washington zürich café élite economic political public private under while during since"
)
_SYLLABLES = _words("ka ri to mo sa ne lu vi da ze po ra ni ko me ta su li fa go")
_SOURCES = [
    "The Algemeiner", "Reuters", "Associated Press", "Al-Monitor", "Tehran Times",
    "Kyiv Independent", "Le Monde", "Der Spiegel", "Haaretz", "The Guardian",
    "Strategic Culture", "Financial Times", "Bloomberg", "Nikkei Asia", "TASS",
]  # fmt: skip


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Common words plus made-up ones, with Zipf-like weights, deterministic."""
    invented = {
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(9000)
    }
    # Function words take the top ranks, topical words the middle ones (so "strategic" is
    # in some articles, while one- and two-letter prefixes hit nearly all, the hard case),
    # invented words the long tail of a real vocabulary.
    tail = sorted(invented)
    rng.shuffle(tail)
    for word in _TOPICAL:
        tail.insert(rng.randint(20, 1500), word)
    words = _FUNCTION + tail
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
    return words, weights


def make_articles(count: int, seed: int = 20250117) -> list[tuple[str, str, str, str, str]]:
    """``count`` synthetic articles ``(id, title, source, author, text)``, ~2,900 chars each."""
    rng = random.Random(seed)
    words, weights = _vocabulary(rng)
    cumulative = list(_accumulate(weights))
    articles = []
    for number in range(count):
        title_words = rng.choices(words, cum_weights=cumulative, k=rng.randint(5, 10))
        title = " ".join(title_words).capitalize()
        author = " ".join(w.capitalize() for w in rng.choices(words[-3000:], k=2))
        paragraphs = []
        for _ in range(rng.randint(7, 12)):
            sentences = []
            for _ in range(rng.randint(2, 5)):
                sentence = rng.choices(words, cum_weights=cumulative, k=rng.randint(9, 24))
                sentences.append(" ".join(sentence).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        text = "\n\n".join(paragraphs)
        articles.append((f"a{number:05d}", title, rng.choice(_SOURCES), author, text))
    return articles


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _measure(
    run: Callable[[str], int], queries: list[str], repeat: int, before: Callable[[], None]
) -> tuple[dict[str, list[float]], dict[str, int]]:
    times: dict[str, list[float]] = {q: [] for q in queries}
    counts: dict[str, int] = {}
    for _ in range(repeat):
        before()
        for query in queries:
            start = time.perf_counter()
            counts[query] = run(query)
            times[query].append((time.perf_counter() - start) * 1000)
    return times, counts


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="1,200 articles (quick check)")
    parser.add_argument("--repeat", type=int, default=None, help="typing passes per method")
    args = parser.parse_args(argv)
    count = 1_200 if args.small else 12_000
    repeat = args.repeat or (3 if args.small else 5)

    start = time.perf_counter()
    articles = make_articles(count)
    generated = time.perf_counter() - start
    size_mb = sum(len(a[1]) + len(a[4]) for a in articles) / 1e6
    print(f"{count} articles, {size_mb:.1f} MB of text (generated in {generated:.1f} s)")

    rss_before = _rss_mb()
    start = time.perf_counter()
    index = SearchIndex(articles)
    build = time.perf_counter() - start
    index_mb = _rss_mb() - rss_before
    start = time.perf_counter()
    prefolded = [f"{a[1]}\n{a[2]}\n{a[3]}\n{a[4]}".casefold() for a in articles]
    fold_once = time.perf_counter() - start
    raw = [f"{a[1]}\n{a[2]}\n{a[3]}\n{a[4]}" for a in articles]
    print(
        f"index build: {build:.2f} s, about {index_mb:.0f} MB resident "
        f"(baseline one-off casefold of all texts: {fold_once:.2f} s)"
    )

    def indexed(query: str) -> int:
        return len(index.search(query))

    def naive(query: str) -> int:
        needle = query.strip().casefold()
        return sum(1 for text in raw if needle in text.casefold())

    def scan(query: str) -> int:
        needle = query.strip().casefold()
        return sum(1 for text in prefolded if needle in text)

    def cold() -> None:
        index._recent.clear()  # every keystroke a cold query

    idx_t, idx_n = _measure(indexed, QUERIES, repeat, cold)
    naive_t, naive_n = _measure(naive, QUERIES, max(1, repeat // 2), lambda: None)
    scan_t, scan_n = _measure(scan, QUERIES, repeat, lambda: None)

    header = (
        f"{'query':<24}{'hits':>7}{'index med':>11}{'p95':>8}"
        f"{'naive med':>11}{'x faster':>10}{'prefold med':>13}{'x faster':>10}"
    )
    print(header)
    print("-" * len(header))
    all_index: list[float] = []
    for query in QUERIES:
        med = statistics.median(idx_t[query])
        all_index += idx_t[query]
        naive_med = statistics.median(naive_t[query])
        scan_med = statistics.median(scan_t[query])
        print(
            f"{query!r:<24}{idx_n[query]:>7}{med:>9.2f}ms{_percentile(idx_t[query], 0.95):>6.1f}ms"
            f"{naive_med:>9.1f}ms{naive_med / med:>9.1f}x{scan_med:>11.1f}ms{scan_med / med:>9.1f}x"
        )
    p95 = _percentile(all_index, 0.95)
    worst = max(all_index)
    print("-" * len(header))
    print(
        f"index over all keystrokes: median {statistics.median(all_index):.2f} ms, "
        f"p95 {p95:.2f} ms, worst {worst:.2f} ms; budget {BUDGET_MS:.0f} ms: "
        f"{'within' if p95 <= BUDGET_MS else 'OVER'}"
    )
    print(
        "(substring baselines count phrase matches, the index whole words/prefixes, so hit "
        "counts differ; baselines: naive casefolds per query, prefold casefolds once)"
    )
    del naive_n, scan_n
    updates = []
    for number in range(0, len(articles), max(1, len(articles) // 20)):
        doc_id, title, source, author, text = articles[number]
        start = time.perf_counter()
        index.add((doc_id, title + " edited", source, author, text))
        updates.append((time.perf_counter() - start) * 1000)
    print(
        f"replace one article in the index: median {statistics.median(updates):.2f} ms "
        f"(vs a {build * 1000:.0f} ms rebuild: {build * 1000 / statistics.median(updates):.0f}x)"
    )
    return 0


def _rss_mb() -> float:
    """Resident memory of this process in MB (Linux), 0 where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * 4096 / 1e6


if __name__ == "__main__":
    raise SystemExit(main())
