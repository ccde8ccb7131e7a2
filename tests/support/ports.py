"""Free loopback ports, waiting for a service: the tests' name for :mod:`nafitha.harness.ports`."""

from nafitha.harness.ports import free_port, wait_for_http, wait_for_port

__all__ = ["free_port", "wait_for_http", "wait_for_port"]
