"""Headless Chromium driven over its DevTools pipe: navigate, click, read computed styles.

`--dump-dom` shows the DOM but not how the page is laid out, and no WebSocket client or
chromedriver is installed here; `--remote-debugging-pipe` needs neither: Chromium reads
DevTools commands from fd 3 and writes answers to fd 4, each a JSON object ended by a
NUL byte. Debian's chromium (.ci/run installs it) is enough. Also used by
bench/screenshots.py to make the README's screenshots.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# A headless Chromium that stays off the network and asks nothing: for the DevTools pipe
# here and for tests/test_ui.py's one-shot --dump-dom runs alike.
HEADLESS = (
    CHROMIUM or "chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900) -> None:
        self._to_child, self._from_us = os.pipe()  # commands: we write, it reads fd 3
        self._from_child, self._to_us = os.pipe()  # answers: it writes fd 4, we read

        def pipes() -> None:  # in the child, before exec
            # Copies first: a pipe end may itself be fd 3 or 4, and dup2 onto itself
            # would leave it close-on-exec.
            ends = os.dup(self._to_child), os.dup(self._to_us)
            os.dup2(ends[0], 3)
            os.dup2(ends[1], 4)

        self.proc = subprocess.Popen(
            [
                *HEADLESS,
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=pipes,  # no threads here; dup2 must run in the child
            close_fds=False,
        )
        os.close(self._to_child)
        os.close(self._to_us)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False,
        })  # fmt: skip

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self._from_us)
        os.close(self._from_child)

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._from_us, json.dumps(message).encode() + b"\0")

    def _receive(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed its DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(message)
        while True:
            answer = self._receive(60)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._call(method, params, self.session)

    def wait_for_load(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e.get("method") == "Page.loadEventFired" for e in self.events):
                self.events.clear()
                return
            self.events.append(self._receive(deadline - time.monotonic()))
        raise TimeoutError("the page did not load")

    def open(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for_load()

    def js(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able values only)."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """Click the first element matching a CSS selector, as a user would (a real
        navigation when it is a link), and wait for the next page to load."""
        self.events.clear()
        found = self.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                        " if (!e) return false; e.click(); return true; })()")  # fmt: skip
        if not found:
            raise LookupError(f"nothing matches {selector} on {self.js('location.href')}")
        self.wait_for_load()

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))
