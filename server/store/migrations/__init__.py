"""Schema migrations: one module per step, ``mNNN_what.py`` with ``up(db)``, applied in order.

Numbers: S 001-009, F 010-019, W 020-029. The runner finds modules by name (no registry to edit).
"""
