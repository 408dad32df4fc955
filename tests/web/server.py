"""A local web server for the tests (127.0.0.1, a free port): corpus pages and bad answers."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.web.pages import LONG, VENTUREBEAT, page, small_page

ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = self.path
        if path == "/slow":
            time.sleep(2)
        if path == "/endless":  # 200 MB, no Content-Length
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            block = b"<p>" + b"x" * 65_533
            try:
                for _ in range(200 * 16):
                    self.wfile.write(block)
            except OSError:
                pass  # the client stopped reading: what we want
            return
        status, headers, body = ROUTES.get(path, (404, {"Content-Type": "text/html"}, b"gone"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if path != "/declared-huge":
            with contextlib.suppress(OSError):  # the client gave up (the timeout test)
                self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving() -> Iterator[str]:
    """Serve :data:`ROUTES` (and /slow, /endless); yields the base address."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    html = {"Content-Type": "text/html; charset=utf-8"}
    ROUTES.update(
        {
            "/story": (200, html, page(VENTUREBEAT)),
            "/moved": (301, {"Location": "/story"}, b""),
            "/loop": (302, {"Location": "/loop2"}, b""),
            "/loop2": (302, {"Location": "/loop"}, b""),
            "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 ..."),
            "/nothing": (200, html, b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
            "/declared-huge": (200, {**html, "Content-Length": str(200 << 20)}, b""),
            "/latin": (
                200,
                {"Content-Type": "text/html; charset=windows-1252"},
                small_page("Café crème", [LONG[0] + " Café “crème”.", *LONG[1:]]).encode("cp1252"),
            ),
        }
    )
    yield base
    httpd.shutdown()
    httpd.server_close()
