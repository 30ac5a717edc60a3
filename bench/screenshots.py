"""The README's screenshots of the reading room: home, a story, an article (docs/img/).

Ingests seeds/ (and a copy of one seed, so a story shows a folded copy) into a temporary
store with the real `monitor ingest`, starts the real `monitor ui`, opens the pages in
headless Debian Chromium (tests/chromium.py) as a reader would click through them, and
saves the screenshots. `make screenshots` runs it.

    .venv/bin/python bench/screenshots.py [--out docs/img]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from chromium import CHROMIUM, Browser  # noqa: E402
from reading_store import make_store  # noqa: E402
from servers import free_port  # noqa: E402


def sql(store: Path, query: str) -> str:
    with sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute(query).fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    args = parser.parse_args()
    if CHROMIUM is None:
        sys.exit("error: chromium is not installed (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_store(folder)
        port = free_port()
        config = str(folder / "config.toml")
        ui = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", config, "ui", "--port", str(port)]
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            with Browser(folder / "profile", width=1280, height=860) as browser:
                # A last visit just after the first story began: it shows as updated,
                # the later one as new (the marks come from this cookie).
                first = sql(folder / "monitor.db", "SELECT min(first_seen) FROM stories")
                now = datetime.now(UTC).isoformat(timespec="milliseconds")
                browser.call("Network.setCookie", {
                    "name": "monitor_visit", "value": f"{first}|{now}", "url": base,
                })  # fmt: skip
                browser.open(base + "/")
                browser.screenshot(args.out / "reading-home.png")
                browser.click("li.story a.headline")
                browser.js("document.querySelector('details.copies') && "
                           "(document.querySelector('details.copies').open = true)")  # fmt: skip
                browser.screenshot(args.out / "reading-story.png")
                browser.click("li.report a.headline")
                browser.js("document.querySelector('.body mark').focus()")
                browser.screenshot(args.out / "reading-article.png")
        finally:
            ui.terminate()
            ui.wait(timeout=10)
    for name in ("reading-home", "reading-story", "reading-article"):
        print(args.out / f"{name}.png")


if __name__ == "__main__":
    main()
