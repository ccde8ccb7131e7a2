"""All of the hub's SQL: the PostgreSQL schema, its migrations, and every query (psycopg 3)."""
