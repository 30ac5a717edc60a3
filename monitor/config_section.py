"""The base of every configuration section, apart so that sections kept in their own modules
(story_config.py) and config.py share it without importing each other."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Section(BaseModel):
    # defer_build: each model's validator is built when first used, not when the module
    # is imported; the channel and feed kinds a configuration does not use are never
    # built (0.025 s of every start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
