"""Continuous off-site replication of the center's database by Litestream (docs/operations.md).

``supervisor.Supervisor`` runs ``litestream replicate`` beside the server; ``state`` turns what
Litestream says into the replica's position, lag and error (read by health, the dashboard and
``nafitha status``); ``litestream`` holds the facts about the program (binary, config, log lines,
restore).
"""
