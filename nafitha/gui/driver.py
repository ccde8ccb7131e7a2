"""The outside end of driving a running Kivy app: start it in a child process, send it commands.

Standard library only, safe to import from pytest or a benchmark without Kivy: :class:`AppProcess`
starts the app with two inherited pipes named in ``NAFITHA_CONTROL_FDS`` and sends it one JSON line
per command; the app's side is :func:`nafitha.gui.automation.serve_control`.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

CONTROL_ENV = "NAFITHA_CONTROL_FDS"


class ControlError(RuntimeError):
    """The app answered a command with an error, or did not answer in time."""


class AppProcess:
    """A Kivy app started in a child process and driven through its control pipes.

    ``argv`` starts the app (e.g. ``[python, -m, nafitha.cli, kiosk, ...]``); its output goes to
    ``log_path`` so a failing test can show it.
    """

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        log_path: os.PathLike[str] | str | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        to_app_r, self._to_app = os.pipe()
        self._from_app, from_app_w = os.pipe()
        environment = dict(os.environ if env is None else env)
        environment[CONTROL_ENV] = f"{to_app_r},{from_app_w}"
        environment.setdefault("KIVY_NO_ARGS", "1")
        self.log_path = log_path
        log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            list(argv),
            env=environment,
            pass_fds=(to_app_r, from_app_w),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if log_path:
            log.close()
        os.close(to_app_r)
        os.close(from_app_w)
        self._buffer = b""
        self._last_id = 0
        self.ready_after = self._wait_ready(start_timeout)

    def _wait_ready(self, timeout: float) -> float:
        """Seconds from spawn until the app answered its first ping."""
        self.call("ping", timeout=timeout)
        return time.monotonic() - self.started

    def call(self, cmd: str, timeout: float = 10.0, **args: Any) -> Any:
        """Run ``cmd`` in the app; its value, or :class:`ControlError` with the app's reason."""
        self._last_id += 1
        request_id = self._last_id
        line = json.dumps({"cmd": cmd, "args": args, "id": request_id}, ensure_ascii=False) + "\n"
        try:
            os.write(self._to_app, line.encode("utf-8"))
        except BrokenPipeError:
            raise ControlError(
                f"the app has exited ({self.process.poll()}): {self.log_tail()}"
            ) from None
        deadline = time.monotonic() + timeout
        answer = self._read_line(deadline)
        while answer.get("id") != request_id:  # a late answer to a call that timed out
            answer = self._read_line(deadline)
        if not answer.get("ok"):
            raise ControlError(f"{cmd}: {answer.get('error')}")
        return answer.get("value")

    def _read_line(self, deadline: float) -> dict[str, Any]:
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None:
                raise ControlError(
                    f"no answer from the app (exit {self.process.poll()}): {self.log_tail()}"
                )
            ready, _, _ = select.select([self._from_app], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(self._from_app, 65536)
                if not chunk:
                    time.sleep(0.05)
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def wait_for(
        self, predicate: Callable[[], bool], timeout: float = 15.0, what: str = "condition"
    ) -> None:
        """Poll ``predicate`` (which usually calls the app) until true; ControlError otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise ControlError(f"timed out after {timeout}s waiting for {what}")

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path:
            return ""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return ""

    def close(self, timeout: float = 10.0) -> int:
        """Ask the app to stop (closing its control pipe), then terminate it if it lingers."""
        for fd in (self._to_app, self._from_app):
            with contextlib.suppress(OSError):
                os.close(fd)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                return self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                return self.process.wait()
