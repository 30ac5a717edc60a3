"""The Fetcher against real HTTP servers on 127.0.0.1 (pytest-web, threaded).

Each hostile server behaviour the issue lists is served for real: stalls, redirect loops,
oversize and gzip-bomb bodies. Every wait is bounded; servers stop at the end of the module.
"""

from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.sources.fetch import Fetcher, FetchLimits, parse_retry_after

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.fixture
def web(server: HTTPServer) -> Iterator[HTTPServer]:
    yield server
    server.clear()


def _fetcher(read_timeout: float, total_timeout: float) -> Fetcher:
    limits = FetchLimits(connect_timeout=10, read_timeout=read_timeout, max_bytes=64 * 1024,
                         max_redirects=3, user_agent="monitor-test/1.0",
                         total_timeout=total_timeout)  # fmt: skip
    # The test servers run on 127.0.0.1, an internal address fetches refuse by default.
    return Fetcher(limits, host_interval=0, allow_private=["127.0.0.1"])


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    """Deadlines far above what a local answer takes even on a loaded machine (load 30 took
    local answers past 2 s): only the tests of the deadlines themselves use tight ones."""
    with _fetcher(read_timeout=10, total_timeout=30) as f:
        yield f


@pytest.fixture
def strict_fetcher() -> Iterator[Fetcher]:
    """The read timeout (0.5 s) and total deadline (2 s) whose firing is under test; each
    such test's server would otherwise go on far longer, so its end proves the deadline."""
    with _fetcher(read_timeout=0.5, total_timeout=2) as f:
        yield f


@pytest.fixture
def stalled_port() -> Iterator[int]:
    """A socket that listens and never answers: the kernel completes the handshake, then
    nothing is ever sent, which is what a hung server looks like from outside."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock.getsockname()[1]
    sock.close()


def test_plain_get_sends_user_agent_and_accept(web: HTTPServer, fetcher: Fetcher) -> None:
    web.expect_request("/feed").respond_with_data(FEED, content_type="application/rss+xml")
    result = fetcher.get(web.url_for("/feed"))
    assert result.ok and result.status == 200 and result.body == FEED
    assert result.headers["content-type"] == "application/rss+xml"
    request, _ = web.log[0]
    assert request.headers["User-Agent"] == "monitor-test/1.0"
    assert "application/rss+xml" in request.headers["Accept"]


def test_conditional_get_gives_not_modified(web: HTTPServer, fetcher: Fetcher) -> None:
    lm = "Tue, 05 Mar 2024 09:30:00 GMT"

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(FEED, headers={"ETag": '"v1"', "Last-Modified": lm})

    web.expect_request("/feed").respond_with_handler(handler)
    first = fetcher.get(web.url_for("/feed"))
    assert first.headers["etag"] == '"v1"'
    second = fetcher.get(web.url_for("/feed"), etag='"v1"', last_modified=lm)
    assert second.not_modified and second.error is None and not second.ok
    assert second.status == 304 and second.body == b""
    request, _ = web.log[1]
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == lm


def test_http_errors_are_results_not_exceptions(web: HTTPServer, fetcher: Fetcher) -> None:
    web.expect_request("/500").respond_with_data("boom", status=500)
    web.expect_request("/429").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    r500 = fetcher.get(web.url_for("/500"))
    assert r500.status == 500 and r500.error == "HTTP 500 INTERNAL SERVER ERROR"
    r429 = fetcher.get(web.url_for("/429"))
    assert r429.status == 429 and "Retry-After: 120" in (r429.error or "")
    assert r429.retry_after() == 120.0


def test_retry_after_as_http_date() -> None:
    now = datetime(2024, 3, 5, 9, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Tue, 05 Mar 2024 09:10:00 GMT", now) == 600.0
    assert parse_retry_after("Tue, 05 Mar 2024 08:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_redirect_followed_then_loop_refused(web: HTTPServer, fetcher: Fetcher) -> None:
    web.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/feed"})
    web.expect_request("/feed").respond_with_data(FEED)
    moved = fetcher.get(web.url_for("/old"))
    assert moved.ok and moved.body == FEED and moved.url == web.url_for("/feed")

    web.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    web.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    loop = fetcher.get(web.url_for("/a"))
    assert loop.error is not None and "too many redirects (more than 3)" in loop.error
    hops = [r.path for r, _ in web.log if r.path in ("/a", "/b")]
    assert hops == ["/a", "/b", "/a", "/b"]  # the first request and max_redirects more


def test_redirect_to_other_scheme_refused(web: HTTPServer, fetcher: Fetcher) -> None:
    web.expect_request("/evil").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    result = fetcher.get(web.url_for("/evil"))
    assert result.error is not None and "only http and https" in result.error
    assert fetcher.get("ftp://127.0.0.1/feed").error == (
        "only http and https URLs are fetched: ftp://127.0.0.1/feed"
    )
    assert (fetcher.get("http://[::1/feed").error or "").startswith("invalid URL")


def test_redirect_to_other_origin_drops_custom_headers(web: HTTPServer, fetcher: Fetcher) -> None:
    other = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    other.start()
    try:
        other.expect_request("/feed").respond_with_data(FEED)
        web.expect_request("/moved").respond_with_data(
            "", status=302, headers={"Location": other.url_for("/feed")}
        )
        result = fetcher.get(
            web.url_for("/moved"), headers={"Authorization": "Bearer secret"}, etag='"e"'
        )
        assert result.ok and result.body == FEED
        first, _ = web.log[0]
        second, _ = other.log[0]
        assert first.headers["Authorization"] == "Bearer secret"
        assert "Authorization" not in second.headers  # a token is for its own server only
        assert second.headers["If-None-Match"] == '"e"'
        assert second.headers["User-Agent"] == "monitor-test/1.0"
    finally:
        other.clear()
        other.stop()


def test_stalled_server_times_out_within_read_timeout(
    stalled_port: int, strict_fetcher: Fetcher
) -> None:
    result = strict_fetcher.get(f"http://127.0.0.1:{stalled_port}/feed")
    # The server never answers: only the read timeout can have ended the request.
    assert result.status is None
    assert result.error == "the server stopped sending for 0.5 s (read timeout)"


def test_dribbling_server_stops_at_total_deadline(web: HTTPServer, strict_fetcher: Fetcher) -> None:
    """One byte every 0.2 s never trips the read timeout; the total deadline (2 s) ends it."""
    stop = threading.Event()

    def dribble() -> Iterator[bytes]:
        for _ in range(50):  # bounded: 10 s at most, however the client behaves
            if stop.wait(0.2):
                return
            yield b" "

    web.expect_request("/slow").respond_with_response(Response(dribble()))
    try:
        result = strict_fetcher.get(web.url_for("/slow"))
    finally:
        stop.set()
    # The body would end after 10 s with no error: the error says the 2 s deadline did it.
    assert result.error is not None and "longer than 2 s in total" in result.error


def test_oversize_body_refused_declared_or_streamed(web: HTTPServer, fetcher: Fetcher) -> None:
    big = b"x" * (200 * 1024)
    web.expect_request("/declared").respond_with_data(big)  # with Content-Length

    def chunks() -> Iterator[bytes]:
        for _ in range(200):
            yield b"x" * 1024

    web.expect_request("/chunked").respond_with_response(Response(chunks()))
    for path in ("/declared", "/chunked"):
        result = fetcher.get(web.url_for(path))
        assert result.error == (
            "response body is over the limit of 65536 bytes (decoded); not read"
        ), path
        assert result.body == b""
    exact = b"y" * (64 * 1024)
    web.expect_request("/exact").respond_with_data(exact)
    assert fetcher.get(web.url_for("/exact")).body == exact


# The bomb's server runs in a child process: tracemalloc counts every thread of this one,
# and werkzeug's server thread allocates megabytes of its own while it answers.
BOMB_SERVER = """
import gzip, http.server, sys
bomb = gzip.compress(bytes(40 * 1024 * 1024), compresslevel=9)

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(bomb)))
        self.end_headers()
        try:
            self.wfile.write(bomb)
        except OSError:
            pass

    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
server.timeout = 10
print(server.server_address[1], len(bomb), flush=True)
server.handle_request()  # one request, or 10 s: then it exits by itself
"""


def test_gzip_bomb_stops_at_limit_without_inflating(fetcher: Fetcher) -> None:
    child = subprocess.Popen([sys.executable, "-c", BOMB_SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        port, size = (int(v) for v in child.stdout.readline().split())
        assert size < 64 * 1024  # 40 MB of zeros is tens of KB on the wire
        tracemalloc.start()
        try:
            result = fetcher.get(f"http://127.0.0.1:{port}/feed")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    finally:
        child.kill()
        child.wait(timeout=10)
    assert result.error == "response body is over the limit of 65536 bytes (decoded); not read"
    assert peak < 2 * 1024 * 1024  # never inflated the 40 MB (measured: about 0.3 MB)


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_bodies_within_limit_decode(
    web: HTTPServer, fetcher: Fetcher, coding: str
) -> None:
    if coding == "gzip":
        data = gzip.compress(FEED)
    elif coding == "deflate":
        data = zlib.compress(FEED)
    else:  # what some servers send as "deflate": no zlib header
        z = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = z.compress(FEED) + z.flush()
    name = "deflate" if coding == "raw-deflate" else coding
    web.expect_request("/z").respond_with_data(data, headers={"Content-Encoding": name})
    result = fetcher.get(web.url_for("/z"))
    assert result.ok and result.body == FEED
    request, _ = web.log[0]
    assert "gzip" in request.headers["Accept-Encoding"]


def test_unknown_content_encoding_is_an_error(web: HTTPServer, fetcher: Fetcher) -> None:
    web.expect_request("/br").respond_with_data(b"????", headers={"Content-Encoding": "br"})
    result = fetcher.get(web.url_for("/br"))
    assert result.error is not None and "unsupported content encoding" in result.error


def test_refused_connection_is_an_error(fetcher: Fetcher) -> None:
    # A port bound but never listened on refuses connections, and stays ours while the
    # fetch runs: a port closed first could be taken by another test's server (the suite
    # runs in 12 processes), which then answers the fetch.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        result = fetcher.get(f"http://127.0.0.1:{port}/feed")
    assert result.status is None and result.error is not None
    assert result.error.startswith("request failed: ConnectError")


def test_page_fetches_one_at_a_time_per_host(web: HTTPServer) -> None:
    lock = threading.Lock()
    active = {"now": 0, "max": 0}

    def page(request: Request) -> Response:
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.1)
        with lock:
            active["now"] -= 1
        return Response("<html><body><p>page</p></body></html>", content_type="text/html")

    web.expect_request("/page").respond_with_handler(page)
    with Fetcher(FetchLimits(read_timeout=5), host_interval=0.05, allow_private=["127.0.0.1"]) as f:
        threads = [
            threading.Thread(target=f.get_page, args=(web.url_for("/page"),)) for _ in range(4)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
        elapsed = time.monotonic() - started
    assert active["max"] == 1
    assert elapsed >= 4 * 0.1 + 3 * 0.05 - 0.02
    pages = [r for r, _ in web.log]
    assert len(pages) == 4 and all("text/html" in r.headers["Accept"] for r in pages)
