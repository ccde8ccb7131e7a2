"""The app for ``uvicorn --factory`` with several worker processes; settings from the environment.

``NAFITHA_SERVER_SETTINGS`` holds the server settings as JSON (``nafitha server`` sets it).
"""

from __future__ import annotations

import json
import os

from fastapi import FastAPI

from server.app import create_app
from server.config import ServerSettings

ENV = "NAFITHA_SERVER_SETTINGS"


def app_from_env() -> FastAPI:
    return create_app(ServerSettings.model_validate(json.loads(os.environ.get(ENV, "{}"))))
