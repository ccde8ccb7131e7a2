"""A role's TOML configuration read into a typed object, with errors naming file, key and reason.

Each role (server, center catalog, kiosk, counter) declares a pydantic model of its settings,
every field with a safe default where one exists, and loads it with :func:`load_settings`. A bad
file stops the program at start with one clear line per problem, never a traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class ConfigError(ValueError):
    """A configuration problem: which file, which key, and why."""

    def __init__(self, path: Path | str, key: str, reason: str) -> None:
        self.path = str(path)
        self.key = key
        self.reason = reason
        super().__init__(f"{self.path}: {key or '(file)'}: {reason}")


class Settings(BaseModel):
    """Base for settings models: unknown keys are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def known_lang(value: str) -> str:
    """A settings language, refused unless the catalogs carry it (kiosk and counter alike)."""
    from nafitha.text import LANGS

    if value not in LANGS:
        raise ValueError(f"must be one of {', '.join(LANGS)}")
    return value


def window_pixels(size: str) -> tuple[int, int]:
    """A validated ``WIDTHxHEIGHT`` setting as the (width, height) a Kivy window takes."""
    width, height = size.split("x")
    return int(width), int(height)


def read_toml(path: Path | str) -> dict[str, Any]:
    """The parsed TOML file, or a :class:`ConfigError` saying why it cannot be read."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except PermissionError:
        raise ConfigError(path, "", "permission denied") from None
    except IsADirectoryError:
        raise ConfigError(path, "", "is a folder, not a settings file") from None
    except OSError as exc:
        raise ConfigError(path, "", f"cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, "", f"not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from None


def validate_settings(
    model: type[Model], data: dict[str, Any], source: Path | str = "<settings>"
) -> Model:
    """``data`` checked against ``model``; the first problem raised as a :class:`ConfigError`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise ConfigError(source, key, first["msg"]) from None


def load_settings(
    model: type[Model], path: Path | str | None, overrides: dict[str, Any] | None = None
) -> Model:
    """Settings from ``path`` (or defaults when None), with command-line ``overrides`` on top.

    Overrides whose value is None are ignored, so argparse defaults can be passed straight in.
    """
    data = read_toml(path) if path else {}
    for key, value in (overrides or {}).items():
        if value is not None:
            data[key] = value
    return validate_settings(model, data, path or "<command line>")
