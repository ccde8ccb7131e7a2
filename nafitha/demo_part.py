"""What a part of ``nafitha demo`` is: a child process, and what the parts know of the demo.

Apart from :mod:`nafitha.demo` (which seeds the server's database) so the kiosk's, counter's and
printers' demo parts can describe themselves without importing the server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Part:
    """One child process of the demo."""

    name: str
    argv: list[str]
    gui: bool = False
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class DemoSetup:
    """What the parts and steps need to know about the running demo."""

    url: str
    host: str
    port: int
    data: Path
    db: Path
    center: Path
    people: dict[str, str]  # username -> role
    kiosk_tokens: tuple[str, ...]
    gui: bool
