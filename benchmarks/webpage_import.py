"""How fast saved web pages import: ``python -m benchmarks.webpage_import``.

Two figures, on the corpus pages (``../shared/corpora/scrapinghub-html``, unzipped to
``.html`` files):

- **per page**: each page imported alone into a library (``Library.import_paths`` of one
  file: read, extract, save, index), in this process, warm (the extractor already loaded
  by a first import); median and 90th percentile. Budget: median <= 60 ms.
- **folder**: a folder of ``--pages`` pages (copies of the corpus pages, each made unique
  by a comment, so none is skipped as unchanged) imported by ``Library.sync``: with a
  progress callback (as the TUI's background import runs: one process), and without (as
  ``reader import`` runs: parsing in worker processes when there are 500 files or more).
  Budget: >= 20 pages/s with the progress display.

The import of plain-text clippings of the same folder layout is the baseline of the same
run (``--pages`` text clippings made of the corpus bodies). Times are wall clock, with the
CPU time of this process beside them: on a shared machine the wall clock also measures the
neighbours.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path

from reader.service.library import Library

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (ROOT / ".." / "shared" / "corpora").resolve()
PAGES = CORPORA / "scrapinghub-html"


def corpus_pages() -> list[tuple[str, bytes]]:
    """``(key, unzipped page)`` of every corpus page, sorted by key."""
    return [
        (path.name.removesuffix(".html.gz"), gzip.decompress(path.read_bytes()))
        for path in sorted(PAGES.glob("*.html.gz"))
    ]


def per_page(pages: list[tuple[str, bytes]], work: Path) -> tuple[list[float], list[float]]:
    """Seconds (wall, CPU) to import each page alone (warm)."""
    folder = work / "single"
    folder.mkdir()
    library = Library.open(folder, work / "single-store")
    first = folder / "warm-up.html"
    first.write_bytes(pages[0][1])
    library.import_paths([first])  # loads the extractor
    wall: list[float] = []
    cpu: list[float] = []
    for key, data in pages:
        path = folder / f"{key}.html"
        path.write_bytes(data)
        start, start_cpu = time.perf_counter(), time.process_time()
        report = library.import_paths([path])
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert report.added == 1 or report.errors, key
    return wall, cpu


def write_folder(pages: list[tuple[str, bytes]], folder: Path, count: int) -> None:
    """``count`` unique pages in ``folder`` (copies of the corpus pages)."""
    folder.mkdir()
    for number in range(count):
        key, data = pages[number % len(pages)]
        (folder / f"{number:05d}-{key[:12]}.html").write_bytes(
            data + f"\n<!-- copy {number} -->\n".encode()
        )


def write_text_folder(folder: Path, count: int) -> None:
    """``count`` plain-text clippings made of the corpus bodies (the baseline)."""
    truth = json.loads((CORPORA / "scrapinghub-ground-truth.json").read_text(encoding="utf-8"))
    bodies = [value["articleBody"] for _key, value in sorted(truth.items())]
    folder.mkdir()
    for number in range(count):
        body = bodies[number % len(bodies)]
        text = f"Headline number {number}\nMarch 3, 2025\nReprinted from The Daily\n{body}\n"
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")


def import_folder(folder: Path, store: Path, *, with_progress: bool) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, articles) to sync ``folder``."""
    library = Library.open(folder, store)
    shown: list[int] = []

    def progress(done: int, total: int, name: str) -> None:
        shown.append(done)

    start, start_cpu = time.perf_counter(), time.process_time()
    report = library.sync(progress if with_progress else None)
    return time.perf_counter() - start, time.process_time() - start_cpu, report.added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages in the folder test")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    pages = corpus_pages()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        wall, cpu = per_page(pages, work)
        print(f"per page ({len(wall)} corpus pages, warm, in process; budget: median <= 60 ms):")
        for label, times in (("wall", wall), ("CPU", cpu)):
            ms = sorted(t * 1000 for t in times)
            print(
                f"  {label:<5} median {statistics.median(ms):6.1f} ms"
                f"  p90 {ms[int(0.9 * len(ms))]:6.1f} ms  max {ms[-1]:6.1f} ms"
            )
        write_folder(pages, work / "folder", args.pages)
        write_text_folder(work / "text", args.pages)
        print(f"folder of {args.pages} pages:")
        for label, folder, with_progress in (
            ("pages, progress display (TUI)", work / "folder", True),
            ("pages, no progress (reader import)", work / "folder", False),
            ("text clippings, progress (baseline)", work / "text", True),
        ):
            store = work / f"store-{label.split(',')[0]}-{with_progress}"
            elapsed, cpu_s, added = import_folder(folder, store, with_progress=with_progress)
            print(
                f"  {label:<38} {added / elapsed:7.1f} articles/s  ({elapsed:.1f} s;"
                f" {cpu_s:.1f} s CPU in this process)"
            )
        print("  (budget: >= 20 pages/s with the progress display)")


if __name__ == "__main__":
    main()
