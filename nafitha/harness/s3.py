"""A real S3-compatible server on 127.0.0.1 (moto's server mode) for the replica's tests and
benchmark; it stops when the ``with`` block ends, and with the process that started it.

    with s3_server() as s3:
        url = s3.url("center")   # s3://replica/center?endpoint=http://127.0.0.1:PORT&region=...
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nafitha.harness.ports import free_port, wait_for_port

ACCESS_KEY = "nafitha-test"
SECRET_KEY = "nafitha-test-secret"
REGION = "us-east-1"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass(frozen=True)
class S3Server:
    port: int
    bucket: str
    process: subprocess.Popen[bytes]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, port: int | None = None) -> str:
        """A Litestream replica URL in the bucket (``port``: through a proxy in front)."""
        return (
            f"s3://{self.bucket}/{path}?endpoint=http://127.0.0.1:{port or self.port}"
            f"&region={REGION}"
        )

    def env(self) -> dict[str, str]:
        """The credentials, as a Litestream child or ``nafitha restore`` read them."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}

    def keys(self, prefix: str = "") -> list[str]:
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )
        try:
            pages = client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            return [item["Key"] for page in pages for item in page.get("Contents", [])]
        finally:
            client.close()


@contextmanager
def s3_server(bucket: str = "replica") -> Iterator[S3Server]:
    """``moto_server`` on a free loopback port with ``bucket`` made; stopped on leaving."""
    import boto3

    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,  # only prctl before exec: no Python lock is taken
    )
    try:
        wait_for_port(port, timeout=30)
        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )
        try:
            client.create_bucket(Bucket=bucket)
        finally:
            client.close()
        yield S3Server(port, bucket, process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
