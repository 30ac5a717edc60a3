"""Shared fixtures: real folders, real config files, a real SQLite store."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
GOLD = (
    REPO / "tests" / "data" / "gold" / "seeds.json"
)  # a copy of ../shared/gold: CI has no shared/


# The compiled tagging vocabularies are cached on disk (monitor/tagging/compiled.py). Every
# `monitor` process the suite starts inherits this, so they share one cache in a folder of
# the suite's own instead of the user's ~/.cache: a test run neither reads a cache it did
# not write nor leaves files in the home folder. Kept between runs (keyed by content).
os.environ.pop("CACHE_DIRECTORY", None)
os.environ["XDG_CACHE_HOME"] = str(Path(tempfile.gettempdir()) / f"monitor-tests-{os.getuid()}")


# The files with a test of ten seconds or more (measured by `pytest --durations`), the file
# with the longest test first. pytest-xdist hands tests to its workers one at a time in
# collection order (`pytest_xdist_make_scheduler` below), so these go first: a long test
# left for the end keeps one worker busy after the others have finished. Paths are under
# tests/, since two files may share a name (tests/test_stories.py and
# tests/evaluation/test_stories.py).
SLOW_FIRST = (
    "test_hostile_security.py",
    "test_feeds_e2e.py",
    "test_soak.py",
    "test_revisions.py",
    "test_service.py",
    "evaluation/test_stories.py",
    "tagging/test_compiled.py",
    "tagging/test_sorted_table_cache.py",
    "test_daemon.py",
    "test_stories_service.py",
    "test_hostile_store.py",
    "alerts/test_delivery.py",
    "test_ingest.py",
    "test_story_merge.py",
    "test_start_cost.py",
    "test_hostile_inbox.py",
    "test_story_novelty.py",
    "test_reading.py",
    "test_workers_warm.py",
    "test_stories_batch_order.py",
    "tagging/test_context.py",
    "test_throughput.py",
    "evaluation/test_stories_real.py",
    "test_startup_imports.py",
    # a few seconds each, but a daemon apiece
    "test_retag.py",
    "tagging/test_stored_mentions.py",
    "test_stories_stream.py",
    "test_reading_browser.py",
    "test_ui.py",  # starts Datasette and a headless Chromium where one is installed
)
TESTS = Path(__file__).resolve().parent


# The files that build something per module (a store and its Datasette app, compiled
# taggers, a loaded corpus: module-scoped fixtures of their own). Handed out one test at a
# time, their tests would each build it again on another worker (test_reading.py's app on
# all 12); their tests go to one worker together. Every other test goes on its own.
TOGETHER = frozenset(
    {
        "test_reading.py",
        "test_ui.py",
        "test_startup_imports.py",
        "test_real_story_set.py",
        "tagging/test_sorted_table_cache.py",
        "tagging/test_arabic_arms_words.py",
        "tagging/test_offbeat_rates.py",
        "tagging/test_offbeat_backdrop.py",
        "tagging/test_offbeat_namesakes.py",
        "tagging/test_offbeat_senses.py",
        "tagging/test_offbeat_trade.py",
        "tagging/test_real_train_entities.py",
        "tagging/test_real_sets.py",
        "evaluation/test_real_news.py",
        "store/test_query_clitics.py",
        "extract/test_metadata.py",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.path
        name = path.relative_to(TESTS).as_posix() if path.is_relative_to(TESTS) else path.name
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order within a file is kept


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """xdist's `loadscope` with a scope per test, or per file for the TOGETHER files: tests
    go out one at a time in collection order (with `--no-loadscope-reorder`), the way
    `--maxschedchunk=1` sends them, but a TOGETHER file's tests stay on one worker.
    (`--dist loadgroup` would do this with marks, but xdist 3.8 cannot rename a test under
    pytest 9, so its groups are silently ignored.)"""
    from xdist.scheduler import LoadScopeScheduling

    class OneAtATime(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            return module if module.removeprefix("tests/") in TOGETHER else nodeid

    return OneAtATime(config, log)


@pytest.fixture
def seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def write_config(
    folder: Path, extra: str = "", *, inbox: str = "inbox", console: bool = False
) -> Path:
    """Write folder/config.toml with an inbox folder; returns the config path.

    Extraction runs in-process (`workers = 0`) unless `extra` has a [pipeline] table of
    its own: a pool of worker processes costs every daemon a second of CPU to start, the
    suite starts a few hundred, and the tests of the pool itself ask for one."""
    (folder / inbox).mkdir(exist_ok=True)
    path = folder / "config.toml"
    pipeline = "" if "[pipeline]" in extra else "[pipeline]\nworkers = 0\n"
    path.write_text(  # [alerts] last: bare keys at the start of `extra` belong to it
        f'[inbox]\npaths = ["{inbox}"]\nsettle_seconds = 0.3\n'
        f'[store]\npath = "monitor.db"\n'
        + pipeline
        + f'[alerts]\nlog = "alerts.jsonl"\nconsole = {str(console).lower()}\n'
        + extra,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    """`write_config` in the test's tmp_path."""

    def make(extra: str = "", *, inbox: str = "inbox", console: bool = False) -> Path:
        return write_config(tmp_path, extra, inbox=inbox, console=console)

    return make


@pytest.fixture
def inbox_with_seeds(tmp_path: Path, seeds: list[Path]) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir(exist_ok=True)
    for seed in seeds:
        shutil.copy2(seed, folder / seed.name)
    return folder


def shared_folder(
    factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> Path:
    """A folder built once per test run and shared by every xdist worker; never write to it.

    Many tests need the same starting point (the seeds ingested by the real `monitor
    ingest`): a module- or session-scoped fixture is still built once per xdist worker that
    runs one of its tests, and each build is a monitor process (~1.5 s of CPU). The workers'
    temporary folders share a parent for the run, so the first worker builds there under a
    file lock and the others wait for it. Take a copy (`copy_of`) to use it."""
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed half-way
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder


def copy_of(folder: Path, destination: Path) -> Path:
    """A private copy of a shared folder, at `destination` (created), for a test to use.

    The store inside is copied as files: the build's last process has exited, so SQLite's
    WAL was checkpointed and the copy is a consistent database."""
    shutil.copytree(
        folder, destination, ignore=shutil.ignore_patterns(".built"), dirs_exist_ok=True
    )
    return destination


def seeds_config(folder: Path) -> Path:
    """The seeds' store, as every test that only reads it wants it: what `make_config()`
    writes (`write_config`), with the five seeds in `inbox/` ingested by the real `monitor ingest`."""
    from running import cli  # tests/ is on sys.path once the conftest is loaded

    config = write_config(folder)
    inbox = folder / "inbox"
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(seed, inbox / seed.name)
    cli(config, "ingest", str(inbox))
    return config


@pytest.fixture(scope="session")
def seeds_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_folder(tmp_path_factory, "seeds", seeds_config)


@pytest.fixture
def seeded(seeds_store_template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeds ingested (config, inbox, store, alert log); returns the
    config. For tests that read the store or add to it, not for tests that scan the copied
    inbox again: the store's ledger names the template's paths, not the copy's."""
    return copy_of(seeds_store_template, tmp_path / "seeded") / "config.toml"


@pytest.fixture(autouse=True)
def _no_daemon_left() -> Iterator[None]:
    """Kill any `monitor run` a test started and did not stop (a wait that failed before
    the test's `stop()`): left running, it competes for the two cores with the rest of
    the suite and can hold a store another test opens."""
    yield
    from running import Daemon

    for daemon in list(Daemon.live):
        daemon.kill()
