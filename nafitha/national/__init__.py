"""The national layer's pure pieces a center and the hub share (docs/national.md)."""
