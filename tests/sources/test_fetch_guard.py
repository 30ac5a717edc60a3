"""Fetches refuse internal addresses: after DNS, on every redirect hop, and at connect time
(DNS rebinding). Real servers on 127.0.0.1; DNS answers are faked only where a test needs
a name to look public (DNS crosses the internet)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.sources.guard import AddressGuard, Refused, internal_kind

LIMITS = FetchLimits(connect_timeout=2, read_timeout=2, total_timeout=5)


@pytest.fixture
def web(server: HTTPServer) -> Iterator[HTTPServer]:
    server.expect_request("/feed").respond_with_data("<rss/>", content_type="text/xml")
    server.expect_request("/admin/secret").respond_with_data("internal secret")
    yield server
    server.clear()


def requested(web: HTTPServer) -> list[str]:
    return [request.path for request, _ in web.log]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "cloud metadata"),
        ("fe80::1%eth0", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "shared"),
        ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:a00:1::", "private"),  # 6to4 around 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "cloud metadata"),  # NAT64 around 169.254.169.254
    ],
)
def test_internal_addresses(address: str, kind: str) -> None:
    found = internal_kind(address)
    assert found is not None and kind in found


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::6810:84e5", "8.8.8.8"])
def test_public_addresses(address: str) -> None:
    assert internal_kind(address) is None


def test_a_name_with_any_internal_address_is_refused() -> None:
    guard = AddressGuard(lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(Refused, match=r"mixed\.example resolves to 10\.0\.0\.7, a private"):
        guard.check("mixed.example", 443)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_refused_by_default(web: HTTPServer, host: str) -> None:
    url = web.url_for("/admin/secret").replace("127.0.0.1", host)
    with Fetcher(LIMITS, host_interval=0) as fetcher:
        result = fetcher.get(url)
        page = fetcher.get_page(url)
    assert result.body == b"" and page.body == b""
    assert result.error is not None and result.error.startswith(f"refused to fetch {url}")
    assert "loopback" in result.error and "allow_private" in result.error
    assert requested(web) == []  # nothing reached the server


def test_ipv6_loopback_is_refused() -> None:
    with Fetcher(LIMITS, host_interval=0) as fetcher:
        result = fetcher.get("http://[::1]:9/admin")
    assert result.error is not None and "::1 is a loopback address" in result.error


def test_cloud_metadata_is_refused_without_a_request() -> None:
    with Fetcher(LIMITS, host_interval=0) as fetcher:
        result = fetcher.get("http://169.254.169.254/latest/meta-data/")
    assert result.error is not None and "cloud metadata" in result.error


def test_an_allowed_host_is_fetched(web: HTTPServer) -> None:
    with Fetcher(LIMITS, host_interval=0) as fetcher:
        result = fetcher.get(web.url_for("/feed"), allow_private=["127.0.0.1"])
    assert result.ok and result.body == b"<rss/>"


def test_a_redirect_from_an_allowed_host_to_another_internal_host_is_refused(
    web: HTTPServer,
) -> None:
    secret = web.url_for("/admin/secret").replace("127.0.0.1", "localhost")
    web.expect_request("/moved").respond_with_data("", status=302, headers={"Location": secret})
    with Fetcher(LIMITS, host_interval=0) as fetcher:
        result = fetcher.get(web.url_for("/moved"), allow_private=["127.0.0.1"])
    assert result.error is not None
    assert result.error.startswith(f"refused to fetch {secret} (redirected from ")
    assert requested(web) == ["/moved"]  # the redirect was read, its target never asked


def test_a_redirect_within_the_allowed_host_is_followed(web: HTTPServer) -> None:
    web.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": web.url_for("/feed")}
    )
    with Fetcher(LIMITS, host_interval=0) as fetcher:
        result = fetcher.get(web.url_for("/old"), allow_private=["127.0.0.1"])
    assert result.ok and result.body == b"<rss/>"


def test_dns_rebinding_is_caught_at_connect_time(web: HTTPServer) -> None:
    """The name looks public when checked, then answers 127.0.0.1 for the connection: the
    transport resolves, checks and connects to the same answer, so nothing is fetched."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])
    port = web.port
    with Fetcher(LIMITS, host_interval=0, resolve=lambda host, p: next(answers)) as fetcher:
        result = fetcher.get(f"http://rebind.example:{port}/admin/secret")
    assert result.error is not None and result.error.startswith(
        f"refused to fetch http://rebind.example:{port}/admin/secret"
    )
    assert "resolves to 127.0.0.1, a loopback address" in result.error
    assert requested(web) == []


def test_refusal_messages_hide_url_secrets() -> None:
    with Fetcher(LIMITS, host_interval=0) as fetcher:
        result = fetcher.get("http://bob:hunter22@127.0.0.1:9/feed?token=t0ken99")
    assert result.error is not None
    assert "hunter22" not in result.error and "t0ken99" not in result.error
