"""The read commands' two paths, read without pydantic, are config.py's, and anything
unusual in them falls back to config.py's validation and its error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from running import cli

from monitor import config, configfile

CONFIGS = {
    "empty": "",
    "relative": '[store]\npath = "data/m.db"\n[alerts]\nlog = "logs/a.jsonl"\n',
    "absolute": '[store]\npath = "/var/lib/monitor/m.db"\n[alerts]\nlog = "/var/log/a.jsonl"\n',
    "parent": '[store]\npath = "../up/m.db"\n',
    "shipped": (Path(__file__).resolve().parents[1] / "config.toml").read_text(encoding="utf-8"),
    "rest not read": (
        '[alerts]\nconsole = false\n[[alerts.channels]]\nname = "ops"\ntype = "webhook"\n'
        'url = "https://example.org/hook"\n[[alerts.rules]]\nname = "all"\n'
        'channels = ["ops"]\n[logging]\nlevel = "debug"\n[pipeline]\nworkers = 0\n'
    ),
}


@pytest.mark.parametrize("text", CONFIGS.values(), ids=CONFIGS.keys())
def test_the_paths_are_those_config_py_resolves(tmp_path: Path, text: str) -> None:
    path = tmp_path / "etc" / "config.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    fast = configfile.read_paths(path)
    full = config.load(path)
    assert fast is not None
    assert fast.store.path == full.store.path
    assert fast.alerts.log == full.alerts.log
    assert fast.source_path == full.source_path


def test_sections_and_defaults_are_config_pys() -> None:
    fields = config.Settings.model_fields
    assert set(fields) - {"source_path"} == configfile.SECTIONS
    assert fields["store"].get_default(call_default_factory=True).path == configfile.DEFAULT_STORE
    alerts = fields["alerts"].get_default(call_default_factory=True)
    assert alerts.log == configfile.DEFAULT_ALERT_LOG
    assert config.ConfigError is configfile.ConfigError  # one error type for callers


@pytest.mark.parametrize(
    "text",
    [
        '[stroe]\npath = "m.db"\n',  # a section config.py does not know
        '[store]\npth = "m.db"\n',  # a key it does not know
        "[store]\npath = 3\n",  # a wrong type
        '[alerts]\nlog = ["a"]\n',
        "store = 1\n",  # not a table
        "[store\n",  # not TOML
    ],
)
def test_anything_unusual_is_left_to_config_py(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert configfile.read_paths(path) is None
    with pytest.raises(config.ConfigError):
        config.load(path)


def test_a_missing_file_is_left_to_config_py(tmp_path: Path) -> None:
    assert configfile.read_paths(tmp_path / "nope.toml") is None


def test_a_read_command_reports_a_bad_store_section_as_the_daemon_would(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[stroe]\npath = "m.db"\n', encoding="utf-8")
    result = cli(path, "search", "x", check=False)
    assert result.returncode == 2
    assert "did you mean 'store'" in result.stderr
    shown = cli(path, "stats", check=False)
    assert shown.returncode == 2 and str(path) in shown.stderr


def test_a_read_command_uses_the_store_the_config_names(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[store]\npath = "elsewhere/m.db"\n', encoding="utf-8")
    result = cli(path, "stats", check=False)
    assert result.returncode == 1
    assert str(tmp_path / "elsewhere" / "m.db") in result.stderr  # "no store yet"
