"""The store: SQLite through sqlite-utils (schema, migrations, queries, the event log)."""
