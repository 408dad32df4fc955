"""``reader add URL``: fetch a web page, save it into the library folder, import it.

One GET (urllib: no dependency for one request) with a timeout, a size cap and at most
:data:`MAX_REDIRECTS` redirects. The page is saved as ``<library>/web/<host>-<slug>-<hash>
.html``, in UTF-8, its first lines carrying where and when it came from::

    <!-- saved from url=(0031)https://example.com/story.html -->
    <!-- reader: fetched 2026-11-30T17:00:00+00:00 -->
    <meta charset="utf-8">

(the first is the mark browsers write on a saved page, so a page saved from a browser reads
the same way). The file is a document like any other: re-adding the same address rewrites
the same file, and the import re-anchors the highlights made on the earlier version.
"""

from __future__ import annotations

import hashlib
import re
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from reader.core.models import now_iso
from reader.service.errors import LibraryError
from reader.service.library import Library

if TYPE_CHECKING:
    from reader.service.sync import SyncReport

__all__ = [
    "MAX_PAGE_BYTES",
    "MAX_REDIRECTS",
    "TIMEOUT",
    "AddedPage",
    "FetchError",
    "FetchedPage",
    "add_url",
    "fetch_page",
    "page_file_name",
]

#: seconds for the whole fetch (connecting, redirects and reading)
TIMEOUT = 20.0
#: a page larger than this is refused (as a document of that size would be)
MAX_PAGE_BYTES = 32 * 1024 * 1024
MAX_REDIRECTS = 10
WEB_FOLDER = "web"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_USER_AGENT = "Mozilla/5.0 (compatible; reader-tui; +https://github.com/)"


class FetchError(LibraryError):
    """A page that could not be fetched; ``str()`` is one line naming the address."""


@dataclass(slots=True)
class FetchedPage:
    """A fetched page: the address asked for, where it ended, its text and when."""

    url: str
    final_url: str
    text: str
    fetched: str


@dataclass(slots=True)
class AddedPage:
    """What :func:`add_url` did."""

    article_id: str
    title: str
    path: Path
    updated: bool
    #: the import of the saved page (counts, re-anchored highlights)
    report: SyncReport


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2  # the same address a third time is a loop


def fetch_page(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> FetchedPage:
    """GET ``url`` and return its text; raises :class:`FetchError` with a one-line reason
    (timeout, HTTP error, redirect loop, too big, not a web page, no connection)."""
    from reader.core.parser import ParseError
    from reader.core.webpage import decode_html

    timeout = TIMEOUT if timeout is None else timeout
    max_bytes = MAX_PAGE_BYTES if max_bytes is None else max_bytes
    url = check_url(url)
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        url, headers={"User-Agent": _USER_AGENT, "Accept": "text/html,application/xhtml+xml"}
    )
    opener = urllib.request.build_opener(_Redirects())
    try:
        with opener.open(request, timeout=timeout) as response:
            final_url = response.geturl()
            kind = response.headers.get_content_type()
            declared = response.headers.get("Content-Type")
            if declared and kind not in _HTML_TYPES:
                raise FetchError(f"{url}: not a web page ({kind})")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(
                    f"{url}: too big ({_mb(int(length))}; the limit is {_mb(max_bytes)})"
                )
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: timed out after {timeout:g} s")
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: too big (over {_mb(max_bytes)}, the limit)")
                chunks.append(chunk)
            charset = response.headers.get_content_charset()
    except FetchError:
        raise
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection
        if 300 <= error.code < 400:
            raise FetchError(f"{url}: too many redirects (a redirect loop?)") from error
        reason = error.reason if isinstance(error.reason, str) else ""
        raise FetchError(f"{url}: HTTP {error.code} {reason}".rstrip()) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise FetchError(f"{url}: timed out after {timeout:g} s") from error
        raise FetchError(f"{url}: cannot connect ({_reason(error.reason)})") from error
    except TimeoutError as error:
        raise FetchError(f"{url}: timed out after {timeout:g} s") from error
    except (OSError, ValueError) as error:  # a dropped connection, a bad status line
        raise FetchError(f"{url}: cannot fetch ({_reason(error)})") from error
    data = b"".join(chunks)
    text = None
    if charset:
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None  # a wrong header: sniff as for a saved page
    if text is None:
        try:
            text = decode_html(data, url)
        except ParseError as error:
            raise FetchError(f"{url}: {error.reason}") from error
    if "\x00" in text[:8192]:
        raise FetchError(f"{url}: binary data (not a web page)")
    return FetchedPage(url=url, final_url=final_url, text=text, fetched=now_iso())


def check_url(url: str) -> str:
    """``url`` without its fragment, if it is an http(s) address; else :class:`FetchError`."""
    url = urldefrag(url.strip())[0]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url or '(empty)'}: not a web address (http:// or https://)")
    return url


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def page_file_name(url: str) -> str:
    """The file a page is saved as: ``<host>-<last part of its path>-<8 hex of the url>.html``
    (the same address, the same file)."""
    parts = urlsplit(url)
    host = (parts.hostname or "page").removeprefix("www.")
    last = [p for p in parts.path.split("/") if p]
    stem = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", last[-1] if last else "", flags=re.I)
    slug = re.sub(r"[^\w]+", "-", f"{host}-{stem}".casefold()).strip("-")[:80].rstrip("-")
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}.html"


def saved_page(page: FetchedPage) -> str:
    """The text of the file a fetched page is saved as (the marks, then the page)."""
    address = page.final_url if page.final_url.startswith(("http://", "https://")) else page.url
    address = address.replace("-->", "--%3E")
    return (
        f"<!-- saved from url=({len(address):04d}){address} -->\n"
        f"<!-- reader: fetched {page.fetched} -->\n"
        '<meta charset="utf-8">\n' + page.text
    )


def add_url(
    library: Library,
    url: str,
    *,
    fetch: Callable[[str], FetchedPage] | None = None,
) -> AddedPage:
    """Fetch ``url``, save it into the library folder and import it.

    The page is parsed before anything is written: a page without an article leaves the
    library as it was. A page already in the library (same address) is updated in place.
    """
    from reader.core.parser import ParseError, parse_bytes
    from reader.service.documents import relative_name
    from reader.service.opening import samples_path

    root = library.docs_root
    if root is None or Path(root).resolve() == samples_path():
        raise LibraryError(
            "no library folder to save the page in: import your folder first "
            "(reader import FOLDER), then run reader add in it or with --db"
        )
    root = Path(root)
    page = (fetch or fetch_page)(url)
    content = saved_page(page).encode("utf-8")
    path = root / WEB_FOLDER / page_file_name(page.url)
    name = relative_name(root, path)
    try:
        [article, *_] = parse_bytes(content, name)
    except ParseError as error:
        raise FetchError(f"{page.url}: {error.reason}") from error
    if not path.exists():
        path = _existing_file(library, root, article.url, page.final_url) or path
    updated = path.exists()
    from reader.service.exporting import write_file  # the one atomic writer

    write_file(path, content)
    report = library.import_paths([path])
    if report.errors:
        raise LibraryError(report.errors[0])
    record = library.store.file_records().get(relative_name(root, path))
    if record is None or not record.article_ids:
        raise LibraryError(f"{page.url}: the page was saved as {path} but not imported")
    stored = library.article(record.article_ids[0])
    title = stored.title if stored is not None else article.title
    return AddedPage(record.article_ids[0], title, path, updated, report)


def _existing_file(library: Library, root: Path, *urls: str | None) -> Path | None:
    """The saved page of an article already in the library with one of these addresses."""
    from reader.service.exporting import urls_of

    wanted = {u for u in urls if u}
    if not wanted:
        return None
    # only pages reader saved can be rewritten: read only those articles
    saved = [s for s in library.articles() if s.path.startswith(f"{WEB_FOLDER}/")]
    for address, article_id in urls_of(library, saved).items():
        if address in wanted:
            article = library.article(article_id)
            if article is not None and article.path:
                candidate = root / article.path
                # only pages reader saved: a page the user saved is never overwritten
                if candidate.is_file() and candidate.parent == root / WEB_FOLDER:
                    return candidate
    return None
