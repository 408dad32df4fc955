"""``reader add URL``: pages served by a local http.server (nothing leaves this machine)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.service import webclip
from reader.service.library import Library, LibraryError
from reader.service.webclip import FetchError, add_url, fetch_page
from tests.web.pages import VENTUREBEAT, page, truth
from tests.web.server import ROUTES, serving


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as base:
        yield base


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "note.txt").write_text("A Plain Clipping\nMay 2, 2025\nA body line.\n")
    opened = Library.open(folder, tmp_path / "store")
    opened.sync()
    return opened


def test_a_page_is_saved_with_its_address_and_imported(server: str, library: Library) -> None:
    added = add_url(library, f"{server}/moved#comments")
    assert not added.updated
    assert added.path.parent == library.docs_root / "web"  # type: ignore[operator]
    saved = added.path.read_text(encoding="utf-8")
    address = f"{server}/story"  # where the redirect ended, without the fragment
    assert saved.startswith(
        f"<!-- saved from url=({len(address):04d}){address} -->\n<!-- reader: fetched "
    )
    article = library.article(added.article_id)
    assert article is not None
    assert article.title.startswith("New York State Attorney General investigating WeWork")
    assert article.url == truth()[VENTUREBEAT]["url"]  # the page's canonical address
    assert article.path == f"web/{added.path.name}"


def test_re_adding_a_page_updates_its_article_and_moves_its_highlights(
    server: str, library: Library
) -> None:
    first = add_url(library, f"{server}/story")
    highlight = library.annotate_quote(
        "Letitia James", article=first.article_id, note="n"
    ).annotation
    changed = page(VENTUREBEAT).replace(
        b"</em>) \xe2\x80\x94 The", b"</em>) \xe2\x80\x94 UPDATE: The"
    )
    assert changed != page(VENTUREBEAT)
    ROUTES["/story"] = (200, {"Content-Type": "text/html"}, changed)
    try:
        again = add_url(library, f"{server}/story")
    finally:
        ROUTES["/story"] = (200, {"Content-Type": "text/html"}, page(VENTUREBEAT))
    assert (again.updated, again.article_id, again.path) == (True, first.article_id, first.path)
    article = library.article(first.article_id)
    assert article is not None and "UPDATE:" in article.text
    [moved] = library.annotations(first.article_id)
    assert moved.id == highlight.id and moved.status == "anchored"
    assert article.text[moved.start : moved.end] == "Letitia James"
    assert len([s for s in library.articles() if s.path.startswith("web/")]) == 1


def test_the_header_charset_decodes_the_page_and_it_is_saved_as_utf8(
    server: str, library: Library
) -> None:
    added = add_url(library, f"{server}/latin")
    article = library.article(added.article_id)
    assert article is not None and "Café “crème”." in article.text
    assert "Café “crème”." in added.path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("/missing", "/missing: HTTP 404 Not Found"),
        ("/loop", "/loop: too many redirects (a redirect loop?)"),
        ("/pdf", "/pdf: not a web page (application/pdf)"),
        ("/declared-huge", "/declared-huge: too big (209.7 MB; the limit is 33.6 MB)"),
        ("/endless", "/endless: too big (over 33.6 MB, the limit)"),
        ("/nothing", "/nothing: no article found in the page"),
    ],
)
def test_what_cannot_be_added_is_one_line_and_nothing_is_stored(
    server: str, library: Library, route: str, message: str
) -> None:
    before = (sorted(library.store.file_records()), [s.id for s in library.articles()])
    with pytest.raises(FetchError) as caught:
        add_url(library, server + route)
    assert str(caught.value) == server + message
    assert not (library.docs_root / "web").exists()  # type: ignore[operator]
    assert (sorted(library.store.file_records()), [s.id for s in library.articles()]) == before


def test_a_page_that_does_not_answer_in_time_is_a_timeout(server: str) -> None:
    with pytest.raises(FetchError, match=r"/slow: timed out after 0\.3 s$"):
        fetch_page(f"{server}/slow", timeout=0.3)


def test_nothing_but_web_addresses_are_fetched() -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/x", "example.com", ""):
        with pytest.raises(FetchError, match="not a web address"):
            fetch_page(url)


def test_the_cli_prints_the_id_and_errors_in_one_line(
    server: str,
    library: Library,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = str(library.store.root)
    assert main(["--db", store, "add", f"{server}/story"]) == 0
    out, err = capsys.readouterr()
    [summary] = [s for s in library.articles() if s.path.startswith("web/")]
    assert out == f"{summary.id}\n"
    assert err.startswith("added: New York State Attorney General")
    monkeypatch.setattr(webclip, "TIMEOUT", 0.3)
    assert main(["--db", store, "add", f"{server}/slow"]) == 1
    assert capsys.readouterr().err == f"reader: {server}/slow: timed out after 0.3 s\n"
    assert main(["--db", store, "add", f"{server}/missing"]) == 1
    assert capsys.readouterr().err == f"reader: {server}/missing: HTTP 404 Not Found\n"


def test_without_a_library_folder_nothing_is_fetched(tmp_path: Path) -> None:
    bare = Library.open(None, tmp_path / "bare-store")
    fetched: list[str] = []
    with pytest.raises(LibraryError, match="no library folder to save the page in"):
        add_url(bare, "http://127.0.0.1:9/x", fetch=lambda url: fetched.append(url))  # type: ignore[arg-type,func-returns-value]
    assert fetched == []
