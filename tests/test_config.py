from __future__ import annotations

from pathlib import Path

import pytest

from monitor import config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_file_is_valid_and_paths_resolve_next_to_it(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[inbox]\npaths = ["seeds"]\n[store]\npath = "monitor.db"\n[alerts]\nlog = "alerts.jsonl"\n',
    )
    settings = config.load(path)
    assert settings.inbox.paths == (tmp_path / "seeds",)
    assert settings.store.path == tmp_path / "monitor.db"
    assert settings.alerts.log == tmp_path / "alerts.jsonl"
    assert settings.inbox.settle_seconds > 0  # defaulted


def test_empty_file_is_all_defaults(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, ""))
    assert settings.store.path == tmp_path / "monitor.db"


def test_absolute_paths_are_kept(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, '[store]\npath = "/var/lib/monitor/m.db"\n'))
    assert settings.store.path == Path("/var/lib/monitor/m.db")


def test_unknown_key_names_file_key_and_nearest_valid_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[inbox]\npath = ["seeds"]\n')
    with pytest.raises(config.ConfigError) as err:
        config.load(path)
    message = str(err.value)
    assert str(path) in message
    assert "inbox.path" in message
    assert "did you mean 'paths'" in message


def test_unknown_section_suggests_nearest(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="did you mean 'alerts'"):
        config.load(write(tmp_path, "[alert]\nlog = 'x'\n"))


def test_wrong_type_names_key_and_value(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError) as err:
        config.load(write(tmp_path, '[inbox]\nsettle_seconds = "soon"\n'))
    assert "inbox.settle_seconds" in str(err.value)
    assert "'soon'" in str(err.value)


def test_missing_file_says_how_to_point_at_one(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError) as err:
        config.load(tmp_path / "nope.toml")
    assert "nope.toml" in str(err.value)
    assert "--config" in str(err.value)
    assert config.ENV_VAR in str(err.value)


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="invalid TOML"):
        config.load(write(tmp_path, "[inbox\n"))


def test_path_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(config.ENV_VAR, raising=False)
    assert config.resolve_path(None) == Path("config.toml")
    monkeypatch.setenv(config.ENV_VAR, str(tmp_path / "env.toml"))
    assert config.resolve_path(None) == tmp_path / "env.toml"
    assert config.resolve_path(str(tmp_path / "cli.toml")) == tmp_path / "cli.toml"


def test_shipped_config_is_valid() -> None:
    repo = Path(__file__).resolve().parents[1]
    settings = config.load(repo / "config.toml")
    assert settings.inbox.paths == (repo / "seeds",)


def test_a_dated_threshold_above_the_undated_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError) as err:
        config.load(write(tmp_path, "[stories]\nsimilarity = 0.3\ndated_similarity = 0.5\n"))
    assert "dated_similarity" in str(err.value) and "0.3" in str(err.value)


def test_lowering_similarity_alone_takes_the_dated_threshold_with_it(tmp_path: Path) -> None:
    settings = config.load(write(tmp_path, "[stories]\nsimilarity = 0.25\n"))
    assert settings.stories.dated_threshold == 0.25
    assert config.load(write(tmp_path, "")).stories.dated_threshold == 0.3
