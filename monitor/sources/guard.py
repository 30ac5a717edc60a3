"""Fetches never reach the inside: feed and page requests go to public addresses only.

A feed URL, a redirect or a full-text entry link is text a stranger can write. Without a
check, `http://169.254.169.254/latest/meta-data/` (cloud credentials), `http://127.0.0.1:
8080/admin` or a router at 192.168.1.1 would be fetched from the daemon's host, stored and
exported: server-side request forgery. So every connection is checked *after* DNS
resolution (a public-looking name can resolve to 127.0.0.1) and on every redirect hop.

Refused: loopback (127/8, ::1), link-local (169.254/16 with the cloud metadata address,
fe80::/10), private (10/8, 172.16/12, 192.168/16, fc00::/7), unspecified (0.0.0.0, ::),
multicast, reserved, shared (100.64/10) and every other range IANA marks not globally
reachable; IPv4 addresses inside IPv6 (::ffff:a.b.c.d, 6to4, NAT64, Teredo) are judged
by the IPv4 address they carry. A host that resolves to several addresses is refused if
any of them is internal: an attacker controls the order they are tried in.

DNS rebinding: a name can answer "public" to the check and "127.0.0.1" to the connection
that follows. PinnedBackend closes that gap: it is httpx's network layer, so it resolves
the name itself, checks the addresses and connects to the very address it checked (TLS
still verifies the certificate against the name). Through an HTTP proxy (HTTP_PROXY in
the environment), the proxy makes the connection: then only the check before the request
applies, and the proxy should refuse internal addresses itself (docs/security.md).
"""

from __future__ import annotations

import ipaddress
import socket
import typing
from collections.abc import Callable, Iterable

import httpcore
import httpx

# host, port -> the addresses to try, in order (socket.getaddrinfo, or a test's stand-in
# for DNS, which crosses the internet).
Resolver = Callable[[str, int], list[str]]

_IP = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_METADATA = ipaddress.ip_address("169.254.169.254")


class Refused(Exception):
    """The host resolves to an address we do not fetch; the message says which and why."""


class RefusedConnect(httpcore.ConnectError):
    """Refused inside httpx's connection (PinnedBackend): httpx wraps it in ConnectError."""


def system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def internal_kind(address: str) -> str | None:
    """What kind of internal address this is ("a loopback address"), or None if public."""
    ip: _IP = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (%eth0)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = internal_kind(str(embedded))
            return f"{inner} (inside the IPv6 address {ip})" if inner else None
    if ip.is_loopback:
        return "a loopback address"
    if ip == _METADATA:
        return "the cloud metadata address (link-local)"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_unspecified:
        return "the unspecified address (it reaches this host)"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "an address that is not globally reachable"
    return None


class AddressGuard:
    """Resolves a host and refuses it when any of its addresses is internal."""

    def __init__(self, resolve: Resolver | None = None) -> None:
        self.resolve = resolve or system_resolve

    def check(self, host: str, port: int) -> list[str]:
        """The host's addresses, all public; Refused otherwise. DNS failures propagate as
        OSError (socket.gaierror), for the caller to report as a network error."""
        literal = host.strip("[]")
        try:
            ipaddress.ip_address(literal.split("%", 1)[0])
            addresses = [literal]
        except ValueError:
            addresses = self.resolve(host, port)
        if not addresses:
            raise Refused(f"{host} resolves to no address")
        for address in addresses:
            kind = internal_kind(address)
            if kind and literal == address:
                raise Refused(f"{host} is {kind}")
            if kind:
                raise Refused(f"{host} resolves to {address}, {kind}")
        return addresses


class PinnedBackend(httpcore.NetworkBackend):
    """httpcore's network layer, checking each connection's addresses and connecting to
    exactly the address checked (module docstring: DNS rebinding)."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._guard.check(host, port)
        except Refused as exc:
            raise RefusedConnect(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - we never ask for one
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guarded_transport(guard: AddressGuard) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through PinnedBackend.

    httpx has no public way to hand httpcore a network backend, so the transport's
    connection pool is replaced by one built with httpx's own defaults (TLS context,
    limits) plus ours. tests/sources/test_fetch_guard.py fails if this stops working.
    """
    transport = httpx.HTTPTransport()
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=PinnedBackend(guard),
    )
    return transport


def refusal_of(exc: BaseException) -> str | None:
    """The refusal inside an httpx error raised by PinnedBackend, if that is what it is."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, RefusedConnect | Refused):
            return str(current)
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def hosts(values: Iterable[str]) -> frozenset[str]:
    """Host names as URLs carry them, for comparison: lower case, no brackets or dot."""
    return frozenset(v.strip().strip("[]").rstrip(".").lower() for v in values if v.strip())
