"""Secrets for channels: from the environment, a file, or a systemd credential.

Each resolved value is handed to the log redactor, so a token that ends up in an error
message or a traceback is printed as [redacted].
"""

from __future__ import annotations

import os
from pathlib import Path

from monitor.config import ConfigError, Secret, SecretRef
from monitor.ops.redact import Redactor


def resolve(value: Secret, *, where: str, redactor: Redactor) -> str:
    """The secret's value; ConfigError naming `where` and the source when it is missing."""
    if isinstance(value, str):
        secret = value
    elif isinstance(value, SecretRef):
        secret = _lookup(value, where)
    else:  # pragma: no cover - the config model admits nothing else
        raise ConfigError(f"{where}: unsupported secret {value!r}")
    redactor.add(secret)
    return secret


def _lookup(ref: SecretRef, where: str) -> str:
    if ref.env:
        if ref.env not in os.environ:
            raise ConfigError(f"{where}: environment variable {ref.env} is not set")
        return os.environ[ref.env]
    if ref.file:
        return _read(ref.file, where)
    if ref.credential:
        folder = os.environ.get("CREDENTIALS_DIRECTORY")
        if not folder:
            raise ConfigError(
                f"{where}: credential '{ref.credential}' needs $CREDENTIALS_DIRECTORY "
                "(systemd LoadCredential=)"
            )
        return _read(Path(folder) / ref.credential, where)
    raise ConfigError(f"{where}: a secret needs one of env, file or credential")


def _read(path: Path, where: str) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read secret file {path}: {exc.strerror}") from exc
