"""The hub's use cases: a batch of one center's events into PostgreSQL, the writer loop, checks."""
