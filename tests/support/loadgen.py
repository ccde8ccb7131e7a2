"""The lean HTTP/1.1 load connection: the tests' name for :mod:`nafitha.harness.loadgen`."""

from nafitha.harness.loadgen import HttpConnection

__all__ = ["HttpConnection"]
