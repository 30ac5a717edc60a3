"""Every command explains itself with an example (as sqlite-utils' tests insist)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from monitor.cli import main

COMMANDS = sorted(main.commands)


def test_there_are_commands() -> None:
    assert {"run", "ingest", "export", "search", "alerts", "check-config"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help_with_an_example(name: str, flag: str) -> None:
    result = CliRunner().invoke(main, [name, flag])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "--config" in result.output


def test_readme_mentions_every_command() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"monitor {name}" not in readme]
    assert not missing, f"README.md does not document: {missing}"
