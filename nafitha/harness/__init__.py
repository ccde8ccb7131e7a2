"""Real parts started on this machine for the tests and the benchmarks: a server process with the
demo accounts on a free loopback port, a private Xvfb display, a lean HTTP load connection, the
drivers that start and tap the kiosk and counter apps.

Shared by ``tests/`` (through ``tests/support/``) and ``bench/``, so a benchmark never imports the
test suite. Nothing here is used by a running center.
"""
