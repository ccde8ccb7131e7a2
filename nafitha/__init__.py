"""Nafitha: queue, kiosk and file tracking for citizen service centers."""

__version__ = "0.1.0"
