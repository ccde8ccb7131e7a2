"""The national hub: every center's event log, checked and kept in PostgreSQL (docs/hub.md).

Layered like the center's server: ``domain`` (pure decisions and projections) → ``store`` (all
SQL, psycopg 3) → ``usecases`` (one transaction each) → ``api`` (HTTP) and ``commands`` (CLI).
It shares only the pure pieces of ``nafitha/`` with a center and never imports ``server``.
"""
