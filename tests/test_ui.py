"""The browser UI, opened in a real headless Chromium against `monitor ui` on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import CHROMIUM, HEADLESS
from conftest import copy_of
from running import ui_server

pytest.importorskip("datasette", reason="the ui extra (datasette) is not installed")
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def ui(seeds_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One read-only UI server on a copy of the seeds' store for the module's tests."""
    config = copy_of(seeds_store_template, tmp_path_factory.mktemp("ui")) / "config.toml"
    with ui_server(config) as base:
        yield base


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def browser(url: str, tmp_path: Path, screenshot: str | None = None) -> str:
    """The page's DOM after its scripts ran, as headless Chromium sees it."""
    args = [
        *HEADLESS,
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--virtual-time-budget=3000",
    ]
    if screenshot:
        subprocess.run(
            [*args, f"--screenshot={screenshot}", "--window-size=1280,900", url],
            capture_output=True,
            timeout=60,
            check=False,
        )
    done = subprocess.run(
        [*args, "--dump-dom", url], capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout


def test_canned_queries_facets_and_chart_are_served(ui: str) -> None:
    index = get(ui + "/monitor")  # "/" is the reading room's (tests/test_reading.py)
    assert "latest alerts" in index and "stories" in index
    overview = get(ui + "/monitor/articles_overview?_facet_array=topics")
    assert "facet" in overview.lower()
    for query in ("latest_alerts", "stories", "articles_per_topic_per_day", "failed_files"):
        assert "error" not in get(f"{ui}/monitor/{query}.json?_shape=objects").lower()[:200]
    assert "<svg" in get(ui + "/-/monitor/chart")


def search(ui: str, q: str) -> list[dict[str, object]]:
    return json.loads(get(ui + "/monitor/search.json?_shape=array&q=" + urllib.parse.quote(q)))


def test_the_search_query_folds_arabic_forms(ui: str) -> None:
    plain = search(ui, "عقوبات")
    assert plain and all("«" in str(r["snippet"]) for r in plain)  # hits marked
    assert {r["id"] for r in search(ui, "العقوبات")} >= {r["id"] for r in plain}
    assert {r["id"] for r in search(ui, "عُقُوبَات")} == {r["id"] for r in plain}


def test_the_ui_is_read_only(ui: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(ui + "/monitor.json?sql=" + urllib.parse.quote("DELETE FROM articles"))
    assert refused.value.code in (400, 403)
    assert len(json.loads(get(ui + "/monitor/articles_overview.json?_shape=array"))) == 5


@needs_browser
def test_an_arabic_search_in_a_real_browser_reads_right_to_left(ui: str, tmp_path: Path) -> None:
    url = ui + "/monitor/search?q=" + urllib.parse.quote("بيونغ يانغ")
    shot = tmp_path / "search.png"
    dom = browser(url, tmp_path, screenshot=str(shot))
    assert "بيونغ" in dom, dom[:2000]
    assert 'dir="auto"' in dom  # cells take their direction from their text
    assert "unicode-bidi: plaintext" in dom
    assert shot.exists() and shot.stat().st_size > 10_000
