"""Every command explains itself with an example (as sqlite-utils' tests insist)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from monitor.cli import main


def walk(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out.extend(walk(command, (*prefix, name)))
    return out


COMMANDS = walk(main)


def test_there_are_commands() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"run", "ingest", "export", "search", "alerts", "check-config"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help_with_an_example(path: tuple[str, ...], flag: str) -> None:
    result = CliRunner().invoke(main, [*path, flag])
    assert result.exit_code == 0
    assert "Example" in result.output
    command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    if not isinstance(command, click.Group):
        assert "--config" in result.output


def test_readme_mentions_every_command() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [" ".join(c) for c in COMMANDS if f"monitor {' '.join(c)}" not in readme]
    assert not missing, f"README.md does not document: {missing}"
