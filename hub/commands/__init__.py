"""``nafitha hub``: run the hub, show its state, verify the chains, resume a stopped center."""
