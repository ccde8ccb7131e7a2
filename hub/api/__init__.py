"""The hub's small HTTP API: health and the centers' intake state (never personal data)."""
