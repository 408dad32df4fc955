"""The article list's data, kept ready in one file so that opening a big library is quick.

:meth:`Store.list_articles` joins the catalog (one summary per article) with the ``marks``
buckets (tags, live annotation count, reading state). On a library of 12,000 articles that
means parsing ~260 files (~2.5 MB of JSON with one object per record) before the first
paint. ``listing.cache`` keeps the joined pieces as compact JSON arrays, each piece stamped
with the ``(inode, mtime_ns, size)`` of the file it came from: a launch stats those files,
re-reads only the pieces whose file changed (after a session, typically one ``marks``
bucket), and rewrites the cache when the catalog or more than a few buckets changed.

The cache is derived data: it is never trusted over the files it was made from (a stamp
that differs means "read the file"), it is written atomically without the store lock (a
racing writer at worst leaves a stale stamp, which the next launch notices), and a missing,
unreadable or foreign cache is simply rebuilt. ``reader restore`` and the backups ignore it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.core.jsonio import loads
from reader.store.layout import Layout
from reader.store.storage import READ_CACHE, TMP_SUFFIX, Tables, stamp_of

LISTING_FILE = "listing.cache"
#: 2: the marks views carry the article note
FORMAT = 2
#: rewrite the cache once more than this many marks buckets were re-read
REWRITE_AFTER = 8

#: (tags, live annotation count, read, progress, note) per article id, as the list shows them
MarksView = dict[str, Any]
Stamp = list[int]

_memo: dict[Path, dict[str, Any]] = {}
_memo_lock = threading.Lock()


def _stamp(path: Path) -> Stamp | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return list(stamp_of(stat))


def listing_stamp(paths: Layout) -> object:
    """The catalog's stamp: a new value whenever an import rewrote it."""
    return _stamp(paths.catalog)


def _read(path: Path) -> dict[str, Any]:
    empty: dict[str, Any] = {"format": FORMAT, "catalog": [None, []], "marks": {}}
    try:
        # through msgspec: the 2 MB of a 12,000-article list in 10 ms (json.loads took 16),
        # on the way to the first screen
        data = loads(path.read_bytes())
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return empty
    if not isinstance(data.get("catalog"), list) or not isinstance(data.get("marks"), dict):
        return empty
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    """Replace the cache atomically; failing to write it only costs the next launch time."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def load_listing(
    paths: Layout,
    catalog_rows: Callable[[Tables], list[Any]],
    marks_view: Callable[[Tables], MarksView],
) -> tuple[list[Any], MarksView]:
    """The catalog rows (sorted) and the merged marks views, from the cache where fresh.

    ``catalog_rows`` and ``marks_view`` turn a parsed file into its piece (they are the
    slow path, used for the files whose stamp changed).
    """
    cache_path = paths.root / LISTING_FILE
    with _memo_lock:
        cached = _memo.get(paths.root)
    data = cached if cached is not None else _read(cache_path)
    stale = cached is None and not cache_path.exists()
    stamp = _stamp(paths.catalog)
    catalog = data["catalog"]
    if catalog[0] != stamp:
        # stat before reading: a file replaced in between leaves an old stamp (re-read later)
        catalog = [stamp, READ_CACHE.derive(paths.catalog, "rows", catalog_rows)]
        stale = True
    old_marks: dict[str, Any] = data["marks"]
    stale_buckets = 0
    marks: dict[str, Any] = {}
    merged: MarksView = {}
    for path in paths.json_files(paths.marks_dir):
        stamp = _stamp(path)
        entry = old_marks.get(path.name)
        if entry is None or entry[0] != stamp:
            entry = [stamp, READ_CACHE.derive(path, "view", marks_view)]
            stale_buckets += 1
        marks[path.name] = entry
        merged.update(entry[1])
    # A session changes a bucket or two (reading state, a note): re-reading those costs
    # about a millisecond each, rewriting the cache ~40 ms, so only many stale ones count.
    stale = stale or stale_buckets > REWRITE_AFTER or len(marks) != len(old_marks)
    fresh = {"format": FORMAT, "catalog": catalog, "marks": marks}
    if stale:
        _write(cache_path, fresh)
    with _memo_lock:
        _memo[paths.root] = fresh
    return catalog[1], merged
