"""Keep secrets out of logs, output and stored error messages.

Two layers, because a secret reaches text in two ways:

- by value: a token read from the environment, a webhook's HMAC key, an Apprise URL.
  The Redactor is told each one as the channels and feeds are built, and masks it
  wherever it turns up (an exception message, a URL httpx logs, a config dump);
- by shape: a URL carries its own secrets. `scrub_urls` masks, in any text, the userinfo
  of every URL (`http://user:pass@host` -> `http://[redacted]@host`), the values of query
  and fragment parameters whose names say they are secrets (token, key, api_key, secret,
  password, sig, signature, access_token, auth, ...), and everything after `scheme://` for
  schemes that are not web addresses (Apprise's `tgram://BOTTOKEN/CHAT`, `slack://A/B/C`),
  which put their tokens in the host and path. It needs no configuration, so error
  messages are scrubbed where they are made (fetch errors, config errors, delivery
  errors) and stored without secrets.

The Redactor, a structlog processor, applies both to every log event.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import unquote

MASK = "[redacted]"
_MIN_LENGTH = 4  # masking "a" or "" would shred every log line

_URL = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]{1,30})://([^\s<>\"'`]*)")
_TRAILING = re.compile(r"[).,;:!?]+$")
_WEB_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp", "ftps", "file", "feed"})
# Parameter names (lower case, "-" read as "_") whose values are secrets, and endings that
# mark one (auth_token, client_secret, x_api_key, db_password, x_amz_signature).
_SECRET_NAMES = frozenset(
    {"token", "key", "api_key", "apikey", "secret", "password", "passwd", "pwd", "pass",
     "sig", "signature", "access_token", "auth", "authorization", "credential",
     "credentials", "session", "sessionid", "session_id", "code", "private_token",
     "x_amz_credential", "x_amz_security_token", "x_goog_signature", "jwt"}
)  # fmt: skip
_SECRET_ENDINGS = ("token", "secret", "password", "signature", "_key", "apikey", "_auth")
# A path segment of a configured URL that looks like a token (Slack and Discord webhooks
# carry theirs in the path): long, and letters mixed with digits.
_TOKENISH = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_\-]{16,}$")


def is_secret_name(name: str) -> bool:
    lowered = unquote(name).strip().lower().replace("-", "_")
    return lowered in _SECRET_NAMES or lowered.endswith(_SECRET_ENDINGS)


def scrub_url(url: str) -> str:
    """One URL with its userinfo and secret-looking parameters masked (module docstring)."""
    match = _URL.match(url)
    if not match:
        return url
    return _scrub_match(match) + url[match.end() :]


def scrub_urls(text: str) -> str:
    """Every URL in a text scrubbed as scrub_url does; the rest of the text unchanged."""
    if "://" not in text:
        return text
    return _URL.sub(_scrub_match, text)


def _scrub_match(match: re.Match[str]) -> str:
    scheme, rest = match[1], match[2]
    # Punctuation after a URL in a sentence ("(see http://h/?key=k).") is not part of it.
    trailing = _TRAILING.search(rest)
    end = rest[trailing.start() :] if trailing else ""
    rest = rest[: trailing.start()] if trailing else rest
    return _scrub_parts(scheme, rest, match[0].endswith("#")) + end


def _scrub_parts(scheme: str, rest: str, bare_fragment: bool) -> str:
    if scheme.lower() not in _WEB_SCHEMES:
        return f"{scheme}://{MASK}" if rest else f"{scheme}://"
    cut = len(rest)
    for sep in "/?#":
        at = rest.find(sep)
        if at != -1:
            cut = min(cut, at)
    authority, tail = rest[:cut], rest[cut:]
    if "@" in authority:
        authority = MASK + authority[authority.rfind("@") :]
    tail, _, fragment = tail.partition("#")
    path, question, query = tail.partition("?")
    out = f"{scheme}://{authority}{path}"
    if question:
        out += "?" + _scrub_params(query)
    if fragment or bare_fragment:
        out += "#" + (_scrub_params(fragment) if "=" in fragment else fragment)
    return out


def _scrub_params(query: str) -> str:
    parts = re.split(r"([&;])", query)
    for i in range(0, len(parts), 2):
        name, eq, value = parts[i].partition("=")
        if eq and value and is_secret_name(name):
            parts[i] = f"{name}={MASK}"
    return "".join(parts)


def url_secrets(url: str) -> list[str]:
    """The secret values inside a configured URL, for the Redactor: userinfo, the values
    of secret-looking parameters, and token-like path segments."""
    match = _URL.match(url)
    if not match:
        return []
    found: list[str] = []
    rest = match[2]
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if "@" in authority:
        userinfo = authority[: authority.rfind("@")]
        found += [userinfo, *userinfo.split(":", 1)]
    if match[1].lower() not in _WEB_SCHEMES:
        # Apprise-style: tokens are the host and path parts (tgram://BOTID:TOKEN/CHAT).
        found += [rest, authority, *re.split(r"[/:@?#&=]", rest)]
    path_query = rest[len(authority) :]
    path, _, query = path_query.partition("?")
    query = query.replace("#", "&")
    for piece in re.split(r"[&;]", query):
        name, eq, value = piece.partition("=")
        if eq and value and is_secret_name(name):
            found += [value, unquote(value)]
    found += [seg for seg in path.split("/") if _TOKENISH.match(seg)]
    return found


class Redactor:
    """Filled with secret values as channels and feeds are built; applied to every log
    event, to `check-config`'s output and to delivery errors."""

    def __init__(self) -> None:
        # Longest first: a secret that contains another is masked whole.
        self._secrets: list[str] = []

    def add(self, secret: str) -> None:
        if len(secret) >= _MIN_LENGTH and secret not in self._secrets:
            self._secrets = sorted([*self._secrets, secret], key=len, reverse=True)

    def add_url(self, url: str) -> None:
        """Register the secrets a configured URL carries (url_secrets)."""
        for secret in url_secrets(url):
            self.add(secret)

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self._secrets:
                if secret in value:
                    value = value.replace(secret, MASK)
            return scrub_urls(value)
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.scrub(v) for v in value)
        return value

    def __call__(
        self, _logger: Any, _name: str, event: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        for key, value in list(event.items()):
            event[key] = self.scrub(value)
        return event
