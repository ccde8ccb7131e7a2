"""The server's subcommands of ``nafitha``: server, backup, audit."""
