"""The base of every model of the project."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A pydantic model whose validator is built when first used, not when its module is
    imported: a command that touches five of the project's models pays for five (start-up is
    a feature; building all of them took ~25 ms of every command's start)."""

    model_config = ConfigDict(defer_build=True)
