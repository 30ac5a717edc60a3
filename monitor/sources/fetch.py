"""HTTP GET for feeds and article pages, with limits a hostile or broken server cannot beat.

feedparser has no timeout and will not get one (NOTES.md), and a scheduler job that hangs
blocks its feed forever, so every byte comes through here first:

- connect and read timeouts, plus a total deadline checked while the body streams in, so a
  server that dribbles one byte per second cannot hold a worker for hours;
- a maximum body size counted on *decoded* bytes. We decompress gzip/deflate ourselves with
  `zlib`'s `max_length`, because httpx's own decoder inflates a whole network chunk at once:
  64 KB of gzipped zeros is 64 MB in memory before any counting could stop it;
- redirects followed by hand, at most `max_redirects`, each hop checked to be http(s), and
  the body of a redirect response never read (httpx reads it in full, with no limit);
- conditional GET (If-None-Match / If-Modified-Since) so an unchanged feed costs a 304;
- page fetches (full-text articles) serialised per host: one request at a time per site,
  however many feeds link to it, with an optional pause between them;
- no request to an internal address (loopback, private, link-local, ...), checked after
  DNS and on every redirect hop, unless the caller allows that host (guard.py);
- error messages with the secrets of URLs masked (monitor/ops/redact.py), since they are
  stored, listed and logged.

Nothing here raises for a network or HTTP failure: the caller gets a FetchResult whose
`error` says what went wrong in words a user can act on.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from monitor.ops.redact import scrub_url, scrub_urls
from monitor.sources.guard import (
    AddressGuard,
    Refused,
    Resolver,
    guarded_transport,
    hosts,
    refusal_of,
)

# Says who we are; a deployment should add a contact URL or address (FetchLimits.user_agent)
# so a site owner who sees our requests can reach someone instead of blocking us.
DEFAULT_USER_AGENT = "monitor/0.1 (news monitor; RSS/Atom feed poller)"

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Headers we set ourselves; everything else a feed's config adds is dropped when a redirect
# leaves the origin, because it may be a token meant only for that server.
_OWN_HEADERS = frozenset({"user-agent", "accept", "accept-encoding"})


@dataclass(frozen=True)
class FetchLimits:
    """What one GET may cost. Defaults suit news feeds and article pages."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # longest silence between two reads
    max_bytes: int = 10 * 1024 * 1024  # decoded body size
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    # Whole request, headers to last byte; checked between reads, so a stalled read still
    # ends by read_timeout and a dribbling one by this deadline.
    total_timeout: float = 120.0


@dataclass(frozen=True)
class FetchResult:
    """One GET's outcome. `error` is None for a 2xx with a body within limits and for a 304."""

    status: int | None  # None when no response came (timeout, refused, too big to read)
    body: bytes
    headers: Mapping[str, str]  # lower-cased names
    url: str  # final URL, after redirects
    not_modified: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.not_modified

    def retry_after(self, now: datetime | None = None) -> float | None:
        """Seconds the server asked us to wait (Retry-After as seconds or as an HTTP date)."""
        return parse_retry_after(self.headers.get("retry-after"), now)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _TooBig(Exception):
    pass


class _Decoder:
    """Content-Encoding -> bytes, never producing more than the caller's budget at once."""

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise ValueError(f"stacked content encodings are not supported: {content_encoding}")
        self.coding = codings[0] if codings else "identity"
        if self.coding in ("gzip", "x-gzip"):
            self._z: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._z = zlib.decompressobj()
            self._first = True  # servers send raw deflate as often as zlib-wrapped
        elif self.coding == "identity":
            self._z = None
        else:
            raise ValueError(f"unsupported content encoding {content_encoding!r}")

    def decode(self, data: bytes, budget: int) -> bytes:
        """Decode data; raise _TooBig when it would exceed budget bytes."""
        if self._z is None:
            if len(data) > budget:
                raise _TooBig
            return data
        try:
            out = self._z.decompress(data, budget + 1)
        except zlib.error:
            if self.coding != "deflate" or not self._first:
                raise
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._z.decompress(data, budget + 1)
        self._first = False
        # With max_length, zlib stops once it has produced budget + 1 bytes: more to come
        # means the body is over the limit, and we never inflate beyond that.
        if len(out) > budget:
            raise _TooBig
        return out


@dataclass
class _HostGate:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = float("-inf")  # monotonic time the last request to this host ended


class Fetcher:
    """An httpx.Client with our limits. Thread-safe: scheduler jobs share one Fetcher.

    Use as a context manager, or call close(). `transport` replaces httpx's network layer
    (a proxy mount, say); our own tests use real servers on 127.0.0.1 instead. With it,
    internal addresses are still refused before each request, but the connection is not
    pinned to the address checked (guard.py).

    `allow_private` names hosts this fetcher may reach at internal addresses whatever the
    request; a request can name more (a feed's allow_private). Everything else must
    resolve to public addresses only. `resolve` stands in for DNS (tests).
    """

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        host_interval: float = 0.5,
        transport: httpx.BaseTransport | None = None,
        allow_private: Collection[str] = (),
        resolve: Resolver | None = None,
    ) -> None:
        self.limits = limits or FetchLimits()
        # Pause between two page requests to the same host: politeness for full_text feeds,
        # whose pages all live on one site.
        self.host_interval = host_interval
        self.allow_private = hosts(allow_private)
        self.guard = AddressGuard(resolve)
        # The two clients are made on the first fetch: each builds an SSL context (about
        # 50 ms), and most daemons have no feed to fetch.
        self._transport = transport
        self._clients: tuple[httpx.Client, httpx.Client] | None = None
        self._clients_lock = threading.Lock()
        self._gates: dict[str, _HostGate] = {}
        self._gates_lock = threading.Lock()

    def _make_client(self, transport: httpx.BaseTransport | None) -> httpx.Client:
        return httpx.Client(
            timeout=httpx.Timeout(
                connect=self.limits.connect_timeout,
                read=self.limits.read_timeout,
                write=self.limits.read_timeout,
                pool=self.limits.connect_timeout,
            ),
            follow_redirects=False,  # by hand, see the module docstring
            headers={"User-Agent": self.limits.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
        )

    def _made_clients(self) -> tuple[httpx.Client, httpx.Client]:
        """The guarded client, and for hosts allowed to be internal a plain one whose
        connections are not checked."""
        with self._clients_lock:
            if self._clients is None:
                guarded = self._make_client(self._transport or guarded_transport(self.guard))
                self._clients = (guarded, self._make_client(self._transport))
            return self._clients

    def close(self) -> None:
        with self._clients_lock:
            clients, self._clients = self._clients, None
        for client in clients or ():
            client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public --------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
        allow_private: Collection[str] = (),
    ) -> FetchResult:
        """GET url within the limits; conditional when etag or last_modified is given.

        Hosts in `allow_private` (and the fetcher's own) may be internal addresses; any
        other host on the way, redirects included, must resolve to public ones only."""
        sent: dict[str, str] = {"Accept": accept}
        sent.update(headers or {})
        if etag:
            sent["If-None-Match"] = etag
        if last_modified:
            sent["If-Modified-Since"] = last_modified
        result = self._get(url, sent, self.allow_private | hosts(allow_private))
        if result.error:  # stored and listed: no secrets from the URLs in it
            return replace(result, error=scrub_urls(result.error))
        return result

    def get_page(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        allow_private: Collection[str] = (),
    ) -> FetchResult:
        """GET an article page; one request at a time per host, host_interval apart."""
        gate = self._gate(_host_of(url))
        with gate.lock:
            wait = gate.last + self.host_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return self.get(
                    url, headers=headers, accept=PAGE_ACCEPT, allow_private=allow_private
                )
            finally:
                gate.last = time.monotonic()

    # -- inside --------------------------------------------------------------------------

    def _gate(self, host: str) -> _HostGate:
        with self._gates_lock:
            return self._gates.setdefault(host, _HostGate())

    def _get(self, url: str, headers: dict[str, str], allowed: frozenset[str]) -> FetchResult:
        limits = self.limits
        deadline = time.monotonic() + limits.total_timeout
        current = url
        for hop in range(limits.max_redirects + 1):
            where = "" if hop == 0 else f" (redirected from {url})"
            try:
                scheme = httpx.URL(current).scheme
            except (httpx.InvalidURL, ValueError) as exc:
                return _failure(current, f"invalid URL {current!r}{where}: {exc}")
            if scheme not in ("http", "https"):
                return _failure(current, f"only http and https URLs are fetched: {current}{where}")
            client, open_client = self._made_clients()
            target_url = httpx.URL(current)
            if target_url.host.rstrip(".").lower() in allowed:
                client = open_client
            else:
                # Checked here for a clear message (and for proxies); the guarded transport
                # checks again as it connects, and connects to the address it checked.
                try:
                    self.guard.check(target_url.host, target_url.port or _default_port(scheme))
                except Refused as exc:
                    return _failure(current, _refusal(current, str(exc), where))
                except OSError as exc:
                    return _failure(current, f"request failed: cannot resolve "
                                    f"{target_url.host}: {exc}{where}")  # fmt: skip
            try:
                request = client.build_request("GET", current, headers=headers)
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                return _failure(current, _timeout_message(exc, limits))
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
                refused = refusal_of(exc)
                if refused:
                    return _failure(current, _refusal(current, refused, where))
                return _failure(current, f"request failed: {_describe(exc)}")
            try:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    location = response.headers["location"]
                    try:
                        target = str(response.url.join(location))
                    except (httpx.InvalidURL, ValueError) as exc:
                        return _failure(current, f"redirect to an invalid URL {location!r}: {exc}")
                    if _origin(target) != _origin(current):
                        headers = {k: v for k, v in headers.items() if _keep_across(k)}
                    current = target
                    continue
                return self._read(response, deadline)
            finally:
                response.close()
        return _failure(
            current,
            f"too many redirects (more than {limits.max_redirects}), last to {current}",
        )

    def _read(self, response: httpx.Response, deadline: float) -> FetchResult:
        limits = self.limits
        url = str(response.url)
        headers = {k.lower(): v for k, v in response.headers.items()}
        status = response.status_code
        if status == 304:
            return FetchResult(status, b"", headers, url, not_modified=True)
        if not 200 <= status < 300:
            return FetchResult(status, b"", headers, url, error=_status_message(response))
        declared = headers.get("content-length", "")
        too_long = declared.isdigit() and int(declared) > limits.max_bytes
        if too_long and "content-encoding" not in headers:
            return FetchResult(status, b"", headers, url, error=_too_big(limits))
        try:
            decoder = _Decoder(headers.get("content-encoding", ""))
        except ValueError as exc:
            return FetchResult(status, b"", headers, url, error=str(exc))
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in _raw_chunks(response):
                parts.append(decoder.decode(chunk, limits.max_bytes - size))
                size += len(parts[-1])
                if time.monotonic() > deadline:
                    return FetchResult(
                        status,
                        b"",
                        headers,
                        url,
                        error=f"the response took longer than {limits.total_timeout:g} s "
                        f"in total (it was still sending after {size} bytes)",
                    )
        except _TooBig:
            return FetchResult(status, b"", headers, url, error=_too_big(limits))
        except zlib.error as exc:
            return FetchResult(status, b"", headers, url, error=f"corrupt compressed body: {exc}")
        except httpx.TimeoutException as exc:
            return FetchResult(status, b"", headers, url, error=_timeout_message(exc, limits))
        except httpx.HTTPError as exc:
            return FetchResult(
                status, b"", headers, url, error=f"body read failed: {_describe(exc)}"
            )
        return FetchResult(status, b"".join(parts), headers, url)


def _raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body as it came off the wire, still compressed: we decode it ourselves.

    No chunk_size: httpx would then buffer until it had that many bytes, and a server
    dribbling a byte a second would never reach our deadline check. Chunks come as the
    socket reads them (at most 64 KB each in httpcore).
    """
    yield from response.iter_raw()


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _refusal(url: str, why: str, where: str) -> str:
    return (
        f"refused to fetch {scrub_url(url)}{where}: {why}. Internal addresses are not "
        "fetched unless the feed allows it: allow_private = true in its [[feeds]] entry "
        '(for the feed\'s own host) or allow_private = ["HOST", ...] (docs/security.md)'
    )


def _failure(url: str, error: str) -> FetchResult:
    return FetchResult(None, b"", {}, url, error=error)


def _too_big(limits: FetchLimits) -> str:
    return f"response body is over the limit of {limits.max_bytes} bytes (decoded); not read"


def _timeout_message(exc: httpx.TimeoutException, limits: FetchLimits) -> str:
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return f"connection timed out after {limits.connect_timeout:g} s"
    return f"the server stopped sending for {limits.read_timeout:g} s (read timeout)"


def _status_message(response: httpx.Response) -> str:
    reason = response.reason_phrase or ""
    text = f"HTTP {response.status_code} {reason}".strip()
    if response.status_code in (429, 503) and response.headers.get("retry-after"):
        text += f" (Retry-After: {response.headers['retry-after']})"
    return text


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""  # not a valid URL: the request itself will say so


def _origin(url: str) -> tuple[str, str, int | None]:
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return (
            scheme,
            (parts.hostname or "").lower(),
            parts.port or (443 if scheme == "https" else 80),
        )
    except ValueError:
        return ("", url, None)


def _keep_across(name: str) -> bool:
    lowered = name.lower()
    return lowered in _OWN_HEADERS or lowered in ("if-none-match", "if-modified-since")
