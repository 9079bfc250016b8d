"""A small static file server on 127.0.0.1 for tests and the benchmark.

- `LinkChecker` response header: lifts LinkChecker's 10-requests-a-second
  limit for this host.
- Optional gzip: text responses are compressed when the client accepts it,
  as a real host would serve them (the benchmark's Lighthouse runs).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import sys
import threading
from pathlib import Path

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/xml", "application/manifest+json")


class Handler(http.server.SimpleHTTPRequestHandler):
    use_gzip = False
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".webmanifest": "application/manifest+json"}

    def end_headers(self):
        self.send_header("LinkChecker", "local test server")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass

    def send_head(self):
        """Serve the file, gzip-compressed when asked for and worth it."""
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # redirects "dir" to "dir/"
            local = local / "index.html"
        kind = self.guess_type(str(local))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.use_gzip and accepts and local.is_file() and kind.startswith(COMPRESSIBLE)):
            return super().send_head()
        body = gzip.compress(local.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that went away mid-download (a closed test page, its
        offline worker still fetching) is not an error of the site."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, port: int = 0, use_gzip: bool = False):
    """Serve `directory` on 127.0.0.1 in a background thread; yields the base
    URL, e.g. 'http://127.0.0.1:43117/'."""
    handler = functools.partial(type("H", (Handler,), {"use_gzip": use_gzip}),
                                directory=str(directory))
    server = Server(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
